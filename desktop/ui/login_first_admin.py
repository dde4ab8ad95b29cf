"""The first start: no users yet, so the clerk at the keyboard creates the administrator."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
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
from desktop.domain.users import UserRow

from .field_message import FieldMessage, add_field
from .login_dialog import heading
from .user_password_dialog import PasswordFields

Create = Callable[[str, str, str], UserRow]  # login, display name, password


class FirstAdminDialog(QDialog):
    def __init__(self, create: Create, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstAdminDialog")
        self.setWindowTitle(self.tr("首次使用 — 设置系统管理员"))
        self.setMinimumWidth(480)
        self._create = create
        self.user: UserRow | None = None

        intro = QLabel(self.tr(
            "这是本台账第一次启动。请先设置系统管理员账户：管理员可以添加其他用户、"
            "修改办事处信息和备份数据。请牢记密码。"))
        intro.setWordWrap(True)
        self.login_edit = QLineEdit("admin", maxLength=50)
        self.name_edit = QLineEdit(maxLength=50, placeholderText=self.tr("如：张明"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.messages: dict[str, FieldMessage] = {
            "login": add_field(form, self.tr("登录名"), self.login_edit, required=True),
            "display_name": add_field(form, self.tr("姓名"), self.name_edit, required=True),
        }
        self.passwords = PasswordFields(form, self.tr("密码"), self.tr("再次输入密码"))
        self.messages["password"] = self.passwords.first_message
        self.message = FieldMessage()
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(self.tr("创建管理员"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(heading(self.tr("欢迎使用街道城管台账"), 1.3))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.login_edit.textEdited.connect(lambda _t: self.messages["login"].clear_message())
        self.name_edit.textEdited.connect(lambda _t: self.messages["display_name"].clear_message())
        self.name_edit.setFocus()

    def login(self) -> str:
        return self.login_edit.text().strip()

    def accept(self) -> None:
        ok = self.passwords.check()
        for key, edit, text in (("display_name", self.name_edit, self.tr("请填写姓名")),
                                ("login", self.login_edit, self.tr("请填写登录名"))):
            if not edit.text().strip():
                self.messages[key].set_error(text)
                edit.setFocus()
                ok = False
        if not ok:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.user = self._create(self.login(), self.name_edit.text(), self.passwords.password())
        except ValidationError as exc:
            for key, text in exc.fields.items():
                self.messages.get(key, self.message).set_error(text)
            return
        except DomainError as exc:
            self.message.set_error(exc.message)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        super().accept()
