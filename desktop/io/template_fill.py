"""Filling the district's own .xlsx template with this period's figures, in its exact layout.

Two ways to say where figures go (both may be used in one template):

* Placeholders typed into cells: `{{门前三包.签约率}}` (street total), `{{东湖社区.门前三包.已签}}`,
  `{{统计期间}}`… (the names are in district_figures). A cell holding only a placeholder gets
  a typed value (number, date); one with text around it gets the value as text
  ("签约率：{{门前三包.签约率}}" → "签约率：90.0%").
* A row containing `{{#社区}}` is a per-community block: it is repeated once per community
  (styles, height, merges and formulas copied; totals below that sum the row grow to cover
  the copies), and inside it `{{社区}}`, `{{序号}}` and names without a community
  (`{{门前三包.应签}}`) refer to that row's community.

For a template the clerk must not change, a mapping saved beside it, `T.xlsx.mapping.json`:

    {"version": 1,
     "cells": {"B3": "全街道.商户数", "汇总表!D4": "门前三包.签约率"},
     "community_rows": [{"sheet": "汇总表", "key_column": "B",
                         "columns": {"C": "门前三包.应签", "D": "门前三包.已签"}}]}

`cells` maps a cell (on the first sheet unless named) to a figure; `community_rows` fills
the rows whose `key_column` holds a community's name (or 合计/全街道 for the total).

Everything else in the template is kept: styles, merged cells, column widths, print
settings, formulas. Macro workbooks (.xlsm) and protected sheets are refused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    range_boundaries,
)
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from desktop.domain.stats import Period

from .district_figures import (
    BY_NAME,
    RATE,
    SCORE,
    SCORE_FORMAT,
    STREET,
    TEXT,
    DistrictFigures,
    FigureRow,
    collect,
    unknown_figure,
)
from .sheet_rows import repeat_row
from .xlsx_out import (
    DATE_FORMAT,
    PERCENT_FORMAT,
    ExportCancelled,
    ExportError,
    atomic_output,
)

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
BLOCK = "#社区"
COMMUNITY = "社区"
NUMBER = "序号"
TOTAL_KEYS = ("合计", "总计", "小计", STREET)
MAPPING_SUFFIX = ".mapping.json"
MAX_COLUMN = 16384  # XFD, the last column Excel has
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, or an .xlsx saved with a password

Value = int | float | str | dt.date


@dataclass
class CommunityRows:
    key_column: str
    columns: dict[str, str]
    sheet: str | None = None


@dataclass
class Mapping:
    cells: dict[str, str] = field(default_factory=dict)
    community_rows: list[CommunityRows] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.cells or self.community_rows)

    def as_json(self) -> dict[str, Any]:
        return {"version": 1, "cells": self.cells,
                "community_rows": [asdict(r) for r in self.community_rows]}


@dataclass(frozen=True)
class FillResult:
    out: Path
    period: str
    template: Path
    cells: int  # cells written (placeholders and mapped cells)
    block_rows: int  # rows written by per-community blocks and keyed rows
    mapping: bool  # a saved mapping was used
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "period": self.period, "template": str(self.template),
                "cells": self.cells, "block_rows": self.block_rows, "mapping": self.mapping,
                "warnings": list(self.warnings)}


# --- the mapping sidecar ------------------------------------------------------------------------


def mapping_path(template: Path) -> Path:
    return template.with_name(template.name + MAPPING_SUFFIX)


def load_mapping(template: Path) -> Mapping | None:
    path = mapping_path(template)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [CommunityRows(str(r["key_column"]), {str(k): str(v) for k, v in r["columns"].items()},
                              r.get("sheet")) for r in data.get("community_rows", [])]
        return Mapping({str(k): str(v) for k, v in data.get("cells", {}).items()}, rows)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExportError(f"模板的对应关系文件“{path.name}”无法读取：{exc}") from exc


def save_mapping(template: Path, mapping: Mapping) -> Path:
    path = mapping_path(template)
    path.write_text(json.dumps(mapping.as_json(), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path


# --- opening the template -----------------------------------------------------------------------


def _open_template(template: Path) -> Workbook:
    if not template.exists():
        raise ExportError(f"找不到模板文件：{template}")
    suffix = template.suffix.lower()
    if suffix in (".xlsm", ".xltm"):
        raise ExportError(f"模板“{template.name}”含有宏（{suffix}），为安全起见不能使用；"
                          "请在 Excel 中另存为 .xlsx 后再选择。")
    if suffix != ".xlsx":
        raise ExportError(f"模板应为 .xlsx 工作簿：{template.name}"
                          "（.xls 等旧格式请先在 Excel 中另存为 .xlsx）")
    with template.open("rb") as f:
        if f.read(4) == _OLE_MAGIC:
            raise ExportError(f"模板“{template.name}”设置了打开密码或是旧版 .xls 文件，"
                              "请在 Excel 中取消密码并另存为 .xlsx。")
    try:
        with zipfile.ZipFile(template) as z:
            if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
                raise ExportError(f"模板“{template.name}”含有宏，为安全起见不能使用；"
                                  "请在 Excel 中另存为不含宏的 .xlsx。")
        wb = load_workbook(template, keep_vba=False, data_only=False, rich_text=True)
    except ExportError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExportError(f"无法读取模板“{template.name}”：文件已损坏或不是 Excel 工作簿") from exc
    protected = [ws.title for ws in wb.worksheets if ws.protection.sheet]
    if protected:
        raise ExportError(f"模板中的工作表“{'、'.join(protected)}”设置了保护，无法填写；"
                          "请在 Excel 中“撤销工作表保护”后另存，再选择该模板。")
    return wb


# --- resolving names ----------------------------------------------------------------------------


class _Resolver:
    def __init__(self, figures: DistrictFigures) -> None:
        self.figures = figures
        self.details = figures.details()
        self.names = [r.name for r in figures.communities]
        self.unknown: list[str] = []

    def value(self, name: str, row: FigureRow | None = None, number: int = 0) -> Value | None:
        """The value of a figure name; None (and noted) when there is no such figure."""
        if row is not None and name == COMMUNITY:
            return row.name
        if row is not None and name == NUMBER:
            return number
        if name in self.details:
            return self.details[name]
        if name in BY_NAME:
            return (row or self.figures.total).values[name]
        scope, _, measure = name.partition(".")
        target = self.figures.row(scope) if measure in BY_NAME else None
        if target is None:
            if name not in self.unknown:
                self.unknown.append(name)
            return None
        return target.values[measure]

    def kind(self, name: str) -> str:
        measure = name if name in BY_NAME else name.partition(".")[2]
        return BY_NAME[measure].kind if measure in BY_NAME else ""

    def check(self) -> None:
        if self.unknown:
            first = unknown_figure(self.unknown[0], self.names)
            more = f"（另有：{'、'.join(self.unknown[1:4])}）" if len(self.unknown) > 1 else ""
            raise ExportError(first.message + more)


def _as_text(value: Value, kind: str) -> str:
    if kind == RATE and isinstance(value, float):
        return f"{value:.1%}"
    if kind == SCORE and isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _as_literal(value: Value | None, original: str) -> str:
    """A value written into a formula: `=C10-{{全街道.门前三包.应签}}` → `=C10-1777`."""
    if value is None:
        return original
    if isinstance(value, dt.date):
        return f"DATE({value.year},{value.month},{value.day})"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


def _text_of(value: Any) -> str | None:
    if isinstance(value, CellRichText):
        return str(value)
    return value if isinstance(value, str) else None


def _put(cell: Any, value: Value, kind: str) -> None:
    if kind == TEXT:
        # Typed as text: a figure of words is never read as a formula or a number; none is blank.
        cell.value = str(value) or None
        if cell.value is not None:
            cell.data_type = "s"
        return
    cell.value = value
    if cell.number_format == "General":
        if kind == RATE:
            cell.number_format = PERCENT_FORMAT
        elif kind == SCORE:
            cell.number_format = SCORE_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT


def _fill_cell(cell: Any, resolver: _Resolver, row: FigureRow | None = None,
               number: int = 0) -> bool:
    """Replace the placeholders of one cell; True when it had any."""
    text = _text_of(cell.value)
    if text is None or "{{" not in text:
        return False
    if cell.data_type == "f":
        cell.value = PLACEHOLDER.sub(lambda m: _as_literal(resolver.value(m[1], row, number), m[0]),
                                     text)
        return True
    text = PLACEHOLDER.sub(lambda m: "" if m[1] == BLOCK else m[0], text)
    names = PLACEHOLDER.findall(text)
    whole = PLACEHOLDER.fullmatch(text.strip())
    if whole is not None:
        value = resolver.value(whole[1], row, number)
        if value is not None:
            _put(cell, value, resolver.kind(whole[1]))
        return True
    if not names:
        cell.value = text or None
        return True

    def swap(m: re.Match[str]) -> str:
        value = resolver.value(m[1], row, number)
        return m[0] if value is None else _as_text(value, resolver.kind(m[1]))

    cell.value = PLACEHOLDER.sub(swap, text)
    return True


def _block_rows(ws: Worksheet) -> list[int]:
    rows = []
    for row in ws.iter_rows():
        for cell in row:
            text = _text_of(cell.value)
            if text and PLACEHOLDER.search(text) and any(
                    m == BLOCK for m in PLACEHOLDER.findall(text)):
                rows.append(cell.row)
                break
    return rows


def _fill_blocks(ws: Worksheet, resolver: _Resolver) -> tuple[int, int]:
    """Repeat each block row per community (bottom-up, so upper rows stay put)."""
    communities = resolver.figures.communities
    cells = rows = 0
    for block in sorted(_block_rows(ws), reverse=True):
        repeat_row(ws, block, max(0, len(communities) - 1))
        if not communities:
            for cell in ws[block]:
                if _text_of(cell.value) and "{{" in str(cell.value):
                    cell.value = None
            continue
        for k, community in enumerate(communities):
            for cell in ws[block + k]:
                if isinstance(cell, MergedCell):
                    continue
                cells += _fill_cell(cell, resolver, community, k + 1)
        rows += len(communities)
    return cells, rows


def _sheet(wb: Workbook, name: str | None) -> Worksheet:
    if name is None:
        return wb.worksheets[0]
    if name not in wb.sheetnames:
        raise ExportError(f"对应关系中的工作表“{name}”在模板中不存在")
    return wb[name]


def _mapped_cell(wb: Workbook, address: str) -> tuple[Worksheet, Any]:
    sheet, _, coord = address.rpartition("!")
    ws = _sheet(wb, sheet.strip("'") or None)
    try:
        coordinate_from_string(coord)
    except ValueError as exc:
        raise ExportError(f"对应关系中的单元格地址不正确：{address}") from exc
    cell = ws[coord]
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                raise ExportError(f"单元格 {address} 在合并单元格 {rng.coord} 中，"
                                  f"请改为其左上角的 {rng.start_cell.coordinate}")
    return ws, cell


def _apply_mapping(wb: Workbook, mapping: Mapping, resolver: _Resolver) -> tuple[int, int, list[str]]:
    cells = rows = 0
    warnings: list[str] = []
    for address, name in mapping.cells.items():
        _ws, cell = _mapped_cell(wb, address)
        value = resolver.value(name.strip())
        if cell.data_type == "f":
            warnings.append(f"单元格 {address} 是模板的公式，未填入“{name}”")
        elif value is not None:
            _put(cell, value, resolver.kind(name.strip()))
            cells += 1
    for spec in mapping.community_rows:
        ws = _sheet(wb, spec.sheet)
        key = range_boundaries(f"{spec.key_column}1")[0]
        seen = set()
        for row in ws.iter_rows(min_col=key, max_col=key):
            label = _text_of(row[0].value)
            if not label:
                continue
            label = label.strip()
            item = resolver.figures.total if label in TOTAL_KEYS else resolver.figures.row(label)
            if item is None:
                continue
            seen.add(item.name)
            for column, name in spec.columns.items():
                value = resolver.value(name.strip(), item)
                cell = ws[f"{column}{row[0].row}"]
                if value is not None and cell.data_type != "f":  # the template's sums stay
                    _put(cell, value, resolver.kind(name.strip()))
                    cells += 1
            rows += 1
        missing = [c for c in resolver.names if c not in seen]
        if missing:
            warnings.append(f"工作表“{ws.title}”中没有以下社区的行：{'、'.join(missing)}")
    return cells, rows, warnings


def fill_workbook(wb: Workbook, figures: DistrictFigures, mapping: Mapping | None,
                  template_name: str = "模板") -> tuple[int, int, list[str]]:
    """Fill `wb` in place; returns (cells, rows, warnings)."""
    resolver = _Resolver(figures)
    has_placeholders = any(
        "{{" in (_text_of(c.value) or "") for ws in wb.worksheets for r in ws.iter_rows() for c in r)
    if not has_placeholders and not mapping:
        raise ExportError(
            f"“{template_name}”中没有 {{{{…}}}} 占位符，也没有保存的单元格对应关系"
            f"（{template_name}{MAPPING_SUFFIX}）。请在要填数的单元格中写入如 "
            "{{门前三包.签约率}} 的占位符，或先设置对应关系。")
    cells = rows = 0
    for ws in wb.worksheets:
        c, r = _fill_blocks(ws, resolver)
        cells += c
        rows += r
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell, MergedCell):
                    cells += _fill_cell(cell, resolver)
    warnings: list[str] = []
    if mapping:
        c, r, warnings = _apply_mapping(wb, mapping, resolver)
        cells += c
        rows += r
    resolver.check()
    return cells, rows, warnings


def _check_output(template: Path, out: Path) -> None:
    if Path(out).resolve() == template.resolve():
        raise ExportError("输出文件不能与模板相同，请另选文件名（模板要留着下个月再用）")


def _fill_and_save(wb: Workbook, mapping: Mapping | None, figures: DistrictFigures,
                   template: Path, out: Path, cancelled: Callable[[], bool]) -> FillResult:
    cells, rows, warnings = fill_workbook(wb, figures, mapping, template.name)
    with atomic_output(out) as part:
        if cancelled():
            raise ExportCancelled()
        wb.save(part)
        if cancelled():  # the last moment before the rename: a cancel still leaves no file
            raise ExportCancelled()
    return FillResult(Path(out), figures.period.label, template, cells, rows, bool(mapping),
                      tuple(warnings))


def fill_template(session: Session, period: Period, template: Path, out: Path, *,
                  prepared_by: str = "", today: dt.date | None = None) -> FillResult:
    template = Path(template)
    _check_output(template, out)
    wb = _open_template(template)
    mapping = load_mapping(template)
    figures = collect(session, period, prepared_by=prepared_by, today=today)
    return _fill_and_save(wb, mapping, figures, template, out, lambda: False)


def fill_collected(figures: DistrictFigures, template: Path, out: Path, *,
                   cancelled: Callable[[], bool] = lambda: False) -> FillResult:
    """fill_template with figures already collected, so a GUI can offer a cancel between the
    slow collecting and the write; a cancel raises ExportCancelled and leaves no file."""
    template = Path(template)
    _check_output(template, out)
    wb = _open_template(template)
    return _fill_and_save(wb, load_mapping(template), figures, template, out, cancelled)


# --- what a template holds, for the clerk -------------------------------------------------------


@dataclass(frozen=True)
class TemplateSummary:
    placeholders: int  # {{…}} placeholders in all sheets
    mapping: Mapping | None  # the saved mapping, if any
    sheets: tuple[str, ...]

    @property
    def fillable(self) -> bool:
        return bool(self.placeholders or self.mapping)


def summarize_template(template: Path) -> TemplateSummary:
    """How a template will be filled; refuses what fill_template refuses (macros, protection…)."""
    template = Path(template)
    wb = _open_template(template)
    count = sum(len(PLACEHOLDER.findall(_text_of(cell.value) or ""))
                for ws in wb.worksheets for row in ws.iter_rows() for cell in row)
    return TemplateSummary(count, load_mapping(template), tuple(wb.sheetnames))


@dataclass(frozen=True)
class SheetPreview:
    """The top-left corner of one sheet as text, for choosing cells to map."""

    title: str
    rows: int
    columns: int
    cells: dict[tuple[int, int], str]  # (row, column), both from 1 → the cell as shown
    formulas: frozenset[tuple[int, int]]
    merged: tuple[tuple[int, int, int, int], ...]  # first row, first column, last row, last column


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}" if value.time() == dt.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_number(letters: str) -> int | None:
    """A column's number from its letters (A → 1 … XFD → 16384); None when Excel has no such column."""
    if not re.fullmatch(r"[A-Za-z]{1,3}", letters):
        return None
    number = column_index_from_string(letters.upper())
    return number if number <= MAX_COLUMN else None


def preview_template(template: Path, rows: int = 60, columns: int = 26, *,
                     max_rows: int = 200, max_columns: int = 52) -> list[SheetPreview]:
    """Each sheet's first `rows` × `columns` cells (more, up to the max, where the sheet is used)."""
    wb = _open_template(Path(template))
    sheets = []
    for ws in wb.worksheets:
        height = min(max(rows, ws.max_row), max_rows)
        width = min(max(columns, ws.max_column), max_columns)
        cells: dict[tuple[int, int], str] = {}
        formulas = set()
        for row in ws.iter_rows(min_row=1, max_row=height, max_col=width):
            for cell in row:
                if isinstance(cell, MergedCell) or cell.value is None:
                    continue
                cells[(cell.row, cell.column)] = _shown(cell.value)
                if cell.data_type == "f":
                    formulas.add((cell.row, cell.column))
        merged = []
        for rng in ws.merged_cells.ranges:
            if rng.min_row <= height and rng.min_col <= width:
                merged.append((rng.min_row, rng.min_col, min(rng.max_row, height),
                               min(rng.max_col, width)))
        sheets.append(SheetPreview(ws.title, height, width, cells, frozenset(formulas),
                                   tuple(sorted(merged))))
    return sheets

