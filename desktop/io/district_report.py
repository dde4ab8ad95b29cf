"""The monthly / quarterly district summary: a cover and one sheet per area, with charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from desktop.domain.stats import Period

from .district_figures import (
    BY_NAME,
    RATE,
    DistrictFigures,
    FigureRow,
    Measure,
    collect,
    period_text,
)
from .xlsx_out import (
    BORDER,
    CENTER,
    DATE_FORMAT,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_FONT,
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    TOTAL_FILL,
    atomic_output,
    display_width,
)

TITLE_FONT = Font(name="黑体", size=16, bold=True)
COVER_TITLE_FONT = Font(name="黑体", size=22, bold=True)
NOTE_FONT = Font(name="宋体", size=10, color="595959")
BODY_FONT = Font(name="宋体", size=11)
BOLD_FONT = Font(name="宋体", size=11, bold=True)
HEADER_ROW = 3  # title, the line under it, then the column headings
FIRST_ROW = HEADER_ROW + 1
CHART_ROWS = 16  # rows of the default height a chart covers


@dataclass(frozen=True)
class Chart:
    title: str
    measures: tuple[str, ...]
    percent: bool = False


@dataclass(frozen=True)
class AreaSheet:
    name: str  # sheet name
    title: str  # heading above the table
    measures: tuple[str, ...]
    charts: tuple[Chart, ...]
    note: str = ""


AREA_SHEETS: tuple[AreaSheet, ...] = (
    AreaSheet("门前三包", "门前三包责任制落实情况",
              ("商户数", "门前三包.应签", "门前三包.已签", "门前三包.签约率", "门前三包.即将到期",
               "门前三包.未签"),
              (Chart("各社区门前三包签约率", ("门前三包.签约率",), percent=True),
               Chart("各社区应签与已签户数", ("门前三包.应签", "门前三包.已签"))),
              "应签户数：在册且营业（含无照经营）的商户；已签户数：截至统计日持有效责任书的商户；"
              "签约率＝已签户数÷应签户数。"),
    AreaSheet("招牌许可", "户外广告及招牌设置许可情况",
              ("招牌许可.申请", "招牌许可.准予", "招牌许可.不予许可", "招牌许可.有效",
               "招牌许可.即将到期"),
              (Chart("各社区招牌许可办理情况", ("招牌许可.申请", "招牌许可.准予", "招牌许可.不予许可")),),
              "申请、准予、不予许可为统计期间内受理的申请；有效许可及到期数为截至统计日的情况。"),
    AreaSheet("垃圾分类", "垃圾分类检查情况",
              ("垃圾分类.检查", "垃圾分类.合格", "垃圾分类.不合格", "垃圾分类.合格率"),
              (Chart("各社区垃圾分类检查合格率", ("垃圾分类.合格率",), percent=True),),
              "检查次数不含复查；合格率＝合格次数÷检查次数。"),
    AreaSheet("巡查与通知", "巡查发现问题及责令改正通知书情况",
              ("巡查.发现", "巡查.已整改", "巡查.逾期", "巡查.移交执法", "通知书.签发",
               "通知书.作废"),
              (Chart("各社区巡查问题处置情况", ("巡查.发现", "巡查.已整改", "巡查.逾期")),),
              "发现、已整改、移交执法为统计期间内发现的问题；逾期未改为截至统计日已过整改期限仍未整改的问题。"),
)


@dataclass(frozen=True)
class ReportResult:
    out: Path
    period: str
    sheets: list[str]
    communities: int

    def as_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "period": self.period, "sheets": self.sheets,
                "communities": self.communities}


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.8
    ws.page_margins.footer = 0.4
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _cover(ws: Worksheet, figures: DistrictFigures) -> None:
    ws.sheet_view.showGridLines = False
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 46
    ws.merge_cells("B2:C2")
    ws["B2"] = figures.office
    ws["B2"].font = Font(name="黑体", size=14)
    ws["B2"].alignment = CENTER
    ws.merge_cells("B3:C3")
    ws["B3"] = f"城市管理工作统计报表（{period_text(figures.period)}）"
    ws["B3"].font = COVER_TITLE_FONT
    ws["B3"].alignment = CENTER
    ws.row_dimensions[3].height = 40
    details: list[tuple[str, Any]] = [
        ("填报单位", figures.office),
        ("统计期间", f"{figures.period.start:%Y-%m-%d} 至 {figures.period.end:%Y-%m-%d}"),
        ("数据截至", figures.as_of),
        ("填报人", figures.prepared_by),
        ("填报日期", figures.prepared_on),
    ]
    row = 5
    for label, value in details:
        ws.cell(row, 2, label).font = BOLD_FONT
        cell = ws.cell(row, 3, value)
        cell.font = BODY_FONT
        cell.alignment = Alignment(horizontal="left")
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        for col in (2, 3):
            ws.cell(row, col).border = BORDER
        ws.row_dimensions[row].height = 22
        row += 1
    row += 1
    ws.cell(row, 2, "报表内容").font = BOLD_FONT
    for sheet in AREA_SHEETS:
        row += 1
        ws.cell(row, 2, sheet.name).font = BODY_FONT
        ws.cell(row, 3, sheet.title).font = BODY_FONT
    row += 2
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    note = ws.cell(row, 2, f"共 {len(figures.communities)} 个社区；各表“合计”为全街道数字。"
                           "本表由街道城管台账（StreetLedger）生成。")
    note.font = NOTE_FONT
    _print_setup(ws, None)
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT


def _value_cell(ws: Worksheet, row: int, col: int, value: int | float, measure: Measure,
                bold: bool) -> None:
    cell = ws.cell(row, col, value)
    cell.number_format = PERCENT_FORMAT if measure.kind == RATE else INTEGER_FORMAT
    cell.border = BORDER
    cell.font = BOLD_FONT if bold else BODY_FONT
    cell.alignment = Alignment(horizontal="right", vertical="center")


def _table_row(ws: Worksheet, row: int, number: int | str, item: FigureRow,
               measures: list[Measure], total: bool) -> None:
    for col, value in ((1, number), (2, item.name)):
        cell = ws.cell(row, col, value)
        cell.border = BORDER
        cell.font = BOLD_FONT if total else BODY_FONT
        cell.alignment = CENTER
    for col, measure in enumerate(measures, start=3):
        _value_cell(ws, row, col, item.values[measure.name], measure, total)
    if total:
        for col in range(1, len(measures) + 3):
            ws.cell(row, col).fill = TOTAL_FILL


def _chart(ws: Worksheet, spec: Chart, measures: list[Measure], first: int, last: int,
           cols: tuple[int, int], top: int) -> None:
    """A bar chart over columns cols[0]…cols[1]-1 from row `top`, anchored to the cells so
    it is exactly as wide as they are in Excel, WPS and LibreOffice alike."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = spec.title
    chart.style = 10
    for name in spec.measures:
        col = 3 + [m.name for m in measures].index(name)
        data = Reference(ws, min_col=col, min_row=HEADER_ROW, max_row=last)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
    chart.y_axis.majorGridlines = None if spec.percent else chart.y_axis.majorGridlines
    chart.y_axis.number_format = "0%" if spec.percent else "0"
    chart.y_axis.scaling.min = 0
    if not spec.percent:
        highest = max((ws.cell(r, 3 + [m.name for m in measures].index(n)).value or 0
                       for n in spec.measures for r in range(first, last + 1)), default=0)
        if highest < 5:  # small counts: whole steps, not 0, 0.5, 1 shown as "0 1 1"
            chart.y_axis.majorUnit = 1
            chart.y_axis.scaling.max = max(1, highest)
    if spec.percent:
        chart.y_axis.scaling.max = 1
    if len(spec.measures) == 1:
        chart.legend = None  # the title already names the one series
    else:
        chart.legend.position = "b"
    if len(spec.measures) == 1:
        # Values on the bars of a one-series chart; side by side they would overlap.
        # Every flag said out loud: LibreOffice shows series and category names when unset.
        chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                         showLegendKey=False, showPercent=False,
                                         showLeaderLines=False)
        chart.dataLabels.numFmt = "0.0%" if spec.percent else "0"
    # openpyxl ≥ 3.1 hides axes unless told otherwise; a chart without axes reads as empty.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.anchor = TwoCellAnchor(_from=AnchorMarker(col=cols[0], row=top - 1),
                                 to=AnchorMarker(col=cols[1], row=top - 1 + CHART_ROWS))
    ws.add_chart(chart)


