"""Writing .xlsx files safely and consistently: temp file then rename, shared styles, widths."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from desktop.domain.errors import DomainError

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"
PERCENT_FORMAT = "0.0%"
INTEGER_FORMAT = "#,##0"

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(name="宋体", bold=True, size=11)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center")

MIN_WIDTH = 6.0
MAX_WIDTH = 40.0  # longer text stays whole in the cell; the column just shows less
# Excel refuses these in sheet names.
_SHEET_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


class ExportError(DomainError):
    """The workbook could not be written; the message says why in Chinese."""


class ExportCancelled(ExportError):
    def __init__(self) -> None:
        super().__init__("已取消导出，未生成文件")


def display_width(text: str) -> int:
    """Columns a text takes in a grid font: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(texts: list[str], minimum: float = MIN_WIDTH) -> float:
    widest = max((display_width(t) for t in texts if t), default=0)
    return max(minimum, min(MAX_WIDTH, widest + 2.0))


def sheet_title(text: str) -> str:
    return text.translate(_SHEET_BAD).strip("'")[:31] or "Sheet1"


def check_target(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ExportError(f"只能导出为 .xlsx 文件：{out.name}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"文件夹不存在：{folder}")
    if out.is_dir():
        raise ExportError(f"“{out}”是一个文件夹，请另选文件名")
    return out


def locked_message(out: Path) -> str:
    return (f"无法写入“{out.name}”：该文件可能正在 Excel 或 WPS 中打开，"
            "请关闭后重试，或另存为其他文件名。")


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """A temporary file beside `out`, renamed over it only when the body finishes.

    A cancel, an error or a locked target leaves the old file as it was and no part file:
    the rename is the only step that touches `out`.
    """
    out = check_target(out)
    folder = out.parent if str(out.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=".~streetledger-", suffix=".xlsx.part", dir=folder)
    except PermissionError as exc:
        raise ExportError(f"没有写入文件夹“{folder}”的权限，请另选保存位置。") from exc
    os.close(fd)
    part = Path(name)
    try:
        try:
            yield part
        except OSError as exc:  # a full disk, a vanished network folder
            raise ExportError(f"无法写入“{out.name}”：{exc.strerror or exc}") from exc
        try:
            os.replace(part, out)
        except PermissionError as exc:
            raise ExportError(locked_message(out)) from exc
        except OSError as exc:
            raise ExportError(f"无法写入“{out.name}”：{exc.strerror or exc}") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
