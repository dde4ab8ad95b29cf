"""The 门前三包 page: drafting through the editor, signing, ending, printing, rates, home counts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import agreements
from desktop.domain.agreements import AgreementInput, AgreementRow
from desktop.ui import agreement_prompts, operations
from desktop.ui.agreement_dialog import AgreementDialog
from desktop.ui.agreement_page import AgreementPage
from desktop.ui.home_page import HomePage
from desktop.ui.main_window import MainWindow
from desktop.ui.print_preview import PrintPreviewDialog

from .conftest import Answers, Ledger, drain, gone, visible_dialog

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=40)


def draft(db: Database, ledger: Ledger, name: str, *, start: dt.date = START,
          sign: bool = False) -> AgreementRow:
    with db.transaction() as s:
        row = agreements.create_draft(s, AgreementInput(
            business_id=ledger.rows[name].id, area_east="邻店分界线", area_text="店门前人行道",
            duties=["sanitation", "appearance", "order"], start_date=start), user="setup")
        if sign:
            row = agreements.sign(s, row.id, row.version, start, user="setup")
    return row


def open_agreements(qtbot: QtBot, window: MainWindow, arg: object = None) -> AgreementPage:
    page = window.show_page("agreements", arg)
    assert isinstance(page, AgreementPage)
    drain(qtbot, window)
    qtbot.waitUntil(lambda: not page.model.loading and not page.unsigned_model.loading)
    return page


def businesses_shown(page: AgreementPage) -> list[str]:
    if page.unsigned_mode():
        rows = [page.unsigned_model.row_at(r) for r in range(page.unsigned_model.rowCount())]
        return [row.name for row in rows if row is not None]
    found = [page.model.row_at(r) for r in range(page.model.rowCount())]
    return [row.business for row in found if row is not None]


def select(qtbot: QtBot, page: AgreementPage, business: str) -> AgreementRow:
    row = businesses_shown(page).index(business)
    page.table.selectRow(row)
    found = page.model.row_at(row)
    assert found is not None
    qtbot.waitUntil(lambda: page.details.agreement_id == found.id)
    return found


def new_dialog(qtbot: QtBot, page: AgreementPage) -> AgreementDialog:
    page.act_new.trigger()
    qtbot.waitUntil(lambda: visible_dialog(AgreementDialog) is not None)
    dialog = visible_dialog(AgreementDialog)
    assert isinstance(dialog, AgreementDialog)
    return dialog


def save(qtbot: QtBot, dialog: AgreementDialog) -> None:
    assert dialog.save_button is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_sign_gives_the_number_and_locks_the_text(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database,
        monkeypatch: pytest.MonkeyPatch) -> None:
    draft(db, ledger, "张记面馆")
    page = open_agreements(qtbot, window)
    row = select(qtbot, page, "张记面馆")
    assert page.act_edit.isEnabled() and page.act_sign.isEnabled()
    assert not page.act_renew.isEnabled()
    asked: list[dt.date] = []

    def ask_date(parent: QWidget | None, title: str, label: str, default: dt.date,
                 **_kw: object) -> dt.date:
        asked.append(default)
        return TODAY

    monkeypatch.setattr(agreement_prompts, "ask_date", ask_date)
    page.act_sign.trigger()
    assert asked == [TODAY]
    qtbot.waitUntil(lambda: bool(getattr(page.model.row_at(0), "number", "")))
    signed = page.model.row_at(0)
    assert signed is not None and signed.id == row.id and signed.status == "signed"
    assert f"〔{TODAY.year}〕第0001号" in signed.number
    qtbot.waitUntil(lambda: page.details.values["number"].text() == signed.number)
    assert page.details.values["state"].text() == "有效"
    assert any(signed.number in line for line in page.details.history_lines())
    # Signed: no editing, but Enter shows it read-only.
    assert not page.act_edit.isEnabled() and page.act_renew.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: visible_dialog(AgreementDialog) is not None)
    dialog = visible_dialog(AgreementDialog)
    assert isinstance(dialog, AgreementDialog)
    assert dialog.read_only and dialog.save_button is None
    assert dialog.bounds["area_east"].isReadOnly()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Close),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog))


def test_terminate_asks_reason_and_confirmation(qtbot: QtBot, window: MainWindow,
                                                ledger: Ledger, db: Database,
                                                answers: Answers) -> None:
    draft(db, ledger, "老王火锅店", sign=True)
    page = open_agreements(qtbot, window)
    row = select(qtbot, page, "老王火锅店")
    answers.texts.append("商户已搬离")
    answers.confirms.append(False)
    page.act_terminate.trigger()
    drain(qtbot, window)
    assert answers.questions == ["终止责任书", "终止责任书"]
    with db.session() as s:
        assert agreements.get(s, row.id).status == "signed"
    answers.texts.append("商户已搬离")
    answers.confirms.append(True)
    page.act_terminate.trigger()
    qtbot.waitUntil(lambda: page.details.values["state"].text() == "已终止")
    assert page.details.values["terminated"].text() == "商户已搬离"
    assert answers.errors == []


def test_renewal_drafts_the_next_term_and_links_back(qtbot: QtBot, window: MainWindow,
                                                     ledger: Ledger, db: Database,
                                                     answers: Answers) -> None:
    old = draft(db, ledger, "张记面馆", sign=True)
    page = open_agreements(qtbot, window)
    select(qtbot, page, "张记面馆")
    answers.confirms.append(True)
    page.act_renew.trigger()
    qtbot.waitUntil(lambda: visible_dialog(AgreementDialog) is not None)
    dialog = visible_dialog(AgreementDialog)
    assert isinstance(dialog, AgreementDialog) and not dialog.read_only
    assert old.end_date is not None
    assert dialog.current_input().start_date == old.end_date + dt.timedelta(days=1)
    dialog.done(0)
    qtbot.waitUntil(lambda: page.details.values["renewal"].isVisibleTo(page.details))
    assert old.number in page.details.values["renewal"].text()
    page.details.open_number.emit(old.number)  # the link shows the old one in the list
    qtbot.waitUntil(lambda: page.model.total == 1
                    and getattr(page.model.row_at(0), "id", None) == old.id)


def test_print_selected_opens_the_preview(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                          db: Database) -> None:
    for name in ("张记面馆", "老王火锅店"):
        draft(db, ledger, name, sign=True)
    page = open_agreements(qtbot, window)
    assert not page.act_print.isEnabled()
    page.table.selectAll()
    assert page.act_print.isEnabled()
    window.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: visible_dialog(PrintPreviewDialog) is not None, timeout=15_000)
    preview = visible_dialog(PrintPreviewDialog)
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.page_count() >= 2  # two agreements, each from a new page
    assert "2 份" in preview.windowTitle()
    preview.done(0)
    with db.session() as s:  # printing records nothing
        assert agreements.count(s, agreements.AgreementQuery(state="signed")) == 2


def test_rates_and_drill_down_to_unsigned(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                          db: Database) -> None:
    draft(db, ledger, "老王火锅店", sign=True)
    page = open_agreements(qtbot, window)
    rates = page.show_rates()
    qtbot.waitUntil(lambda: rates.item_for("东湖社区") is not None)
    community = rates.item_for("东湖社区")
    assert community is not None
    assert [community.text(c) for c in range(4)] == ["东湖社区", "3", "1", "33.3%"]
    street = rates.item_for("全街道")
    assert street is not None and street.text(3) == "16.7%"
    grid = rates.item_for("东湖一网格")
    assert grid is not None and grid.parent() is community and grid.text(3) == "50.0%"
    rates.tree.itemActivated.emit(grid, 0)
    qtbot.waitUntil(lambda: page.unsigned_mode() and not page.unsigned_model.loading
                    and page.unsigned_model.query.grid_id == ledger.grids["东湖一网格"])
    assert businesses_shown(page) == ["张记面馆"]
    assert page.filter_bar.community_combo.currentText() == "东湖社区"
    assert page.filter_bar.grid_combo.currentText() == "东湖一网格"
    assert not page.act_print.isEnabled() and page.act_new.text() == "新建责任书"
    rates.tree.itemActivated.emit(street, 0)
    qtbot.waitUntil(lambda: page.unsigned_model.total == 5)
    rates.done(0)


def test_home_counts_open_the_filtered_list(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                            db: Database) -> None:
    draft(db, ledger, "张记面馆")
    # Signed a year ago, ends within the month.
    draft(db, ledger, "老王火锅店", start=TODAY - dt.timedelta(days=350), sign=True)
    home = window.current_page()
    assert isinstance(home, HomePage)
    home.refresh()  # it first counted while the agreements above were being written
    drain(qtbot, window)
    buttons = home.due_buttons
    assert buttons["draft"].text() == "草稿 1"
    assert buttons["expiring"].text() == "即将到期 1"
    assert buttons["expired"].text() == "已到期未续签 0"
    assert buttons["unsigned"].text() == "未签约商户 5"
    qtbot.mouseClick(buttons["expiring"], Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, AgreementPage)
    qtbot.waitUntil(lambda: page.model.query.state == "expiring" and not page.model.loading)
    assert businesses_shown(page) == ["老王火锅店"]
    assert page.filter_bar.state_combo.currentText() == "即将到期(30天内)"
    window.show_page("home")
    qtbot.mouseClick(buttons["unsigned"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.unsigned_mode() and not page.unsigned_model.loading
                    and page.unsigned_model.total == 5)
    assert page.filter_bar.community_combo.currentText() == "全部社区"
    # Signing on the page brings the home counts up to date when the clerk comes back.
    with db.transaction() as s:
        row = agreements.page(s, agreements.AgreementQuery(state="draft"))[0]
        agreements.sign(s, row.id, row.version, TODAY)
    window.ctx.hub.announce({"agreement"})
    window.show_page("home")
    qtbot.waitUntil(lambda: buttons["draft"].text() == "草稿 0")
    assert buttons["unsigned"].text() == "未签约商户 4"


def test_a_long_batch_can_be_cancelled(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                       db: Database) -> None:
    for name in ("张记面馆", "老王火锅店", "小李便利店", "阿强理发店"):
        draft(db, ledger, name, sign=True)
    page = open_agreements(qtbot, window)
    page.table.selectAll()
    release = threading.Event()
    window.ctx.worker.submit(lambda: release.wait(5), lambda _ok: None)  # holds the worker
    page.act_print.trigger()
    progress = visible_dialog(QProgressDialog)
    assert isinstance(progress, QProgressDialog) and "4 份" in progress.labelText()
    assert not page.act_print.isEnabled()
    cancel = progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    drain(qtbot, window)
    assert visible_dialog(PrintPreviewDialog) is None
    assert page.act_print.isEnabled()


def test_rows_never_fetched_print_by_position(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                              db: Database) -> None:
    for name in ("张记面馆", "老王火锅店", "小李便利店"):
        draft(db, ledger, name, sign=True)
    printed: list[operations.PrintedPdf] = []
    operations.render_agreements_pdf(window.ctx, [], agreements.AgreementQuery(),
                                     [(0, 1), (2, 1)], printed.append)
    qtbot.waitUntil(lambda: bool(printed), timeout=10_000)
    assert printed[0].documents == 2 and printed[0].data.startswith(b"%PDF")


def test_drill_down_arguments_filter_the_list(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                              db: Database) -> None:
    for name in ("老王火锅店", "张记面馆", "重庆火锅店"):
        draft(db, ledger, name, sign=True)
    draft(db, ledger, "小李便利店")
    east = ledger.communities["东湖社区"]

    page = open_agreements(qtbot, window, {"state": "signed", "community_id": east})
    qtbot.waitUntil(lambda: page.model.total == 2)
    assert sorted(businesses_shown(page)) == ["张记面馆", "老王火锅店"]
    page = open_agreements(qtbot, window, {"community_id": east,
                                           "grid_id": ledger.grids["东湖二网格"]})
    qtbot.waitUntil(lambda: businesses_shown(page) == ["小李便利店"])
    page = open_agreements(qtbot, window, {"state": "draft"})
    qtbot.waitUntil(lambda: businesses_shown(page) == ["小李便利店"])
    page = open_agreements(qtbot, window, {})
    qtbot.waitUntil(lambda: page.model.total == 4)
