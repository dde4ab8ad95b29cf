"""导出 on every list page: the page's filter, order and visible columns, with typed cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import permits as P
from desktop.ui import export_runner
from desktop.ui.agreement_filter_bar import UNSIGNED
from desktop.ui.export_runner import ListExport
from desktop.ui.finding_filter_bar import REPEAT
from desktop.ui.main_window import MainWindow
from desktop.ui.page import Page
from desktop.ui.permit_page import PermitPage
from desktop.ui.sorting_page import CHECKS, FIGURES, SITES, SortingPage
from tests.unit.domain.sorting_helpers import check, make_sites

from .conftest import Answers, Ledger, add_user, close_window, drain, window_as
from .test_agreement_page import START, businesses_shown, draft, open_agreements
from .test_finding_page import open_findings, record

TODAY = dt.date.today()
MIDNIGHT = dt.datetime.combine(TODAY, dt.time())


class Chooser:
    """Stands in for export_runner.choose_file: answers `out`, remembers the suggestion."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.suggested = ""

    def __call__(self, _parent: QWidget, suggested: str) -> Path:
        self.suggested = suggested
        return self.out


def export(qtbot: QtBot, page: Page, out: Path, monkeypatch: pytest.MonkeyPatch) -> Worksheet:
    """Press 导出 (Ctrl+E), save to `out`, wait for the background write; the sheet written."""
    chooser = Chooser(out)
    monkeypatch.setattr(export_runner, "choose_file", chooser)
    assert page.act_export.isEnabled()
    finished: list[object] = []
    page.act_export.trigger()
    job = page.findChild(ListExport)
    assert job is not None
    job.done.connect(finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    assert finished[0] is not None, "the export failed or was cancelled"
    assert chooser.suggested.endswith(f"_{TODAY:%Y%m%d}.xlsx")
    ws = load_workbook(out).active
    assert ws is not None
    return ws


def header(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[1]]


def column(ws: Worksheet, title: str) -> list[Any]:
    index = header(ws).index(title)
    return [row[index].value for row in ws.iter_rows(min_row=2)]


def cell(ws: Worksheet, title: str, row: int = 0) -> Any:
    return ws.cell(row=row + 2, column=header(ws).index(title) + 1)


def arrange(table: QTableView, first: str, hidden: str, fields: list[str]) -> None:
    """Move one column to the front and hide another, as a clerk can."""
    head: QHeaderView = table.horizontalHeader()
    head.moveSection(head.visualIndex(fields.index(first)), 0)
    head.setSectionHidden(fields.index(hidden), True)


# --- 门前三包 ---------------------------------------------------------------------------------


def test_agreements_export_as_listed(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                     db: Database, answers: Answers, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    draft(db, ledger, "老王火锅店", sign=True)
    draft(db, ledger, "张记面馆", start=START - dt.timedelta(days=10), sign=True)
    draft(db, ledger, "小李便利店")
    draft(db, ledger, "重庆火锅店", sign=True)  # another community: filtered out
    east = ledger.communities["东湖社区"]
    page = open_agreements(qtbot, window, {"community_id": east})
    qtbot.waitUntil(lambda: page.model.total == 3)
    fields = [c.field for c in page.model.columns]
    arrange(page.table, "state", "operator", fields)

    ws = export(qtbot, page, tmp_path / "三包.xlsx", monkeypatch)
    assert header(ws) == ["状态", "编号", "商户", "地址", "社区", "网格", "开始日期", "结束日期"]
    assert column(ws, "商户") == businesses_shown(page)
    assert len(businesses_shown(page)) == 3
    rows = [page.model.row_at(r) for r in range(3)]
    assert column(ws, "状态") == [r.state_label for r in rows if r]
    assert column(ws, "编号") == [r.number or None for r in rows if r]  # a draft has none yet
    start = cell(ws, "开始日期", businesses_shown(page).index("张记面馆"))
    assert start.is_date and start.value.date() == START - dt.timedelta(days=10)
    assert start.number_format == "yyyy-mm-dd"
    assert answers.errors[-1][0] == "导出完成"


def test_unsigned_businesses_export_with_phones_as_text(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, answers: Answers,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft(db, ledger, "重庆火锅店", sign=True)
    west = ledger.communities["西岭社区"]
    page = open_agreements(qtbot, window, {"state": UNSIGNED, "community_id": west})
    qtbot.waitUntil(lambda: page.unsigned_mode() and not page.unsigned_model.loading)
    shown = businesses_shown(page)
    assert shown and "重庆火锅店" not in shown

    ws = export(qtbot, page, tmp_path / "未签约.xlsx", monkeypatch)
    assert header(ws) == ["商户", "经营者", "联系电话", "地址", "行业类别", "社区", "网格"]
    assert column(ws, "商户") == shown
    phone = cell(ws, "联系电话")
    assert phone.data_type == "s" and phone.number_format == "@"
    assert phone.value == ledger.rows[shown[0]].phone


# --- 巡查与通知 -------------------------------------------------------------------------------


def test_findings_export_as_listed(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                   db: Database, answers: Answers, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    record(db, ledger, "老王火锅店", at=MIDNIGHT - dt.timedelta(days=3, hours=-9))
    record(db, ledger, "张记面馆", at=MIDNIGHT - dt.timedelta(days=10, hours=-15))
    record(db, ledger, "重庆火锅店", at=MIDNIGHT - dt.timedelta(days=1, hours=-10))
    east = ledger.communities["东湖社区"]
    page = open_findings(qtbot, window, {"community_id": east})
    qtbot.waitUntil(lambda: page.model.total == 2)
    fields = [c.field for c in page.model.columns]
    arrange(page.table, "party", "notice", fields)

    ws = export(qtbot, page, tmp_path / "问题.xlsx", monkeypatch)
    assert header(ws) == ["商户/当事人", "发现时间", "问题类别", "地点", "社区", "整改期限", "状态"]
    assert column(ws, "商户/当事人") == ["老王火锅店", "张记面馆"]  # newest first, as listed
    found = cell(ws, "发现时间")
    assert found.is_date and found.value == MIDNIGHT - dt.timedelta(days=3, hours=-9)
    assert found.number_format == "yyyy-mm-dd hh:mm"
    assert column(ws, "状态") == ["发现", "发现"]
    assert column(ws, "社区") == ["东湖社区", "东湖社区"]


def test_repeat_offenders_export(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                 db: Database, answers: Answers, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = MIDNIGHT - dt.timedelta(days=20, hours=-9)
    record(db, ledger, "老王火锅店", at=first)
    record(db, ledger, "老王火锅店", at=MIDNIGHT - dt.timedelta(days=2, hours=-9))
    record(db, ledger, "张记面馆", at=first)
    page = open_findings(qtbot, window, {"state": REPEAT})
    qtbot.waitUntil(lambda: page.repeat_table.rowCount() == 1)

    ws = export(qtbot, page, tmp_path / "重复.xlsx", monkeypatch)
    assert header(ws) == ["商户或地点", "类型", "90天内次数", "首次发现", "最近发现"]
    assert [c.value for c in ws[2]][:3] == ["老王火锅店", "商户", 2]
    assert cell(ws, "首次发现").is_date and cell(ws, "首次发现").value == MIDNIGHT - dt.timedelta(days=20)


# --- 户外广告 ---------------------------------------------------------------------------------


def apply_for(db: Database, ledger: Ledger, shop: str, applied: dt.date, width: float,
              height: float, *, approve: bool = False) -> P.PermitRow:
    now = dt.datetime.combine(applied, dt.time(10))
    with db.transaction() as s:
        row = P.apply(s, P.PermitInput(
            business_id=ledger.rows[shop].id, width_m=width, height_m=height, material="铝塑板",
            facade_position="门头", install_height_m=3, applied_date=applied), now=now)
        if approve:
            row = P.accept(s, row.id, row.version, accepted_on=applied, now=now)
            row = P.record_survey(s, row.id, row.version, P.SurveyInput(now, "张三", "相符"),
                                  now=now)
            row = P.approve(s, row.id, row.version, P.ApprovalInput(applied), role="admin",
                            now=now)
    return row


def open_permits(qtbot: QtBot, window: MainWindow, arg: object = None) -> PermitPage:
    page = window.show_page("permits", arg)
    assert isinstance(page, PermitPage)
    drain(qtbot, window)
    qtbot.waitUntil(lambda: not page.model.loading)
    return page


def test_permits_export_as_listed(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                  db: Database, answers: Answers, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    approved = apply_for(db, ledger, "老王火锅店", TODAY - dt.timedelta(days=5), 4, 1.2,
                         approve=True)
    apply_for(db, ledger, "张记面馆", TODAY - dt.timedelta(days=1), 3, 0.8)
    apply_for(db, ledger, "重庆火锅店", TODAY, 2, 1)  # another community: filtered out
    page = open_permits(qtbot, window, {"community_id": ledger.communities["东湖社区"]})
    qtbot.waitUntil(lambda: page.model.total == 2)
    fields = [c.field for c in page.model.columns]
    arrange(page.table, "business", "location", fields)

    ws = export(qtbot, page, tmp_path / "招牌.xlsx", monkeypatch)
    assert header(ws) == ["商户", "申请编号", "招牌类型", "宽（米）", "高（米）", "面积（㎡）", "状态",
                          "有效期至", "安全检查"]
    shown = [page.model.row_at(r) for r in range(2)]
    assert column(ws, "商户") == [r.business for r in shown if r] == ["张记面馆", "老王火锅店"]
    assert column(ws, "宽（米）") == [3, 4] and column(ws, "高（米）") == [0.8, 1.2]
    assert column(ws, "面积（㎡）") == [2.4, 4.8]
    end = cell(ws, "有效期至", 1)
    assert end.is_date and end.value.date() == approved.end_date
    assert cell(ws, "有效期至", 0).value is None  # still an application
    assert column(ws, "申请编号") == [r.number for r in shown if r]


# --- 垃圾分类 ---------------------------------------------------------------------------------


def open_sorting(qtbot: QtBot, window: MainWindow, arg: object = None) -> SortingPage:
    page = window.show_page("sorting", arg)
    assert isinstance(page, SortingPage)
    drain(qtbot, window)
    return page


def test_sorting_checks_and_sites_export_as_listed(
        qtbot: QtBot, window: MainWindow, db: Database, answers: Answers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ledger, sites = make_sites(db)
    day = TODAY.replace(day=1)
    check(db, sites["东湖花园"], day, {4: 2}, today=TODAY)  # 98, passes
    check(db, sites["老王火锅店"], TODAY, {3: 10, 7: 12}, site_type="商户", today=TODAY)  # 78
    check(db, sites["西岭家园"], day, today=TODAY)  # another community: filtered out
    page = open_sorting(qtbot, window, {"community_id": ledger.communities["东湖社区"]})
    qtbot.waitUntil(lambda: page.check_model.total == 2)
    fields = [c.field for c in page.check_model.columns]
    arrange(page.check_table, "site", "grid", fields)

    ws = export(qtbot, page, tmp_path / "检查.xlsx", monkeypatch)
    assert header(ws) == ["点位", "检查日期", "点位类型", "社区", "得分", "结果", "整改期限",
                          "检查人员", "检查表版本"]
    shown = [page.check_model.row_at(r) for r in range(2)]
    assert column(ws, "点位") == [r.site for r in shown if r]
    assert column(ws, "得分") == [r.total for r in shown if r]
    dated = cell(ws, "检查日期", column(ws, "点位").index("东湖花园"))
    assert dated.is_date and dated.value.date() == day
    assert cell(ws, "检查表版本").value == 1

    page.tabs.setCurrentIndex(SITES)
    page.filter_bar.set_filters(community_id=ledger.communities["西岭社区"])
    qtbot.waitUntil(lambda: page.site_model.total == 2)
    ws = export(qtbot, page, tmp_path / "点位.xlsx", monkeypatch)
    assert header(ws)[:7] == ["点位", "类型", "社区", "网格", "最近检查日期", "最近得分",
                              "最近检查结果"]
    assert column(ws, "点位") == [page.site_model.row_at(r).name for r in range(2)]
    checked = column(ws, "点位").index("西岭家园")
    assert cell(ws, "最近检查日期", checked).value.date() == day
    assert column(ws, "最近检查结果")[1 - checked] == "未检查"
    contact = cell(ws, "联系电话")
    assert contact.value == "13800138000" and contact.number_format == "@"

    page.tabs.setCurrentIndex(FIGURES)
    assert not page.act_export.isEnabled()  # the figures are no list
    page.tabs.setCurrentIndex(CHECKS)
    assert page.act_export.isEnabled()


def test_a_viewer_may_export(qtbot: QtBot, db: Database, ledger: Ledger, answers: Answers,
                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apply_for(db, ledger, "老王火锅店", TODAY, 4, 1.2)
    viewer = add_user(db, "guest", "viewer")
    win = window_as(qtbot, db, viewer)
    try:
        page = open_permits(qtbot, win)
        qtbot.waitUntil(lambda: page.model.total == 1)
        assert not page.act_new.isEnabled()
        ws = export(qtbot, page, tmp_path / "只读.xlsx", monkeypatch)
        assert column(ws, "商户") == ["老王火锅店"]
    finally:
        close_window(win)


def test_a_locked_file_is_reported_and_left_alone(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, answers: Answers,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.io import xlsx_out

    record(db, ledger, "老王火锅店", at=MIDNIGHT - dt.timedelta(hours=10))
    folder = tmp_path / "导出"
    folder.mkdir()
    out = folder / "open.xlsx"
    out.write_bytes(b"in Excel")

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_out.os, "replace", locked)
    monkeypatch.setattr(export_runner, "choose_file", Chooser(out))
    page = open_findings(qtbot, window)
    qtbot.waitUntil(lambda: page.model.total == 1)
    job = page.export_list()
    assert job is not None
    finished: list[object] = []
    job.done.connect(finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    assert finished == [None]
    assert answers.errors[-1][0] == "导出失败" and "正在 Excel" in answers.errors[-1][1]
    assert out.read_bytes() == b"in Excel" and [p.name for p in folder.iterdir()] == ["open.xlsx"]
