"""List exports: typed cells, header, columns and order, streaming, cancel and locked files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.engine import Database
from desktop.cli import run_cli
from desktop.domain import businesses as B
from desktop.domain.businesses import BusinessQuery
from desktop.domain.textkeys import name_sort
from desktop.io import excel_export, list_sources, xlsx_out
from desktop.io.excel_export import CODE, DATE, TEXT, Column, ListSource, write_list
from desktop.io.list_sources import business_source, export_kinds, list_source
from desktop.io.xlsx_out import ExportCancelled, ExportError, display_width
from tests.factories import make_ledger

from .district_data import build

ALL_DIGITS_CODE = "913301060000000000"  # valid check digit; as a number Excel shows 9.13301E+17


def _ledger(db: Database) -> None:
    ledger = make_ledger(db)
    with db.transaction() as s:
        row = B.get(s, ledger.businesses["好又多便利店"])
        data = row.as_input()
        data.credit_code = ALL_DIGITS_CODE
        data.remarks = "=HYPERLINK(\"http://x\")\x0b备注"
        B.update(s, row.id, row.version, data, user="clerk")


def _export(db: Database, out: Path, *, query: dict | None = None,
            fields: list[str] | None = None, **kw) -> excel_export.ExportResult:
    with db.session() as s:
        return write_list(out, business_source(s, BusinessQuery(**(query or {})), fields), **kw)


def _no_part_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".part")]


def test_cells_are_typed_and_the_header_is_styled(db: Database, tmp_path: Path) -> None:
    _ledger(db)
    out = tmp_path / "商户台账.xlsx"
    result = _export(db, out, fields=[*list_sources.BUSINESS_FIELDS, "remarks"])
    assert result.rows == 5 and result.out == out
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == ["名称", "统一社会信用代码", "经营者", "联系电话", "地址", "行业类别", "社区",
                      "网格", "经营状态", "亮照", "备注"]
    first = ws["A1"]
    assert first.font.b and first.fill.fgColor.rgb.endswith("D9E1F2")
    assert first.border.bottom.style == "thin"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:K6"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert list(rows) == sorted(rows, key=name_sort)  # the ledger's default order: by pinyin
    code = rows["好又多便利店"][1]
    assert code.value == ALL_DIGITS_CODE and code.data_type == "s" and code.number_format == "@"
    phone = rows["重庆小面馆"][3]
    assert phone.value == "0571-88886666" and phone.data_type == "s" and phone.number_format == "@"
    assert rows["老王火锅店"][9].value == "是"
    remark = rows["好又多便利店"][10]
    # Typed text stays text: no formula, no control character.
    assert remark.data_type == "s" and remark.value == "=HYPERLINK(\"http://x\")备注"
    widths = {c: ws.column_dimensions[c].width for c in "ABCD"}
    assert widths["B"] >= len(ALL_DIGITS_CODE)
    assert widths["A"] >= display_width("好又多便利店") and display_width("好又多便利店") == 12


def test_columns_order_filter_and_sort_are_those_shown(db: Database, tmp_path: Path) -> None:
    _ledger(db)
    out = tmp_path / "x.xlsx"
    query = {"text": "火锅", "sort": "name", "descending": True}
    assert _export(db, out, query=query, fields=["phone", "name", "community"]).rows == 2
    ws = load_workbook(out).active
    assert [[c.value for c in r] for r in ws.iter_rows()] == [
        ["联系电话", "名称", "社区"],
        ["13800138000", "老王火锅店", "东湖社区"],
        ["15000001111", "川味火锅城", "西岭社区"],
    ]


def test_agreement_dates_are_dates_and_numbers_numbers(any_db: Database, tmp_path: Path) -> None:
    build(any_db)
    out = tmp_path / "agreements.xlsx"
    with any_db.session() as s:
        assert write_list(out, list_source(s, "agreements")).rows == 3
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "鑫源五金店")
    start = row[header.index("开始日期")]
    assert start.value == dt.datetime(2025, 4, 16) and start.is_date
    assert start.number_format == "yyyy-mm-dd"
    assert row[header.index("结束日期")].value == dt.datetime(2026, 4, 15)
    length = row[header.index("门前长度（米）")]
    assert length.value == 8.5 and length.data_type == "n"


def test_progress_and_streaming_in_batches(any_db: Database, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _ledger(any_db)
    monkeypatch.setattr(list_sources, "BATCH", 2)
    seen: list[tuple[int, int]] = []
    out = tmp_path / "x.xlsx"
    assert _export(any_db, out, progress=lambda n, t: seen.append((n, t))).rows == 5
    assert seen == [(2, 5), (4, 5), (5, 5)]
    codes = [c.value for c in load_workbook(out).active["B"][1:]]
    assert ALL_DIGITS_CODE in codes


def test_cancel_leaves_the_old_file_and_no_part_file(db: Database, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _ledger(db)
    monkeypatch.setattr(list_sources, "BATCH", 2)
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"old")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # stop after the first batch

    with pytest.raises(ExportCancelled), db.session() as s:
        write_list(out, business_source(s, BusinessQuery()), cancelled=cancelled)
    assert out.read_bytes() == b"old"
    assert _no_part_files(tmp_path)
    with pytest.raises(ExportCancelled), db.session() as s:
        write_list(tmp_path / "new.xlsx", business_source(s, BusinessQuery()),
                   cancelled=lambda: True)
    assert not (tmp_path / "new.xlsx").exists() and _no_part_files(tmp_path)


def test_a_locked_target_is_refused_in_chinese_without_a_partial_file(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ledger(db)
    out = tmp_path / "locked.xlsx"
    out.write_bytes(b"open in Excel")

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_out.os, "replace", locked)
    with pytest.raises(ExportError, match="正在 Excel") as err:
        _export(db, out)
    assert "locked.xlsx" in err.value.message
    assert out.read_bytes() == b"open in Excel" and _no_part_files(tmp_path)


def test_bad_targets(db: Database, tmp_path: Path) -> None:
    _ledger(db)
    with pytest.raises(ExportError, match=r"\.xlsx"):
        _export(db, tmp_path / "x.csv")
    with pytest.raises(ExportError, match="文件夹不存在"):
        _export(db, tmp_path / "missing" / "x.xlsx")


def test_writer_handles_empty_lists_and_every_kind(tmp_path: Path) -> None:
    source = ListSource("空", [Column("a", "编号", CODE), Column("b", "日期", DATE),
                              Column("c", "名称", TEXT)], 0, [])
    assert write_list(tmp_path / "e.xlsx", source).rows == 0
    ws = load_workbook(tmp_path / "e.xlsx").active
    assert [c.value for c in ws[1]] == ["编号", "日期", "名称"] and ws.max_row == 1


def test_cli_exports_every_registered_kind(db: Database, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    build(db)
    assert {"businesses", "agreements", "findings", "notices"} <= set(export_kinds())
    counts = {}
    for kind in export_kinds():
        out = tmp_path / f"{kind}.xlsx"
        assert run_cli(["export", kind, "--out", str(out), "--db", str(db.path), "--json"]) == 0
        payload = json.loads(capsys.readouterr().out)
        assert payload == {"out": str(out), "rows": payload["rows"]}
        assert load_workbook(out).active.max_row == payload["rows"] + 1
        counts[kind] = payload["rows"]
    assert counts["businesses"] == 5 and counts["agreements"] == 3
    assert counts["findings"] == 5 and counts["notices"] == 3
    out = tmp_path / "voided.xlsx"
    assert run_cli(["export", "notices", "--filter", "作废", "--out", str(out), "--db",
                    str(db.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 1
    out = tmp_path / "unsigned.xlsx"
    assert run_cli(["export", "agreements", "--filter", "unsigned", "--out", str(out), "--db",
                    str(db.path), "--json"]) == 0
    # As at today: 鑫源五金店's agreement ran out on 2026-04-15.
    assert json.loads(capsys.readouterr().out)["rows"] == 2
    ws = load_workbook(out).active
    assert [ws["A2"].value, ws["A3"].value] == ["重庆小面馆", "鑫源五金店"]


def test_cli_user_errors_exit_1(db: Database, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    make_ledger(db)
    assert run_cli(["export", "businesses", "--out", str(tmp_path / "no" / "x.xlsx"),
                    "--db", str(db.path)]) == 1
    assert "文件夹不存在" in capsys.readouterr().err
