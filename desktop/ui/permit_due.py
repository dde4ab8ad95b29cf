"""首页's 招牌待办: applications to handle, permits ending within 60 / 30 days, unsafe signs."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.domain.permit_queries import PermitReminders

from . import permit_operations
from .context import AppContext

# (filter of the 户外广告 page, reminder field, text, colour when there is something to do)
_DUE = (("pending", "pending", QT_TRANSLATE_NOOP("PermitDue", "待办申请"), "#1565c0"),
        ("expiring", "expiring60", QT_TRANSLATE_NOOP("PermitDue", "60天内到期"), "#8a5a00"),
        ("expiring30", "expiring30", QT_TRANSLATE_NOOP("PermitDue", "30天内到期"), "#b71c1c"),
        ("到期", "lapsed", QT_TRANSLATE_NOOP("PermitDue", "已过期未登记"), "#b71c1c"),
        ("unsafe", "unsafe", QT_TRANSLATE_NOOP("PermitDue", "安全隐患"), "#b71c1c"))


class PermitDueRow(QWidget):
    navigate = Signal(str, object)  # page key, argument for Page.activate

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(QLabel(self.tr("招牌待办：")))
        self.buttons: dict[str, QPushButton] = {}
        for state, field, _text, _colour in _DUE:
            button = QPushButton()
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(self.tr("在“户外广告”中查看"))
            button.clicked.connect(lambda _checked=False, s=state: self.navigate.emit(
                "permits", {"state": s}))
            self.buttons[field] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self._show(None)

    def reload(self) -> None:
        permit_operations.load_permit_reminders(self._ctx, self._show, owner=self)

    def _show(self, reminders: PermitReminders | None) -> None:
        for _state, field, text, colour in _DUE:
            count = getattr(reminders, field) if reminders else None
            label = QCoreApplication.translate("PermitDue", str(text))
            button = self.buttons[field]
            button.setText(f"{label} …" if count is None else f"{label} {count:,}")
            button.setStyleSheet(f"color: {colour}; font-weight: bold;" if count else "")
