"""The district summary: every figure against a hand-made month, and the workbook around them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import update

from db.engine import Database
from db.models import Business
from desktop.cli import run_cli
from desktop.io import xlsx_out
from desktop.io.district_figures import (
    BY_NAME,
    CATEGORY_MEASURES,
    MEASURES,
    RATE,
    SCORE,
    TEXT,
    FigureRow,
    collect,
    most_failed,
    period_text,
)
from desktop.io.district_report import AREA_SHEETS, TEXT_WIDTH, build_workbook, write_summary
from desktop.io.xlsx_out import ExportError, display_width
from tests.factories import make_ledger

from . import district_data
from .district_data import PERIOD, TODAY, build
from .district_full import EXPECTED, FAILED_ITEMS, build_full

FORMATS = {RATE: "0.0%", SCORE: "0.0", TEXT: "@"}


def test_every_figure_per_community_and_total(any_db: Database) -> None:
    build_full(any_db)
    with any_db.session() as s:
        figures = collect(s, PERIOD, prepared_by="王科员", today=TODAY)
    assert figures.as_of.isoformat() == "2026-03-31"
    assert [r.name for r in figures.communities] == ["东湖社区", "西岭社区"]
    for row in [*figures.communities, figures.total]:
        assert row.values == EXPECTED[row.name], row.name
    assert set(EXPECTED["全街道"]) == {m.name for m in MEASURES}
    assert [(i.group, i.text, i.failures, i.checks, i.share)
            for i in figures.failed_items] == FAILED_ITEMS


def test_the_findings_month_alone_keeps_its_figures(any_db: Database) -> None:
    """district_data's own month (findings and agreements only), figure by figure."""
    build(any_db)
    with any_db.session() as s:
        figures = collect(s, PERIOD, today=TODAY)
    for row in [*figures.communities, figures.total]:
        expected = district_data.EXPECTED[row.name]
        assert {k: row.values[k] for k in expected} == expected, row.name
    assert figures.total.values["巡查.发现.店外经营"] == 4
    assert figures.total.values["通知书.复查"] == 2  # f2 passed, f3 failed
    assert figures.total.values["巡查.按期整改"] == 0  # f2 was rechecked after its deadline


def test_areas_without_data_are_real_zeros(db: Database) -> None:
    ledger = make_ledger(db)
    with db.transaction() as s:  # entered long before the month: none of them is new
        s.execute(update(Business).where(Business.id.in_(ledger.businesses.values()))
                  .values(created_at=district_data.T(2025, 6, 1)))
    with db.session() as s:
        figures = collect(s, PERIOD, today=TODAY)
    assert figures.total.values["商户数"] == 5
    assert figures.total.values["门前三包.应签"] == 5
    assert figures.failed_items == ()
    for name, value in figures.total.values.items():
        if BY_NAME[name].kind == TEXT:
            assert value == "", name
        elif not name.startswith(("商户数", "门前三包.应签", "门前三包.未签")):
            assert value == 0, name


def test_the_most_failed_items_name_the_ties() -> None:
    def entry(*failures: int) -> dict:
        return {"sorting": {"failed_items": [{"text": f"第{k}项", "failures": n}
                                             for k, n in enumerate(failures, start=1)]}}

    assert most_failed(entry()) == ""
    assert most_failed(entry(3, 2)) == "第1项（3次）"
    assert most_failed(entry(2, 2, 1)) == "第1项（2次）；第2项（2次）"
    assert most_failed(entry(1, 1, 1, 1, 1)) == "第1项（1次）；第2项（1次）；第3项（1次）等"


def _shown(measure: str, value: object) -> object:
    """A figure as the sheet shows it: text items one per line, none as a dash."""
    if BY_NAME[measure].kind == TEXT:
        return str(value).replace("；", "；\n") if value else "—"
    return value


def _rows(ws: Worksheet, first: int, last: int, columns: int) -> list[list[object]]:
    return [[ws.cell(r, c).value for c in range(1, columns + 1)] for r in range(first, last + 1)]


def _find(ws: Worksheet, text: str) -> int:
    return next(r for r in range(1, ws.max_row + 1)
                if str(ws.cell(r, 1).value or "").startswith(text))


