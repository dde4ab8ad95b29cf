"""The catalogue of district figures as a searchable tree: 全街道, each community, 报表信息."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.io.district_figures import DETAILS, MEASURES, STREET

FIGURE = Qt.ItemDataRole.UserRole
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _EnterFilter(QObject):
    def __init__(self, widget: QWidget, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in _ENTER
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self._action()
            return True
        return False


def on_enter(widget: QWidget, action: Callable[[], None]) -> None:
    """Enter in `widget` does `action` instead of pressing the dialog's default button."""
    widget.installEventFilter(_EnterFilter(widget, action))


def all_figures(communities: Iterable[str]) -> set[str]:
    return {*DETAILS, *(f"{scope}.{m.name}" for scope in (STREET, *communities) for m in MEASURES)}


class FigurePicker(QWidget):
    """`picked` on Enter or a double click; the catalogue names are chosen, never typed."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索，如：东湖 签约率"))
        self.search_edit.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("数据项"), self.tr("说明")])
        self.tree.setColumnWidth(0, self.fontMetrics().horizontalAdvance("招牌许可.不予许可") + 40)
        self.tree.setAccessibleName(self.tr("数据项目录"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.tree, 1)
        self._street = self._scope(self.tr("全街道（合计）"), STREET)
        self._street.setExpanded(True)
        self._communities: list[QTreeWidgetItem] = []
        details = QTreeWidgetItem([self.tr("报表信息"), ""])
        self.tree.addTopLevelItem(details)
        for name in DETAILS:
            leaf = QTreeWidgetItem([name, ""])
            leaf.setData(0, FIGURE, name)
            details.addChild(leaf)

        self.search_edit.textChanged.connect(self.filter)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        on_enter(self.search_edit, self._pick_current)
        on_enter(self.tree, self._pick_current)
        self.search_edit.installEventFilter(self)

    def _scope(self, title: str, scope: str, at: int | None = None) -> QTreeWidgetItem:
        top = QTreeWidgetItem([title, ""])
        for measure in MEASURES:
            leaf = QTreeWidgetItem([measure.name, measure.label])
            leaf.setData(0, FIGURE, f"{scope}.{measure.name}")
            leaf.setToolTip(0, f"{scope}.{measure.name}")
            top.addChild(leaf)
        if at is None:
            self.tree.addTopLevelItem(top)
        else:
            self.tree.insertTopLevelItem(at, top)
        return top

    def set_communities(self, names: Iterable[str]) -> None:
        for item in self._communities:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self._communities = [self._scope(name, name, at=1 + k) for k, name in enumerate(names)]
        self.filter(self.search_edit.text())

    def current_figure(self) -> str | None:
        item = self.tree.currentItem()
        figure = item.data(0, FIGURE) if item is not None else None
        return str(figure) if figure else None

    def select(self, figure: str) -> bool:
        for item in self._leaves():
            if item.data(0, FIGURE) == figure:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _tops(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(k) for k in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    @staticmethod
    def _children(top: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        items = (top.child(k) for k in range(top.childCount()))
        return [item for item in items if item is not None]

    def _leaves(self) -> list[QTreeWidgetItem]:
        return [leaf for top in self._tops() for leaf in self._children(top)]

    def filter(self, text: str) -> None:
        """Keep the figures holding every word typed (scope, area or measure); choose the first."""
        words = text.split()
        first = None
        for top in self._tops():
            shown = 0
            for leaf in self._children(top):
                hit = all(w in f"{leaf.data(0, FIGURE)} {leaf.text(1)}" for w in words)
                leaf.setHidden(not hit)
                shown += hit
                if hit and first is None:
                    first = leaf
            top.setHidden(shown == 0)
            top.setExpanded(bool(words) and shown > 0 or top is self._street)
        if words and first is not None:
            self.tree.setCurrentItem(first)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, FIGURE):
            self.picked.emit(str(item.data(0, FIGURE)))

    def _pick_current(self) -> None:
        figure = self.current_figure()
        if figure:
            self.picked.emit(figure)
        else:
            item = self.tree.currentItem()
            if item is not None:
                item.setExpanded(not item.isExpanded())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # ↓ from the search box goes on into the list.
        if (watched is self.search_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down):
            self.tree.setFocus()
            return True
        return super().eventFilter(watched, event)
