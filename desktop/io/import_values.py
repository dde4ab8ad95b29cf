"""Turning spreadsheet cells into ledger values: text, dates as clerks type them, yes/no, status."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from desktop.domain.codes import CodeError, normalize_phone

from .sheet_source import Cell

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug kept)
EARLIEST = dt.date(1980, 1, 1)
LATEST = dt.date(2100, 12, 31)


def cell_text(value: Cell) -> str:
    """A cell as the text a clerk would read in it ("" for an empty cell)."""
    if isinstance(value, str):
        return value
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def number_lost_digits(value: Cell) -> bool:
    """A long code Excel stored as a number: digits after the 15th are gone."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15


# --- dates -------------------------------------------------------------------------------------

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:[\sT]+\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class DateError(ValueError):
    """The message says what is wrong, in Chinese."""


def _checked(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise DateError(f"“{text}”不是有效日期") from None
    if not EARLIEST <= value <= LATEST:
        raise DateError(f"日期“{text}”不合理（应在{EARLIEST.year}年至{LATEST.year}年之间）")
    return value


def _from_serial(serial: float, text: str) -> dt.date:
    if not 1 <= serial < 2958466:
        raise DateError(f"日期格式不正确：“{text}”（可写作 2023-05-01）")
    value = EXCEL_EPOCH + dt.timedelta(days=int(serial))
    return _checked(value.year, value.month, value.day, text)


def parse_date(value: Cell) -> dt.date | None:
    """2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501, Excel serials and date cells.

    None for an empty cell; DateError for anything else that is not a date.
    """
    if isinstance(value, dt.datetime):
        return _checked(value.year, value.month, value.day, value.date().isoformat())
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, bool):
        raise DateError(f"日期格式不正确：“{cell_text(value)}”（可写作 2023-05-01）")
    if isinstance(value, int | float):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            digits = str(int(value))
            return _checked(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)
        return _from_serial(float(value), cell_text(value))
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        return None
    match = _DATE.match(text) or _COMPACT.match(text)
    if match:
        return _checked(int(match[1]), int(match[2]), int(match[3]), text)
    if text.isdigit() and len(text) == 5:
        return _from_serial(float(text), text)
    raise DateError(f"日期格式不正确：“{text}”（可写作 2023-05-01）")


# --- words -------------------------------------------------------------------------------------

_STATUS_WORDS: dict[str, str] = {}
for _status, _words in {
    "营业": ("营业", "正常", "正常营业", "在营", "开业", "存续", "经营", "在业", "营业中", "正常经营"),
    "停业": ("停业", "歇业", "暂停营业", "关停", "停业整顿", "暂停", "装修", "装修中", "闲置", "空置"),
    "注销": ("注销", "已注销", "关闭", "已关闭", "搬离", "已搬离", "搬走", "已搬走", "吊销", "倒闭",
           "转让", "已转让"),
    "无照": ("无照", "无证", "无照经营", "无证经营", "未办照", "无营业执照"),
}.items():
    for _word in _words:
        _STATUS_WORDS[_word] = _status


def parse_status(text: str) -> str | None:
    """The ledger status a clerk's word means; "" → 营业; None when it cannot be told."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not key:
        return "营业"
    return _STATUS_WORDS.get(key)


_YES = {"是", "有", "已亮照", "亮照", "已亮", "√", "✓", "✔", "y", "yes", "true", "1", "对", "已"}
_NO = {"否", "无", "未亮照", "未亮", "没有", "×", "✗", "✘", "n", "no", "false", "0", "未", "不"}


def parse_yes_no(text: str) -> bool | None:
    """True/False for the ways clerks tick a yes/no column; None when unclear. Empty → True."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    if not key:
        return True
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


# --- phones ------------------------------------------------------------------------------------

_PHONE_SPLIT = re.compile(r"[/／,，;；、]+|\s{2,}|或")


def split_phones(text: str) -> tuple[str, list[str]]:
    """The first phone number normalised, and the others as typed (for the remarks).

    Raises CodeError when the (first) number is not a phone number.
    """
    try:
        return normalize_phone(text), []
    except CodeError as whole:
        parts = [p.strip() for p in _PHONE_SPLIT.split(text) if p.strip()]
        if len(parts) < 2:
            parts = [p for p in text.split() if p]
            if len(parts) < 2 or not all(sum(c.isdigit() for c in p) >= 7 for p in parts):
                raise whole from None
        try:
            first = normalize_phone(parts[0])
        except CodeError:
            raise whole from None
        return first, parts[1:]