def test_summary_workbook(db: Database, tmp_path: Path) -> None:
    build_full(db)
    out = tmp_path / "月报.xlsx"
    with db.session() as s:
        result = write_summary(s, PERIOD, out, prepared_by="王科员", today=TODAY)
    assert result.sheets == ["封面", "门前三包", "招牌许可", "垃圾分类", "巡查与通知"]
    wb = load_workbook(out)
    cover = wb["封面"]
    texts = [c.value for row in cover.iter_rows() for c in row if c.value is not None]
    assert "X街道办事处" in texts and "王科员" in texts
    assert any("2026年3月" in str(t) for t in texts)
    assert "2026-03-01 至 2026-03-31" in texts
    details = {cover.cell(r, 2).value: cover.cell(r, 3).value for r in range(5, 10)}
    assert details == {"填报单位": "X街道办事处", "统计期间": "2026-03-01 至 2026-03-31",
                       "数据截至": dt.datetime(2026, 3, 31), "填报人": "王科员",
                       "填报日期": dt.datetime.combine(TODAY, dt.time())}
    on_sheets = set()
    for spec in AREA_SHEETS:
        ws = wb[spec.name]
        on_sheets.update(spec.measures)
        assert "A1:" in str(ws.merged_cells) and period_text(PERIOD) in ws["A1"].value
        assert ws["A1"].font.b
        assert ws["A2"].value == ("填报单位：X街道办事处　　统计期间：2026-03-01 至 2026-03-31"
                                  "　　数据截至：2026-03-31")
        header = [c.value for c in ws[3]][:len(spec.measures) + 2]
        assert header == ["序号", "社区", *(BY_NAME[n].label for n in spec.measures)]
        assert ws["C3"].fill.fgColor.rgb.endswith("D9E1F2") and ws["C3"].border.top.style
        body = {ws.cell(r, 2).value: r for r in range(4, 7)}
        assert list(body) == ["东湖社区", "西岭社区", "合计"]
        for name, r in body.items():
            expected = EXPECTED["全街道" if name == "合计" else name]
            for col, measure in enumerate(spec.measures, start=3):
                cell = ws.cell(r, col)
                assert cell.value == _shown(measure, expected[measure]), (spec.name, name, measure)
                kind = BY_NAME[measure].kind
                assert cell.number_format == FORMATS.get(kind, "#,##0"), (spec.name, measure)
                assert bool(cell.alignment.wrap_text) == (kind == TEXT)
        assert ws.cell(body["合计"], 2).font.b
        # Every column wide enough for its heading and its figures; words wrap in a wide one.
        for col, measure in enumerate(spec.measures, start=3):
            width = ws.column_dimensions[ws.cell(3, col).column_letter].width
            if BY_NAME[measure].kind == TEXT:
                assert width == TEXT_WIDTH
                for r in body.values():
                    lines = str(ws.cell(r, col).value).split("\n")
                    assert (ws.row_dimensions[r].height or 15) >= 14 * len(lines)
                continue
            assert width >= display_width(BY_NAME[measure].label) + 2
            for r in body.values():
                assert width >= len(f"{ws.cell(r, col).value:,}") + 2
        assert ws.column_dimensions["B"].width >= max(display_width(n) for n in body) + 2
        # Charts: under the tables, inside the printed area, no wider than the figures.
        assert len(ws._charts) == len(spec.charts)
        last_row = int(ws.print_area.rsplit("$", 1)[1])
        figures = len([m for m in spec.measures if BY_NAME[m].kind != TEXT]) + 2
        for chart in ws._charts:
            assert body["合计"] + 2 < chart.anchor._from.row + 1 and chart.anchor.to.row == last_row
            assert chart.anchor.to.col <= figures
        assert all(ws.cell(r, 1).value is None for r in range(ws._charts[0].anchor._from.row + 1,
                                                              last_row + 1))
        breaks = [b.id for b in ws.row_breaks.brk]
        assert breaks in ([], [ws._charts[0].anchor._from.row])  # charts start a page or follow
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"  # the community table fits its page
    assert on_sheets == {m.name for m in MEASURES} - set(CATEGORY_MEASURES)
    assert wb["门前三包"]._charts[0].tagname == "barChart"
    assert not wb["门前三包"].row_breaks.brk  # table and charts on one page

    # 垃圾分类: the street's items failed most often, with counts and shares.
    ws = wb["垃圾分类"]
    top = _find(ws, "全街道不合格次数最多的检查项")
    assert _rows(ws, top + 1, top + 6, 9) == [
        ["序号", "类别", "检查项", None, None, None, None, "不合格次数", "不合格占比"],
        *([k, group, text, None, None, None, None, failures, share]
          for k, (group, text, failures, _checks, share) in enumerate(FAILED_ITEMS, start=1))]
    assert f"C{top + 2}:G{top + 2}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(top + 2, 9).number_format == "0.0%" and ws.cell(top + 2, 8).border.top.style
    assert ws.cell(top + 7, 1).value is None  # five items, then the charts

    # 巡查与通知: what was found, by category and community, with totals both ways.
    ws = wb["巡查与通知"]
    table = _find(ws, "按问题类别统计")
    east, west, street = EXPECTED["东湖社区"], EXPECTED["西岭社区"], EXPECTED["全街道"]
    shown = ["占道经营", "店外经营", "乱堆乱放", "乱贴乱画", "其他"]
    assert _rows(ws, table + 1, table + 7, 5) == [
        ["序号", "问题类别", "东湖社区", "西岭社区", "合计"],
        *([k, c, east[f"巡查.发现.{c}"], west[f"巡查.发现.{c}"], street[f"巡查.发现.{c}"]]
          for k, c in enumerate(shown, start=1)),
        [None, "合计", east["巡查.发现"], west["巡查.发现"], street["巡查.发现"]]]
    assert ws.cell(table + 8, 1).value is None
    assert ws.cell(table + 7, 5).font.b
    assert ws.cell(table + 2, 5).fill.fgColor.rgb.endswith("F2F2F2")  # the total column
    assert ws.column_dimensions["B"].width >= max(display_width(c) for c in shown) + 2
    # Tables and charts do not fit one landscape page: the chart starts the second, larger.
    [brk] = ws.row_breaks.brk
    chart = ws._charts[0]
    assert chart.anchor._from.row == brk.id and chart.anchor.to.row - chart.anchor._from.row > 16


