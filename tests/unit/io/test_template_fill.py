"""Template fill: the district's layout kept, placeholders replaced, community rows repeated."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from db.engine import Database
from desktop.cli import run_cli
from desktop.io import xlsx_out
from desktop.io.district_figures import collect
from desktop.io.template_fill import (
    CommunityRows,
    Mapping,
    column_number,
    fill_collected,
    fill_template,
    mapping_path,
    preview_template,
    save_mapping,
    summarize_template,
)
from desktop.io.xlsx_out import ExportCancelled, ExportError

from .district_data import EXPECTED, PERIOD, TODAY, build
from .district_full import EXPECTED as FULL
from .district_full import build_full

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
YELLOW = PatternFill("solid", fgColor="FFFF00")


def district_template(path: Path) -> Path:
    """A district form as a clerk would get it, with our placeholders typed in."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.merge_cells("A1:F1")
    ws["A1"] = "{{填报单位}}城市管理工作月报（{{统计期间}}）"
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A2"] = "数据截至"
    ws["B2"] = "{{数据截至}}"
    ws["E2"] = "填报人：{{填报人}}"
    for col, title in zip("ABCDEF", ["序号", "社区", "应签", "已签", "签约率", "逾期"], strict=True):
        ws[f"{col}3"] = title
        ws[f"{col}3"].font = Font(bold=True)
        ws[f"{col}3"].fill = YELLOW
    block = {"A": "{{#社区}}{{序号}}", "B": "{{社区}}", "C": "{{门前三包.应签}}",
             "D": "{{门前三包.已签}}", "E": "=IF(C4=0,0,D4/C4)", "F": "{{巡查.逾期}}"}
    for col, value in block.items():
        ws[f"{col}4"] = value
        ws[f"{col}4"].border = BOX
    ws["E4"].number_format = "0.00%"
    ws.row_dimensions[4].height = 24
    ws["B5"] = "合计"
    ws["C5"] = "=SUM(C4:C4)"
    ws["D5"] = "=SUM(D4:D4)"
    ws["E5"] = "=IF(C5=0,0,D5/C5)"
    ws["F5"] = "=SUM(F4:F4)"
    ws.merge_cells("A7:F7")
    ws["A7"] = "全街道签约率 {{门前三包.签约率}}，东湖社区已签 {{东湖社区.门前三包.已签}} 户。"
    ws["A8"] = "核对"
    ws["C8"] = "=C5-{{全街道.门前三包.应签}}"
    ws["C9"] = "{{全街道.门前三包.签约率}}"
    ws.column_dimensions["B"].width = 21
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = "1:3"
    ws.print_area = "A1:F9"
    ws.conditional_formatting.add("C4:C5", CellIsRule(operator="lessThan", formula=["1"],
                                                      fill=YELLOW))
    check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    check.add("C4:D5")
    ws.add_data_validation(check)
    wb.defined_names["合计应签"] = DefinedName("合计应签", attr_text="'汇总表'!$C$5")
    other = wb.create_sheet("说明")
    other["A1"] = "='汇总表'!C5"
    other["A2"] = "=SUM('汇总表'!D4:D5)"
    wb.save(path)
    return path


def _fill(db: Database, template: Path, out: Path):
    with db.session() as s:
        return fill_template(s, PERIOD, template, out, prepared_by="王科员", today=TODAY)


