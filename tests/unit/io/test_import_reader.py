"""Reading ledger files of every format and state: row numbers, encodings, sheets, bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from db.engine import Database
from desktop.io.excel_import import ImportOptions, analyse, import_file
from desktop.io.sheet_source import ImportFileError, open_workbook
from tests.factories import make_ledger

from .import_files import ROW_OF, convert, messy_workbook, simple_rows, write_csv


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The messy ledger as .xls and .ods, converted by LibreOffice once for the module."""
    folder = tmp_path_factory.mktemp("converted")
    source = messy_workbook(folder / "台账.xlsx")
    plain = messy_workbook(folder / "台账无隐藏列.xlsx", hidden_column=False)
    profile = folder / "lo-profile"
    xls = convert([source, plain], "xls", folder / "xls", profile)
    ods = convert([source], "ods", folder / "ods", profile)
    return {"xls": xls[0], "xls_plain": xls[1], "ods": ods[0]}


@pytest.mark.parametrize("fmt", ["ods", "xls_plain"])
def test_xls_and_ods_give_the_same_import_as_xlsx(db: Database, converted: dict[str, Path],
                                                  fmt: str) -> None:
    make_ledger(db)
    result = import_file(db, converted[fmt], ImportOptions(dry_run=True))
    assert result.header_row == 4
    assert result.imported == 6 and result.skipped == 8
    assert sorted({e.row for e in result.errors}) == [ROW_OF[n] for n in (6, 7, 8, 13, 14)]
    assert result.created_communities == ["南山社区"]
    assert result.agreements == 6


def test_row_numbers_are_the_spreadsheet_rows_in_every_format(converted: dict[str, Path],
                                                             tmp_path: Path) -> None:
    xlsx = messy_workbook(tmp_path / "a.xlsx")
    for path in (xlsx, converted["xls"], converted["ods"]):
        with open_workbook(path) as book:
            rows = dict(book.sheet().rows())
        assert rows[4][:4] == ["序号", "社区", "网格", "店铺名称"], path.suffix
        assert rows[ROW_OF[1]][3] == "阿明小吃", path.suffix
    with open_workbook(converted["ods"]) as book:
        assert book.sheet().hidden_columns == frozenset({6})


def test_csv_in_utf8_bom_and_gbk(db: Database, tmp_path: Path) -> None:
    make_ledger(db)
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        path = write_csv(tmp_path / f"台账-{encoding}.csv", simple_rows(), encoding)
        result = import_file(db, path, ImportOptions(dry_run=True))
        assert result.header_row == 1 and result.imported == 3, encoding
        assert result.errors == [], encoding
        assert result.agreements == 2


def test_csv_saved_by_excel_with_numbers_in_scientific_notation(db: Database,
                                                               tmp_path: Path) -> None:
    make_ledger(db)
    rows = simple_rows()
    rows[1][3] = "1.38E+10"
    rows[2][5] = "9.13301E+17"
    result = import_file(db, write_csv(tmp_path / "科学计数.csv", rows, "gbk"),
                         ImportOptions(dry_run=True))
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "科学计数法" in messages[(2, "联系电话")]
    assert "后几位已丢失" in messages[(3, "统一社会信用代码")]


def test_csv_with_excel_separator_hint_and_tabs(db: Database, tmp_path: Path) -> None:
    make_ledger(db)
    rows = simple_rows()
    path = tmp_path / "tabs.txt"
    path.write_text("\n".join("\t".join(map(str, r)) for r in rows), encoding="utf-16")
    assert import_file(db, path, ImportOptions(dry_run=True)).imported == 3
    hinted = tmp_path / "hint.csv"
    hinted.write_text("sep=;\n" + "\n".join(";".join(map(str, r)) for r in rows), encoding="utf-8")
    result = import_file(db, hinted, ImportOptions(dry_run=True))
    assert result.imported == 3 and result.header_row == 1


