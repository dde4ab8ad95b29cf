"""A thousand businesses: the table knows the total but only loads the pages it shows."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import businesses
from desktop.domain.businesses import BusinessInput
from desktop.ui.business_table_model import PAGE_SIZE, PLACEHOLDER
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow

from .conftest import build_divisions

COUNT = 1000


@pytest.fixture
def big_ledger(db: Database) -> None:
    ledger = build_divisions(db)
    community = ledger.communities["东湖社区"]
    with db.transaction() as s:
        for n in range(COUNT):
            businesses.create(s, BusinessInput(name=f"商户{n:04d}", community_id=community,
                                               address=f"人民路{n}号"))


def test_scrolling_to_the_bottom_fetches_the_last_page(qtbot: QtBot, window: MainWindow,
                                                       big_ledger: None) -> None:
    page = window.show_page("ledger")
    assert isinstance(page, LedgerPage)
    model = page.model
    qtbot.waitUntil(lambda: model.total == COUNT)
    assert page.count_label.text() == "共 1,000 条"
    assert model.is_page_loaded(0) and not model.is_page_loaded(1)
    last_page = (COUNT - 1) // PAGE_SIZE
    last = model.index(COUNT - 1, 0)

    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.is_page_loaded(last_page))
    assert model.data(last) == "商户0999"
    # Only what was on screen was fetched: the pages in between were skipped.
    assert not model.is_page_loaded(2)
    # An unloaded row shows a placeholder and asks for its page once.
    middle = model.index(2 * PAGE_SIZE + 5, 0)
    assert model.data(middle) == PLACEHOLDER
    qtbot.waitUntil(lambda: model.is_page_loaded(2))
    assert model.data(middle) == f"商户{2 * PAGE_SIZE + 5:04d}"


def test_sorting_descending_puts_the_last_name_first(qtbot: QtBot, window: MainWindow,
                                                    big_ledger: None) -> None:
    page = window.show_page("ledger")
    assert isinstance(page, LedgerPage)
    qtbot.waitUntil(lambda: page.model.total == COUNT)
    page.table.sortByColumn(0, page.table.horizontalHeader().sortIndicatorOrder().DescendingOrder)
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, 0)) == "商户0999")
