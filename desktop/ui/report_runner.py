"""Writing a district report in the background: collect the figures, then the workbook.

The run is a ListExport (its own thread and session, progress dialog, cancel, errors); only
the steps and the closing message differ. A cancel is honoured between collecting and
writing and up to the final rename, so it never leaves a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QWidget

from desktop.domain.stats import Period
from desktop.io.district_figures import collect, period_text
from desktop.io.district_report import ReportResult, write_collected
from desktop.io.template_fill import FillResult, fill_collected
from desktop.io.xlsx_out import ExportCancelled

from . import report_prompts
from .context import AppContext
from .export_runner import Job, ListExport

COLLECTING, WRITING, STEPS = 0, 1, 2


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportExport", text)


@dataclass(frozen=True)
class ReportRequest:
    period: Period
    out: Path
    template: Path | None  # None: our own summary workbook
    prepared_by: str


def suggested_name(period: Period) -> str:
    kind = "季报" if "Q" in period.label else "月报"
    return f"城管{kind}_{period_text(period)}.xlsx"


def prepared_by(ctx: AppContext) -> str:
    return ctx.actor.display_name if ctx.actor is not None else ctx.user


def report_job(ctx: AppContext, request: ReportRequest) -> Job:
    def job(progress: Callable[[int, int], None],
            cancelled: Callable[[], bool]) -> ReportResult | FillResult:
        progress(COLLECTING, STEPS)
        with ctx.db.session() as session:
            figures = collect(session, request.period, prepared_by=request.prepared_by)
        if cancelled():
            raise ExportCancelled()
        progress(WRITING, STEPS)
        if request.template is None:
            return write_collected(figures, request.out, cancelled=cancelled)
        return fill_collected(figures, request.template, request.out, cancelled=cancelled)

    # ListExport hands the job's answer back untouched; only _finished looks at its type.
    return cast(Job, job)


class ReportExport(ListExport):
    """One report in flight; `done` carries the ReportResult / FillResult, or None."""

    def __init__(self, parent: QWidget, ctx: AppContext, request: ReportRequest) -> None:
        super().__init__(parent, _tr("上报报表"), report_job(ctx, request))
        self._request = request
        self.progress.setWindowTitle(self.tr("生成上报报表"))
        self.progress.setLabelText(self.tr("正在统计{0}的数据…").format(period_text(request.period)))
        self.progress.setMaximum(STEPS)

    @Slot(int, int)
    def _progressed(self, step: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(step)
        if step == WRITING:
            self.progress.setLabelText(self.tr("正在写入 {0} …").format(self._request.out.name))

    @Slot(bool, object)
    def _finished(self, ok: bool, payload: object) -> None:
        if not ok:  # cancel, a refusal in Chinese, or a programming error: as for any export
            super()._finished(ok, payload)
            return
        assert isinstance(payload, (ReportResult, FillResult))
        self.progress.reset()
        self.progress.deleteLater()
        self.deleteLater()
        report_prompts.show_written(self._parent, self.tr("报表已生成"),
                                    self._message(payload), payload.out)
        self.done.emit(payload)

    def _message(self, result: ReportResult | FillResult) -> str:
        what = period_text(self._request.period)
        if isinstance(result, ReportResult):
            text = self.tr("已生成{0}汇总表（{1} 个社区，工作表：{2}），保存在：\n{3}").format(
                what, result.communities, "、".join(result.sheets), result.out)
        else:
            text = self.tr("已按模板“{0}”生成{1}报表，填入 {2} 个数据项，保存在：\n{3}").format(
                result.template.name, what, result.cells, result.out)
            if result.warnings:
                text += "\n\n" + self.tr("请注意：") + "\n" + "\n".join(result.warnings)
        return text
