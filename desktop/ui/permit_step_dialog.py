"""One form for every workflow step of a permit (survey, decision, installation, check, removal).

The step's fields are added by name (the service's field names, so a refusal lands beside
the right field); `submitted` carries the values, and the caller runs the operation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.legal import LegalBasisRow

from .field_message import FieldMessage, add_field, show_refusal
from .permit_files import FileList
from .window_state import RememberingDialog


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class StepDialog(RememberingDialog):
    submitted = Signal(object)  # dict of the values by field name

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PermitStepDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.busy = False
        self._getters: dict[str, Any] = {}
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessage] = {}
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "color: #6d4c00; background: #fff4c4; border-radius: 3px; padding: 4px;")
        self.warning.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.warning)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # --- fields ---------------------------------------------------------------------------

    def _add(self, key: str, label: str, editor: QWidget, getter: Any, required: bool) -> None:
        self.editors[key] = editor
        self._getters[key] = getter
        self.messages[key] = add_field(self.form, label, editor, required=required)

    def add_date(self, key: str, label: str, default: dt.date, *,
                 latest: dt.date | None = None) -> QDateEdit:
        edit = QDateEdit(_qdate(default))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        if latest is not None:
            edit.setMaximumDate(_qdate(latest))

        def get() -> dt.date:
            value = edit.date()
            return dt.date(value.year(), value.month(), value.day())

        self._add(key, label, edit, get, True)
        return edit

    def add_moment(self, key: str, label: str, default: dt.datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(QDateTime(_qdate(default.date()),
                                       QTime(default.hour, default.minute)))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")

        def get() -> dt.datetime:
            value = edit.dateTime()
            d, t = value.date(), value.time()
            return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())

        self._add(key, label, edit, get, True)
        return edit

    def add_line(self, key: str, label: str, text: str = "", placeholder: str = "", *,
                 required: bool = True) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        self._add(key, label, edit, edit.text, required)
        return edit

    def add_text(self, key: str, label: str, text: str = "", placeholder: str = "", *,
                 required: bool = True, lines: int = 3) -> QPlainTextEdit:
        edit = QPlainTextEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)
        self._add(key, label, edit, edit.toPlainText, required)
        return edit

    def add_spin(self, key: str, label: str, value: int, low: int, high: int,
                 suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        self._add(key, label, spin, spin.value, True)
        return spin

    def add_combo(self, key: str, label: str, items: tuple[str, ...], current: str = "") -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(items))
        if current:
            combo.setCurrentText(current)
        self._add(key, label, combo, combo.currentText, True)
        return combo

    def add_choice(self, key: str, label: str, yes: str, no: str, value: bool) -> QButtonGroup:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(box)
        first, second = QRadioButton(yes), QRadioButton(no)
        for n, button in enumerate((first, second)):
            group.addButton(button, n)
            row.addWidget(button)
        row.addStretch(1)
        (first if value else second).setChecked(True)
        self._add(key, label, box, lambda: group.checkedId() == 0, True)
        return group

    def add_checks(self, key: str, label: str, items: tuple[str, ...]) -> dict[str, QCheckBox]:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        checks = {item: QCheckBox(item) for item in items}
        for check in checks.values():
            row.addWidget(check)
        row.addStretch(1)
        self._add(key, label, box, lambda: [k for k, c in checks.items() if c.isChecked()], False)
        return checks

    def add_files(self, key: str, label: str, title: str) -> FileList:
        files = FileList(title)
        self._add(key, label, files, files.paths, False)
        return files

    def add_basis(self, key: str, label: str, entries: list[LegalBasisRow], *,
                  required: bool) -> QListWidget:
        """Confirmed legal-basis entries to tick; the text shows on hover."""
        box = QListWidget()
        box.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        for entry in entries:
            item = QListWidgetItem(entry.citation)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setToolTip(entry.text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            box.addItem(item)
        if not entries:
            box.addItem(self.tr("法律依据库中没有已确认的条文（请管理员在系统设置中确认）"))

        def get() -> list[int]:
            out = []
            for n in range(box.count()):
                item = box.item(n)
                if item.data(Qt.ItemDataRole.UserRole) and item.checkState() == Qt.CheckState.Checked:
                    out.append(int(item.data(Qt.ItemDataRole.UserRole)))
            return out

        self._add(key, label, box, get, required)
        return box

    def show_warning(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    # --- submitting -----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {key: get() for key, get in self._getters.items()}

    def accept(self) -> None:
        if self.busy:
            return
        for message in self.messages.values():
            message.clear_message()
        self.busy = True
        self.ok_button.setEnabled(False)
        self.submitted.emit(self.values())

    def finish(self, _result: object = None) -> None:
        self.busy = False
        super().accept()

    def refused(self, error: DomainError) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        show_refusal(self, self.tr("未完成"), error, self.messages,
                     {"photo": "photos"})

    def reject(self) -> None:
        if not self.busy:
            super().reject()
