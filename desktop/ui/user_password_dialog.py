"""Choosing a password: typed twice, the rules checked as the clerk types."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.users import MIN_PASSWORD, check_password_rules

from .field_message import FieldMessage, add_field

# (old password or None, new password, done, failed): may answer at once or later.
Saver = Callable[[str | None, str, Callable[[], None], Callable[[DomainError], None]], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("PasswordFields", text)


def password_problem(password: str) -> str:
    """The rule the password breaks, "" when it is acceptable."""
    try:
        check_password_rules(password)
    except ValidationError as exc:
        return exc.message
    return ""


def password_edit() -> QLineEdit:
    edit = QLineEdit(maxLength=128)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordFields:
    """New password and its repetition with their inline messages, for any form."""

    def __init__(self, form: QFormLayout, first_label: str, second_label: str) -> None:
        self.first = password_edit()
        self.second = password_edit()
        self.first.setPlaceholderText(
            _tr("至少{0}位，须同时包含字母和数字").format(MIN_PASSWORD))
        self.first_message = add_field(form, first_label, self.first, required=True)
        self.second_message = add_field(form, second_label, self.second, required=True)
        self.first.textEdited.connect(self._check_first)
        self.second.textEdited.connect(self._check_second)

    def _check_first(self, text: str) -> None:
        problem = password_problem(text)
        if problem:
            self.first_message.set_error(problem)
        else:
            self.first_message.clear_message()
        if self.second.text():
            self._check_second(self.second.text())

    def _check_second(self, text: str) -> None:
        if text and text != self.first.text():
            self.second_message.set_error(_tr("两次输入的密码不一致"))
        else:
            self.second_message.clear_message()

    def check(self) -> bool:
        """Check both fields now; focuses the first one with a problem."""
        self._check_first(self.first.text())
        if not self.second.text():
            self.second_message.set_error(_tr("请再次输入密码"))
        else:
            self._check_second(self.second.text())
        for edit, message in ((self.first, self.first_message),
                              (self.second, self.second_message)):
            if message.has_error():
                edit.setFocus()
                return False
        return True

    def password(self) -> str:
        return self.first.text()


class PasswordDialog(QDialog):
    """Change one's own password (`ask_old`), a forced change after login, or a reset."""

    def __init__(self, title: str, intro: str, saver: Saver, *, ask_old: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PasswordDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._saver = saver
        self._saving = False
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.old_edit: QLineEdit | None = None
        self.old_message: FieldMessage | None = None
        if ask_old:
            self.old_edit = password_edit()
            self.old_message = add_field(form, self.tr("原密码"), self.old_edit, required=True)
        self.fields = PasswordFields(form, self.tr("新密码"), self.tr("再次输入新密码"))
        self.message = FieldMessage()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        (self.old_edit or self.fields.first).setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        if self._saving:
            return
        ok = self.fields.check()
        if self.old_edit is not None and self.old_message is not None:
            if not self.old_edit.text():
                self.old_message.set_error(self.tr("请输入原密码"))
                self.old_edit.setFocus()
                ok = False
            else:
                self.old_message.clear_message()
        if not ok:
            return
        self._saving = True
        self.ok_button.setEnabled(False)
        self.message.clear_message()
        old = self.old_edit.text() if self.old_edit is not None else None
        self._saver(old, self.fields.password(), self._saved, self._refused)

    def _saved(self) -> None:
        self._saving = False
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._saving = False
        self.ok_button.setEnabled(True)
        fields = error.fields if isinstance(error, ValidationError) else {}
        if "old_password" in fields and self.old_message is not None and self.old_edit:
            self.old_message.set_error(fields["old_password"])
            self.old_edit.selectAll()
            self.old_edit.setFocus()
        elif "password" in fields:
            self.fields.first_message.set_error(fields["password"])
            self.fields.first.setFocus()
        else:
            self.message.set_error(error.message)

    def reject(self) -> None:
        if not self._saving:
            super().reject()
