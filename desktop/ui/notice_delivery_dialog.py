"""送达回证: how a notice reached the party (direct, left after refusal, post, electronic)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.notices import DELIVERY_METHODS, DeliveryInput, DeliveryRow, NoticeRow

from . import finding_operations, prompts
from .context import AppContext
from .field_message import FieldMessage, add_field
from .finding_dialog import ceil_minute, to_datetime, to_qdatetime
from .window_state import RememberingDialog

RELATIONS = ("本人", "法定代表人", "负责人", "员工", "家属", "代收人")


class DeliveryDialog(RememberingDialog):
    recorded = Signal(object)  # DeliveryRow

    def __init__(self, ctx: AppContext, notice: NoticeRow, parent: QWidget | None = None, *,
                 now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DeliveryDialog")
        self._ctx = ctx
        self._notice = notice
        self._saving = False
        now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
        self.setWindowTitle(self.tr("登记送达 — {0}").format(notice.number))
        self.setMinimumWidth(520)

        heading = QLabel(self.tr("{0}\n当事人：{1}　签发：{2:%Y-%m-%d %H:%M}").format(
            notice.number, notice.party, notice.issued_at))
        heading.setWordWrap(True)
        self.method_combo = QComboBox()
        for key, label in DELIVERY_METHODS.items():
            self.method_combo.addItem(label, key)
        self.refused_check = QCheckBox(self.tr("受送达人拒绝签收（留置送达）"))
        method_box = QWidget()
        method_row = QHBoxLayout(method_box)
        method_row.setContentsMargins(0, 0, 0, 0)
        method_row.addWidget(self.method_combo)
        method_row.addWidget(self.refused_check)
        method_row.addStretch(1)
        self.recipient_edit = QLineEdit(maxLength=50)
        self.recipient_edit.setText(notice.party if notice.business_id is None else "")
        self.relation_combo = QComboBox()
        self.relation_combo.setEditable(True)
        self.relation_combo.addItems(RELATIONS)
        self.relation_combo.lineEdit().setMaxLength(20)
        self.place_edit = QLineEdit(maxLength=200)
        self.at_edit = QDateTimeEdit()
        self.at_edit.setCalendarPopup(True)
        self.at_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        earliest = ceil_minute(notice.issued_at)
        self.at_edit.setMinimumDateTime(to_qdatetime(earliest))
        self.at_edit.setMaximumDateTime(to_qdatetime(now + dt.timedelta(minutes=10)))
        self.at_edit.setDateTime(to_qdatetime(max(now, earliest)))
        self.at_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 50)
        at_box = QWidget()
        at_row = QHBoxLayout(at_box)
        at_row.setContentsMargins(0, 0, 0, 0)
        at_row.addWidget(self.at_edit)
        at_row.addStretch(1)
        self.witness_edit = QLineEdit(maxLength=50)
        self.witness_edit.setPlaceholderText(self.tr("留置送达时必填"))
        self.deliverer_edit = QLineEdit(maxLength=100)
        self.deliverer_edit.setText("、".join(t for t in (notice.officer1, notice.officer2) if t))
        self.remarks_edit = QPlainTextEdit()
        self.remarks_edit.setTabChangesFocus(True)
        self.remarks_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.remarks_edit.setPlaceholderText(self.tr("拒收的，留空则自动写明留置情况"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(heading)
        self.messages: dict[str, FieldMessage] = {}
        for key, text, editor, required in (
                ("method", self.tr("送达方式"), method_box, True),
                ("recipient", self.tr("受送达人"), self.recipient_edit, True),
                ("relation", self.tr("与当事人关系"), self.relation_combo, False),
                ("place", self.tr("送达地点"), self.place_edit, False),
                ("delivered_at", self.tr("送达时间"), at_box, True),
                ("witness", self.tr("见证人"), self.witness_edit, False),
                ("deliverer", self.tr("送达人"), self.deliverer_edit, True),
                ("remarks", self.tr("备注"), self.remarks_edit, False)):
            self.messages[key] = add_field(form, text, editor, required=required)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("登记送达"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self.refused_check.toggled.connect(self._refused_toggled)
        for key, line in (("recipient", self.recipient_edit), ("place", self.place_edit),
                          ("witness", self.witness_edit), ("deliverer", self.deliverer_edit)):
            line.textEdited.connect(lambda _t, k=key: self.messages[k].clear_message())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._method_changed()

    def method(self) -> str:
        return str(self.method_combo.currentData())

    def set_method(self, key: str) -> None:
        self.method_combo.setCurrentIndex(max(0, self.method_combo.findData(key)))

    def _method_changed(self) -> None:
        method = self.method()
        self.refused_check.blockSignals(True)
        self.refused_check.setChecked(method == "留置")
        self.refused_check.blockSignals(False)
        self.witness_edit.setEnabled(method == "留置")
        self.messages["method"].clear_message()
        place = {"邮寄": self.tr("邮寄地址"), "电子": self.tr("手机号或邮箱")}.get(method)
        self.place_edit.setPlaceholderText(
            self.tr("必填：{0}").format(place) if place
            else self.tr("留空则为通知书上的地址：{0}").format(self._notice.party_address or "—"))

    def _refused_toggled(self, refused: bool) -> None:
        # Refusing to sign means the notice is left with a witness present.
        self.set_method("留置" if refused else "直接")
        if refused:
            self.witness_edit.setFocus()

    def current_input(self) -> DeliveryInput:
        return DeliveryInput(
            method=self.method(), recipient=self.recipient_edit.text(),
            relation=self.relation_combo.currentText(), place=self.place_edit.text(),
            delivered_at=to_datetime(self.at_edit.dateTime()),
            refused=self.refused_check.isChecked(), witness=self.witness_edit.text(),
            deliverer=self.deliverer_edit.text(), remarks=self.remarks_edit.toPlainText())

    def accept(self) -> None:
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        finding_operations.record_delivery(self._ctx, self._notice.id, self.current_input(),
                                           self._recorded, failed=self._refused, owner=self)

    def _recorded(self, row: DeliveryRow) -> None:
        self._saving = False
        self.recorded.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            unplaced = [text for key, text in error.fields.items()
                        if not self._place(key, text)]
            if not unplaced:
                return
            error = DomainError("；".join(unplaced))
        prompts.show_error(self, self.tr("未登记"), error.message)

    def _place(self, key: str, text: str) -> bool:
        message = self.messages.get(key)
        if message is None:
            return False
        message.set_error(text)
        return True

    def reject(self) -> None:
        if not self._saving:
            super().reject()
