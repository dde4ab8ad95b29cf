"""文件 → 生成上报报表…: the summary, a district template mapped in the dialog, and refusals."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMenu, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain.stats import Period
from desktop.io import xlsx_out
from desktop.io.district_figures import collect, period_text
from desktop.io.district_report import AREA_SHEETS
from desktop.io.template_fill import load_mapping
from desktop.ui import report_prompts, report_runner
from desktop.ui.main_window import MainWindow
from desktop.ui.report_dialog import ReportDialog
from desktop.ui.report_period import PeriodPicker
from desktop.ui.report_runner import ReportExport
from desktop.ui.template_mapping_dialog import MappingDialog
from tests.factories import make_ledger

from .conftest import Answers, add_user, close_window, gone, window_as

YELLOW = PatternFill("solid", fgColor="FFFF00")


class SaveAs:
    """Stands in for QFileDialog.getSaveFileName; remembers where it started."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.started_in: list[str] = []

    def __call__(self, _parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        self.started_in.append(start)
        return (str(self.answer) if self.answer else "", "")


class Written:
    """Stands in for report_prompts.show_written."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, Path]] = []

    def __call__(self, _parent: object, title: str, message: str, out: Path) -> None:
        self.messages.append((title, message, out))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the clerk saves (the ledger itself is in another folder of tmp_path)."""
    path = tmp_path / "报表"
    path.mkdir()
    return path


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Written:
    sink = Written()
    monkeypatch.setattr(report_prompts, "show_written", sink)
    return sink


def open_dialog(qtbot: QtBot, window: MainWindow) -> ReportDialog:
    window.report_action.trigger()
    dialog = window.findChild(ReportDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def generate(qtbot: QtBot, dialog: ReportDialog) -> list[object]:
    finished: list[object] = []
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    job = dialog.findChild(ReportExport)
    assert job is not None
    job.done.connect(finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=15_000)
    return finished


def shown(grid: QTableWidget, row: int, column: int) -> str:
    item = grid.item(row, column)
    assert item is not None
    return item.text()


def last_month() -> Period:
    today = dt.date.today()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return Period.parse(f"{first.year}-{first.month:02d}")


def test_period_picker_defaults_to_the_previous_month(qtbot: QtBot) -> None:
    picker = PeriodPicker(dt.date(2026, 1, 15))
    qtbot.addWidget(picker)
    assert picker.period().label == "2025-12"
    assert picker.part_combo.currentText() == "12月"
    picker.set_period(2026, "Q3")
    assert picker.period().label == "2026-Q3" and picker.part_combo.currentText() == "第三季度"
    assert report_runner.suggested_name(picker.period()) == "城管季报_2026年第三季度.xlsx"
    assert report_runner.suggested_name(Period.parse("2026-10")) == "城管月报_2026年10月.xlsx"


def test_summary_for_last_month(qtbot: QtBot, db: Database, folder: Path, written: Written,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    window = window_as(qtbot, db, add_user(db, "wangli", "clerk", name="王丽"))
    try:
        assert window.report_action.shortcut().toString() == "Ctrl+Shift+R"
        file_menu = window.menuBar().actions()[0].menu()
        assert isinstance(file_menu, QMenu) and file_menu.actions()[0] is window.report_action
        save = SaveAs(folder / "十月报表")  # typed without .xlsx
        monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
        dialog = open_dialog(qtbot, window)
        period = last_month()
        assert dialog.period_picker.period() == period
        assert dialog.summary_radio.isChecked() and not dialog.template_edit.isEnabled()
        assert not dialog.status_label.isVisible()

        assert len(generate(qtbot, dialog)) == 1
        out = folder / "十月报表.xlsx"
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        assert save.started_in == [str(Path(documents) / report_runner.suggested_name(period))]
        wb = load_workbook(out)
        assert wb.sheetnames == ["封面", *(spec.name for spec in AREA_SHEETS)]
        cover = [c.value for row in wb["封面"].iter_rows() for c in row if c.value is not None]
        assert f"城市管理工作统计报表（{period_text(period)}）" in cover
        assert f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}" in cover
        assert "王丽" in cover
        for spec in AREA_SHEETS:
            assert period_text(period) in wb[spec.name]["A1"].value
        (title, message, path), = written.messages
        assert title == "报表已生成" and path == out and str(out) in message
        qtbot.waitUntil(lambda: gone(dialog))
        assert [p.name for p in folder.iterdir()] == ["十月报表.xlsx"]  # no part file left
    finally:
        close_window(window)


def district_template(path: Path) -> Path:
    """A district form with no placeholders: the clerk must map it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.merge_cells("A1:E1")
    ws["A1"] = "城市管理工作月报"
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A2"] = "在册商户"
    for col, title in zip("BCDE", ["社区", "应签", "已签", "签约率"], strict=True):
        ws[f"{col}4"] = title
        ws[f"{col}4"].fill = YELLOW
    for row, name in enumerate(["东湖社区", "西岭社区", "合计"], start=5):
        ws[f"B{row}"] = name
        ws[f"E{row}"] = f"=IF(C{row}=0,0,D{row}/C{row})"
    notes = wb.create_sheet("说明")
    notes["A2"] = "西岭应签"
    wb.save(path)
    return path


def test_template_mapped_in_the_dialog(qtbot: QtBot, db: Database, folder: Path,
                                       written: Written, answers: Answers,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    template = district_template(folder / "区模板.xlsx")
    monkeypatch.setattr(report_prompts, "ask_template", lambda _parent, _current: template)
    out = folder / "out.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(out))
    window = window_as(qtbot, db, add_user(db, "wangli", "clerk", name="王丽"))
    try:
        dialog = open_dialog(qtbot, window)
        dialog.period_picker.set_period(last_month().start.year, last_month().start.month)
        qtbot.mouseClick(dialog.template_radio, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
        assert dialog.template_edit.text() == str(template)
        assert dialog.status_label.text().startswith("模板中没有占位符，也没有对应关系")

        qtbot.mouseClick(dialog.mapping_button, Qt.MouseButton.LeftButton)
        mapping = dialog.findChild(MappingDialog)
        assert mapping is not None
        qtbot.waitUntil(lambda: mapping.unknown() == set() and mapping._communities is not None)
        assert [mapping.tabs.tabText(k) for k in range(mapping.tabs.count())] == ["汇总表", "说明"]
        first, notes = mapping.grids
        assert (first.rowCount(), first.columnCount()) == (60, 26)
        assert first.columnSpan(0, 0) == 5 and shown(first, 0, 0) == "城市管理工作月报"

        # B2 of the first sheet: search, Enter picks the first match.
        first.setFocus()
        first.setCurrentCell(1, 1)
        qtbot.keyClick(first, Qt.Key.Key_Return)  # Enter in the grid goes on to the search
        assert mapping.picker.search_edit.hasFocus()
        mapping.picker.search_edit.setText("全街道 商户数")
        qtbot.keyClick(mapping.picker.search_edit, Qt.Key.Key_Return)
        assert mapping.cells == {("汇总表", (2, 2)): "全街道.商户数"}
        assert shown(first, 1, 1) == "全街道.商户数"
        # A formula cannot be mapped.
        first.setCurrentCell(4, 4)
        assert not mapping.assign("全街道.商户数") and "公式" in mapping.note_label.text()
        # B2 of 说明: a community's figure, picked from the tree and put in with the button.
        mapping.tabs.setCurrentIndex(1)
        notes.setCurrentCell(1, 1)
        mapping.picker.search_edit.setText("西岭 应签")
        assert mapping.picker.current_figure() == "西岭社区.门前三包.应签"
        qtbot.mouseClick(mapping.assign_button, Qt.MouseButton.LeftButton)
        assert len(mapping.cells) == 2

        # A community row block on 汇总表: names in B, 应签 in C, 已签 in D.
        blocks = mapping.blocks
        mapping.side.setCurrentIndex(1)
        mapping.tabs.setCurrentIndex(0)
        first.setCurrentCell(4, 1)
        qtbot.mouseClick(blocks.add_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(blocks.key_pick_button, Qt.MouseButton.LeftButton)
        assert blocks.sheet_combo.currentText() == "汇总表" and blocks.key_edit.text() == "B"
        qtbot.mouseClick(mapping.save_button, Qt.MouseButton.LeftButton)  # refused: no column yet
        assert "还没有设置要填的列" in blocks.error_label.text() and mapping.isVisible()
        first.setCurrentCell(4, 2)
        qtbot.mouseClick(blocks.column_pick_button, Qt.MouseButton.LeftButton)
        assert blocks.column_edit.text() == "C"
        blocks.measure_combo.setCurrentIndex(blocks.measure_combo.findData("门前三包.应签"))
        qtbot.mouseClick(blocks.add_column_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(blocks.column_edit, "xfe")
        assert blocks.column_edit.text() == "XFE"
        qtbot.keyClick(blocks.column_edit, Qt.Key.Key_Return)
        assert "A 至 XFD" in blocks.error_label.text()
        blocks.column_edit.clear()
        qtbot.keyClicks(blocks.column_edit, "d")
        blocks.measure_combo.setCurrentIndex(blocks.measure_combo.findData("门前三包.已签"))
        qtbot.keyClick(blocks.column_edit, Qt.Key.Key_Return)  # Enter sets the column, not 保存
        assert mapping.isVisible()
        assert blocks.blocks[0].columns == {"C": "门前三包.应签", "D": "门前三包.已签"}
        assert shown(first, 4, 2) == "门前三包.应签"  # 东湖社区's row
        assert shown(first, 6, 3) == "门前三包.已签"  # 合计
        assert mapping.count_label.text() == "已设置 2 个单元格、1 个社区行块"

        qtbot.mouseClick(mapping.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: gone(mapping))
        saved = load_mapping(template)
        assert saved is not None
        assert saved.cells == {"B2": "全街道.商户数", "说明!B2": "西岭社区.门前三包.应签"}
        assert dialog.status_label.text() == "已保存对应关系：2 个单元格、1 个社区行块"

        assert len(generate(qtbot, dialog)) == 1
        assert written.messages and written.messages[0][2] == out
        with db.session() as s:
            figures = collect(s, last_month(), prepared_by="王丽")
        east, west = figures.row("东湖社区"), figures.row("西岭社区")
        assert east is not None and west is not None
        wb = load_workbook(out)
        ws = wb["汇总表"]
        assert ws["B2"].value == figures.total.values["商户数"] == 5
        assert wb["说明"]["B2"].value == west.values["门前三包.应签"]
        assert [[ws[f"{c}{r}"].value for c in "CD"] for r in (5, 6, 7)] == [
            [row.values["门前三包.应签"], row.values["门前三包.已签"]]
            for row in (east, west, figures.total)]
        # The template's layout survived.
        assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
        assert ws["A1"].font.name == "黑体" and ws["A1"].font.b
        assert ws["C4"].fill.fgColor.rgb.endswith("FFFF00")
        assert ws["E7"].value == "=IF(C7=0,0,D7/C7)"
        assert answers.errors == []
    finally:
        close_window(window)


def test_template_without_placeholders_or_mapping_is_refused(
        qtbot: QtBot, db: Database, folder: Path, answers: Answers,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    template = district_template(folder / "区模板.xlsx")
    picked = [template]
    monkeypatch.setattr(report_prompts, "ask_template", lambda _parent, _current: picked[0])

    def no_save_dialog(*_args: object) -> tuple[str, str]:
        raise AssertionError("生成 must be refused before asking where to save")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", no_save_dialog)
    window = window_as(qtbot, db, add_user(db, "wangli", "clerk", name="王丽"))
    try:
        dialog = open_dialog(qtbot, window)
        dialog.template_radio.setChecked(True)
        assert dialog.status_label.text() == "请先选择区里下发的 .xlsx 模板。"
        qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
        assert dialog.status_label.isVisible()
        assert dialog.status_label.text().startswith("模板中没有占位符，也没有对应关系")
        assert "c00000" in dialog.status_label.styleSheet()
        assert dialog.generate() is None
        assert answers.errors[-1][0] == "生成上报报表"
        assert answers.errors[-1][1].startswith("模板中没有占位符，也没有对应关系")
        assert dialog.findChild(ReportExport) is None and dialog.isVisible()

        # A macro workbook is refused when chosen, before anything is written.
        macro = folder / "宏.xlsm"
        macro.write_bytes(template.read_bytes())
        picked[0] = macro
        qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
        assert "宏" in dialog.status_label.text() and not dialog.mapping_button.isEnabled()
        qtbot.keyClick(dialog.generate_button, Qt.Key.Key_Return)
        assert "宏" in answers.errors[-1][1]
        assert sorted(p.name for p in folder.iterdir()) == ["区模板.xlsx", "宏.xlsm"]

        # A period that has not begun is refused too.
        dialog.summary_radio.setChecked(True)
        next_year = dt.date.today().year + 1
        dialog.period_picker.set_period(next_year, 1)
        assert dialog.generate() is None and "尚未开始" in answers.errors[-1][1]
    finally:
        close_window(window)


def test_cancel_leaves_no_file(qtbot: QtBot, db: Database, folder: Path, written: Written,
                               answers: Answers, monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(folder / "x.xlsx"))
    release = threading.Event()
    real = report_runner.collect

    def held(*args: object, **kwargs: object) -> object:
        release.wait(10)  # the clerk presses 取消 while the figures are being counted
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(report_runner, "collect", held)
    window = window_as(qtbot, db, add_user(db, "wangli", "clerk", name="王丽"))
    try:
        dialog = open_dialog(qtbot, window)
        job = dialog.generate()
        assert job is not None and not dialog.generate_button.isEnabled()
        finished: list[object] = []
        job.done.connect(finished.append)
        cancel = job.progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "取消"
        cancel.click()
        release.set()
        qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
        assert finished == [None]
        assert list(folder.iterdir()) == []
        assert answers.errors == [] and written.messages == []
        assert dialog.isVisible() and dialog.generate_button.isEnabled()
    finally:
        close_window(window)


def test_output_open_in_excel_is_reported(qtbot: QtBot, db: Database, folder: Path,
                                          written: Written, answers: Answers,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    make_ledger(db)
    template = folder / "占位符模板.xlsx"
    wb = Workbook()
    wb.active["A1"] = "签约率：{{门前三包.签约率}}"
    wb.active["B2"] = "{{东湖社区.商户数}}"
    wb.save(template)
    monkeypatch.setattr(report_prompts, "ask_template", lambda _parent, _current: template)
    out = folder / "上月.xlsx"
    out.write_bytes(b"open in Excel")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(out))

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_out.os, "replace", locked)
    window = window_as(qtbot, db, add_user(db, "wangli", "clerk", name="王丽"))
    try:
        dialog = open_dialog(qtbot, window)
        dialog.template_radio.setChecked(True)
        qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
        assert dialog.status_label.text() == "找到 2 个占位符"
        assert generate(qtbot, dialog) == [None]
        assert "正在 Excel" in answers.errors[-1][1] and written.messages == []
        assert out.read_bytes() == b"open in Excel"
        assert sorted(p.name for p in folder.iterdir()) == ["上月.xlsx", "占位符模板.xlsx"]
        assert dialog.isVisible() and dialog.generate_button.isEnabled()
    finally:
        close_window(window)