def _area_sheet(ws: Worksheet, spec: AreaSheet, figures: DistrictFigures) -> None:
    measures = [BY_NAME[n] for n in spec.measures]
    last_col = len(measures) + 2
    last_letter = get_column_letter(last_col)
    ws.merge_cells(f"A1:{last_letter}1")
    ws["A1"] = f"{spec.title}（{period_text(figures.period)}）"
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 32
    ws.merge_cells(f"A2:{last_letter}2")
    ws["A2"] = (f"填报单位：{figures.office}　　统计期间：{figures.period.start:%Y-%m-%d} 至 "
                f"{figures.period.end:%Y-%m-%d}　　数据截至：{figures.as_of:%Y-%m-%d}")
    ws["A2"].font = NOTE_FONT
    # Two lines' height: a narrow table (垃圾分类 has four figures) wraps the line.
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 28
    for col, title in enumerate(["序号", "社区", *(m.label for m in measures)], start=1):
        cell = ws.cell(HEADER_ROW, col, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGN
    ws.row_dimensions[HEADER_ROW].height = 30
    row = FIRST_ROW
    for number, item in enumerate(figures.communities, start=1):
        _table_row(ws, row, number, item, measures, total=False)
        row += 1
    _table_row(ws, row, "", FigureRow("合计", figures.total.values), measures, total=True)
    total_row = row
    names = [r.name for r in figures.communities] + ["合计"]
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = max(12, max(display_width(n) for n in names) + 3)
    for col, measure in enumerate(measures, start=3):
        ws.column_dimensions[get_column_letter(col)].width = max(11, display_width(measure.label) + 3)
    ws.freeze_panes = f"C{FIRST_ROW}"
    row = total_row + 1
    if spec.note:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        note = ws.cell(row, 1, "说明：" + spec.note)
        note.font = NOTE_FONT
        note.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 30
    if figures.communities and spec.charts:
        # Side by side under the table and no wider than it: fit-to-width prints them with it.
        row += 2
        split = [round(i * last_col / len(spec.charts)) for i in range(len(spec.charts) + 1)]
        for index, chart in enumerate(spec.charts):
            _chart(ws, chart, measures, FIRST_ROW, total_row - 1,
                   (split[index], split[index + 1]), row)
        row += CHART_ROWS
    ws.print_area = f"A1:{last_letter}{row}"
    _print_setup(ws, f"1:{HEADER_ROW}")


def build_workbook(figures: DistrictFigures) -> Workbook:
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "封面"
    _cover(cover, figures)
    for spec in AREA_SHEETS:
        _area_sheet(wb.create_sheet(spec.name), spec, figures)
    wb.properties.creator = "StreetLedger"
    wb.properties.title = f"城市管理工作统计报表 {figures.period.label}"
    return wb


def write_summary(session: Session, period: Period, out: Path, *, prepared_by: str = "",
                  today: dt.date | None = None) -> ReportResult:
    figures = collect(session, period, prepared_by=prepared_by, today=today)
    with atomic_output(out) as part:
        wb = build_workbook(figures)
        wb.save(part)
    return ReportResult(Path(out), period.label, wb.sheetnames, len(figures.communities))
