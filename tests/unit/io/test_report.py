"""The district summary: every figure against a hand-made month, and the workbook around them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.engine import Database
from desktop.cli import run_cli
from desktop.io import xlsx_out
from desktop.io.district_figures import BY_NAME, MEASURES, RATE, collect, period_text
from desktop.io.district_report import AREA_SHEETS, write_summary
from desktop.io.xlsx_out import ExportError
from tests.factories import make_ledger

from .district_data import EXPECTED, PERIOD, TODAY, build


def test_every_figure_per_community_and_total(any_db: Database) -> None:
    build(any_db)
    with any_db.session() as s:
        figures = collect(s, PERIOD, prepared_by="王科员", today=TODAY)
    assert figures.as_of.isoformat() == "2026-03-31"
    assert [r.name for r in figures.communities] == ["东湖社区", "西岭社区"]
    for row in [*figures.communities, figures.total]:
        assert row.values == EXPECTED[row.name], row.name
    assert set(EXPECTED["全街道"]) == {m.name for m in MEASURES}


def test_areas_without_data_are_real_zeros(db: Database) -> None:
    make_ledger(db)
    with db.session() as s:
        figures = collect(s, PERIOD, today=TODAY)
    assert figures.total.values["商户数"] == 5
    assert figures.total.values["门前三包.应签"] == 5
    for name, value in figures.total.values.items():
        if not name.startswith(("商户数", "门前三包.应签", "门前三包.未签")):
            assert value == 0, name


def test_summary_workbook(db: Database, tmp_path: Path) -> None:
    build(db)
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
    for spec in AREA_SHEETS:
        ws = wb[spec.name]
        assert "A1:" in str(ws.merged_cells) and period_text(PERIOD) in ws["A1"].value
        assert ws["A1"].font.b
        header = [c.value for c in ws[3]]
        assert header == ["序号", "社区", *(BY_NAME[n].label for n in spec.measures)]
        assert ws["C3"].fill.fgColor.rgb.endswith("D9E1F2") and ws["C3"].border.top.style
        body = {ws.cell(r, 2).value: r for r in range(4, 7)}
        assert list(body) == ["东湖社区", "西岭社区", "合计"]
        for name, r in body.items():
            expected = EXPECTED["全街道" if name == "合计" else name]
            for col, measure in enumerate(spec.measures, start=3):
                cell = ws.cell(r, col)
                assert cell.value == expected[measure], (spec.name, name, measure)
                if BY_NAME[measure].kind == RATE:
                    assert cell.number_format == "0.0%"
        assert ws.cell(body["合计"], 2).font.b
        assert len(ws._charts) == len(spec.charts)
        for chart in ws._charts:  # under the table, inside the printed area
            assert body["合计"] < chart.anchor._from.row + 1 < body["合计"] + 6
            assert chart.anchor.to.col <= len(spec.measures) + 2
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$3"
    chart = wb["门前三包"]._charts[0]
    assert chart.tagname == "barChart"


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