def test_placeholders_block_and_layout(db: Database, tmp_path: Path) -> None:
    build(db)
    template = district_template(tmp_path / "区模板.xlsx")
    before = template.read_bytes()
    out = tmp_path / "三月.xlsx"
    result = _fill(db, template, out)
    assert result.block_rows == 2 and not result.mapping and result.warnings == ()
    assert template.read_bytes() == before  # the template stays for next month
    ws = load_workbook(out)["汇总表"]
    assert ws["A1"].value == "X街道办事处城市管理工作月报（2026年3月）"
    assert ws["B2"].value.date().isoformat() == "2026-03-31"
    assert ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["E2"].value == "填报人：王科员"
    rows = [[c.value for c in ws[r]] for r in (4, 5)]
    east, west = EXPECTED["东湖社区"], EXPECTED["西岭社区"]
    assert rows == [
        [1, "东湖社区", east["门前三包.应签"], east["门前三包.已签"], "=IF(C4=0,0,D4/C4)",
         east["巡查.逾期"]],
        [2, "西岭社区", west["门前三包.应签"], west["门前三包.已签"], "=IF(C5=0,0,D5/C5)",
         west["巡查.逾期"]],
    ]
    # The copy keeps the row's styles and height.
    assert ws["C5"].border.left.style == "thin" and ws["E5"].number_format == "0.00%"
    assert ws.row_dimensions[5].height == 24
    # The total row moved down one and its sums grew over both communities.
    assert [ws[f"{c}6"].value for c in "BCDEF"] == [
        "合计", "=SUM(C4:C5)", "=SUM(D4:D5)", "=IF(C6=0,0,D6/C6)", "=SUM(F4:F5)"]
    assert "A8:F8" in {str(r) for r in ws.merged_cells.ranges}
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A8"].value == "全街道签约率 75.0%，东湖社区已签 1 户。"
    assert ws["C9"].value == "=C6-4"
    assert ws["C10"].value == 0.75 and ws["C10"].number_format == "0.0%"
    assert ws["A1"].font.name == "黑体" and ws["C3"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws.column_dimensions["B"].width == 21
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$3"
    assert ws.print_area == "'汇总表'!$A$1:$F$10"
    assert [str(cf.sqref) for cf in ws.conditional_formatting] == ["C4:C6"]
    assert str(ws.data_validations.dataValidation[0].sqref) == "C4:D6"
    assert ws.parent.defined_names["合计应签"].attr_text == "'汇总表'!$C$6"
    other = load_workbook(out)["说明"]
    assert other["A1"].value == "='汇总表'!C6"
    assert other["A2"].value == "=SUM('汇总表'!D4:D6)"


def test_mapping_sidecar_for_a_template_without_placeholders(db: Database, tmp_path: Path) -> None:
    build(db)
    template = tmp_path / "district.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "表一"
    ws.merge_cells("A1:D1")
    ws["A1"] = "门前三包签约情况"
    for r, name in enumerate(["东湖社区", "西岭社区", "南苑社区", "合计"], start=3):
        ws[f"B{r}"] = name
    ws["D6"] = "=SUM(D3:D5)"
    ws["F1"] = "填报日期"
    wb.save(template)
    with pytest.raises(ExportError, match="占位符") as err:
        _fill(db, template, tmp_path / "x.xlsx")
    assert "district.xlsx.mapping.json" in err.value.message
    path = save_mapping(template, Mapping(
        cells={"G1": "填报日期", "表一!E1": "全街道.门前三包.签约率"},
        community_rows=[CommunityRows("B", {"C": "门前三包.应签", "D": "门前三包.已签"}, "表一")]))
    assert path == mapping_path(template)
    assert json.loads(path.read_text(encoding="utf-8"))["cells"]["G1"] == "填报日期"
    save_mapping(template, Mapping(cells={"表一!C1": "商户数"}))
    with pytest.raises(ExportError, match="合并单元格 A1:D1.*A1"):
        _fill(db, template, tmp_path / "x.xlsx")
    save_mapping(template, Mapping(
        cells={"G1": "填报日期", "表一!E1": "全街道.门前三包.签约率"},
        community_rows=[CommunityRows("B", {"C": "门前三包.应签", "D": "门前三包.已签"}, "表一")]))
    result = _fill(db, template, tmp_path / "filled.xlsx")
    assert result.mapping and result.block_rows == 3
    assert result.warnings == ()
    ws = load_workbook(tmp_path / "filled.xlsx")["表一"]
    assert [[ws[f"{c}{r}"].value for c in "CD"] for r in range(3, 7)] == [
        [2, 1], [2, 2], [None, None], [4, "=SUM(D3:D5)"]]
    assert ws["E1"].value == 0.75 and ws["G1"].value.date().isoformat() == "2026-04-02"


def test_unknown_figures_are_named(db: Database, tmp_path: Path) -> None:
    build(db)
    template = tmp_path / "t.xlsx"
    wb = Workbook()
    wb.active["A1"] = "{{门前三包.签约律}}"
    wb.active["A2"] = "{{南湖社区.门前三包.已签}}"
    wb.save(template)
    with pytest.raises(ExportError) as err:
        _fill(db, template, tmp_path / "x.xlsx")
    assert "门前三包.签约律" in err.value.message and "门前三包.签约率" in err.value.message
    assert "南湖社区.门前三包.已签" in err.value.message
    assert not (tmp_path / "x.xlsx").exists()


def test_refused_templates(db: Database, tmp_path: Path) -> None:
    build(db)
    macro = tmp_path / "宏.xlsm"
    district_template(macro)
    with pytest.raises(ExportError, match="宏"):
        _fill(db, macro, tmp_path / "x.xlsx")
    hidden_macro = tmp_path / "hidden.xlsx"
    district_template(hidden_macro)
    with zipfile.ZipFile(hidden_macro, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\0")
    with pytest.raises(ExportError, match="宏"):
        _fill(db, hidden_macro, tmp_path / "x.xlsx")
    protected = district_template(tmp_path / "protected.xlsx")
    wb = load_workbook(protected)
    wb["汇总表"].protection.sheet = True
    wb.save(protected)
    with pytest.raises(ExportError, match="汇总表.*保护"):
        _fill(db, protected, tmp_path / "x.xlsx")
    encrypted = tmp_path / "encrypted.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 508)
    with pytest.raises(ExportError, match="密码"):
        _fill(db, encrypted, tmp_path / "x.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(ExportError, match="无法读取"):
        _fill(db, broken, tmp_path / "x.xlsx")
    template = district_template(tmp_path / "same.xlsx")
    with pytest.raises(ExportError, match="不能与模板相同"):
        _fill(db, template, template)
    assert not (tmp_path / "x.xlsx").exists()


def test_locked_output_leaves_nothing(db: Database, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    build(db)
    template = district_template(tmp_path / "t.xlsx")
    out = tmp_path / "out" / "filled.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"open in Excel")

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_out.os, "replace", locked)
    with pytest.raises(ExportError, match="正在 Excel"):
        _fill(db, template, out)
    assert out.read_bytes() == b"open in Excel" and len(list(out.parent.iterdir())) == 1


def test_cli_report_with_template(db: Database, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    build(db)
    template = district_template(tmp_path / "t.xlsx")
    out = tmp_path / "filled.xlsx"
    assert run_cli(["report", "--period", "2026-03", "--template", str(template), "--out",
                    str(out), "--by", "王科员", "--db", str(db.path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["out"] == str(out) and payload["block_rows"] == 2 and payload["cells"] > 10
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    assert run_cli(["report", "--period", "2026-03", "--template", str(empty), "--out",
                    str(tmp_path / "y.xlsx"), "--db", str(db.path)]) == 1
    assert "占位符" in capsys.readouterr().err


def test_summary_counts_placeholders_and_mapping(tmp_path: Path) -> None:
    template = district_template(tmp_path / "t.xlsx")
    summary = summarize_template(template)
    # 填报单位, 统计期间, 数据截至, 填报人, #社区, 序号, 社区, 应签, 已签, 逾期, two in A7, one in C8, C9
    assert summary.placeholders == 14 and summary.mapping is None and summary.fillable
    assert summary.sheets == ("汇总表", "说明")
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    assert not summarize_template(plain).fillable
    save_mapping(plain, Mapping(cells={"B2": "商户数"}))
    summary = summarize_template(plain)
    assert summary.placeholders == 0 and summary.mapping is not None and summary.fillable
    macro = district_template(tmp_path / "t.xlsm")
    with pytest.raises(ExportError, match="宏"):
        summarize_template(macro)


def test_preview_shows_text_formulas_and_merges(tmp_path: Path) -> None:
    template = district_template(tmp_path / "t.xlsx")
    first, second = preview_template(template)
    assert (first.title, first.rows, first.columns) == ("汇总表", 60, 26)
    assert first.cells[(3, 2)] == "社区" and first.cells[(5, 3)] == "=SUM(C4:C4)"
    assert (5, 3) in first.formulas and (3, 2) not in first.formulas
    assert first.merged == ((1, 1, 1, 6), (7, 1, 7, 6))
    assert second.title == "说明" and second.cells[(1, 1)] == "='汇总表'!C5"
    wb = Workbook()
    wb.active["AD70"] = 1.0
    wb.active.merge_cells("A80:B81")
    wide = tmp_path / "wide.xlsx"
    wb.save(wide)
    (sheet,) = preview_template(wide)
    assert (sheet.rows, sheet.columns) == (81, 30) and sheet.cells[(70, 30)] == "1"
    assert sheet.merged == ((80, 1, 81, 2),)
    (sheet,) = preview_template(wide, max_rows=75, max_columns=28)
    assert (sheet.rows, sheet.columns, sheet.merged) == (75, 28, ())


def test_column_letters() -> None:
    assert column_number("A") == 1 and column_number("xfd") == 16384
    assert [column_number(t) for t in ("XFE", "", "A1", "ABCD", "中")] == [None] * 5


def test_fill_collected_cancel_leaves_nothing(db: Database, tmp_path: Path) -> None:
    build(db)
    template = district_template(tmp_path / "t.xlsx")
    with db.session() as s:
        figures = collect(s, PERIOD, prepared_by="王科员", today=TODAY)
    out = tmp_path / "out" / "filled.xlsx"
    out.parent.mkdir()
    with pytest.raises(ExportCancelled):
        fill_collected(figures, template, out, cancelled=lambda: True)
    assert list(out.parent.iterdir()) == []
    result = fill_collected(figures, template, out)
    assert result.block_rows == 2 and result.period == "2026-03"
    assert load_workbook(out)["汇总表"]["E2"].value == "填报人：王科员"
    with pytest.raises(ExportError, match="不能与模板相同"):
        fill_collected(figures, template, template)



def test_text_and_score_figures_are_typed(db: Database, tmp_path: Path) -> None:
    """Words go in as text (never a formula or a number), averages with one decimal; a text
    figure with nothing to say leaves the cell blank."""
    build_full(db)
    wb = Workbook()
    ws = wb.active
    ws.title = "分类"
    ws["A1"] = "{{垃圾分类.主要不合格项}}"
    ws["A2"] = "主要问题：{{东湖社区.垃圾分类.主要不合格项}}"
    ws["A3"] = "{{垃圾分类.平均分}}"
    ws["A4"] = "平均 {{东湖社区.垃圾分类.平均分}} 分"
    ws["A5"] = "{{#社区}}{{社区}}"
    ws["B5"] = "{{垃圾分类.主要不合格项}}"
    ws["C5"] = "{{巡查.发现.店外经营}}"
    ws["A7"] = "=LEN({{垃圾分类.主要不合格项}})"
    ws["A8"] = "{{招牌许可.已拆除}}"
    template = tmp_path / "分类.xlsx"
    wb.save(template)
    with db.session() as s:
        figures = collect(s, PERIOD, prepared_by="王科员", today=TODAY)
    west = figures.communities[1]
    assert west.name == "西岭社区"
    west.values["垃圾分类.主要不合格项"] = ""  # as if its one failed check had passed
    fill_collected(figures, template, tmp_path / "out.xlsx")
    out = load_workbook(tmp_path / "out.xlsx")["分类"]
    street, east = FULL["全街道"], FULL["东湖社区"]
    assert out["A1"].value == street["垃圾分类.主要不合格项"] and out["A1"].data_type == "s"
    assert out["A2"].value == f"主要问题：{east['垃圾分类.主要不合格项']}"
    assert out["A3"].value == 88.0 and out["A3"].number_format == "0.0"
    assert out["A4"].value == "平均 85.7 分"
    assert [[c.value for c in out[r]] for r in (5, 6)] == [
        ["东湖社区", east["垃圾分类.主要不合格项"], 3], ["西岭社区", None, 1]]
    assert out["B5"].data_type == "s"
    assert out["A8"].value == '=LEN("' + street["垃圾分类.主要不合格项"] + '")'
    assert out["A9"].value == street["招牌许可.已拆除"] == 1
