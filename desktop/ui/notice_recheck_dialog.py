"""复查: the visit after the deadline, passed (and closed) or failed, signed by two officers."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.findings import FindingRow
from desktop.domain.notices import NoticeRow, RecheckInput, RecheckRow

from . import finding_operations
from .context import AppContext
from .field_message import FieldMessage, add_field, show_refusal
from .finding_dialog import ceil_minute, to_datetime, to_qdatetime
from .finding_operations import Officer
from .notice_officers import KEYS as OFFICER_KEYS
from .notice_officers import OfficersBox
from .window_state import RememberingDialog

PASSED_OPINION = "经复查，当事人已按要求完成整改，予以销号。"
FAILED_OPINION = "经复查，当事人未按要求完成整改。"


class RecheckDialog(RememberingDialog):
    recorded = Signal(object)  # RecheckRow

    def __init__(self, ctx: AppContext, finding: FindingRow, notice: NoticeRow,
                 officers: list[Officer], parent: QWidget | None = None, *,
                 now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RecheckDialog")
        self._ctx = ctx
        self._finding = finding
        self._saving = False
        now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
        self.setWindowTitle(self.tr("登记复查 — {0}").format(finding.party or finding.place))
        self.setMinimumWidth(560)

        deadline = (self.tr("立即改正") if notice.deadline is None
                    else self.tr("限 {0:%Y-%m-%d %H:%M} 前改正").format(notice.deadline))
        heading = QLabel(self.tr("{0}（{1}）\n{2}：{3}").format(
            notice.number, deadline, finding.category, notice.correction))
        heading.setWordWrap(True)
        self.at_edit = QDateTimeEdit()
        self.at_edit.setCalendarPopup(True)
        self.at_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        earliest = ceil_minute(notice.issued_at)
        self.at_edit.setMinimumDateTime(to_qdatetime(earliest))
        self.at_edit.setMaximumDateTime(to_qdatetime(now + dt.timedelta(minutes=10)))
        self.at_edit.setDateTime(to_qdatetime(max(now, earliest)))
        self.at_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 50)
        self.passed_radio = QRadioButton(self.tr("合格（已整改）"))
        self.failed_radio = QRadioButton(self.tr("不合格（未整改）"))
        group = QButtonGroup(self)
        group.addButton(self.passed_radio)
        group.addButton(self.failed_radio)
        self.passed_radio.setChecked(True)
        self.close_check = QCheckBox(self.tr("同时销号"))
        self.close_check.setChecked(True)
        self.close_check.setToolTip(self.tr("复查合格的问题随即销号；不勾选则保留为“复查合格”"))
        result_box = self._row(self.passed_radio, self.failed_radio, self.close_check)
        self.opinion_edit = QPlainTextEdit()
        self.opinion_edit.setTabChangesFocus(True)
        self.opinion_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.officers = OfficersBox()
        self.officers.set_known(officers)
        self.officers.set_values(notice.officer1, notice.officer1_cert, notice.officer2,
                                 notice.officer2_cert)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(heading)
        self.messages: dict[str, FieldMessage] = {}
        for key, text, editor, required in (
                ("checked_at", self.tr("复查时间"), self._row(self.at_edit), True),
                ("passed", self.tr("复查结果"), result_box, True),
                ("opinion", self.tr("复查意见"), self.opinion_edit, False)):
            self.messages[key] = add_field(form, text, editor, required=required)
        officers_label = QLabel(self.tr('复查人员<span style="color:#c62828">*</span>'))
        officers_label.setBuddy(self.officers)
        form.addRow(officers_label, self.officers)
        self.messages["officers"] = self.officers.message

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("登记复查"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        note = QLabel(self.tr("登记后自动编号，生成整改复查意见书。"))
        note.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(bottom)

        self.passed_radio.toggled.connect(self._result_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._result_changed()

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return box

    def _result_changed(self) -> None:
        passed = self.passed_radio.isChecked()
        self.close_check.setEnabled(passed)
        self.opinion_edit.setPlaceholderText(
            self.tr("留空则为：{0}").format(PASSED_OPINION if passed else FAILED_OPINION))

    def current_input(self) -> RecheckInput:
        passed = self.passed_radio.isChecked()
        return RecheckInput(checked_at=to_datetime(self.at_edit.dateTime()), passed=passed,
                            opinion=self.opinion_edit.toPlainText(),
                            close=passed and self.close_check.isChecked(),
                            **self.officers.values())

    def accept(self) -> None:
        if self._saving or not self.officers.check():
            return
        self._saving = True
        self.save_button.setEnabled(False)
        finding_operations.record_recheck(self._ctx, self._finding, self.current_input(),
                                          self._recorded, failed=self._refused, owner=self)

    def _recorded(self, row: RecheckRow) -> None:
        self._saving = False
        self.recorded.emit(row)
        super().accept()

    def _refused(self, error: DomainError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        show_refusal(self, self.tr("未登记"), error, self.messages,
                     dict.fromkeys(OFFICER_KEYS, "officers"))

    def reject(self) -> None:
        if not self._saving:
            super().reject()
