"""The 门前三包 editor: picking the business, inline checks, refusals at the fields, Esc."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import agreements
from desktop.domain.agreements import default_end
from desktop.ui.agreement_filter_bar import UNSIGNED
from desktop.ui.agreement_table_model import AgreementTableModel
from desktop.ui.main_window import MainWindow

from .conftest import Answers, Ledger, drain, gone, type_text
from .test_agreement_page import TODAY, businesses_shown, draft, new_dialog, open_agreements, save


def test_new_draft_through_the_editor(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                      db: Database) -> None:
    page = open_agreements(qtbot, window)
    assert page.model.total == 0 and page.count_label.text() == "共 0 条"
    dialog = new_dialog(qtbot, page)
    # Pick the business by its pinyin initials from the drop-down, with the keyboard.
    dialog.activateWindow()
    dialog.picker.edit.setFocus()
    qtbot.keyClicks(dialog.picker.edit, "hgd")
    qtbot.waitUntil(lambda: len(dialog.picker.matches()) == 2)
    position = [r.name for r in dialog.picker.matches()].index("重庆火锅店")
    popup = dialog.picker.completer.popup()
    assert popup is not None and popup.isVisible()
    popup.setCurrentIndex(popup.model().index(position, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.picker.business_id() == ledger.rows["重庆火锅店"].id
    assert dialog.picker.edit.text() == "重庆火锅店"
    assert "西岭社区" in dialog.picker.info.text()
    assert dialog.business_edit.text() == "陈强"  # the operator signs for the shop

    type_text(qtbot, dialog.bounds["area_east"], "邻店分界线")
    type_text(qtbot, dialog.area_text_edit, "店门前人行道至路缘石")
    dialog.length_spin.setValue(8.5)
    # 三包 is ticked already; this shop also looks after the trees in front of it.
    assert [k for k, c in dialog.duty_checks.items() if c.isChecked()] == [
        "sanitation", "appearance", "order"]
    dialog.duty_checks["greening"].setChecked(True)
    dialog.start_edit.setDate(dialog.start_edit.date().addDays(-10))
    start = TODAY - dt.timedelta(days=10)
    assert dialog.current_input().end_date == default_end(start, 12)  # the end follows
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: gone(dialog))

    qtbot.waitUntil(lambda: page.model.total == 1)
    row = page.model.row_at(0)
    assert row is not None and row.business == "重庆火锅店"
    assert AgreementTableModel.text(row, "state") == "草稿"
    assert AgreementTableModel.text(row, "number") == "（草稿）"
    assert row.five_duties and row.frontage_length_m == 8.5 and row.start_date == start
    assert page.count_label.text() == "共 1 条"


def test_inline_errors_and_nothing_saved(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                         db: Database) -> None:
    page = open_agreements(qtbot, window)
    dialog = new_dialog(qtbot, page)
    dialog.end_edit.setDate(dialog.start_edit.date().addDays(-1))
    message = dialog.messages["end_date"]
    assert message.isVisible() and message.text() == "结束日期不能早于开始日期"
    for check in dialog.duty_checks.values():
        check.setChecked(False)
    assert dialog.messages["duties"].text() == "请至少勾选一项责任事项"
    save(qtbot, dialog)
    assert dialog.messages["business_id"].has_error()
    assert "责任区范围" in dialog.messages["area"].text()
    drain(qtbot, window)
    assert dialog.isVisible()
    with db.session() as s:
        assert agreements.count(s, agreements.AgreementQuery()) == 0
    # Fixing the end clears its message; the end no longer follows the start.
    dialog.end_edit.setDate(dialog.start_edit.date().addDays(100))
    assert not message.isVisible()
    dialog.start_edit.setDate(dialog.start_edit.date().addDays(1))
    assert dialog.end_edit.date() == dialog.start_edit.date().addDays(99)


def test_service_refusal_lands_beside_the_field(qtbot: QtBot, window: MainWindow,
                                                ledger: Ledger, db: Database) -> None:
    draft(db, ledger, "张记面馆", sign=True)
    page = open_agreements(qtbot, window, {"state": UNSIGNED})
    assert "张记面馆" not in businesses_shown(page)
    page.unsigned_table.selectRow(businesses_shown(page).index("老王火锅店"))
    dialog = new_dialog(qtbot, page)  # 新建责任书 for the selected shop
    assert dialog.picker.business_id() == ledger.rows["老王火锅店"].id
    type_text(qtbot, dialog.bounds["area_north"], "店门")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: gone(dialog))
    # A second draft for the same shop and term overlaps the first: refused at the dates.
    dialog = new_dialog(qtbot, page)
    type_text(qtbot, dialog.bounds["area_north"], "店门")
    save(qtbot, dialog)
    message = dialog.messages["start_date"]
    qtbot.waitUntil(message.isVisible)
    assert "重叠" in message.text() and dialog.isVisible()
    dialog.done(0)


def test_escape_with_changes_asks_first(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                        answers: Answers) -> None:
    page = open_agreements(qtbot, window)
    dialog = new_dialog(qtbot, page)
    type_text(qtbot, dialog.bounds["area_west"], "花坛")
    answers.confirms.append(False)
    qtbot.keyClick(dialog.bounds["area_west"], Qt.Key.Key_Escape)
    assert answers.questions == ["放弃修改？"] and dialog.isVisible()
    answers.confirms.append(True)
    qtbot.keyClick(dialog.bounds["area_west"], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(dialog))
