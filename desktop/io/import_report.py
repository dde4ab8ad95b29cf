"""The error workbook: the rows that were not imported, with their original columns and why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .excel_import import ImportResult
from .sheet_source import Cell, ImportFileError

ROW_COLUMN = "原表行号"
REASON_COLUMN = "错误原因"


def _plain(value: Cell) -> Any:
    """A cell as the clerk typed it; long numbers as text so Excel shows every digit."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**10:
        return str(value)
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def write_error_workbook(result: ImportResult, out: Path | str) -> int:
    """Write the rows not imported (fix them and import this file again); returns how many."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    out = Path(out)
    width = len(result.columns)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("错误清单")
    for index in range(width + 2):
        letter = _letter(index)
        sheet.column_dimensions[letter].width = 40 if index == width + 1 else 16
    bold = Font(bold=True)
    header = []
    for text in [*result.columns, ROW_COLUMN, REASON_COLUMN]:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    red = Font(color="C00000")
    fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in result.error_rows:
        cells: list[Any] = [_plain(v) for v in row.cells[:width]]
        cells += [""] * (width - len(cells))
        reason = WriteOnlyCell(sheet, value=row.reasons)
        reason.font = red
        reason.fill = fill
        reason.alignment = wrap
        sheet.append([*cells, row.row, reason])
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
    except PermissionError as exc:
        raise ImportFileError(f"无法保存错误清单“{out.name}”：文件正被其他程序（如 Excel）打开，"
                              "或该文件夹没有写入权限") from exc
    except OSError as exc:
        raise ImportFileError(f"无法保存错误清单“{out.name}”（{exc.strerror or exc}）") from exc
    return len(result.error_rows)


def _letter(index: int) -> str:
    from .import_columns import column_letter

    return column_letter(index)
