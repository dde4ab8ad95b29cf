"""What the 巡查与通知 page's actions do: record, notify, deliver, recheck, close, refer,
void and print. Every change goes through an operation and comes back by the hub."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QProgressDialog

from desktop.domain.errors import DomainError
from desktop.domain.findings import FindingRow
from desktop.domain.notices import NOTICEABLE, NoticeRow, RecheckRow

from . import finding_operations, notice_printing, notice_prompts, prompts
from .finding_dialog import FindingDialog
from .finding_operations import NoticeForm, NoticePdf, Officer
from .notice_delivery_dialog import DeliveryDialog
from .notice_dialog import NoticeDialog
from .notice_recheck_dialog import RecheckDialog
from .photo_viewer import PhotoViewer
from .print_preview import PrintPreviewDialog

if TYPE_CHECKING:
    from .finding_page import FindingPage

FEW_FINDINGS = 3  # more than this and the clerk sees a progress dialog that can cancel


class FindingActions(QObject):
    def __init__(self, page: FindingPage) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.printing = False
        self._opening = False
        self.last_dialog: QDialog | None = None  # the dialog opened last (for tests)

    def _show(self, dialog: QDialog) -> QDialog:
        self._opening = False
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def _refused(self, error: DomainError) -> None:
        self._opening = False
        prompts.show_error(self.page, self.tr("未完成"), error.message)

    def _once(self) -> bool:
        """False while a dialog is being prepared: a double press opens it once."""
        if self._opening:
            return False
        self._opening = True
        return True

    # --- findings -------------------------------------------------------------------------

    def new_finding(self) -> None:
        dialog = FindingDialog(self.ctx, self.page.categories, self.page.communities, None,
                               self.page)
        dialog.saved.connect(self._finding_saved)
        self._show(dialog)

    def edit_selected(self) -> None:
        row = self.page.current_row()
        if row is None or row.status != "发现" or not self._once():
            return

        def loaded(fresh: FindingRow) -> None:
            if fresh.status != "发现":
                self._refused(DomainError(self.tr("该问题已“{0}”，不能再修改").format(fresh.status)))
                return
            dialog = FindingDialog(self.ctx, self.page.categories, self.page.communities, fresh,
                                   self.page)
            dialog.saved.connect(self._finding_saved)
            self._show(dialog)

        finding_operations.load_finding(self.ctx, row.id, loaded, failed=self._refused, owner=self)

    def _finding_saved(self, row: FindingRow) -> None:
        self.page.select_id(row.id)

    def open_photo(self, attachment_id: int, file_name: str) -> QDialog:
        return self._show(PhotoViewer(self.ctx, attachment_id, file_name, self.page))

    def close_selected(self) -> None:
        row = self.page.current_row()
        if row is None or row.status not in ("发现", "复查合格"):
            return
        what = f"{row.category}，{row.party or row.place}"
        note = ""
        if row.status == "发现":
            answer = prompts.ask_text(self.page, self.tr("销号"),
                                      self.tr("“{0}”未经通知直接销号，请说明原因（如：当场改正）：")
                                      .format(what))
            if answer is None:
                return
            note = answer
        elif not prompts.confirm(self.page, self.tr("销号"),
                                 self.tr("“{0}”复查合格，确定销号吗？").format(what),
                                 ok_text=self.tr("销号")):
            return
        finding_operations.close_finding(self.ctx, row, note, self._finding_saved,
                                         failed=self._refused, owner=self)

    def refer_selected(self, row: FindingRow | None = None) -> None:
        row = row or self.page.current_row()
        if row is None or row.status != "复查不合格":
            return
        referral = notice_prompts.ask_referral(self.page, f"{row.category}，{row.party or row.place}",
                                               row.found_at.date())
        if referral is None:
            return
        finding_operations.refer_finding(self.ctx, row, referral.referred_on, referral.unit,
                                         referral.notes, self._finding_saved,
                                         failed=self._refused, owner=self)

    # --- notices --------------------------------------------------------------------------

    def notice_selected(self, ids: list[int] | None = None) -> None:
        rows = self.page.selected_rows()
        if ids is None:
            if not rows or any(r.status not in NOTICEABLE for r in rows):
                return
            ids = [r.id for r in rows]
        if not self._once():
            return

        def loaded(form: NoticeForm) -> None:
            dialog = NoticeDialog(self.ctx, form, self.page)
            dialog.issued.connect(lambda notice: self.page.select_id(notice.finding_ids[0]))
            self._show(dialog)

        finding_operations.load_notice_form(self.ctx, ids, loaded, failed=self._refused, owner=self)

    def _with_notice(self, row: FindingRow, then: Callable[[NoticeRow], None]) -> None:
        """The finding's current notice as stored now."""
        if not row.notice or not self._once():
            return
        finding_operations.load_notice(self.ctx, row.notice, then, failed=self._refused,
                                       owner=self)

    def deliver_selected(self) -> None:
        row = self.page.current_row()
        if row is None or row.status != "已告知":
            return

        def loaded(notice: NoticeRow) -> None:
            if notice.delivered_at is not None:
                self._refused(DomainError(self.tr("通知书 {0} 已登记送达").format(notice.number)))
                return
            dialog = DeliveryDialog(self.ctx, notice, self.page)
            dialog.recorded.connect(lambda _d: self.page.select_id(row.id))
            self._show(dialog)

        self._with_notice(row, loaded)

    def recheck_selected(self) -> None:
        row = self.page.current_row()
        if row is None or row.status not in ("已告知", "整改中"):
            return

        def loaded(notice: NoticeRow) -> None:
            finding_operations.load_officers(
                self.ctx, lambda officers: self._open_recheck(row, notice, officers), owner=self)

        self._with_notice(row, loaded)

    def _open_recheck(self, row: FindingRow, notice: NoticeRow, officers: list[Officer]) -> None:
        dialog = RecheckDialog(self.ctx, row, notice, officers, self.page)
        dialog.recorded.connect(lambda recheck: self._rechecked(row, recheck))
        self._show(dialog)

    def _rechecked(self, row: FindingRow, recheck: RecheckRow) -> None:
        self.page.select_id(row.id)
        if recheck.passed:
            return
        step = notice_prompts.ask_next_step(self.page, f"{row.category}，{row.party or row.place}")
        if step == notice_prompts.NEXT_NOTICE:
            self.notice_selected([row.id])
        elif step == notice_prompts.NEXT_REFER:
            # The row as stored after the recheck (its version moved on).
            finding_operations.load_finding(self.ctx, row.id, self.refer_selected,
                                            failed=self._refused, owner=self)

    def void_selected(self) -> None:
        row = self.page.current_row()
        if row is None or not row.notice:
            return

        def loaded(notice: NoticeRow) -> None:
            self._opening = False
            reason = prompts.ask_text(self.page, self.tr("作废通知书"),
                                      self.tr("请填写作废通知书 {0} 的原因：").format(notice.number))
            if reason is None:
                return
            if not prompts.confirm(
                    self.page, self.tr("作废通知书"),
                    self.tr("确定作废通知书 {0}（当事人：{1}）吗？\n原因：{2}\n\n作废后编号不再使用，"
                            "尚在整改的问题恢复到签发前的状态。").format(
                        notice.number, notice.party, reason), ok_text=self.tr("作废")):
                return
            finding_operations.void_notice(self.ctx, notice.id, reason,
                                           lambda _n: self.page.select_id(row.id),
                                           failed=self._refused, owner=self)

        self._with_notice(row, loaded)

    # --- printing -------------------------------------------------------------------------

    def print_selected(self) -> None:
        ids = [r.id for r in self.page.selected_rows() if r.notice]
        if not ids or self.printing:
            return
        choice = notice_printing.ask_print_choice(self.page, len(ids))
        if choice is None:
            return
        self._render(len(ids), lambda cancelled, done, failed: finding_operations.render_findings_pdf(
            self.ctx, ids, choice, done, cancelled=cancelled, failed=failed, owner=self))

    def print_day(self) -> None:
        if self.printing:
            return
        answer = notice_printing.ask_day(self.page, dt.date.today())
        if answer is None:
            return
        day, copies = answer
        self._render(FEW_FINDINGS + 1, lambda cancelled, done, failed: finding_operations.render_day_pdf(
            self.ctx, day, copies, done, cancelled=cancelled, failed=failed, owner=self), day=day)

    def _render(self, count: int, start: Callable[..., None], *, day: dt.date | None = None) -> None:
        cancelled = threading.Event()
        progress: QProgressDialog | None = None
        if count > FEW_FINDINGS:
            progress = QProgressDialog(self.tr("正在生成文书…"), self.tr("取消"), 0, 0, self.page)
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

        def done(pdf: NoticePdf) -> None:
            dropped = cancelled.is_set() or (progress is not None and progress.wasCanceled())
            finish()
            if not dropped and pdf.documents:
                self.preview(pdf, day)

        def failed(error: DomainError) -> None:
            finish()
            prompts.show_error(self.page, self.tr("无法生成PDF"), error.message)

        start(cancelled, done, failed)

    def preview(self, pdf: NoticePdf, day: dt.date | None = None) -> PrintPreviewDialog:
        return notice_printing.preview(pdf, self.page, day=day)

    def _set_printing(self, printing: bool) -> None:
        self.printing = printing
        self.page.act_print.setText(self.tr("正在生成…") if printing else self.tr("打印"))
        self.page.update_actions()
