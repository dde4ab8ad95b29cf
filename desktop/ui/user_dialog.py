"""Adding a user (with a first password) or changing one's name, role, 执法证号 and status."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.permissions import ROLES
from desktop.domain.users import UserRow

from . import prompts, user_operations
from .context import AppContext
from .field_message import FieldMessage, add_field
from .user_operations import UserInput
from .user_password_dialog import PasswordFields
from .window_state import RememberingDialog

ROLE_HELP = {
    "admin": "全部功能，含用户、办事处信息、编号格式和法律依据库",
    "head": "台账、责任书、许可审批、巡查与文书",
    "clerk": "台账、责任书、许可、巡查与文书",
    "inspector": "巡查问题、文书、分类检查和许可核查；不能改商户台账",
    "viewer": "只能查看和导出，不能修改",
}


class UserDialog(RememberingDialog):
    """A new user when `row` is None; otherwise an edit of `row` at its version."""

    saved = Signal(object)  # UserRow

    def __init__(self, ctx: AppContext, row: UserRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UserDialog")
        self._ctx = ctx
        self._row = row
        self._saving = False
        self.setWindowTitle(self.tr("新增用户") if row is None
                            else self.tr("编辑用户 — {0}").format(row.display_name))
        self.setMinimumWidth(460)

        self.login_edit = QLineEdit(maxLength=50, placeholderText=self.tr("登录时输入，如 zhangming"))
        self.name_edit = QLineEdit(maxLength=50)
        self.role_combo = QComboBox()
        for role, label in ROLES.items():
            self.role_combo.addItem(label, role)
        self.role_help = QLabel()
        self.role_help.setWordWrap(True)
        self.role_help.setStyleSheet("color: #5f6368;")
        self.cert_edit = QLineEdit(maxLength=30, placeholderText=self.tr("巡查队员开具文书时需要"))
        self.active_check = QCheckBox(self.tr("可以登录"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.messages: dict[str, FieldMessage] = {
            "login": add_field(form, self.tr("登录名"), self.login_edit, required=True),
            "display_name": add_field(form, self.tr("姓名"), self.name_edit, required=True),
            "role": add_field(form, self.tr("角色"), self.role_combo, required=True),
        }
        form.addRow("", self.role_help)
        self.messages["cert_no"] = add_field(form, self.tr("执法证号"), self.cert_edit)
        self.passwords: PasswordFields | None = None
        if row is None:
            self.passwords = PasswordFields(form, self.tr("初始密码"), self.tr("再次输入"))
            self.messages["password"] = self.passwords.first_message
            note = QLabel(self.tr("新用户第一次登录时须修改初始密码。"))
            note.setWordWrap(True)
            form.addRow("", note)
        else:
            self.messages["active"] = add_field(form, self.tr("状态"), self.active_check)
        self.message = FieldMessage()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if row is not None:
            self.login_edit.setText(row.login)
            self.login_edit.setReadOnly(True)
            self.login_edit.setToolTip(self.tr("登录名创建后不能修改"))
            self.name_edit.setText(row.display_name)
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(row.role)))
            self.cert_edit.setText(row.cert_no)
            self.active_check.setChecked(row.active)
            self.name_edit.setFocus()
        else:
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData("clerk")))
            self.login_edit.setFocus()
        self._show_role_help()
        self._initial = self.current_input()

        self.role_combo.currentIndexChanged.connect(self._show_role_help)
        self.login_edit.textEdited.connect(lambda _t: self.messages["login"].clear_message())
        self.name_edit.textEdited.connect(lambda _t: self.messages["display_name"].clear_message())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _show_role_help(self) -> None:
        self.role_help.setText(self.tr(ROLE_HELP.get(str(self.role_combo.currentData()), "")))

    def current_input(self) -> UserInput:
        return UserInput(login=self.login_edit.text(), display_name=self.name_edit.text(),
                         role=str(self.role_combo.currentData()), cert_no=self.cert_edit.text(),
                         active=self.active_check.isChecked() if self._row else True,
                         password=self.passwords.password() if self.passwords else "")

    def _check(self) -> bool:
        ok = self.passwords.check() if self.passwords else True
        for key, edit, text in (("display_name", self.name_edit, self.tr("请填写姓名")),
                                ("login", self.login_edit, self.tr("请填写登录名"))):
            if not edit.text().strip():
                self.messages[key].set_error(text)
                edit.setFocus()
                ok = False
        return ok

    def accept(self) -> None:
        if self._saving or not self._check():
            return
        self._set_saving(True)
        user_operations.save_user(self._ctx, self._row, self.current_input(), self._saved,
                                  failed=self._refused, owner=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存"))

    def _saved(self, row: UserRow) -> None:
        self._set_saving(False)
        self.saved.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._set_saving(False)
        if isinstance(error, ValidationError):
            unplaced = [text for key, text in error.fields.items() if key not in self.messages]
            for key, text in error.fields.items():
                if key in self.messages:
                    self.messages[key].set_error(text)
            if unplaced:
                self.message.set_error("；".join(unplaced))
            return
        self.message.set_error(error.message)

    def reject(self) -> None:
        if self._saving:
            return
        if self.current_input() != self._initial and not prompts.confirm(
                self, self.tr("放弃修改？"), self.tr("所做的修改尚未保存，确定要放弃吗？"),
                ok_text=self.tr("放弃修改")):
            return
        super().reject()
