"""The home page: real figures per community, and a way into each community's ledger."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.home_page import HomePage
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow

from .conftest import SMALL, Ledger


def open_home(qtbot: QtBot, window: MainWindow) -> HomePage:
    page = window.current_page()
    assert isinstance(page, HomePage)  # the window starts here
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)
    return page


def cells(page: HomePage, row: int) -> list[str]:
    items = [page.table.item(row, c) for c in range(page.table.columnCount())]
    return [item.text() if item else "" for item in items]


def test_figures_per_community_and_total(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = open_home(qtbot, window)
    # No agreements signed yet: every trading business still needs one.
    assert cells(page, 0) == ["东湖社区", "3", "3", "0", "0.0%"]
    assert cells(page, 1) == ["西岭社区", "3", "3", "0", "0.0%"]
    assert cells(page, 2) == ["合计", "6", "6", "0", "0.0%"]
    assert page.businesses_button.text() == f"在册商户共 {len(SMALL)} 家 →"


def test_double_click_opens_that_communitys_ledger(qtbot: QtBot, window: MainWindow,
                                                   ledger: Ledger) -> None:
    page = open_home(qtbot, window)
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
