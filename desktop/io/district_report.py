"""The monthly / quarterly district summary: a cover and one sheet per area, with charts."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from desktop.domain.stats import Period

from .district_figures import (
    BY_NAME,
    CATEGORY_MEASURES,
    RATE,
    SCORE,
    SCORE_FORMAT,
    TEXT,
    DistrictFigures,
    Figure,
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
    TEXT_FORMAT,
    TOTAL_FILL,
    ExportCancelled,
    atomic_output,
    display_width,
)

TITLE_FONT = Font(name="黑体", size=16, bold=True)
COVER_TITLE_FONT = Font(name="黑体", size=22, bold=True)
SUBTITLE_FONT = Font(name="黑体", size=12)
NOTE_FONT = Font(name="宋体", size=10, color="595959")
BODY_FONT = Font(name="宋体", size=11)
BOLD_FONT = Font(name="宋体", size=11, bold=True)
HEADER_ROW = 3  # title, the line under it, then the column headings
FIRST_ROW = HEADER_ROW + 1
CHART_ROWS = 14  # rows of the default height a chart covers
CHART_PAGE_ROWS = 24  # … or when the charts have a page to themselves
TEXT_WIDTH = 50  # a column of words (垃圾分类.主要不合格项), wrapped within it
TOP_ITEMS_SHOWN = 5  # rows of the street's most failed sorting items
NO_TEXT = "—"  # a text figure with nothing to say

# Page geometry (points) for keeping a block of rows off a page break: A4 landscape less
# the margins set in _print_setup, and Excel's default row height.
PAGE_WIDTH_PT = 841.9 - 2 * 36
PAGE_HEIGHT_PT = 595.3 - (0.6 + 0.8) * 72
ROW_PT = 15.0
LINE_PT = 14.0  # one more wrapped line of 宋体 11


@dataclass(frozen=True)
class Chart:
    title: str
    measures: tuple[str, ...]
    percent: bool = False


# A second table under the area's own: (sheet, first row, figures, columns) → the row after it.
Detail = Callable[[Worksheet, int, DistrictFigures, int], int]


@dataclass(frozen=True)
class AreaSheet:
    name: str  # sheet name
    title: str  # heading above the table
    measures: tuple[str, ...]
    charts: tuple[Chart, ...]
    note: str = ""
    detail: Detail | None = None
    detail_columns: Callable[[DistrictFigures], int] | None = None  # how wide the detail is


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


# --- cells ---------------------------------------------------------------------------------


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column (or merged columns) `width` characters wide.

    A CJK character counts two (宋体 11 is a shade wider; the width's own margin covers it).
    """
    room = max(1.0, width - 1)
    return max(1, sum(math.ceil(max(1, display_width(part)) / room) for part in text.split("\n")))


def _shown_text(value: Figure) -> str:
    """A text figure as the sheet shows it: each of several items on a line of its own."""
    return str(value).replace("；", "；\n") if value else NO_TEXT


def _fit_height(ws: Worksheet, row: int, lines: int) -> None:
    """Tall enough for `lines` wrapped lines; never lower than the row already is."""
    if lines > 1:
        height = ROW_PT + (lines - 1) * LINE_PT
        ws.row_dimensions[row].height = max(height, ws.row_dimensions[row].height or 0)


def _value_cell(ws: Worksheet, row: int, col: int, value: Figure, measure: Measure,
                bold: bool) -> None:
    if measure.kind == TEXT:
        cell = ws.cell(row, col, _shown_text(value))
        cell.number_format = TEXT_FORMAT
        cell.alignment = Alignment(horizontal="left" if value else "center", vertical="center",
                                   wrap_text=True)
    else:
        cell = ws.cell(row, col, value)
        cell.number_format = {RATE: PERCENT_FORMAT, SCORE: SCORE_FORMAT}.get(measure.kind,
                                                                          INTEGER_FORMAT)
        cell.alignment = Alignment(horizontal="right", vertical="center")
    cell.border = BORDER
    cell.font = BOLD_FONT if bold else BODY_FONT


def _label_cells(ws: Worksheet, row: int, values: list[Any], bold: bool) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.border = BORDER
        cell.font = BOLD_FONT if bold else BODY_FONT
        cell.alignment = CENTER


