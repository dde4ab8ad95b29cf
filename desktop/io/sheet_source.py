"""Opening a ledger file (.xlsx/.xls/.ods/.csv) and reading its rows, whatever state it is in.

Every way a file can be unreadable (not a spreadsheet, encrypted, empty, locked by Excel,
truncated) ends in one ImportFileError with a sentence the clerk can act on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from desktop.domain.errors import DomainError

Cell = Any  # str | int | float | bool | date | datetime | time | timedelta, "" when empty

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office writes a password-protected .xlsx as an OLE container with these streams.
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et"}
MAX_CSV_BYTES = 200 * 1024 * 1024

_SS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


class ImportFileError(DomainError):
    """The file cannot be imported at all; nothing has been written."""


@dataclass(frozen=True)
class SheetRef:
    index: int  # 0-based position in the workbook
    name: str
    visible: bool


class Sheet:
    """One sheet's rows: (row number as the spreadsheet shows it, cells from column A)."""

    def __init__(self, ref: SheetRef, kind: str, height: int,
                 hidden_columns: frozenset[int] = frozenset()) -> None:
        self.ref = ref
        self.kind = kind
        self.height = height  # the last row number with data (an estimate for CSV)
        self.hidden_columns = hidden_columns

    @property
    def name(self) -> str:
        return self.ref.name

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        raise NotImplementedError

    def head(self, count: int) -> list[tuple[int, list[Cell]]]:
        out = []
        for item in self.rows():
            out.append(item)
            if len(out) >= count:
                break
        return out


class _CalamineSheet(Sheet):
    def __init__(self, ref: SheetRef, kind: str, sheet: Any,
                 hidden_columns: frozenset[int]) -> None:
        end = sheet.end
        super().__init__(ref, kind, (end[0] + 1) if end else 0, hidden_columns)
        self._sheet = sheet
        start = sheet.start
        self._first_col = start[1] if start else 0

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        if self.height == 0:
            return
        # python-calamine (0.2–0.9) yields rows from the top of the sheet but cells from the
        # first used column on; the tests pin row numbers for every format.
        pad = [""] * self._first_col
        for offset, cells in enumerate(self._sheet.iter_rows()):
            yield offset + 1, (pad + cells) if pad else cells


class _CsvSheet(Sheet):
    def __init__(self, text: str, delimiter: str, skip_first: bool) -> None:
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        super().__init__(SheetRef(0, "CSV", True), "csv", lines)
        self._text = text
        self._delimiter = delimiter
        self._skip_first = skip_first

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        stream = io.StringIO(self._text, newline="")
        if self._skip_first:
            stream.readline()
        reader = csv.reader(stream, delimiter=self._delimiter)
        number = 0
        try:
            for cells in reader:
                number += 1
                yield number, cells
        except csv.Error as exc:
            raise ImportFileError(f"CSV 文件第 {number + 1} 行格式有误，无法读取（{exc}）") from exc


class Workbook:
    """An opened ledger file; `sheet()` picks the sheet to import."""

    def __init__(self, path: Path, kind: str, sheets: list[SheetRef], book: Any = None,
                 csv_sheet: _CsvSheet | None = None) -> None:
        self.path = path
        self.kind = kind
        self.sheets = sheets
        self._book = book
        self._csv = csv_sheet

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._book is not None:
            try:
                self._book.close()
            except Exception:  # noqa: BLE001 - already closed is fine
                pass
            self._book = None

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def find(self, which: str | int | None) -> SheetRef | None:
        """A sheet by name, or by 1-based position ("2" is the second sheet); None: default."""
        if which is None or which == "":
            return None
        if isinstance(which, str):
            for ref in self.sheets:
                if ref.name == which or ref.name.strip() == which.strip():
                    return ref
            if not which.strip().isdigit():
                raise ImportFileError(
                    f"文件中没有名为“{which}”的工作表（共有：{'、'.join(self.sheet_names)}）")
            which = int(which.strip())
        if not 1 <= which <= len(self.sheets):
            raise ImportFileError(f"文件中只有 {len(self.sheets)} 个工作表，没有第 {which} 个")
        return self.sheets[which - 1]

    def sheet(self, which: str | int | None = None) -> Sheet:
        if self._csv is not None:
            self.find(which)
            if self._csv.height == 0 or not any(any(str(c).strip() for c in r) for _, r in
                                                self._csv.head(50)):
                raise ImportFileError("文件是空的，没有可导入的内容")
            return self._csv
        ref = self.find(which)
        if ref is not None:
            sheet = self._load(ref)
            if sheet.height == 0:
                raise ImportFileError(f"工作表“{ref.name}”是空的，没有可导入的内容")
            return sheet
        # The first sheet with data, preferring the visible ones.
        for ref in sorted(self.sheets, key=lambda r: not r.visible):
            sheet = self._load(ref)
            if sheet.height > 0:
                return sheet
        raise ImportFileError("文件中的工作表都是空的，没有可导入的内容")

    def _load(self, ref: SheetRef) -> Sheet:
        try:
            raw = self._book.get_sheet_by_index(ref.index)
            hidden = hidden_columns(self.path, self.kind, ref)
            return _CalamineSheet(ref, self.kind, raw, hidden)
        except ImportFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - the reader's errors all mean "damaged"
            raise _damaged(self.path, exc) from exc
        except BaseException as exc:
            if _is_panic(exc):
                raise _damaged(self.path, exc) from None
            raise


