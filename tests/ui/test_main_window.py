"""The main window: navigation from the registry, status bar, remembered geometry."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.app import create_main_window
from desktop.ui.main_window import MainWindow
from desktop.ui.pages import PAGES

from .conftest import Ledger


def test_navigation_lists_registered_pages(qtbot: QtBot, window: MainWindow) -> None:
    texts = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert texts[:3] == ["首页", "商户台账", "门前三包"] and texts[-1] == "系统设置"
    assert [spec.key for spec in PAGES] == window.page_keys()
    window.navigation.setCurrentRow(len(texts) - 1)
    assert window.current_page() is window.page("settings")


def test_status_bar_shows_database_user_and_backup(qtbot: QtBot, window: MainWindow,
                                                   db: Database) -> None:
    status = window.status
    assert str(db.path) in status.database_label.text()
    assert status.user_label.text() == "用户：测试员"
    assert status.backup_label.text() == "尚无备份"
    db.backup_copy("manual")
    window.ctx.hub.announce({"backup"})
    assert status.backup_label.text().startswith("上次备份：20")


def test_page_toolbars_and_shortcuts(qtbot: QtBot, window: MainWindow, ledger: Ledger) -> None:
    page = window.show_page("ledger")
    assert page.act_new.shortcut().toString() == "Ctrl+N"
    assert page.act_print.shortcut().toString() == "Ctrl+P"
    assert page.act_export.shortcut().toString() == "Ctrl+E"
    assert page.act_refresh.shortcut().toString() == "F5"
    assert not page.act_print.isEnabled()  # nothing printable on this page yet
    assert page.toolbar.isVisibleTo(window)
    home = window.page("home")
    assert home is not None and not home.toolbar.isVisible()


def test_geometry_and_splitters_are_remembered(qtbot: QtBot, db: Database) -> None:
    first = create_main_window(db, user="测试员")
    qtbot.addWidget(first)
    first.resize(780, 560)
    page = first.show_page("ledger")
    first.show()
    qtbot.waitExposed(first)
    splitter = page.findChild(QSplitter, "ledger")
    assert splitter is not None
    splitter.setSizes([500, 400])
    wanted = splitter.sizes()
    first.close()

    second = create_main_window(db, user="测试员")
    qtbot.addWidget(second)
    second.show_initial()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (780, 560)
    page = second.show_page("ledger")
    restored = page.findChild(QSplitter, "ledger")
    assert restored is not None
    qtbot.waitUntil(lambda: restored.width() > 0)
    # The details pane keeps its width; the table takes whatever the window has left.
    assert restored.sizes()[1] == wanted[1]
    second.close()
