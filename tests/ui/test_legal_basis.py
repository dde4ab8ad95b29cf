"""系统设置 → 法律依据: unconfirmed entries are greyed in the notice dialog until confirmed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import findings, legal
from desktop.domain.errors import ValidationError
from desktop.domain.findings import FindingInput
from desktop.ui.legal_basis_chooser import LegalBasisChooser
from desktop.ui.legal_basis_dialog import LegalBasisDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_page import SettingsPage

from .conftest import Answers, Ledger, drain, gone, visible_dialog


def test_confirm_makes_an_entry_citable(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                        db: Database, answers: Answers) -> None:
    with db.transaction() as s:
        legal.seed_legal_basis(s, confirmed=False)
        entries = legal.list_entries(s)
        finding = findings.record_finding(s, FindingInput(
            category="店外经营", found_at=dt.datetime.now() - dt.timedelta(hours=1),
            business_id=ledger.rows["老王火锅店"].id, description="店外摆放桌椅",
            inspectors="张三"), user="setup")
    target = next(e for e in entries if "店外经营" in e.categories)

    # Before: the notice dialog lists it greyed and cannot tick it.
    chooser = LegalBasisChooser()
    qtbot.addWidget(chooser)
    chooser.set_entries(entries, [finding.category], [])
    item = chooser.item_for(target.id)
    assert item is not None and not item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert "未确认" in item.text(0) and "系统设置" in chooser.hint.text()
    chooser.set_checked(target.id, True)
    assert chooser.checked_ids() == []

    page = window.show_page("settings", "legal")
    assert isinstance(page, SettingsPage)
    panel = page.legal_basis
    assert page.tabs.currentWidget() is panel
    drain(qtbot, window)
    qtbot.waitUntil(lambda: len(panel.row_texts()) == len(entries))
    row = next(i for i, texts in enumerate(panel.row_texts())
               if texts[1] == target.article and target.law in texts[0])
    assert panel.row_texts()[row][5] == "否"
    assert panel.table.item(row, 0).background().color().name() == "#fff4c4"
    panel.table.selectRow(row)
    assert panel.confirm_button.isEnabled() and not panel.unconfirm_button.isEnabled()
    answers.confirms.append(True)
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.row_texts()[row][5] == "是")
    assert answers.questions == ["确认法律依据"]
    with db.session() as s:
        assert [b.id for b in legal.citable(s, [target.id])] == [target.id]

    # Rewording it in the editor asks for confirmation again.
    panel.table.selectRow(row)
    dialog = panel.edit()
    assert isinstance(dialog, LegalBasisDialog)
    dialog.text_edit.setPlainText(target.text + "（修订）")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog) and panel.row_texts()[row][5] == "否")
    with db.session() as s:
        try:
            legal.citable(s, [target.id])
            raise AssertionError("an unconfirmed entry must not be citable")
        except ValidationError as exc:
            assert "尚未经管理员确认" in exc.message
    assert visible_dialog(LegalBasisDialog) is None and answers.errors == []
