"""What the 门前三包 page's actions do: open the editor, sign, renew, terminate, print."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog

from desktop.domain.agreements import AgreementRow
from desktop.domain.businesses import BusinessRow
from desktop.domain.errors import DomainError

from . import agreement_prompts, operations, prompts
from .agreement_dialog import AgreementDialog
from .operations import AgreementFormData, PrintedPdf
from .print_preview import PrintPreviewDialog

if TYPE_CHECKING:
    from .agreement_page import AgreementPage

FEW_DOCUMENTS = 3  # more than this and the clerk sees a progress dialog that can cancel
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # not allowed (or awkward) in Windows file names


def file_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._") or "责任书"


class AgreementActions(QObject):
    """Lives with the page; every change goes through an operation and comes back by the hub."""

    def __init__(self, page: AgreementPage) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.form: AgreementFormData | None = None
        self.printing = False
        self._opening = False
        self._waiting_for_form: list[Callable[[AgreementFormData], object]] = []

    # --- the editor -----------------------------------------------------------------------

    def load_form(self) -> None:
        operations.load_agreement_form(self.ctx, self._form_loaded, owner=self)

    def _form_loaded(self, form: AgreementFormData) -> None:
        self.form = form
        self.page.details.set_duty_items(form.duties)
        waiting, self._waiting_for_form = self._waiting_for_form, []
        for callback in waiting:
            callback(form)

    def _with_form(self, callback: Callable[[AgreementFormData], object]) -> None:
        if self.form is not None:
            callback(self.form)
        else:
            self._waiting_for_form.append(callback)

    def new_agreement(self) -> None:
        business = self.page.selected_business()
        self._with_form(lambda form: self._open_editor(form, None, business))

    def open_selected(self) -> None:
        """Enter or double-click: a draft opens in the editor, others read-only."""
        if self.page.unsigned_mode():
            self.new_agreement()
            return
        agreement_id = self.page.selected_agreement_id()
        if agreement_id is None or self._opening:
            return
        self._opening = True

        def loaded(row: AgreementRow) -> None:
            self._with_form(lambda form: self._open_editor(form, row, None))

        # The record as stored now, not as it was when the list was loaded.
        operations.load_agreement(self.ctx, agreement_id, loaded, failed=self._open_failed,
                                  owner=self)

    def _open_failed(self, error: DomainError) -> None:
        self._opening = False
        prompts.show_error(self.page, self.tr("无法打开"), error.message)

    def _open_editor(self, form: AgreementFormData, row: AgreementRow | None,
                     business: BusinessRow | None) -> AgreementDialog:
        self._opening = False
        dialog = AgreementDialog(self.ctx, form, row, self.page, business=business)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self, row: AgreementRow) -> None:
        # From the unsigned list the clerk goes on with the next shop; the draft waits among
        # the drafts (the shop stays listed until its agreement is signed).
        if not self.page.unsigned_mode():
            self.page.select_id(row.id)

    # --- signing, renewal, termination ----------------------------------------------------

    def sign_selected(self) -> None:
        row = self.page.selected_agreement()
        if row is None or row.status != "draft":
            return
        today = dt.date.today()
        day = agreement_prompts.ask_date(
            self.page, self.tr("签订责任书"), self.tr("签订日期："), today, latest=today,
            note=self.tr("签订“{0}”的门前三包责任书（{1} 至 {2}）。\n签订时自动编号，签订后内容不能再修改。")
            .format(row.business, row.start_date, row.end_date))
        if day is None:
            return
        operations.sign_agreement(self.ctx, row, day, self._saved, failed=self._refused,
                                  owner=self)

    def renew_selected(self) -> None:
        row = self.page.selected_agreement()
        if row is None or row.status != "signed" or row.end_date is None:
            return
        start = row.end_date + dt.timedelta(days=1)
        if not prompts.confirm(
                self.page, self.tr("续签责任书"),
                self.tr("为“{0}”起草下一期责任书（自 {1} 起），责任区和责任事项沿用本期。\n"
                        "起草后可修改，再签订。").format(row.business, start),
                ok_text=self.tr("起草续签")):
            return
        operations.renew_agreement(self.ctx, row, self._renewed, failed=self._refused, owner=self)

    def _renewed(self, row: AgreementRow) -> None:
        self.page.select_id(row.id)
        self._with_form(lambda form: self._open_editor(form, row, None))

    def terminate_selected(self) -> None:
        row = self.page.selected_agreement()
        if row is None or row.status not in ("draft", "signed"):
            return
        what = row.number or self.tr("草稿")
        reason = prompts.ask_text(self.page, self.tr("终止责任书"),
                                  self.tr("请填写终止“{0}”责任书（{1}）的原因（如：商户已搬离）：")
                                  .format(row.business, what))
        if reason is None:
            return
        if not prompts.confirm(self.page, self.tr("终止责任书"),
                               self.tr("确定终止“{0}”的责任书（{1}）吗？\n原因：{2}\n\n终止后不能恢复。")
                               .format(row.business, what, reason), ok_text=self.tr("终止")):
            return
        operations.terminate_agreement(self.ctx, row, reason, self._saved, failed=self._refused,
                                       owner=self)

    def _refused(self, error: DomainError) -> None:
        prompts.show_error(self.page, self.tr("未完成"), error.message)

    # --- printing -------------------------------------------------------------------------

    def print_selected(self) -> None:
        page = self.page
        if page.unsigned_mode() or self.printing:
            return
        rows = page.table.selected_rows()
        if not rows:
            return
        loaded = [page.model.row_at(r) for r in rows]
        ids = [row.id for row in loaded if row is not None]
        ranges: list[tuple[int, int]] = []
        if len(ids) != len(rows):
            # Some selected rows were never fetched (Ctrl+A over a long list): print by position.
            ids = []
            for r in rows:
                if ranges and ranges[-1][0] + ranges[-1][1] == r:
                    ranges[-1] = (ranges[-1][0], ranges[-1][1] + 1)
                else:
                    ranges.append((r, 1))
        cancelled = threading.Event()
        progress: QProgressDialog | None = None
        if len(rows) > FEW_DOCUMENTS:
            progress = QProgressDialog(self.tr("正在生成 {0} 份责任书…").format(len(rows)),
                                       self.tr("取消"), 0, 0, page)
            progress.setWindowTitle(self.tr("打印"))
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(0)
            progress.canceled.connect(cancelled.set)
            progress.show()
        self._set_printing(True)

        def finish() -> None:
            self._set_printing(False)
            if progress is not None:
                progress.reset()
                progress.deleteLater()

        def done(pdf: PrintedPdf) -> None:
            dropped = cancelled.is_set() or (progress is not None and progress.wasCanceled())
            finish()
            if not dropped and pdf.documents:
                self.preview(pdf)

        def failed(error: DomainError) -> None:
            finish()
            prompts.show_error(page, self.tr("无法生成PDF"), error.message)

        operations.render_agreements_pdf(self.ctx, ids, page.model.query, ranges, done,
                                         cancelled=cancelled, failed=failed, owner=self)

    def _set_printing(self, printing: bool) -> None:
        self.printing = printing
        self.page.act_print.setText(self.tr("正在生成…") if printing else self.tr("打印"))
        self.page.update_actions()

    def preview(self, pdf: PrintedPdf) -> PrintPreviewDialog:
        if pdf.documents == 1:
            title = self.tr("门前三包责任书 {0}").format(pdf.first_label)
            name = f"门前三包责任书_{file_name(pdf.first_label)}.pdf"
        else:
            title = self.tr("门前三包责任书（{0} 份）").format(pdf.documents)
            name = f"门前三包责任书_{pdf.documents}份_{dt.date.today():%Y%m%d}.pdf"
        dialog = PrintPreviewDialog(pdf.data, title, name, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
