"""The ledger page: search as you type, filters, SQL sorting, deactivation, selection."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import businesses
from desktop.domain.businesses import BusinessQuery
from desktop.ui.business_table_model import COLUMNS, PLACEHOLDER
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow

from .conftest import SMALL, Answers, Ledger, drain


def open_ledger(qtbot: QtBot, window: MainWindow) -> LedgerPage:
    page = window.show_page("ledger")
    assert isinstance(page, LedgerPage)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total > 0)
    return page


def names(page: LedgerPage) -> list[str]:
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    return [row.name for row in rows if row is not None]


def click_header(qtbot: QtBot, page: LedgerPage, field: str) -> None:
    header = page.table.horizontalHeader()
    column = next(i for i, c in enumerate(COLUMNS) if c.field == field)
    pos = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_lists_every_business_with_count(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    assert page.model.total == len(SMALL)
    assert sorted(names(page)) == sorted(name for name, *_ in SMALL)
    assert page.count_label.text() == f"共 {len(SMALL)} 条"
    first = page.model.index(0, 0)
    assert page.model.data(first) != PLACEHOLDER


def test_search_by_pinyin_initials_as_you_type(qtbot: QtBot, window: MainWindow,
                                               ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    qtbot.keyClicks(page.filter_bar.search_edit, "hgd")
    qtbot.waitUntil(lambda: page.model.total == 2)
    assert sorted(names(page)) == ["老王火锅店", "重庆火锅店"]
    assert page.count_label.text() == "共 2 条"
    page.filter_bar.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.total == len(SMALL))


def test_search_by_phone_and_credit_code(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    page.filter_bar.search_edit.setText("13800000007")
    qtbot.waitUntil(lambda: names(page) == ["阿强理发店"])
    page.filter_bar.search_edit.setText(ledger.rows["张记面馆"].credit_code.lower())
    qtbot.waitUntil(lambda: names(page) == ["张记面馆"])


def test_stale_answers_are_dropped(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    model = page.model
    shown: list[list[str]] = []
    model.loaded.connect(lambda: shown.append(names(page)))
    # Both queries are in the worker's queue at once; only the newer one may be shown,
    # not even for a moment.
    model.set_query(BusinessQuery(text="hgd"))
    model.set_query(BusinessQuery(text="理发"))
    qtbot.waitUntil(lambda: bool(shown))
    drain(qtbot, window)  # the older answer has arrived by now, if it was going to show
    assert shown == [["阿强理发店"]]


def test_community_and_grid_filters(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    bar = page.filter_bar
    qtbot.waitUntil(lambda: bar.community_combo.count() == 3)
    assert not bar.grid_combo.isEnabled()
    bar.community_combo.setCurrentIndex(bar.community_combo.findText("西岭社区"))
    qtbot.waitUntil(lambda: page.model.total == 3)
    assert sorted(names(page)) == ["百草堂大药房", "重庆火锅店", "阿强理发店"]
    # The grid list follows the community.
    assert [bar.grid_combo.itemText(i) for i in range(bar.grid_combo.count())] == [
        "全部网格", "西岭一网格"]
    bar.community_combo.setCurrentIndex(bar.community_combo.findText("东湖社区"))
    qtbot.waitUntil(lambda: page.model.total == 3)
    bar.grid_combo.setCurrentIndex(bar.grid_combo.findText("东湖一网格"))
    qtbot.waitUntil(lambda: sorted(names(page)) == ["张记面馆", "老王火锅店"])


def test_header_click_sorts_in_sql(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_ledger(qtbot, window)
    click_header(qtbot, page, "phone")
    qtbot.waitUntil(lambda: page.model.query.sort == "phone" and not page.model.loading)
    assert names(page)[0] == "小李便利店"  # 13800000001
    assert names(page)[-1] == "张记面馆"  # 13800000009
    click_header(qtbot, page, "phone")
    qtbot.waitUntil(lambda: page.model.query.descending and not page.model.loading)
    assert names(page)[0] == "张记面馆"
    click_header(qtbot, page, "licence_displayed")  # not sortable: nothing changes
    assert page.model.query.sort == "phone"
    assert page.table.horizontalHeader().sortIndicatorSection() == 3


def test_deactivate_asks_reason_and_confirmation(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                                 answers: Answers, db: Database) -> None:
    page = open_ledger(qtbot, window)
    target = ledger.rows["阿强理发店"]
    row = names(page).index("阿强理发店")
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.details.business_id == target.id)

    answers.texts.append("已搬离")
    answers.confirms.append(False)  # the clerk changes their mind
    page.act_deactivate.trigger()
    assert answers.questions == ["移出台账", "移出台账"]
    drain(qtbot, window)
    assert page.model.total == len(SMALL)

    answers.texts.append("已搬离")
    answers.confirms.append(True)
    page.act_deactivate.trigger()
    qtbot.waitUntil(lambda: page.model.total == len(SMALL) - 1)
    assert "阿强理发店" not in names(page)
    qtbot.waitUntil(lambda: "已移出台账" in page.details.title.text())
    assert any("已搬离" in line for line in page.details.history_lines())
    with db.session() as s:
        stored = businesses.get(s, target.id)
    assert not stored.active and stored.status == "停业"

    # 含已移出 brings it back, greyed, and it can be restored.
    page.filter_bar.inactive_check.setChecked(True)
    qtbot.waitUntil(lambda: page.model.total == len(SMALL))
    row = names(page).index("阿强理发店")
    assert page.model.data(page.model.index(row, 0), Qt.ItemDataRole.ForegroundRole) is not None
    page.table.selectRow(row)
    assert page.act_reactivate.isEnabled() and not page.act_deactivate.isEnabled()
    answers.confirms.append(True)
    page.act_reactivate.trigger()
    qtbot.waitUntil(lambda: page.model.data(page.model.index(names(page).index("阿强理发店"), 0),
                                            Qt.ItemDataRole.ForegroundRole) is None)


def test_refresh_keeps_selection_after_outside_change(qtbot: QtBot, window: MainWindow,
                                                      ledger: Ledger, db: Database) -> None:
    page = open_ledger(qtbot, window)
    target = ledger.rows["张记面馆"]
    page.table.selectRow(names(page).index("张记面馆"))
    qtbot.waitUntil(lambda: page.details.business_id == target.id)
    with db.transaction() as s:
        data = target.as_input()
        data.name = "啊张记面馆"  # sorts to another row
        businesses.update(s, target.id, target.version, data, user="别人")
    page.act_refresh.trigger()
    qtbot.waitUntil(lambda: "啊张记面馆" in names(page))
    current = page.model.row_at(page.table.currentIndex().row())
    assert current is not None and current.id == target.id
    qtbot.waitUntil(lambda: page.details.title.text() == "啊张记面馆")
