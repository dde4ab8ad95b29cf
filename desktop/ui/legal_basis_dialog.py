"""Editing one entry of the legal-basis library: law, article, text, penalty, categories."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.legal import LegalBasisInput, LegalBasisRow

from . import finding_operations, prompts
from .context import AppContext
from .field_message import FieldMessage, add_field, show_refusal
from .window_state import RememberingDialog


def _text_edit(lines: int, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class LegalBasisDialog(RememberingDialog):
    saved = Signal(object)  # LegalBasisRow

    def __init__(self, ctx: AppContext, row: LegalBasisRow | None, categories: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LegalBasisDialog")
        self._ctx = ctx
        self._row = row
        self._saving = False
        self.setWindowTitle(self.tr("新增法律依据") if row is None
                            else self.tr("修改法律依据 — {0}").format(row.citation))
        self.setMinimumWidth(620)
        self.law_edit = QLineEdit(maxLength=100)
        self.law_edit.setPlaceholderText(self.tr("如：城市市容和环境卫生管理条例（不用书名号）"))
        self.article_edit = QLineEdit(maxLength=50)
        self.article_edit.setPlaceholderText(self.tr("如：第十四条"))
        self.text_edit = _text_edit(4, self.tr("条文原文"))
        self.penalty_edit = _text_edit(3, self.tr("如：第三十六条第（二）项：……（以条款开头，通知书据此引用罚则）"))
        self.categories = QListWidget()
        self.categories.setFlow(QListWidget.Flow.LeftToRight)
        self.categories.setWrapping(True)
        self.categories.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.categories.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        chosen = row.categories if row else []
        for name in [*categories, *(c for c in chosen if c not in categories)]:
            item = QListWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.active_check = QCheckBox(self.tr("启用（停用后不再出现在通知书的可选依据中）"))
        self.active_check.setChecked(row.active if row else True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.messages: dict[str, FieldMessage] = {}
        for key, text, editor, required in (
                ("law", self.tr("法律法规"), self.law_edit, True),
                ("article", self.tr("条款"), self.article_edit, True),
                ("text", self.tr("内容"), self.text_edit, True),
                ("penalty", self.tr("罚则"), self.penalty_edit, False),
                ("categories", self.tr("适用类别"), self.categories, False)):
            self.messages[key] = add_field(form, text, editor, required=required)
        form.addRow("", self.active_check)
        if row is not None:
            self.law_edit.setText(row.law)
            self.article_edit.setText(row.article)
            self.text_edit.setPlainText(row.text)
            self.penalty_edit.setPlainText(row.penalty)

        note = QLabel(self.tr("修改法律法规、条款、内容或罚则后，须由管理员重新确认才能引用。"))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self._initial = self.current_input()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def current_input(self) -> LegalBasisInput:
        chosen = [self.categories.item(i).text() for i in range(self.categories.count())
                  if self.categories.item(i).checkState() == Qt.CheckState.Checked]
        return LegalBasisInput(law=self.law_edit.text(), article=self.article_edit.text(),
                               text=self.text_edit.toPlainText(),
                               penalty=self.penalty_edit.toPlainText(), categories=chosen,
                               active=self.active_check.isChecked())

    def accept(self) -> None:
        if self._saving:
            return
        for message in self.messages.values():
            message.clear_message()
        self._saving = True
        self.save_button.setEnabled(False)
        row = self._row
        finding_operations.save_legal_entry(self._ctx, row.id if row else None,
                                            row.version if row else 0, self.current_input(),
                                            self._saved, failed=self._refused, owner=self)

    def _saved(self, row: LegalBasisRow) -> None:
        self._saving = False
        self.saved.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        show_refusal(self, self.tr("未保存"), error, self.messages)

    def reject(self) -> None:
        if self._saving:
            return
        if self.current_input() != self._initial and not prompts.confirm(
                self, self.tr("放弃修改？"), self.tr("所做的修改尚未保存，确定要放弃吗？"),
                ok_text=self.tr("放弃修改")):
            return
        super().reject()
