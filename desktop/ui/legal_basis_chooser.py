"""Choosing the legal basis a notice cites: confirmed entries can be ticked; unconfirmed ones
are listed greyed, with where to confirm them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.legal import LegalBasisRow

_ID = Qt.ItemDataRole.UserRole
GREY = QColor(140, 140, 140)


def _tip(entry: LegalBasisRow) -> str:
    text = f"{entry.citation}：{entry.text}"
    if entry.penalty:
        text += f"\n罚则：{entry.penalty}"
    return text


class LegalBasisChooser(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LegalBasisRow] = []
        self._categories: set[str] = set()
        self._checked: set[int] = set()
        self.only_fitting = QCheckBox(self.tr("只列适用于本类问题的条目"))
        # A one-column tree, not a list: its column fits the width, so long citations elide.
        self.list = QTreeWidget()
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(1)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setWordWrap(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(self.tr("法律依据"))
        # The current entry in full; a long penalty clause scrolls instead of growing the dialog.
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setFrameShape(QFrame.Shape.NoFrame)
        self.preview.setStyleSheet("QPlainTextEdit { color: #444; background: transparent; }")
        self.preview.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 8)
        self.preview.setTabChangesFocus(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #6d4c00;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.only_fitting)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.list)
        self.only_fitting.toggled.connect(self._fill)
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentItemChanged.connect(self._show_preview)

    def set_entries(self, entries: list[LegalBasisRow], categories: list[str],
                    checked: list[int]) -> None:
        self._entries = [e for e in entries if e.active]
        self._categories = set(categories)
        self._checked = set(checked)
        fitting = any(self._fits(e) for e in self._entries)
        self.only_fitting.blockSignals(True)
        self.only_fitting.setChecked(fitting)
        self.only_fitting.setEnabled(fitting)
        self.only_fitting.blockSignals(False)
        self._fill()

    def _fits(self, entry: LegalBasisRow) -> bool:
        return bool(self._categories & set(entry.categories))

    def _fill(self) -> None:
        only = self.only_fitting.isChecked()
        shown = [e for e in self._entries if not only or self._fits(e) or e.id in self._checked]
        # Confirmed first, fitting ones first among them; the library's order otherwise.
        shown.sort(key=lambda e: (not e.confirmed, not self._fits(e)))
        self.list.blockSignals(True)
        self.list.clear()
        unconfirmed = 0
        for entry in shown:
            item = QTreeWidgetItem([f"{entry.citation}　{entry.text}"])
            item.setData(0, _ID, entry.id)
            if entry.confirmed:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked if entry.id in self._checked
                                   else Qt.CheckState.Unchecked)
                item.setToolTip(0, _tip(entry))
            else:
                unconfirmed += 1
                item.setFlags(Qt.ItemFlag.ItemIsSelectable)  # greyed, cannot be ticked
                item.setForeground(0, QBrush(GREY))
                item.setText(0, self.tr("（未确认）{0}").format(item.text(0)))
                item.setToolTip(0, self.tr("尚未经管理员确认，不能引用。\n{0}").format(_tip(entry)))
            self.list.addTopLevelItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentItem(self.list.topLevelItem(0))
        if not self._entries:
            self.hint.setText(self.tr("法律依据库为空，请先到“系统设置 → 法律依据”添加并确认条目。"))
        elif unconfirmed:
            self.hint.setText(self.tr("灰色的 {0} 条尚未确认，不能引用；请管理员到"
                                      "“系统设置 → 法律依据”核对后确认。").format(unconfirmed))
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))

    def _show_preview(self, item: QTreeWidgetItem | None) -> None:
        entry = next((e for e in self._entries
                      if item is not None and e.id == item.data(0, _ID)), None)
        self.preview.setPlainText(_tip(entry) if entry else "")

    def _items(self) -> list[QTreeWidgetItem]:
        root = self.list.invisibleRootItem()
        return [root.child(i) for i in range(root.childCount())]

    def _item_changed(self, item: QTreeWidgetItem) -> None:
        basis_id = int(item.data(0, _ID))
        if item.checkState(0) == Qt.CheckState.Checked:
            self._checked.add(basis_id)
        else:
            self._checked.discard(basis_id)
        self.changed.emit()

    def checked_ids(self) -> list[int]:
        """Ticked entries in the order listed (the order the notice cites them)."""
        order = [int(item.data(0, _ID)) for item in self._items()]
        return [i for i in order if i in self._checked] + sorted(self._checked - set(order))

    def set_checked(self, basis_id: int, checked: bool) -> None:
        for item in self._items():
            if int(item.data(0, _ID)) == basis_id and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def item_for(self, basis_id: int) -> QTreeWidgetItem | None:
        return next((item for item in self._items() if int(item.data(0, _ID)) == basis_id), None)
