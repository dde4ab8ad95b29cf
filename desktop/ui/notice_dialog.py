"""开具责令(限期)改正通知书 for one or more findings: pre-filled, checked, issued, then printed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainError
from desktop.domain.notices import NoticeInput, NoticeRow

from . import finding_operations, notice_printing, prompts
from .context import AppContext
from .field_message import FieldMessage, add_field, show_refusal
from .finding_dialog import to_datetime, to_qdatetime
from .finding_operations import NoticeForm, NoticePdf
from .legal_basis_chooser import LegalBasisChooser
from .notice_officers import KEYS as OFFICER_KEYS
from .notice_officers import OfficersBox
from .print_preview import PrintPreviewDialog
from .window_state import RememberingDialog

OFFICERS_KEY = "notices/last-officers"
_ROW_OF = {**{key: "officers" for key in OFFICER_KEYS}, "order_kind": "deadline"}


def _text_edit(lines: int, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class NoticeDialog(RememberingDialog):
    issued = Signal(object)  # NoticeRow

    def __init__(self, ctx: AppContext, form: NoticeForm, parent: QWidget | None = None, *,
                 now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoticeDialog")
        self._ctx = ctx
        self._form = form
        self._busy = False
        self.notice: NoticeRow | None = None
        self.preview: PrintPreviewDialog | None = None  # opened after printing
        self._now = now
        draft = form.draft
        self.setWindowTitle(self.tr("开具责令（限期）改正通知书"))
        self.setMinimumWidth(880)

        self.findings_label = QLabel("；".join(
            f"{r.category}（{r.found_at:%m-%d %H:%M}，{r.place}）" for r in form.rows))
        self.findings_label.setWordWrap(True)
        self.party_edit = QLineEdit(maxLength=100)
        self.address_edit = QLineEdit(maxLength=200)
        self.facts_edit = _text_edit(5)
        self.correction_edit = _text_edit(3, self.tr("应改正的内容"))
        self.consequences_edit = _text_edit(2, self.tr("留空则用标准表述：逾期不改正的，本机关将依据"
                                                      "罚则条款的规定，依法作出行政处罚决定。"))
        self.chooser = LegalBasisChooser()
        self.chooser.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.at_once = QRadioButton(self.tr("立即改正"))
        self.by_date = QRadioButton(self.tr("限期改正，于"))
        self._order = QButtonGroup(self)
        self._order.addButton(self.at_once)
        self._order.addButton(self.by_date)
        self.deadline_edit = QDateTimeEdit()
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.deadline_edit.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 50)
        order_box = QWidget()
        order_row = QHBoxLayout(order_box)
        order_row.setContentsMargins(0, 0, 0, 0)
        order_row.addWidget(self.at_once)
        order_row.addWidget(self.by_date)
        order_row.addWidget(self.deadline_edit)
        order_row.addWidget(QLabel(self.tr("前改正")))
        order_row.addStretch(1)
        self.officers = OfficersBox()
        self.officers.set_known(form.officers)

        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.addRow(self.tr("涉及问题："), self.findings_label)
        right = QFormLayout()
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.messages: dict[str, FieldMessage] = {}
        for target, key, text, editor, required in (
                (left, "party", self.tr("当事人"), self.party_edit, True),
                (left, "party_address", self.tr("地址"), self.address_edit, False),
                (left, "facts", self.tr("违法事实"), self.facts_edit, True),
                (left, "correction", self.tr("改正内容"), self.correction_edit, True),
                (left, "consequences", self.tr("逾期后果"), self.consequences_edit, False),
                (right, "legal_basis_ids", self.tr("法律依据"), self.chooser, True),
                (right, "deadline", self.tr("责令"), order_box, True)):
            self.messages[key] = add_field(target, text, editor, required=required)
        officers_label = QLabel(self.tr('执法人员<span style="color:#c62828">*</span>'))
        officers_label.setBuddy(self.officers)
        right.addRow(officers_label, self.officers)
        self.messages["officers"] = self.officers.message
        left_column = QVBoxLayout()  # rows stay together when the right column is taller
        left_column.addLayout(left)
        left_column.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left_column, 5)
        columns.addSpacing(8)
        columns.addLayout(right, 4)

        self.number_label = QLabel()
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_label.setStyleSheet("color: #1b5e20; background: #e8f5e9; padding: 4px 8px;"
                                        "font-weight: bold;")
        self.number_label.hide()
        self.note = QLabel(self.tr("签发时自动编号；签发后不能修改，只能作废。"))
        self.note.setWordWrap(True)
        self.two_copies = QCheckBox(self.tr("一式两份（存档、交当事人）"))
        self.two_copies.setChecked(True)
        self.two_copies.hide()
        self.buttons = QDialogButtonBox()
        self.issue_button = QPushButton(self.tr("签发…"))
        self.issue_button.setDefault(True)
        self.print_button = QPushButton(self.tr("打印…"))
        self.buttons.addButton(self.issue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.hide()  # after adding: the button box shows what it is given
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setText(self.tr("取消"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.two_copies)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.number_label)
        layout.addLayout(bottom)

        self._fill(draft)
        order: list[QWidget] = [self.party_edit, self.address_edit, self.facts_edit,
                                self.correction_edit, self.consequences_edit, self.chooser.list,
                                self.at_once, self.by_date, self.deadline_edit,
                                *self.officers.widgets(), self.buttons]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        self._initial = self.current_input()

        self.by_date.toggled.connect(self._order_changed)
        self.deadline_edit.dateTimeChanged.connect(lambda: self._clear("deadline"))
        for key, line in (("party", self.party_edit), ("party_address", self.address_edit)):
            line.textEdited.connect(lambda _t, k=key: self._clear(k))
        for key, edit in (("facts", self.facts_edit), ("correction", self.correction_edit),
                          ("consequences", self.consequences_edit)):
            edit.textChanged.connect(lambda k=key: self._clear(k))
        self.chooser.changed.connect(lambda: self._clear("legal_basis_ids"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_notice)

    # --- values ---------------------------------------------------------------------------

    def _moment(self) -> dt.datetime:
        return (self._now or dt.datetime.now()).replace(second=0, microsecond=0)

    def _fill(self, draft: NoticeInput) -> None:
        self.party_edit.setText(draft.party)
        self.address_edit.setText(draft.party_address)
        self.facts_edit.setPlainText(draft.facts)
        self.correction_edit.setPlainText(draft.correction)
        self.consequences_edit.setPlainText(draft.consequences)
        categories = list(dict.fromkeys(r.category for r in self._form.rows))
        self.chooser.set_entries(self._form.entries, categories, draft.legal_basis_ids)
        deadline = draft.deadline or self._moment() + dt.timedelta(days=3)
        self.deadline_edit.setMinimumDateTime(to_qdatetime(self._moment()))
        self.deadline_edit.setDateTime(to_qdatetime(deadline))
        (self.at_once if draft.order_kind == "立即" else self.by_date).setChecked(True)
        self._order_changed()
        officers = [draft.officer1, draft.officer1_cert, draft.officer2, draft.officer2_cert]
        if not any(officers):  # the pair who signed last time, usually the same patrol
            remembered = QSettings().value(OFFICERS_KEY, [])
            if isinstance(remembered, list) and len(remembered) == 4:
                officers = [str(v) for v in remembered]
        self.officers.set_values(*officers)

    def current_input(self) -> NoticeInput:
        officers = self.officers.values()
        return NoticeInput(
            finding_ids=list(self._form.draft.finding_ids), party=self.party_edit.text(),
            party_address=self.address_edit.text(), business_id=self._form.draft.business_id,
            facts=self.facts_edit.toPlainText(), legal_basis_ids=self.chooser.checked_ids(),
            order_kind="限期" if self.by_date.isChecked() else "立即",
            deadline=to_datetime(self.deadline_edit.dateTime()) if self.by_date.isChecked() else None,
            correction=self.correction_edit.toPlainText(),
            consequences=self.consequences_edit.toPlainText(), **officers)

    def is_modified(self) -> bool:
        return self.notice is None and self.current_input() != self._initial

    def _order_changed(self) -> None:
        self.deadline_edit.setEnabled(self.by_date.isChecked())
        self._clear("deadline")

    def _clear(self, key: str) -> None:
        self.messages[key].clear_message()

    # --- checking and issuing -------------------------------------------------------------

    def _check_all(self) -> bool:
        data = self.current_input()
        checks = [("party", not data.party.strip(), self.tr("请填写当事人（单位名称或姓名）")),
                  ("facts", not data.facts.strip(), self.tr("请填写违法事实（时间、地点、行为）")),
                  ("correction", not data.correction.strip(), self.tr("请填写改正内容")),
                  ("legal_basis_ids", not data.legal_basis_ids,
                   self.tr("请勾选至少一条已确认的法律依据")),
                  ("deadline", data.deadline is not None and data.deadline <= self._moment(),
                   self.tr("改正期限应晚于签发时间"))]
        for key, bad, text in checks:
            if bad:
                self.messages[key].set_error(text)
        officers_ok = self.officers.check()
        for key, message in self.messages.items():
            if message.has_error() and key != "officers":
                self._focus(key)
                return False
        return officers_ok

    def _focus(self, key: str) -> None:
        widget = {"party": self.party_edit, "party_address": self.address_edit,
                  "facts": self.facts_edit, "correction": self.correction_edit,
                  "consequences": self.consequences_edit, "legal_basis_ids": self.chooser.list,
                  "deadline": self.deadline_edit}.get(key)
        if widget is not None:
            widget.setFocus()
        else:
            self.officers.focus_first_gap()

    def accept(self) -> None:
        if self.notice is not None:
            super().accept()
            return
        if self._busy or not self._check_all():
            return
        if not prompts.confirm(self, self.tr("签发通知书"),
                               self.tr("签发后不能修改，只能作废。确定签发？"),
                               ok_text=self.tr("签发")):
            return
        self._set_busy(True, self.tr("正在签发…"))
        finding_operations.issue_notice(self._ctx, self.current_input(), self._issued,
                                        failed=self._refused, owner=self)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        button = self.print_button if self.notice is not None else self.issue_button
        button.setEnabled(not busy)
        button.setText(text if busy else (self.tr("打印…") if self.notice else self.tr("签发…")))

    def _issued(self, notice: NoticeRow) -> None:
        self.notice = notice
        QSettings().setValue(OFFICERS_KEY, [notice.officer1, notice.officer1_cert,
                                            notice.officer2, notice.officer2_cert])
        self._busy = False
        self.issued.emit(notice)
        self.number_label.setText(self.tr("已签发，编号：{0}").format(notice.number))
        self.number_label.show()
        self.note.setText(self.tr("如有错误，请在列表中作废后重新签发。"))
        for widget in (self.party_edit, self.address_edit):
            widget.setReadOnly(True)
        for edit in (self.facts_edit, self.correction_edit, self.consequences_edit):
            edit.setReadOnly(True)
        for part in (self.chooser, self.at_once, self.by_date, self.deadline_edit, self.officers):
            part.setEnabled(False)
        self.issue_button.hide()
        self.print_button.show()
        self.two_copies.show()
        self.close_button.setText(self.tr("关闭"))
        self.print_button.setFocus()

    def _refused(self, error: DomainError) -> None:
        self._set_busy(False)
        show_refusal(self, self.tr("未签发"), error, self.messages, _ROW_OF)
        first = next((k for k, m in self.messages.items() if m.has_error()), None)
        if first is not None:
            self._focus(first)

    # --- printing -------------------------------------------------------------------------

    def print_notice(self) -> None:
        if self.notice is None or self._busy:
            return
        self._set_busy(True, self.tr("正在生成…"))
        copies = 2 if self.two_copies.isChecked() else 1
        finding_operations.render_notice_pdf(self._ctx, self.notice.number, copies, self._preview,
                                             failed=self._print_failed, owner=self)

    def _preview(self, pdf: NoticePdf) -> None:
        self._set_busy(False)
        # The preview belongs to the page: this dialog closes once it is shown.
        self.preview = notice_printing.preview(pdf, self.parentWidget() or self)
        self.accept()

    def _print_failed(self, error: DomainError) -> None:
        self._set_busy(False)
        prompts.show_error(self, self.tr("无法生成PDF"), error.message)

    def reject(self) -> None:
        if self._busy:
            return
        if self.is_modified() and not prompts.confirm(
                self, self.tr("放弃签发？"), self.tr("通知书尚未签发，确定要放弃吗？"),
                ok_text=self.tr("放弃")):
            return
        super().reject()
