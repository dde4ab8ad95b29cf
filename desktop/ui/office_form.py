"""The office profile form (名称, 落款, 责任书期限 …) with inline errors and 保存."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.office import OfficeData

from . import operations, prompts
from .context import AppContext
from .field_message import FieldMessage, add_field


class OfficeForm(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._data: OfficeData | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.term_spin = QSpinBox(minimum=1, maximum=60, suffix=self.tr(" 个月"))
        self.copies_combo = QComboBox()
        self.copies_combo.addItem(self.tr("两份"), 2)
        self.copies_combo.addItem(self.tr("三份"), 3)

        form = QFormLayout()
        self.messages: dict[str, FieldMessage] = {}
        texts = [("name", self.tr("街道办事处名称"), True), ("short_name", self.tr("简称"), False),
                 ("district", self.tr("所属区"), False), ("department", self.tr("科室"), False),
                 ("phone", self.tr("联系电话"), False), ("address", self.tr("地址"), False),
                 ("seal_text", self.tr("落款（印章处文字）"), False)]
        for key, text, required in texts:
            edit = QLineEdit(maxLength=20 if key == "short_name" else 100)
            self.edits[key] = edit
            self.messages[key] = add_field(form, text, edit, required=required)
        self.messages["agreement_term_months"] = add_field(form, self.tr("门前三包责任书期限"),
                                                           self.term_spin)
        self.messages["agreement_copies"] = add_field(form, self.tr("责任书份数"), self.copies_combo)

        self.save_button = QPushButton(self.tr("保存"))
        self.status_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setMaximumWidth(720)

        self.save_button.clicked.connect(self.save)
        self.edits["name"].textEdited.connect(self._check_name)
        self.reload()

    def reload(self) -> None:
        operations.load_office(self._ctx, self._show, owner=self)

    def _show(self, data: OfficeData) -> None:
        self._data = data
        for key, edit in self.edits.items():
            edit.setText(str(getattr(data, key)))
        self.term_spin.setValue(data.agreement_term_months)
        self.copies_combo.setCurrentIndex(max(0, self.copies_combo.findData(data.agreement_copies)))
        for message in self.messages.values():
            message.clear_message()

    def _check_name(self, text: str) -> None:
        if text.strip():
            self.messages["name"].clear_message()
        else:
            self.messages["name"].set_error(self.tr("请填写街道办事处名称"))

    def current_data(self) -> OfficeData:
        base = self._data or OfficeData()
        values: dict[str, Any] = {key: edit.text() for key, edit in self.edits.items()}
        return replace(base, **values, agreement_term_months=self.term_spin.value(),
                       agreement_copies=int(self.copies_combo.currentData()))

    def save(self) -> None:
        if self._data is None:
            return  # not loaded yet: saving now would overwrite with blanks
        self.save_button.setEnabled(False)
        self.status_label.clear()
        operations.save_office(self._ctx, self.current_data(), self._saved,
                               failed=self._refused, owner=self)

    def _saved(self, data: OfficeData) -> None:
        self.save_button.setEnabled(True)
        self._show(data)
        self.status_label.setText(self.tr("已保存"))

    def _refused(self, error: DomainError) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError) and set(error.fields) <= set(self.messages):
            for key, text in error.fields.items():
                self.messages[key].set_error(text)
            return
        prompts.show_error(self, self.tr("未保存"), error.message)
