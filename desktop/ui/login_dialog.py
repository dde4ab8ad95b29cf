"""The login dialog: 用户名 and 密码, the service's refusal shown in the dialog itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.users import UserRow

from .field_message import FieldMessage
from .user_password_dialog import password_edit

Attempt = Callable[[str, str], UserRow]  # users.log_in bound to the database


def heading(text: str, scale: float = 1.5) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class LoginDialog(QDialog):
    """Enter logs in, Esc closes (which quits the app); `user` is set once accepted."""

    def __init__(self, attempt: Attempt, *, login: str = "", message: str = "",
                 office: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginDialog")
        self.setWindowTitle(self.tr("登录 — 街道城管台账"))
        self.setMinimumWidth(400)
        self._attempt = attempt
        self.user: UserRow | None = None

        self.login_edit = QLineEdit(login, maxLength=50)
        self.password_edit = password_edit()
        self.message = FieldMessage()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("用户名"), self.login_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(self.tr("登录"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton(self.tr("退出"),
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("街道城管台账")))
        if office:
            subtitle = QLabel(office)
            subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if message:
            self.message.set_error(message)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.login_edit.textEdited.connect(self.message.clear_message)
        (self.password_edit if login else self.login_edit).setFocus()

    def accept(self) -> None:
        login = self.login_edit.text().strip()
        if not login:
            self.message.set_error(self.tr("请输入用户名"))
            self.login_edit.setFocus()
            return
        if not self.password_edit.text():
            self.message.set_error(self.tr("请输入密码"))
            self.password_edit.setFocus()
            return
        # One scrypt check: a few dozen milliseconds, too short for a worker thread.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.user = self._attempt(login, self.password_edit.text())
        except DomainError as exc:
            self.message.set_error(exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        super().accept()