def _header(ws: Worksheet, row: int, titles: list[str], first: int = 1) -> None:
    for col, title in enumerate(titles, start=first):
        cell = ws.cell(row, col, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGN
    ws.row_dimensions[row].height = 30


def _table_row(ws: Worksheet, row: int, number: int | str, item: FigureRow,
               measures: list[Measure], total: bool) -> None:
    _label_cells(ws, row, [number, item.name], total)
    for col, measure in enumerate(measures, start=3):
        value = item.values[measure.name]
        _value_cell(ws, row, col, value, measure, total)
        if measure.kind == TEXT and value:
            _fit_height(ws, row, _lines(_shown_text(value), TEXT_WIDTH))
    if total:
        for col in range(1, len(measures) + 3):
            ws.cell(row, col).fill = TOTAL_FILL


def _subtitle(ws: Worksheet, row: int, text: str, last_col: int) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = ws.cell(row, 1, text)
    cell.font = SUBTITLE_FONT
    cell.alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[row].height = 24


def _note(ws: Worksheet, row: int, text: str, last_col: int) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = ws.cell(row, 1, text)
    cell.font = NOTE_FONT
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(_width(ws, c) for c in range(1, last_col + 1))
    ws.row_dimensions[row].height = max(18, 4 + _lines(text, width) * 13)


def _width(ws: Worksheet, col: int) -> float:
    return ws.column_dimensions[get_column_letter(col)].width or 8.43


def _widen(ws: Worksheet, col: int, width: float) -> None:
    letter = get_column_letter(col)
    ws.column_dimensions[letter].width = max(width, ws.column_dimensions[letter].width or 0)


# --- the second tables ---------------------------------------------------------------------


def _categories_shown(figures: DistrictFigures) -> list[str]:
    """The category measures that occur in the period, in the catalogue's order."""
    return [m for m in CATEGORY_MEASURES if figures.total.values[m]]


def _categories_across(figures: DistrictFigures) -> bool:
    """Categories as rows and communities across, unless the communities outnumber them: the
    table is then turned, so that it stays no wider than the categories make it."""
    return len(figures.communities) <= max(len(_categories_shown(figures)), 1)


def _category_columns(figures: DistrictFigures) -> int:
    across = len(figures.communities) if _categories_across(figures) else len(
        _categories_shown(figures))
    return 2 + across + 1


def _category_table(ws: Worksheet, row: int, figures: DistrictFigures, last_col: int) -> int:
    """巡查.发现 by category and community, with totals both ways."""
    shown = _categories_shown(figures)
    _subtitle(ws, row, "按问题类别统计（统计期间内发现的问题）", last_col)
    row += 1
    if not shown:
        _note(ws, row, "统计期间内未发现问题。", last_col)
        return row + 1
    places = [*figures.communities, FigureRow("合计", figures.total.values)]
    found = [*shown, "巡查.发现"]  # the last: every category, the total
    if _categories_across(figures):
        corner = "问题类别"
        rows = [(BY_NAME[m].label, [p.values[m] for p in places]) for m in found]
        columns = [p.name for p in places]
    else:
        corner = "社区"
        rows = [(p.name, [p.values[m] for m in found]) for p in places]
        columns = [BY_NAME[m].label for m in shown] + ["合计"]
    _header(ws, row, ["序号", corner, *columns])
    for col, title in enumerate(columns, start=3):
        _widen(ws, col, max(11, display_width(title) + 3))
    measure = BY_NAME["巡查.发现"]
    for number, (label, values) in enumerate(rows, start=1):
        total = number == len(rows)
        row += 1
        _label_cells(ws, row, ["" if total else number, "合计" if total else label], total)
        for col, value in enumerate(values, start=3):
            last = col == len(values) + 2
            _value_cell(ws, row, col, value, measure, bold=total or last)
            if total or last:
                ws.cell(row, col).fill = TOTAL_FILL
        if total:
            ws.cell(row, 1).fill = ws.cell(row, 2).fill = TOTAL_FILL
    return row + 1


def _failed_items_table(ws: Worksheet, row: int, figures: DistrictFigures, last_col: int) -> int:
    """The street's sorting items most often failed: the item over the middle columns, then
    its failures and their share of the checks scored on a checklist with that item."""
    items = figures.failed_items[:TOP_ITEMS_SHOWN]
    _subtitle(ws, row, f"全街道不合格次数最多的检查项（前{TOP_ITEMS_SHOWN}项）", last_col)
    row += 1
    if not items:
        _note(ws, row, "统计期间内没有不合格的检查项。", last_col)
        return row + 1
    text_first, text_last = 3, last_col - 2  # C … two columns from the right
    text_width = sum(_width(ws, c) for c in range(text_first, text_last + 1))
    _header(ws, row, ["序号", "类别", "检查项", *[""] * (text_last - text_first),
                      "不合格次数", "不合格占比"])
    ws.merge_cells(start_row=row, start_column=text_first, end_row=row, end_column=text_last)
    row += 1
    for number, item in enumerate(items, start=1):
        _label_cells(ws, row, [number, item.group], False)
        for col in range(text_first, text_last + 1):
            ws.cell(row, col).border = BORDER
        cell = ws.cell(row, text_first, item.text)
        cell.font = BODY_FONT
        cell.number_format = TEXT_FORMAT
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=row, start_column=text_first, end_row=row, end_column=text_last)
        _fit_height(ws, row, _lines(item.text, text_width))
        for col, (value, fmt) in enumerate(((item.failures, INTEGER_FORMAT),
                                            (item.share, PERCENT_FORMAT)), start=last_col - 1):
            number_cell = ws.cell(row, col, value)
            number_cell.number_format = fmt
            number_cell.border = BORDER
            number_cell.font = BODY_FONT
            number_cell.alignment = CENTER  # the last column is wide: the text figures' one
        row += 1
    return row


