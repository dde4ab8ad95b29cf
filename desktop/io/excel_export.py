"""List exports to .xlsx: typed cells, a styled frozen header, rows streamed as they are fetched.

A `ListSource` hands in its columns and its rows a fetched batch at a time, each row a tuple
in column order; `write_list` streams them into a write-only workbook, so a list of 200,000
rows never sits in memory whole. Cancelling or failing leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from .xlsx_out import (
    BORDER,
    DATE_FORMAT,
    DATETIME_FORMAT,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_FONT,
    PERCENT_FORMAT,
    TEXT_FORMAT,
    ExportCancelled,
    atomic_output,
    column_width,
    sheet_title,
)

# What a column holds; decides the cell type and format.
TEXT, CODE, DATE, DATETIME, NUMBER, BOOL, PERCENT = (
    "text", "code", "date", "datetime", "number", "bool", "percent")
KINDS = (TEXT, CODE, DATE, DATETIME, NUMBER, BOOL, PERCENT)
WIDTH_SAMPLE = 200  # rows looked at for the column widths (write-only sheets fix them first)
_FIXED_WIDTH = {DATE: 12.0, DATETIME: 17.0, PERCENT: 9.0}

Progress = Callable[[int, int], None]  # rows written, rows expected
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    kind: str = TEXT

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class ListSource:
    """What a list shows: its name, its columns, and its rows in order, batch by batch."""

    name: str
    columns: Sequence[Column]
    total: int
    batches: Iterable[Sequence[Sequence[Any]]] = field(repr=False)


@dataclass(frozen=True)
class ExportResult:
    out: Path
    rows: int

    def as_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "rows": self.rows}


def clean_text(value: str) -> str:
    # isprintable() is a C-speed check that passes nearly every real string untouched.
    if value.isprintable():
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class _CellMaker:
    """Turns a row of plain values into what WriteOnlyWorksheet.append takes.

    Unstyled values go in as they are (openpyxl reuses one cell for them, the fast path);
    only dates, codes and percentages become cells of their own, sharing one style array per
    kind instead of building a style per cell.
    """

    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
        self._ws = ws
        self._styles = {kind: self._style(ws, fmt) for kind, fmt in (
            (CODE, TEXT_FORMAT), (DATE, DATE_FORMAT), (DATETIME, DATETIME_FORMAT),
            (PERCENT, PERCENT_FORMAT))}
        self._makers: list[Callable[[Any], Any]] = [self._maker(c.kind) for c in columns]

    @staticmethod
    def _style(ws: WriteOnlyWorksheet, number_format: str) -> Any:
        probe = Cell(ws, row=1, column=1)
        probe.number_format = number_format
        return probe._style

    def _cell(self, value: Any, data_type: str, kind: str | None) -> Cell:
        cell = Cell(self._ws, row=1, column=1)
        cell._value = value
        cell.data_type = data_type
        if kind is not None:
            cell._style = self._styles[kind]
        return cell

    def _maker(self, kind: str) -> Callable[[Any], Any]:
        return {TEXT: self._text, CODE: self._code, DATE: self._date, DATETIME: self._datetime,
                NUMBER: self._number, BOOL: self._bool, PERCENT: self._percent}[kind]

    def row(self, values: Sequence[Any]) -> list[Any]:
        return [make(v) for make, v in zip(self._makers, values, strict=True)]

    def _text(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        text = clean_text(value if isinstance(value, str) else str(value))
        if text.startswith("="):
            # Typed text, not a formula: openpyxl would otherwise write "=…" as one.
            return self._cell(text, "s", None)
        return text

    def _code(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        # Text cells formatted "@": long digit strings keep every digit and leading zero.
        return self._cell(clean_text(str(value)), "s", CODE)

    def _date(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        elif isinstance(value, dt.datetime):
            value = value.date()
        return self._cell(value, "d", DATE)

    def _datetime(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        elif not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)  # Excel has no time zones
        return self._cell(value.replace(microsecond=0), "d", DATETIME)

    @staticmethod
    def _number(value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, (int, float)):
            return value
        return float(value)  # Decimal from PostgreSQL, numeric text from a fallback list

    @staticmethod
    def _bool(value: Any) -> Any:
        if value is None:
            return None
        return "是" if value else "否"

    def _percent(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        return self._cell(float(value), "n", PERCENT)


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == BOOL:
        return "是"
    return value if isinstance(value, str) else str(value)


def _widths(columns: Sequence[Column], sample: list[Sequence[Any]]) -> list[float]:
    widths = []
    for i, col in enumerate(columns):
        header = column_width([col.title], minimum=8.0) + 2.0  # room for the filter arrow
        if col.kind in _FIXED_WIDTH:
            widths.append(max(header, _FIXED_WIDTH[col.kind]))
            continue
        widths.append(max(header, column_width([_shown(r[i], col.kind) for r in sample])))
    return widths


def _header(ws: WriteOnlyWorksheet, columns: Sequence[Column]) -> list[Cell]:
    cells = []
    for col in columns:
        cell = Cell(ws, row=1, column=1, value=col.title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGN
        cells.append(cell)
    return cells


def _page_setup(ws: WriteOnlyWorksheet, name: str) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = f"{name}  第 &P 页，共 &N 页"


def write_list(out: Path, source: ListSource, *, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> ExportResult:
    """Write `source` to `out` (.xlsx). Raises ExportCancelled when `cancelled()` says so.

    Progress is reported after each fetched batch; cancel is checked there too, so a stop
    takes effect within one batch.
    """
    with atomic_output(out) as part:
        wb = Workbook(write_only=True)
        try:
            written = _write(wb, source, progress, cancelled)
            wb.save(part)
        except BaseException:
            _discard(wb)
            raise
    return ExportResult(Path(out), written)


def _discard(wb: Workbook) -> None:
    """Close an abandoned write-only workbook's streams and delete their temporary files.

    openpyxl keeps each sheet's rows in a temp file until save; left to the garbage
    collector, the half-open XML streams complain and the files stay until exit.
    """
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        try:
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                writer.cleanup()
        except Exception:  # best effort on the way out of an error
            pass


def _write(wb: Workbook, source: ListSource, progress: Progress | None,
           cancelled: Cancelled | None) -> int:
    columns = list(source.columns)
    wb.properties.creator = "StreetLedger"
    wb.properties.title = source.name
    ws = wb.create_sheet(sheet_title(source.name))
    batches: Iterator[Sequence[Sequence[Any]]] = iter(source.batches)
    first: list[Sequence[Sequence[Any]]] = []
    sampled: list[Sequence[Any]] = []
    for batch in batches:
        first.append(batch)
        sampled.extend(batch[: WIDTH_SAMPLE - len(sampled)])
        if len(sampled) >= WIDTH_SAMPLE:
            break
    for i, width in enumerate(_widths(columns, sampled), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    _page_setup(ws, source.name)
    ws.append(_header(ws, columns))
    maker = _CellMaker(ws, columns)
    written = 0
    for batch in itertools.chain(first, batches):
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        for values in batch:
            ws.append(maker.row(values))
        written += len(batch)
        if progress is not None:
            progress(written, max(source.total, written))
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    last = get_column_letter(max(1, len(columns)))
    ws.auto_filter.ref = f"A1:{last}{written + 1}"
    return written
