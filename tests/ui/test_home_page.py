"""The home page: real figures per community as a table and charts, each leading to its list."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import agreements as A
from desktop.domain import findings as F
from desktop.domain import sorting, sorting_sites
from desktop.domain.sorting_templates import current_template
from desktop.domain.stats import Period
from desktop.ui.agreement_page import AgreementPage
from desktop.ui.charts import _Chart
from desktop.ui.finding_page import FindingPage
from desktop.ui.home_charts import HomeCharts
from desktop.ui.home_page import HomePage
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow
from desktop.ui.sorting_page import SortingPage
from tests.unit.domain.sorting_helpers import sheet

from .conftest import SMALL, Ledger


def open_home(qtbot: QtBot, window: MainWindow) -> HomePage:
    page = window.current_page()
    assert isinstance(page, HomePage)  # the window starts here
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)
    return page


def charts_of(qtbot: QtBot, page: HomePage) -> HomeCharts:
    """The charts, built when the first figures arrive."""
    qtbot.waitUntil(lambda: page.charts is not None)
    assert page.charts is not None
    return page.charts


def cells(page: HomePage, row: int) -> list[str]:
    items = [page.table.item(row, c) for c in range(page.table.columnCount())]
    return [item.text() if item else "" for item in items]


def test_figures_per_community_and_total(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_home(qtbot, window)
    # No agreements signed yet: every trading business still needs one.
    # Nothing checked or found this month: no rate to show, counts of nought.
    assert cells(page, 0) == ["东湖社区", "3", "3", "0", "0.0%", "0", "—", "0", "0", "0", "0"]
    assert cells(page, 1) == ["西岭社区", "3", "3", "0", "0.0%", "0", "—", "0", "0", "0", "0"]
    assert cells(page, 2) == ["合计", "6", "6", "0", "0.0%", "0", "—", "0", "0", "0", "0"]
    assert page.businesses_button.text() == f"在册商户共 {len(SMALL)} 家 →"


def test_double_click_opens_that_communitys_ledger(qtbot: QtBot, window: MainWindow,
                                                   ledger: Ledger) -> None:
    page = open_home(qtbot, window)
    page.tabs.setCurrentIndex(1)
    rect = page.table.visualRect(page.table.model().index(1, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    ledger_page = window.current_page()
    assert isinstance(ledger_page, LedgerPage)
    assert window.navigation.currentItem().text() == "商户台账"
    qtbot.waitUntil(lambda: ledger_page.model.query.community_id == ledger.communities["西岭社区"]
                    and not ledger_page.model.loading)
    assert ledger_page.model.total == 3
    qtbot.waitUntil(lambda: ledger_page.filter_bar.community_combo.currentText() == "西岭社区")

    # The business count leads to the whole ledger.
    window.show_page("home")
    qtbot.mouseClick(page.businesses_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ledger_page.model.query.community_id is None
                    and ledger_page.model.total == len(SMALL))


def test_refreshes_when_the_ledger_changes(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_home(qtbot, window)
    ledger_page = window.show_page("ledger")
    assert isinstance(ledger_page, LedgerPage)
    qtbot.waitUntil(lambda: ledger_page.model.total == len(SMALL))
    window.ctx.hub.announce({"business"})  # page hidden: it refreshes when shown again
    window.show_page("home")
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)


# --- the charts and the lists behind the figures ----------------------------------------------


def _sign(db: Database, business_id: int, start: dt.date) -> None:
    with db.transaction() as s:
        row = A.create_draft(s, A.AgreementInput(
            business_id=business_id, area_east="至东侧消防栓", area_west="至西侧花坛",
            area_text="店门前人行道", frontage_length_m=8, area_m2=20,
            duties=["sanitation", "appearance", "order"], start_date=start,
            office_signatory="张科长", business_signatory="店主"), user="clerk")
        A.sign(s, row.id, row.version, start, user="clerk")


def _find(db: Database, ledger: Ledger, shop: str, at: dt.datetime) -> None:
    with db.transaction() as s:
        F.record_finding(s, F.FindingInput(
            category="店外经营", found_at=at, business_id=ledger.rows[shop].id,
            description="店外摆放桌椅", inspectors="张三、李四"), user="inspector", now=at)


def _sorting_check(db: Database, ledger: Ledger, day: dt.date, *, failed: bool) -> None:
    with db.transaction() as s:
        site = sorting_sites.create_site(s, sorting_sites.SiteInput(
            name="西岭家园", site_type="小区", community_id=ledger.communities["西岭社区"],
            address="西岭路1号", responsible="张三", contact="13800138000",
            collection_points=3), user="setup")
        template = current_template(s, "小区")
        lose = {4: 8, 10: 12, 15: 6} if failed else {}
        sorting.record_check(s, sorting.CheckInput(
            site_id=site.id, template_id=template.id, check_date=day, inspectors="李四",
            scores=sheet(template, lose)), user="setup")


def click_figure(qtbot: QtBot, chart: _Chart, series: int, category: int) -> None:
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=chart.point_of(series, category).toPoint())


def test_the_charts_show_this_months_figures(qtbot: QtBot, window: MainWindow, db: Database,
                                             ledger: Ledger) -> None:
    today = dt.date.today()
    _sign(db, ledger.rows["重庆火锅店"].id, today.replace(day=1))
    _find(db, ledger, "老王火锅店", dt.datetime.combine(today, dt.time(9)))
    page = open_home(qtbot, window)
    window.ctx.hub.announce({"agreement", "finding"})
    charts = charts_of(qtbot, page)
    qtbot.waitUntil(lambda: charts.signing.series[0].values[1] > 0)
    assert charts.signing.categories == ["东湖社区", "西岭社区"]
    assert charts.signing.figure_text(0, 1) == "西岭社区 签约率：33.3%"
    assert charts.findings.figure_text(0, 0) == "东湖社区 发现问题：1"
    assert len(charts.counts_trend.categories) == 12 and charts.counts_trend.categories[-1] == "本月"
    assert charts.counts_trend.series[0].values[-1] == 1
    assert charts.rates_trend.series[0].values[-1] == 0.1667  # 1 of 6 signed


def test_a_bar_opens_the_list_behind_it(qtbot: QtBot, window: MainWindow, db: Database,
                                        ledger: Ledger) -> None:
    _sign(db, ledger.rows["重庆火锅店"].id, dt.date.today().replace(day=1))
    page = open_home(qtbot, window)
    qtbot.waitUntil(lambda: page.charts.signing.categories == ["东湖社区", "西岭社区"])
    # 西岭社区's signing rate: the businesses there still to sign.
    click_figure(qtbot, page.charts.signing, 0, 1)
    agreements = window.current_page()
    assert isinstance(agreements, AgreementPage)
    assert agreements.unsigned_mode()
    assert agreements.filter_bar.community_id() == ledger.communities["西岭社区"]
    qtbot.waitUntil(lambda: not agreements.unsigned_model.loading
                    and agreements.unsigned_model.total == 2)


def test_a_sorting_bar_opens_that_communitys_checks_this_month(
        qtbot: QtBot, window: MainWindow, db: Database, ledger: Ledger) -> None:
    today = dt.date.today()
    _sorting_check(db, ledger, today, failed=True)
    page = open_home(qtbot, window)
    window.ctx.hub.announce({"sorting"})
    qtbot.waitUntil(lambda: cells(page, 1)[5] == "1")  # one check, failed
    charts = charts_of(qtbot, page)
    assert charts.sorting.figure_text(0, 1) == "西岭社区 合格率：0.0%"
    click_figure(qtbot, charts.sorting, 0, 1)
    sorting_page = window.current_page()
    assert isinstance(sorting_page, SortingPage)
    bar = sorting_page.filter_bar
    assert bar.period() == Period.parse(None)
    assert bar.community_id() == ledger.communities["西岭社区"]
    assert sorting_page.tabs.currentIndex() == 0  # the checks
    qtbot.waitUntil(lambda: sorting_page.check_model.total == 1)


def test_a_trend_point_opens_that_months_findings(qtbot: QtBot, window: MainWindow, db: Database,
                                                  ledger: Ledger) -> None:
    today = dt.date.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    _find(db, ledger, "老王火锅店", dt.datetime.combine(last_month, dt.time(9)))
    _find(db, ledger, "重庆火锅店", dt.datetime.combine(last_month, dt.time(10)))
    _find(db, ledger, "阿强理发店", dt.datetime.combine(today, dt.time(8)))
    page = open_home(qtbot, window)
    window.ctx.hub.announce({"finding"})
    charts = charts_of(qtbot, page)
    qtbot.waitUntil(lambda: charts.counts_trend.series[0].values[-2] == 2)
    click_figure(qtbot, charts.counts_trend, 0, 10)  # 发现问题, last month
    findings = window.current_page()
    assert isinstance(findings, FindingPage)
    qtbot.waitUntil(lambda: not findings.model.loading and findings.model.total == 2)
    query = findings.model.query
    assert query.found_from == last_month.replace(day=1)
    assert query.found_to == today.replace(day=1) - dt.timedelta(days=1)
    assert query.community_id is None


def test_a_table_figure_opens_its_list_from_the_keyboard(
        qtbot: QtBot, window: MainWindow, db: Database, ledger: Ledger) -> None:
    today = dt.date.today()
    _find(db, ledger, "老王火锅店", dt.datetime.combine(today, dt.time(9)))
    _find(db, ledger, "重庆火锅店", dt.datetime.combine(today, dt.time(10)))
    page = open_home(qtbot, window)
    window.ctx.hub.announce({"finding"})
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: cells(page, 1)[7] == "1")
    page.table.setFocus()
    page.table.setCurrentCell(1, 7)  # 西岭社区, 本月发现问题
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    findings = window.current_page()
    assert isinstance(findings, FindingPage)
    qtbot.waitUntil(lambda: not findings.model.loading and findings.model.total == 1)
    assert findings.model.query.community_id == ledger.communities["西岭社区"]