# --- the area sheets -----------------------------------------------------------------------


AREA_SHEETS: tuple[AreaSheet, ...] = (
    AreaSheet("门前三包", "门前三包责任制落实情况",
              ("商户数", "门前三包.应签", "门前三包.已签", "门前三包.签约率", "门前三包.即将到期",
               "门前三包.未签", "门前三包.新开未签"),
              (Chart("各社区门前三包签约率", ("门前三包.签约率",), percent=True),
               Chart("各社区应签与已签户数", ("门前三包.应签", "门前三包.已签"))),
              "应签户数：在册且营业（含无照经营）的商户；已签户数：截至统计日持有效责任书的商户；"
              "签约率＝已签户数÷应签户数；新开未签户数：统计期间内新登记、应签而截至统计日"
              "未持有效责任书的商户。"),
    AreaSheet("招牌许可", "户外广告及招牌设置许可情况",
              ("招牌许可.申请", "招牌许可.准予", "招牌许可.不予许可", "招牌许可.有效",
               "招牌许可.即将到期", "招牌许可.已拆除", "招牌许可.安全隐患"),
              (Chart("各社区招牌许可办理情况", ("招牌许可.申请", "招牌许可.准予", "招牌许可.不予许可")),),
              "申请、准予、不予许可为统计期间内受理的申请；有效许可及到期数为截至统计日的情况；"
              "本期拆除为拆除日期在统计期间内的招牌；存在安全隐患为仍在设置、最近一次安全检查"
              "不合格的招牌。"),
    AreaSheet("垃圾分类", "垃圾分类检查情况",
              ("垃圾分类.检查点位", "垃圾分类.检查", "垃圾分类.合格", "垃圾分类.不合格",
               "垃圾分类.合格率", "垃圾分类.平均分", "垃圾分类.主要不合格项"),
              (Chart("各社区垃圾分类检查合格率", ("垃圾分类.合格率",), percent=True),),
              "检查点位为统计期间内检查过的点位数；检查次数不含复查，每次检查以其最近一次复查的"
              "结果和得分计；合格率＝合格次数÷检查次数；平均得分为各次检查得分的平均；"
              "主要不合格项为初查中不合格次数最多的检查项，不合格占比＝不合格次数÷使用该检查项的"
              "检查次数。",
              detail=_failed_items_table),
    AreaSheet("巡查与通知", "巡查发现问题及责令改正通知书情况",
              ("巡查.发现", "巡查.已整改", "巡查.按期整改", "巡查.逾期", "巡查.移交执法",
               "通知书.签发", "通知书.作废", "通知书.复查"),
              (Chart("各社区巡查问题处置情况", ("巡查.发现", "巡查.已整改", "巡查.按期整改",
                                         "巡查.逾期")),),
              "发现、已整改、按期整改、移交执法为统计期间内发现的问题；按期整改为复查合格"
              "（当场改正的为销号）日期不晚于整改期限的；逾期未改为截至统计日已过整改期限仍未"
              "整改的问题；复查次数为统计期间内登记的整改复查。",
              detail=_category_table, detail_columns=_category_columns),
)


def _chart(ws: Worksheet, spec: Chart, measures: list[Measure], first: int, last: int,
           cols: tuple[int, int], top: int, rows: int = CHART_ROWS) -> None:
    """A bar chart over columns cols[0]…cols[1]-1 from row `top` down `rows` rows, anchored to
    the cells so it is exactly as wide as they are in Excel, WPS and LibreOffice alike."""
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
                                 to=AnchorMarker(col=cols[1], row=top - 1 + rows))
    ws.add_chart(chart)


def _column_widths(ws: Worksheet, measures: list[Measure], names: list[str]) -> None:
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = max(12, max(display_width(n) for n in names) + 3)
    for col, measure in enumerate(measures, start=3):
        width = TEXT_WIDTH if measure.kind == TEXT else max(11, display_width(measure.label) + 3)
        ws.column_dimensions[get_column_letter(col)].width = width


def _rows_pt(ws: Worksheet, first: int, last: int) -> float:
    return sum(ws.row_dimensions[r].height or ROW_PT for r in range(first, last + 1))


