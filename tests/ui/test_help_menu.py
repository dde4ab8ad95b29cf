"""帮助 → 使用说明 shows the bundled guide with its screenshots; 关于 names version and data."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QImage, QPixmap, QTextDocument
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop import __version__
from desktop.config import data_dir
from desktop.ui.help_dialog import HelpDialog, help_index
from desktop.ui.help_menu import about_text
from desktop.ui.main_window import MainWindow

from .conftest import gone


def _action(window: MainWindow, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None, name
    return action


def test_help_menu_is_last_in_the_menu_bar(qtbot: QtBot, window: MainWindow) -> None:
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[-1] == "帮助(H)"
    assert _action(window, "help-guide").text() == "使用说明(&U)"
    assert _action(window, "help-guide").shortcut().toString() == "F1"
    assert _action(window, "help-about").text() == "关于(&A)"


def test_guide_opens_with_its_screenshots(qtbot: QtBot, window: MainWindow) -> None:
    _action(window, "help-guide").trigger()
    dialog = window.findChild(HelpDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    text = dialog.browser.toPlainText()
    assert "街道城管台账 使用说明" in text and "商户台账" in text
    document = dialog.browser.document()
    for name in ("home.png", "ledger.png", "preview.png"):
        image = document.resource(QTextDocument.ResourceType.ImageResource,
                                  dialog.browser.source().resolved(name))
        assert isinstance(image, QImage | QPixmap) and not image.isNull(), name
    # Asking again brings the same window forward rather than opening a second one.
    _action(window, "help-guide").trigger()
    assert window.findChildren(HelpDialog) == [dialog]
    dialog.close()
    assert gone(dialog)


def test_guide_anchor_links_stay_in_the_browser(qtbot: QtBot) -> None:
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    index = dialog.browser.source()
    dialog._follow(index.resolved("#faq"))
    assert dialog.browser.source().fileName() == "index.html"
    assert help_index().is_file()


def test_about_names_version_data_folder_and_ledger(qtbot: QtBot, window: MainWindow,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def about(parent: QWidget | None, title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "about", about)
    _action(window, "help-about").trigger()
    assert len(shown) == 1
    assert __version__ in shown[0] and str(data_dir()) in shown[0]
    assert window.ctx.db.path is not None and str(window.ctx.db.path) in shown[0]


def test_about_hides_a_server_password() -> None:
    text = about_text("postgresql+psycopg://clerk:***@server/ledger")
    assert "***" in text and "secret" not in text
