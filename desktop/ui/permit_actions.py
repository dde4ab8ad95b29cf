"""What the 户外广告 page's actions do: apply, each workflow step, safety checks, printing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from desktop.domain import permits as P
from desktop.domain.errors import DomainError

from . import agreement_prompts, permit_operations, prompts
from .agreement_actions import file_name
from .permit_dialog import PermitDialog
from .permit_operations import PermitForm, PermitPdf
from .permit_step_dialog import StepDialog
from .print_preview import PrintPreviewDialog

if TYPE_CHECKING:
    from .permit_page import PermitPage

Run = Callable[[dict[str, Any], StepDialog], None]


class PermitActions(QObject):
    """Lives with the page; every change goes through an operation and comes back by the hub."""

    def __init__(self, page: PermitPage) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.form: PermitForm | None = None
        self.printing = False
        self._waiting: list[Callable[[PermitForm], object]] = []

    # --- what the dialogs need ------------------------------------------------------------

    def load_form(self) -> None:
        permit_operations.load_permit_form(self.ctx, self._form_loaded, owner=self)

    def _form_loaded(self, form: PermitForm) -> None:
        self.form = form
        self.page.filter_bar.set_communities(form.communities)
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback(form)

    def _with_form(self, callback: Callable[[PermitForm], object]) -> None:
        if self.form is not None:
            callback(self.form)
        else:
            self._waiting.append(callback)

    def _row(self, *statuses: str) -> P.PermitRow | None:
        row = self.page.selected_permit()
        return row if row is not None and (not statuses or row.status in statuses) else None

    def _saved(self, row: P.PermitRow) -> None:
        self.page.select_id(row.id)

    def _refused(self, error: DomainError) -> None:
        prompts.show_error(self.page, self.tr("未完成"), error.message)

    # --- the application ------------------------------------------------------------------

    def new_application(self) -> None:
        self._with_form(lambda form: self._open_editor(form, None))

    def open_selected(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.status not in P.PENDING:
            prompts.show_info(self.page, self.tr("不能修改"),
                              P.FROZEN_MESSAGE if row.status != P.NOT_ACCEPTED
                              else self.tr("该申请已不予受理，不能再修改；请重新提出申请。"))
            return
        permit_operations.load_permit(
            self.ctx, row.id, lambda fresh: self._with_form(lambda f: self._open_editor(f, fresh)),
            failed=self._refused, owner=self)

    def _open_editor(self, form: PermitForm, row: P.PermitRow | None) -> PermitDialog:
        dialog = PermitDialog(self.ctx, form, row, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    # --- acceptance -----------------------------------------------------------------------

    def accept_selected(self) -> None:
        row = self._row(P.APPLIED)
        if row is None:
            return
        today = dt.date.today()
        day = agreement_prompts.ask_date(
            self.page, self.tr("受理"), self.tr("受理日期："), today, latest=today,
            note=self.tr("受理“{0}”的招牌设置申请（{1}）。\n受理时出具受理通知书，自动编号。")
            .format(row.business, row.number))
        if day is not None:
            permit_operations.accept(self.ctx, row, day, self._saved, failed=self._refused,
                                     owner=self)

    def reject_selected(self) -> None:
        row = self._row(P.APPLIED)
        if row is None:
            return
        reason = prompts.ask_text(self.page, self.tr("不予受理"),
                                  self.tr("不予受理“{0}”的申请（{1}）的理由：").format(
                                      row.business, row.number))
        if reason is None:
            return
        if prompts.confirm(self.page, self.tr("不予受理"),
                           self.tr("确定不予受理该申请吗？\n理由：{0}").format(reason),
                           ok_text=self.tr("不予受理")):
            permit_operations.reject(self.ctx, row, reason, self._saved, failed=self._refused,
                                     owner=self)

    # --- steps in a form ------------------------------------------------------------------

    def _step(self, title: str, intro: str, ok_text: str, build: Callable[[StepDialog], None],
              run: Run) -> StepDialog:
        dialog = StepDialog(title, intro, ok_text, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        build(dialog)
        dialog.submitted.connect(lambda values: run(values, dialog))
        dialog.open()
        return dialog

    def _done(self, dialog: StepDialog) -> Callable[[P.PermitRow], None]:
        def done(row: P.PermitRow) -> None:
            self._saved(row)
            dialog.finish()

        return done

    def survey_selected(self) -> StepDialog | None:
        row = self._row(P.ACCEPTED, P.SURVEYED)
        if row is None:
            return None

        def build(d: StepDialog) -> None:
            d.add_moment("surveyed_at", self.tr("勘验时间"), dt.datetime.now())
            d.add_line("inspectors", self.tr("勘验人员"), placeholder=self.tr("如：张三、李四"))
            d.add_text("notes", self.tr("勘验情况"), placeholder=self.tr(
                "现场是否与申请相符，墙体结构、安全距离、对通行和消防的影响等"))
            d.add_files("photos", self.tr("现场照片"), self.tr("添加勘验照片"))

        def run(v: dict[str, Any], d: StepDialog) -> None:
            permit_operations.survey(self.ctx, row, P.SurveyInput(
                v["surveyed_at"], v["inspectors"], v["notes"]), v["photos"], self._done(d),
                failed=d.refused, owner=d)

        return self._step(self.tr("现场勘验"), self.tr("{0}：{1}，{2}").format(
            row.business, row.sign_type, row.location), self.tr("登记勘验"), build, run)

    def _blockers(self, row: P.PermitRow) -> list[str]:
        form = self.form
        if form is None:
            return []
        return [i.message for i in P.size_issues(row.width_m, row.height_m, row.protrusion_m,
                                                 form.max_protrusion_m, form.max_area_m2)]

    def approve_selected(self) -> StepDialog | None:
        row = self._row(P.ACCEPTED, P.SURVEYED)
        if row is None or self.form is None:
            return None
        form = self.form
        today = dt.date.today()

        def build(d: StepDialog) -> None:
            d.add_date("decided_on", self.tr("决定日期"), today, latest=today)
            d.add_date("start_date", self.tr("许可期限自"), today)
            d.add_spin("term_months", self.tr("许可期限"), row.term_months, 1, row.term_months,
                       self.tr(" 个月"))
            d.add_text("conditions", self.tr("设置条件"), P.DEFAULT_CONDITIONS, required=False)
            d.add_basis("legal_basis_ids", self.tr("依据（可选）"), form.basis, required=False)
            problems = self._blockers(row)
            if row.status == P.ACCEPTED:
                problems.insert(0, self.tr("该申请尚未进行现场勘验，不能准予许可；请先登记现场勘验"))
            d.show_warning("\n".join(problems))

        def run(v: dict[str, Any], d: StepDialog) -> None:
            permit_operations.approve(self.ctx, row, P.ApprovalInput(
                v["decided_on"], v["start_date"], v["term_months"], v["conditions"],
                v["legal_basis_ids"]), self._done(d), failed=d.refused, owner=d)

        return self._step(self.tr("准予许可"), self.tr(
            "{0}：{1}，{2}（{3}）。\n准予后出具准予许可决定书（自动编号），决定书内容随即固定。"
            "须由科长或管理员审批。").format(row.business, row.sign_type, row.location,
                                          row.size_text), self.tr("准予许可"), build, run)

    def refuse_selected(self) -> StepDialog | None:
        row = self._row(P.ACCEPTED, P.SURVEYED)
        if row is None or self.form is None:
            return None
        form = self.form
        today = dt.date.today()

        def build(d: StepDialog) -> None:
            d.add_date("decided_on", self.tr("决定日期"), today, latest=today)
            d.add_text("reason", self.tr("不予许可的理由"), "；".join(self._blockers(row)),
                       placeholder=self.tr("写明不符合哪项规定、具体情况"), lines=4)
            d.add_basis("legal_basis_ids", self.tr("法律依据"), form.basis, required=True)

        def run(v: dict[str, Any], d: StepDialog) -> None:
            permit_operations.refuse(self.ctx, row, P.RefusalInput(
                v["decided_on"], v["reason"], v["legal_basis_ids"]), self._done(d),
                failed=d.refused, owner=d)

        return self._step(self.tr("不予许可"), self.tr(
            "{0}：{1}，{2}。\n出具不予许可决定书（自动编号），告知申请人申请行政复议或提起行政诉讼的权利。"
            "须由科长或管理员审批。").format(row.business, row.sign_type, row.location),
            self.tr("不予许可"), build, run)

    def install_selected(self) -> StepDialog | None:
        row = self._row(P.APPROVED)
        if row is None:
            return None
        today = dt.date.today()

        def build(d: StepDialog) -> None:
            d.add_date("checked_on", self.tr("验收日期"), today, latest=today)
            d.add_line("inspector", self.tr("验收人员"))
            d.add_choice("conforms", self.tr("验收结果"), self.tr("与许可内容相符"),
                         self.tr("与许可内容不符"), True)
            d.add_text("notes", self.tr("验收情况"), required=False, lines=2)
            d.add_files("photos", self.tr("照片"), self.tr("添加验收照片"))

        def run(v: dict[str, Any], d: StepDialog) -> None:
            permit_operations.install(self.ctx, row, P.InstallationInput(
                v["checked_on"], v["inspector"], v["notes"], v["conforms"]), v["photos"],
                self._done(d), failed=d.refused, owner=d)

        return self._step(self.tr("设置验收"), self.tr("{0}：{1}（{2}）").format(
            row.business, row.decision_number, row.size_text), self.tr("登记验收"), build, run)

    def check_selected(self) -> StepDialog | None:
        row = self._row(P.INSTALLED, P.EXPIRED)
        if row is None:
            return None

        def build(d: StepDialog) -> None:
            d.add_moment("checked_at", self.tr("检查时间"), dt.datetime.now())
            d.add_choice("passed", self.tr("检查结果"), self.tr("合格"), self.tr("不合格"), True)
            d.add_checks("hazards", self.tr("发现的隐患"), P.HAZARDS)
            d.add_line("inspector", self.tr("检查人员"))
            d.add_text("notes", self.tr("检查情况"), required=False, lines=2)
            d.add_files("photos", self.tr("照片"), self.tr("添加检查照片"))

        def run(v: dict[str, Any], d: StepDialog) -> None:
            permit_operations.safety_check(self.ctx, row, P.SafetyCheckInput(
                v["checked_at"], v["passed"], v["hazards"], v["notes"], v["inspector"]),
                v["photos"], lambda _check: self._checked(row, d), failed=d.refused, owner=d)

        return self._step(self.tr("安全检查"), self.tr(
            "{0}：{1}，{2}。\n检查不合格的，自动登记为“招牌安全隐患”巡查问题。").format(
                row.business, row.sign_type, row.location), self.tr("登记检查"), build, run)

    def _checked(self, row: P.PermitRow, dialog: StepDialog) -> None:
        self.page.select_id(row.id)
        dialog.finish()

    def expire_selected(self) -> None:
        row = self._row(*P.GRANTED)
        if row is None:
            return
        if prompts.confirm(self.page, self.tr("登记到期"),
                           self.tr("“{0}”的许可期限已于 {1} 届满，登记为到期吗？\n"
                                   "招牌仍在的，应督促拆除并登记拆除。").format(row.business, row.end_date),
                           ok_text=self.tr("登记到期")):
            permit_operations.expire(self.ctx, row, self._saved, failed=self._refused, owner=self)

    def remove_selected(self) -> StepDialog | None:
        row = self._row(*P.STANDING)
        if row is None:
            return None
        today = dt.date.today()
        lapsed = row.end_date is not None and row.end_date < today

        def build(d: StepDialog) -> None:
            d.add_date("removed_on", self.tr("拆除日期"), today, latest=today)
            d.add_combo("reason", self.tr("拆除原因"), P.REMOVAL_REASONS,
                        "到期" if lapsed else "店铺关闭")
            d.add_text("notes", self.tr("说明"), required=False, lines=2)

        def run(v: dict[str, Any], d: StepDialog) -> None:
            permit_operations.remove(self.ctx, row, P.RemovalInput(
                v["removed_on"], v["reason"], v["notes"]), self._done(d), failed=d.refused,
                owner=d)

        return self._step(self.tr("登记拆除"), self.tr("{0}：{1}，{2}").format(
            row.business, row.sign_type, row.location), self.tr("登记拆除"), build, run)

    # --- printing -------------------------------------------------------------------------

    def print_selected(self) -> None:
        row = self._row()
        if row is None or self.printing:
            return
        self._set_printing(True)

        def done(pdf: PermitPdf) -> None:
            self._set_printing(False)
            self.preview(pdf, row)

        def failed(error: DomainError) -> None:
            self._set_printing(False)
            prompts.show_error(self.page, self.tr("无法生成PDF"), error.message)

        permit_operations.render_permit_pdf(self.ctx, row.number, done, failed=failed, owner=self)

    def _set_printing(self, printing: bool) -> None:
        self.printing = printing
        self.page.act_print.setText(self.tr("正在生成…") if printing else self.tr("打印"))
        self.page.update_actions()

    def preview(self, pdf: PermitPdf, row: P.PermitRow) -> PrintPreviewDialog:
        title = self.tr("{0} 的许可文书（{1} 份）").format(row.business, pdf.documents)
        dialog = PrintPreviewDialog(pdf.data, title, f"招牌许可文书_{file_name(pdf.number)}.pdf",
                                    self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