# --- opening -------------------------------------------------------------------------------


def _is_panic(exc: BaseException) -> bool:
    # A Rust panic inside the reader arrives as pyo3's PanicException (a BaseException).
    return type(exc).__name__ == "PanicException"


def _damaged(path: Path, exc: BaseException) -> ImportFileError:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return _encrypted(path)
    return ImportFileError(f"无法读取“{path.name}”：文件已损坏或不是 Excel/WPS 表格文件")


def _encrypted(path: Path) -> ImportFileError:
    return ImportFileError(f"“{path.name}”设置了打开密码，请在 Excel 中取消密码后另存，再导入")


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except FileNotFoundError as exc:
        raise ImportFileError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise ImportFileError(f"这是一个文件夹，不是表格文件：{path}") from exc
    except PermissionError as exc:
        raise _locked(path) from exc
    except OSError as exc:
        raise ImportFileError(f"无法读取文件“{path.name}”（{exc.strerror or exc}）") from exc


def _locked(path: Path) -> ImportFileError:
    return ImportFileError(f"无法打开“{path.name}”：文件正被其他程序（如 Excel、WPS）打开或没有读取权限，"
                           "请关闭该文件后重试")


def _is_encrypted_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return any(marker in data for marker in _ENCRYPTED_MARKERS)


def open_workbook(path: Path | str) -> Workbook:
    """Open a ledger file by what it contains, not by what its name says."""
    path = Path(path)
    if path.is_dir():
        raise ImportFileError(f"这是一个文件夹，不是表格文件：{path}")
    head = _read_head(path)
    if not head:
        raise ImportFileError(f"文件“{path.name}”是空的（0 字节）")
    suffix = path.suffix.lower()
    if head.startswith(CFB_MAGIC):
        try:
            if _is_encrypted_ole(path):
                raise _encrypted(path)
        except PermissionError as exc:
            raise _locked(path) from exc
        return _open_calamine(path, "xls")
    if head.startswith(ZIP_MAGIC):
        return _open_calamine(path, _zip_kind(path))
    if suffix in SHEET_SUFFIXES and suffix != ".et":
        raise ImportFileError(f"无法读取“{path.name}”：文件已损坏或不是 Excel/WPS 表格文件")
    return _open_csv(path)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names or any(n.endswith("workbook.xml") for n in names):
                return "xlsx"
            if "content.xml" in names:
                if "META-INF/manifest.xml" in names and \
                        b"encryption-data" in zf.read("META-INF/manifest.xml"):
                    raise _encrypted(path)
                return "ods"
    except ImportFileError:
        raise
    except PermissionError as exc:
        raise _locked(path) from exc
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, RuntimeError,
            NotImplementedError) as exc:
        raise ImportFileError(f"无法读取“{path.name}”：文件不完整或已损坏（压缩包无法解开）") from exc
    raise ImportFileError(f"“{path.name}”是一个压缩包，不是 Excel/WPS 表格文件")


def _open_calamine(path: Path, kind: str) -> Workbook:
    import python_calamine

    try:
        with path.open("rb") as fh:
            book = python_calamine.CalamineWorkbook.from_filelike(fh)
        metadata = book.sheets_metadata
        refs = [SheetRef(i, m.name, m.visible == python_calamine.SheetVisibleEnum.Visible)
                for i, m in enumerate(metadata)]
    except PermissionError as exc:
        raise _locked(path) from exc
    except python_calamine.PasswordError as exc:
        raise _encrypted(path) from exc
    except Exception as exc:  # noqa: BLE001 - the reader's errors all mean "damaged"
        raise _damaged(path, exc) from exc
    except BaseException as exc:
        if _is_panic(exc):
            raise _damaged(path, exc) from None
        raise
    if not refs:
        raise ImportFileError(f"“{path.name}”中没有工作表")
    return Workbook(path, kind, refs, book=book)


