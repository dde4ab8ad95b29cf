"""首页's 巡查待办: overdue rechecks and repeat offenders, each opening the filtered list."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from . import finding_operations
from .context import AppContext
from .finding_operations import FindingReminders

# (filter of the 巡查与通知 page, text, colour when there is something to do)
_DUE = (("overdue", QT_TRANSLATE_NOOP("FindingDue", "逾期未复查"), "#b71c1c"),
        ("repeat", QT_TRANSLATE_NOOP("FindingDue", "重复违规"), "#8a5a00"))


class FindingDueRow(QWidget):
    navigate = Signal(str, object)  # page key, argument for Page.activate

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("巡查待办：")))
        self.buttons: dict[str, QPushButton] = {}
        for key, _text, _colour in _DUE:
            button = QPushButton()
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(self.tr("在“巡查与通知”中查看"))
            button.clicked.connect(lambda _checked=False, k=key: self.navigate.emit(
                "findings", {"state": k}))
            self.buttons[key] = button
            layout.addWidget(button)
        self._show(None)

    def reload(self) -> None:
        finding_operations.load_finding_reminders(self._ctx, self._show, owner=self)

    def _show(self, reminders: FindingReminders | None) -> None:
        for key, text, colour in _DUE:
            count = getattr(reminders, key) if reminders else None
            label = QCoreApplication.translate("FindingDue", str(text))
            button = self.buttons[key]
            button.setText(f"{label} …" if count is None else f"{label} {count:,}")
            button.setStyleSheet(f"color: {colour}; font-weight: bold;" if count else "")