def test_sheet_choice_by_name_index_and_first_non_empty(db: Database, tmp_path: Path) -> None:
    make_ledger(db)
    book = Workbook()
    book.active.title = "说明"  # empty first sheet
    second = book.create_sheet("东湖")
    for row in simple_rows()[:2]:
        second.append(row)
    third = book.create_sheet("西岭")
    for row in [simple_rows()[0], simple_rows()[3]]:
        third.append(row)
    path = tmp_path / "多表.xlsx"
    book.save(path)
    assert analyse(db, path).sheet == "东湖"
    assert import_file(db, path, ImportOptions(sheet="西岭", dry_run=True)).sheet == "西岭"
    assert import_file(db, path, ImportOptions(sheet="3", dry_run=True)).sheet == "西岭"
    with pytest.raises(ImportFileError, match="没有名为“北山”的工作表"):
        import_file(db, path, ImportOptions(sheet="北山"))
    with pytest.raises(ImportFileError, match="只有 3 个工作表"):
        import_file(db, path, ImportOptions(sheet=7))
    with pytest.raises(ImportFileError, match="是空的"):
        import_file(db, path, ImportOptions(sheet="说明"))


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "photo.xlsx": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "不是 Excel"),
    "empty.xlsx": (b"", "是空的"),
    "empty.csv": (b"\r\n\r\n", "是空的"),
    "notes.zip.xlsx": (_zip_bytes({"readme.txt": b"hello"}), "压缩包"),
    "encrypted.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
                       + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100, "密码"),
    "encrypted.ods": (_zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                  "content.xml": b"x",
                                  "META-INF/manifest.xml": b"<manifest:encryption-data/>"}), "密码"),
    "binary.dat": (bytes(range(256)) * 4, "不是表格文件"),
    "notes.csv": ("今天天气很好\n没有表格\n".encode(), "找不到表头"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_one_chinese_sentence_and_nothing_is_written(db: Database, tmp_path: Path,
                                                                   name: str) -> None:
    data, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match=message) as caught:
        import_file(db, path)
    assert "\n" not in caught.value.message
    with db.session() as s:
        from sqlalchemy import func, select

        from db.models import ImportBatch
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_truncated_workbook_and_missing_file(db: Database, tmp_path: Path) -> None:
    whole = messy_workbook(tmp_path / "whole.xlsx").read_bytes()
    for size in (100, len(whole) // 2, len(whole) - 30):
        cut = tmp_path / f"cut-{size}.xlsx"
        cut.write_bytes(whole[:size])
        with pytest.raises(ImportFileError, match="损坏|不完整"):
            import_file(db, cut)
    with pytest.raises(ImportFileError, match="找不到文件"):
        import_file(db, tmp_path / "没有这个文件.xlsx")
    with pytest.raises(ImportFileError, match="文件夹"):
        import_file(db, tmp_path)


def test_file_locked_by_excel(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows a workbook open in Excel cannot be read: PermissionError."""
    path = messy_workbook(tmp_path / "正在编辑.xlsx")
    real_open = Path.open

    def locked(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(ImportFileError, match="正被其他程序.*打开"):
        import_file(db, path)
    csv_path = write_csv(tmp_path / "locked.csv", simple_rows(), "utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(
        PermissionError(13, "Permission denied")))
    monkeypatch.setattr(Path, "open", real_open)
    with pytest.raises(ImportFileError, match="正被其他程序"):
        import_file(db, csv_path)


# --- fuzzing ------------------------------------------------------------------------------

_SEED_XLSX: list[bytes] = []


def _seed_xlsx() -> bytes:
    if not _SEED_XLSX:
        buffer = io.BytesIO()
        book = Workbook()
        for row in simple_rows():
            book.active.append(row)
        book.save(buffer)
        _SEED_XLSX.append(buffer.getvalue())
    return _SEED_XLSX[0]


def _attempt(db: Database, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        import_file(db, path, ImportOptions(dry_run=True))
    except ImportFileError:
        pass  # the one error a bad file may raise


FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv", ""]))
def test_fuzz_random_bytes(db: Database, tmp_path: Path, data: bytes, suffix: str) -> None:
    _attempt(db, tmp_path / f"fuzz{suffix}", data)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=10_000), flips=st.lists(
    st.tuples(st.integers(min_value=0, max_value=10_000), st.integers(0, 255)), max_size=8))
def test_fuzz_truncated_and_corrupted_xlsx(db: Database, tmp_path: Path, cut: int,
                                           flips: list[tuple[int, int]]) -> None:
    seed = bytearray(_seed_xlsx())
    for at, value in flips:
        seed[at % len(seed)] = value
    _attempt(db, tmp_path / "fuzz.xlsx", bytes(seed[: max(cut, 4) if cut < len(seed) else None]))


@FUZZ
@given(text=st.text(max_size=400), encoding=st.sampled_from(
    ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5", "latin-1", "shift_jis"]))
def test_fuzz_csv_in_odd_encodings(db: Database, tmp_path: Path, text: str, encoding: str) -> None:
    header = "店铺名称,社区,电话\n"
    data = (header + text).encode(encoding, errors="replace")
    _attempt(db, tmp_path / "fuzz.csv", data)