# --- CSV ----------------------------------------------------------------------------------


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or the GBK family that Excel writes in China."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportFileError(f"无法识别“{name}”的文字编码，或它不是表格文件。"
                          "请在 Excel 中另存为 .xlsx 后再导入")


def _delimiter(text: str) -> str:
    sample = text[:8192].splitlines()[:10]
    best, best_count = ",", 0
    for candidate in (",", "\t", ";"):
        count = sum(line.count(candidate) for line in sample)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _open_csv(path: Path) -> Workbook:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise ImportFileError(f"“{path.name}”太大（超过 {MAX_CSV_BYTES // 1024 // 1024} MB），"
                                  "请拆分后导入")
        data = path.read_bytes()
    except PermissionError as exc:
        raise _locked(path) from exc
    except OSError as exc:
        raise ImportFileError(f"无法读取文件“{path.name}”（{exc.strerror or exc}）") from exc
    if path.suffix.lower() not in TEXT_SUFFIXES and _looks_binary(data):
        raise ImportFileError(f"“{path.name}”不是表格文件（支持 .xlsx、.xls、.ods、.csv）")
    text = decode_text(data, path.name)
    if not text.strip():
        raise ImportFileError(f"文件“{path.name}”是空的，没有可导入的内容")
    skip_first = False
    first_line = text.split("\n", 1)[0].strip()
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter, skip_first = first_line[4], True  # Excel's hint line, not a row
    else:
        delimiter = _delimiter(text)
    return Workbook(path, "csv", [SheetRef(0, "CSV", True)],
                    csv_sheet=_CsvSheet(text, delimiter, skip_first))


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20


# --- hidden columns -------------------------------------------------------------------------


def hidden_columns(path: Path, kind: str, ref: SheetRef) -> frozenset[int]:
    """0-based indexes of columns the clerk hid, where the format lets us see that."""
    try:
        if kind == "xlsx":
            return _xlsx_hidden(path, ref.index)
        if kind == "ods":
            return _ods_hidden(path, ref.name)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, OSError):
        pass
    return frozenset()


def _xlsx_sheet_part(zf: zipfile.ZipFile, index: int) -> str:
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    sheets = book.find(f"{_SS}sheets")
    if sheets is None:
        raise KeyError("sheets")
    rel_id = list(sheets)[index].get(f"{_REL}id")
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError(rel_id)


def _xlsx_hidden(path: Path, index: int) -> frozenset[int]:
    hidden: set[int] = set()
    with zipfile.ZipFile(path) as zf, zf.open(_xlsx_sheet_part(zf, index)) as part:
        for event, element in ElementTree.iterparse(part, events=("start",)):
            del event
            if element.tag == f"{_SS}sheetData":
                break  # <cols> comes before the cells; no need to read the rows
            if element.tag == f"{_SS}col" and element.get("hidden") in ("1", "true"):
                first, last = int(element.get("min", "0")), int(element.get("max", "0"))
                if 1 <= first <= last and last - first < 16384:
                    hidden.update(range(first - 1, last))
    return frozenset(hidden)


def _ods_hidden(path: Path, sheet_name: str) -> frozenset[int]:
    hidden: set[int] = set()
    inside = False
    column = 0
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as part:
        for _event, element in ElementTree.iterparse(part, events=("start",)):
            if element.tag == f"{_TABLE}table":
                if inside:
                    break
                inside = element.get(f"{_TABLE}name") == sheet_name
            elif inside and element.tag == f"{_TABLE}table-row":
                break
            elif inside and element.tag == f"{_TABLE}table-column":
                repeat = min(int(element.get(f"{_TABLE}number-columns-repeated", "1")), 16384)
                if element.get(f"{_TABLE}visibility") in ("collapse", "filter"):
                    hidden.update(range(column, column + repeat))
                column += repeat
    return frozenset(hidden)


def cell_is_empty(value: Cell) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def is_date_cell(value: Cell) -> bool:
    return isinstance(value, dt.date | dt.datetime)