class _Pages:
    """Where the printed pages break: a block of rows (a table, the charts) that would cross
    a break starts the next page instead, under the title rows printed again there."""

    def __init__(self, ws: Worksheet, page: float, title_rows: int, *, run_on: bool) -> None:
        self.ws, self.page = ws, page
        self.titles = _rows_pt(ws, 1, title_rows)
        self.top = 1  # the first row of the current page
        self.repeated = 0.0  # title rows printed above it
        self.run_on = run_on  # the rows so far take more than a page: where they end is unknown

    def used(self, before: int) -> float:
        return self.repeated + _rows_pt(self.ws, self.top, before - 1)

    def keep(self, first: int, height: float) -> bool:
        """Start a page at row `first` unless `height` more points fit on this one."""
        if first <= self.top or (not self.run_on and self.used(first) + height <= self.page):
            return False
        self.run_on = False
        self.ws.row_breaks.append(Break(id=first - 1))
        self.top, self.repeated = first, self.titles
        return True


def _page_height(ws: Worksheet, last_col: int) -> float:
    """Points of the sheet that fit on one printed page once fitted to the page's width."""
    px = sum(_width(ws, c) * 7 + 5 for c in range(1, last_col + 1))
    return PAGE_HEIGHT_PT / min(1.0, PAGE_WIDTH_PT / (px * 0.75))


def _area_sheet(ws: Worksheet, spec: AreaSheet, figures: DistrictFigures) -> None:
    measures = [BY_NAME[n] for n in spec.measures]
    table_cols = len(measures) + 2
    detail_cols = spec.detail_columns(figures) if spec.detail and spec.detail_columns else 0
    last_col = max(table_cols, detail_cols)
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
    # Two lines' height: a narrow table wraps the line.
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 28
    names = [r.name for r in figures.communities] + ["合计"]
    if spec.detail is _category_table and _categories_across(figures):
        names += [BY_NAME[m].label for m in _categories_shown(figures)]
    _column_widths(ws, measures, names)
    _header(ws, HEADER_ROW, ["序号", "社区", *(m.label for m in measures)])
    row = FIRST_ROW
    for number, item in enumerate(figures.communities, start=1):
        _table_row(ws, row, number, item, measures, total=False)
        row += 1
    _table_row(ws, row, "", FigureRow("合计", figures.total.values), measures, total=True)
    total_row = row
    ws.freeze_panes = f"C{FIRST_ROW}"
    row = total_row + 1
    if spec.note:
        row += 1
        _note(ws, row, "说明：" + spec.note, last_col)
        row += 1
    # The headings repeat on every page only while the community table itself runs on.
    page = _page_height(ws, last_col)
    long_table = _rows_pt(ws, 1, total_row) > page
    pages = _Pages(ws, page, HEADER_ROW if long_table else HEADER_ROW - 1, run_on=long_table)
    if spec.detail is not None:
        first = row + 1  # after a blank row
        row = spec.detail(ws, first, figures, last_col)
        pages.keep(first, _rows_pt(ws, first, row - 1))
    if figures.communities and spec.charts:
        # Side by side under the figures (not the words) and no wider than the table:
        # fit-to-width prints them with it. A page break cuts a chart in two, so they start a
        # page when they would cross one, and then take more of it.
        row += 1
        height = CHART_PAGE_ROWS if pages.keep(row, CHART_ROWS * ROW_PT) else CHART_ROWS
        width = 2 + sum(m.kind != TEXT for m in measures)
        split = [round(i * width / len(spec.charts)) for i in range(len(spec.charts) + 1)]
        for index, chart in enumerate(spec.charts):
            _chart(ws, chart, measures, FIRST_ROW, total_row - 1,
                   (split[index], split[index + 1]), row, height)
        row += height
    ws.print_area = f"A1:{last_letter}{row - 1}"
    _print_setup(ws, f"1:{HEADER_ROW}" if long_table else "1:2")


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


def write_collected(figures: DistrictFigures, out: Path, *,
                    cancelled: Callable[[], bool] = lambda: False) -> ReportResult:
    """The summary of figures already collected; a cancel before the file is in place leaves
    nothing behind."""
    with atomic_output(out) as part:
        wb = build_workbook(figures)
        if cancelled():
            raise ExportCancelled()
        wb.save(part)
        if cancelled():
            raise ExportCancelled()
    return ReportResult(Path(out), figures.period.label, wb.sheetnames, len(figures.communities))


def write_summary(session: Session, period: Period, out: Path, *, prepared_by: str = "",
                  today: dt.date | None = None) -> ReportResult:
    return write_collected(collect(session, period, prepared_by=prepared_by, today=today), out)
