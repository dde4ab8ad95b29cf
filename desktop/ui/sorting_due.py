"""首页's 垃圾分类待办: sites not checked this month and checks waiting for their recheck."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from . import sorting_operations
from .context import AppContext
from .sorting_operations import SortingReminders

# (filter of the 垃圾分类 page, text, colour when there is something to do)
_DUE = (("unchecked", QT_TRANSLATE_NOOP("SortingDue", "本月未检查点位"), "#b71c1c"),
        ("pending", QT_TRANSLATE_NOOP("SortingDue", "待复查"), "#8a5a00"),
        ("overdue", QT_TRANSLATE_NOOP("SortingDue", "逾期未复查"), "#b71c1c"))


class SortingDueRow(QWidget):
    navigate = Signal(str, object)  # page key, argument for Page.activate

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(QLabel(self.tr("垃圾分类待办：")))
        self.buttons: dict[str, QPushButton] = {}
        for key, _text, _colour in _DUE:
            button = QPushButton()
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(self.tr("在“垃圾分类”中查看"))
            button.clicked.connect(lambda _checked=False, k=key: self.navigate.emit(
                "sorting", {"filter": k}))
            self.buttons[key] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.reminders: SortingReminders | None = None
        self._show(None)

    def reload(self) -> None:
        sorting_operations.load_reminders(self._ctx, self._show, owner=self)

    def _show(self, reminders: SortingReminders | None) -> None:
        self.reminders = reminders
        for key, text, colour in _DUE:
            count = getattr(reminders, key) if reminders else None
            label = QCoreApplication.translate("SortingDue", str(text))
            button = self.buttons[key]
            button.setText(f"{label} …" if count is None else f"{label} {count:,}")
            button.setStyleSheet(f"color: {colour}; font-weight: bold;" if count else "")
