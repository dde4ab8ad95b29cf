"""Settings: the office profile (→ window title), numbering patterns, communities and grids."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import divisions, office
from desktop.ui.divisions_tree import DivisionsTree
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_page import SettingsPage

from .conftest import Answers, Ledger, type_text


def selected_name(tree: DivisionsTree) -> str | None:
    node = tree.selected()
    return node.name if node else None


def open_settings(qtbot: QtBot, window: MainWindow) -> SettingsPage:
    window.navigation.setCurrentRow(window.page_keys().index("settings"))
    page = window.current_page()
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: page.office_form.edits["name"].text() != "")
    return page


def test_office_name_change_updates_title(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    qtbot.waitUntil(lambda: window.windowTitle() == "街道城管台账 — X街道办事处")
    page = open_settings(qtbot, window)
    form = page.office_form
    form.edits["name"].clear()
    type_text(qtbot, form.edits["name"], "临江街道办事处")
    form.term_spin.setValue(24)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.windowTitle() == "街道城管台账 — 临江街道办事处")
    assert form.status_label.text() == "已保存"
    with db.session() as s:
        saved = office.get_office(s)
    assert saved.name == "临江街道办事处" and saved.agreement_term_months == 24


def test_office_errors_are_shown_at_the_field(qtbot: QtBot, window: MainWindow) -> None:
    page = open_settings(qtbot, window)
    form = page.office_form
    form.edits["name"].selectAll()
    qtbot.keyClick(form.edits["name"], Qt.Key.Key_Delete)
    assert form.messages["name"].isVisible()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.save_button.isEnabled())
    assert form.messages["name"].text() == "请填写街道办事处名称"
    assert form.status_label.text() == ""


def test_numbering_pattern_example_and_errors(qtbot: QtBot, window: MainWindow, db: Database,
                                              answers: Answers) -> None:
    page = open_settings(qtbot, window)
    numbering = page.numbering
    qtbot.waitUntil(lambda: numbering.table.rowCount() == len(office.DEFAULT_PATTERNS))
    row = next(r for r in range(numbering.table.rowCount()) if numbering.kind_at(r) == "notice")
    pattern = numbering.cell(row, 1)
    example = numbering.cell(row, 2)
    year = dt.date.today().year
    assert example.text() == f"X城管责改〔{year}〕第0001号"

    pattern.setText("临城责改〔{year}〕{number}号")
    assert "不认识" in example.text()
    numbering.save()
    assert "不正确" in numbering.status_label.text()

    pattern.setText("临城责改〔{year}〕第{seq:03d}号")
    assert example.text() == f"临城责改〔{year}〕第001号"
    numbering.save()
    qtbot.waitUntil(lambda: numbering.status_label.text() == "已保存")
    with db.session() as s:
        assert office.number_pattern(s, "notice") == "临城责改〔{year}〕第{seq:03d}号"
    assert answers.errors == []


def test_add_community_and_grid(qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database,
                                answers: Answers) -> None:
    ledger_page = window.show_page("ledger")
    assert isinstance(ledger_page, LedgerPage)
    qtbot.waitUntil(lambda: ledger_page.filter_bar.community_combo.count() == 3)
    page = open_settings(qtbot, window)
    tree = page.divisions
    page.tabs.setCurrentWidget(tree)
    qtbot.waitUntil(lambda: tree.tree.topLevelItemCount() == 2)

    answers.texts.append("新河社区")
    qtbot.mouseClick(tree.add_community_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tree.tree.topLevelItemCount() == 3)
    qtbot.waitUntil(lambda: selected_name(tree) == "新河社区")

    answers.texts.append("新河一网格")
    qtbot.mouseClick(tree.add_grid_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tree.items()) == 3 + 3 + 1)
    assert [item.text(0) for item in tree.items()][-2:] == ["新河社区", "新河一网格"]
    assert selected_name(tree) == "新河一网格"

    # A name already taken is refused with the service's message.
    answers.texts.append("东湖社区")
    qtbot.mouseClick(tree.add_community_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answers.errors))
    assert "已存在" in answers.errors[0][1]

    with db.session() as s:
        names = [c.name for c in divisions.list_communities(s)]
    assert names == ["东湖社区", "西岭社区", "新河社区"]
    # The ledger's filter learns about it when shown again.
    window.show_page("ledger")
    qtbot.waitUntil(lambda: ledger_page.filter_bar.community_combo.count() == 4)


def test_rename_and_deactivate_community(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                         answers: Answers) -> None:
    page = open_settings(qtbot, window)
    tree = page.divisions
    qtbot.waitUntil(lambda: tree.tree.topLevelItemCount() == 2)
    tree.tree.setCurrentItem(tree.items()[0])
    answers.texts.append("东湖新社区")
    qtbot.mouseClick(tree.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tree.items()[0].text(0) == "东湖新社区")
    assert selected_name(tree) == "东湖新社区"
    # Still has businesses on the ledger: the service refuses, the clerk is told why.
    answers.confirms.append(True)
    qtbot.mouseClick(tree.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answers.errors))
    assert "在册商户" in answers.errors[0][1]