def test_a_long_street_keeps_its_blocks_whole(db: Database) -> None:
    """Forty communities: the table runs over pages with its headings; what follows it starts
    a page of its own rather than being cut by a break, and the charts follow when they fit
    (or, alone on a page, take a larger part of it)."""
    build_full(db)
    with db.session() as s:
        figures = collect(s, PERIOD, today=TODAY)
    many = [FigureRow(f"第{k}社区", dict(figures.communities[k % 2].values)) for k in range(40)]
    wb = build_workbook(dataclasses.replace(figures, communities=many))
    for name in ("门前三包", "垃圾分类", "巡查与通知"):
        ws = wb[name]
        assert ws.print_title_rows == "$1:$3", name
        starts = [b.id + 1 for b in ws.row_breaks.brk]
        second = [r for r in range(44, ws.max_row + 1)
                  if str(ws.cell(r, 1).value or "").startswith(("全街道", "按问题类别"))]
        chart = ws._charts[0].anchor
        assert starts[0] == [*second, chart._from.row + 1][0], name
        assert set(starts) <= {*second, chart._from.row + 1}, name
        tall = chart._from.row + 1 in starts  # a chart with a page of its own is larger
        assert chart.to.row - chart._from.row == (24 if tall else 14), name
    assert [b.id + 1 for b in wb["垃圾分类"].row_breaks.brk] == [48]  # the charts fit under
    # Forty communities across would make the table too wide to read: it is turned.
    ws = wb["巡查与通知"]
    assert [c.value for c in ws[49]][:8] == ["序号", "社区", "占道经营", "店外经营", "乱堆乱放",
                                            "乱贴乱画", "其他", "合计"]
    assert [c.value for c in ws[50]][:8] == [1, "第0社区", 1, 3, 0, 1, 0, 5]
    assert [c.value for c in ws[90]][1:8] == ["合计", 1, 4, 1, 1, 1, 8]


def test_cli_report_json_and_errors(db: Database, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    build(db)
    out = tmp_path / "q1.xlsx"
    assert run_cli(["report", "--period", "2026-Q1", "--out", str(out), "--by", "王科员",
                    "--db", str(db.path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload == {"out": str(out), "period": "2026-Q1", "communities": 2,
                       "sheets": ["封面", "门前三包", "招牌许可", "垃圾分类", "巡查与通知"]}
    assert "2026年第一季度" in load_workbook(out)["门前三包"]["A1"].value
    assert run_cli(["report", "--period", "2026-13", "--out", str(out),
                    "--db", str(db.path)]) == 1
    assert "月份不正确" in capsys.readouterr().err


def test_locked_report_leaves_nothing(db: Database, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    folder = tmp_path / "报表"
    folder.mkdir()
    out = folder / "月报.xlsx"
    out.write_bytes(b"open in Excel")

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_out.os, "replace", locked)
    with pytest.raises(ExportError, match="正在 Excel"), db.session() as s:
        write_summary(s, PERIOD, out, today=TODAY)
    assert out.read_bytes() == b"open in Excel"
    assert [p.name for p in folder.iterdir()] == ["月报.xlsx"]
