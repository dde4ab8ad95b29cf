"""The editor of one business: checks fields as the clerk types, saves through an operation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.businesses import CATEGORIES, MAX_LEN, STATUSES, BusinessInput, BusinessRow
from desktop.domain.codes import CodeError, normalize_phone, parse_credit_code
from desktop.domain.divisions import CommunityInfo
from desktop.domain.errors import DomainError

from . import operations, prompts
from .context import AppContext
from .field_message import FieldMessage, add_field, show_refusal
from .window_state import RememberingDialog


class BusinessDialog(RememberingDialog):
    """New business when `row` is None, otherwise an edit of `row` at its version."""

    saved = Signal(object)  # BusinessRow as stored

    def __init__(self, ctx: AppContext, communities: list[CommunityInfo], row: BusinessRow | None,
                 parent: QWidget | None = None, *, community_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BusinessDialog")
        self._ctx = ctx
        self._row = row
        self._communities = communities
        self._saving = False
        self.setWindowTitle(self.tr("新增商户") if row is None
                            else self.tr("编辑商户 — {0}").format(row.name))
        self.setMinimumWidth(520)

        self.name_edit = QLineEdit(maxLength=MAX_LEN["name"])
        self.code_edit = QLineEdit(maxLength=30, placeholderText=self.tr("18位，可不填"))
        self.operator_edit = QLineEdit(maxLength=MAX_LEN["operator"])
        self.phone_edit = QLineEdit(maxLength=30, placeholderText=self.tr("手机或固定电话"))
        self.address_edit = QLineEdit(maxLength=MAX_LEN["address"])
        self.category_combo = QComboBox()
        self.community_combo = QComboBox()
        self.grid_combo = QComboBox()
        self.status_combo = QComboBox()
        self.licence_check = QCheckBox(self.tr("已在店内显著位置亮照经营"))
        self.remarks_edit = QPlainTextEdit()
        self.remarks_edit.setTabChangesFocus(True)
        self.remarks_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fields: list[tuple[str, str, QWidget, bool]] = [
            ("name", self.tr("名称"), self.name_edit, True),
            ("credit_code", self.tr("统一社会信用代码"), self.code_edit, False),
            ("operator", self.tr("经营者"), self.operator_edit, False),
            ("phone", self.tr("联系电话"), self.phone_edit, False),
            ("address", self.tr("地址"), self.address_edit, False),
            ("category", self.tr("行业类别"), self.category_combo, False),
            ("community_id", self.tr("社区"), self.community_combo, True),
            ("grid_id", self.tr("网格"), self.grid_combo, False),
            ("status", self.tr("经营状态"), self.status_combo, False),
            ("licence_displayed", self.tr("亮照"), self.licence_check, False),
            ("remarks", self.tr("备注"), self.remarks_edit, False),
        ]
        # Keys match ValidationError.fields of the service, so its messages land here too.
        self.editors: dict[str, QWidget] = {key: editor for key, _, editor, _ in fields}
        self.messages: dict[str, FieldMessage] = {
            key: add_field(form, text, editor, required=required)
            for key, text, editor, required in fields
        }
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        note = QLabel(self.tr('带 <span style="color:#c62828">*</span> 的为必填项'))
        bottom = QHBoxLayout()
        bottom.addWidget(note)
        bottom.addWidget(self.buttons, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(bottom)

        order = [*self.editors.values(), self.buttons]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

        self._fill(row.as_input() if row else BusinessInput(community_id=community_id))
        self._initial = self.current_input()

        self.name_edit.textEdited.connect(self._check_name)
        self.code_edit.textEdited.connect(self._check_code)
        self.phone_edit.textEdited.connect(self._check_phone)
        self.community_combo.currentIndexChanged.connect(self._community_changed)
        self.grid_combo.currentIndexChanged.connect(lambda: self.messages["grid_id"].clear_message())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: BusinessInput) -> None:
        self.name_edit.setText(data.name)
        self.code_edit.setText(data.credit_code)
        self.operator_edit.setText(data.operator)
        self.phone_edit.setText(data.phone)
        self.address_edit.setText(data.address)
        categories = ["", *CATEGORIES]
        if data.category and data.category not in categories:
            categories.append(data.category)  # imported values outside the list are kept
        self.category_combo.addItems(categories)
        self.category_combo.setCurrentText(data.category)
        self.community_combo.addItem(self.tr("请选择社区"), None)
        for community in self._communities:
            if community.active or community.id == data.community_id:
                self.community_combo.addItem(community.name, community.id)
        self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(data.community_id)))
        self._fill_grids(data.grid_id)
        self.status_combo.addItems(list(STATUSES))
        self.status_combo.setCurrentText(data.status)
        self.licence_check.setChecked(data.licence_displayed)
        self.remarks_edit.setPlainText(data.remarks)
        if data.credit_code:
            self._check_code(data.credit_code)

    def _fill_grids(self, grid_id: int | None) -> None:
        community_id = self.community_combo.currentData()
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("（未指定）"), None)
        community = next((c for c in self._communities if c.id == community_id), None)
        for grid in community.grids if community else ():
            if grid.active or grid.id == grid_id:
                self.grid_combo.addItem(grid.name, grid.id)
        self.grid_combo.setCurrentIndex(max(0, self.grid_combo.findData(grid_id)))
        self.grid_combo.blockSignals(False)

    def current_input(self) -> BusinessInput:
        return BusinessInput(
            name=self.name_edit.text(), credit_code=self.code_edit.text(),
            operator=self.operator_edit.text(), phone=self.phone_edit.text(),
            address=self.address_edit.text(), category=self.category_combo.currentText(),
            community_id=self.community_combo.currentData(), grid_id=self.grid_combo.currentData(),
            status=self.status_combo.currentText(),
            licence_displayed=self.licence_check.isChecked(),
            remarks=self.remarks_edit.toPlainText(),
        )

    def is_modified(self) -> bool:
        return self.current_input() != self._initial

    # --- checks as the clerk types --------------------------------------------------------

    def _check_name(self, text: str) -> None:
        if text.strip():
            self.messages["name"].clear_message()
        else:
            self.messages["name"].set_error(self.tr("请填写商户名称"))

    def _check_code(self, text: str) -> None:
        message = self.messages["credit_code"]
        if not text.strip():
            message.clear_message()
            return
        try:
            code = parse_credit_code(text)
        except CodeError as exc:
            message.set_error(str(exc))
            return
        if code.legacy:
            message.set_warning(self.tr("这是旧的15位工商注册号，请在换照后补录统一社会信用代码"))
        else:
            message.clear_message()

    def _check_phone(self, text: str) -> None:
        message = self.messages["phone"]
        try:
            if text.strip():
                normalize_phone(text)
        except CodeError as exc:
            message.set_error(str(exc))
        else:
            message.clear_message()

    def _community_changed(self) -> None:
        self.messages["community_id"].clear_message()
        self.messages["grid_id"].clear_message()
        self._fill_grids(None)

    def _check_all(self) -> bool:
        self._check_name(self.name_edit.text())
        self._check_code(self.code_edit.text())
        self._check_phone(self.phone_edit.text())
        if self.community_combo.currentData() is None:
            self.messages["community_id"].set_error(self.tr("请选择所属社区"))
        return not self._focus_first_error()

    def _focus_first_error(self) -> bool:
        for key, message in self.messages.items():
            if message.has_error():
                self.editors[key].setFocus()
                return True
        return False

    # --- saving and leaving ---------------------------------------------------------------

    def accept(self) -> None:
        if self._saving or not self._check_all():
            return
        self._set_saving(True)
        row = self._row
        operations.save_business(
            self._ctx, row.id if row else None, row.version if row else 0, self.current_input(),
            self._saved, failed=self._refused, owner=self)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存"))

    def _saved(self, row: BusinessRow) -> None:
        self._set_saving(False)
        self.saved.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._set_saving(False)
        show_refusal(self, self.tr("未保存"), error, self.messages)
        self._focus_first_error()

    def reject(self) -> None:
        if self._saving:
            return
        if self.is_modified() and not prompts.confirm(
                self, self.tr("放弃修改？"), self.tr("所做的修改尚未保存，确定要放弃吗？"),
                ok_text=self.tr("放弃修改")):
            return
        super().reject()
