"""The 户外广告 page: apply through the dialog, accept, survey, approve, preview the documents."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.engine import Database
from db.models import Finding
from desktop.domain import legal
from desktop.domain import permits as P
from desktop.ui import agreement_prompts
from desktop.ui.main_window import MainWindow
from desktop.ui.permit_dialog import PermitDialog
from desktop.ui.permit_page import PermitPage
from desktop.ui.permit_step_dialog import StepDialog
from desktop.ui.print_preview import PrintPreviewDialog

from .conftest import Answers, Ledger, drain, gone, visible_dialog

TODAY = dt.date.today()


def open_permits(qtbot: QtBot, window: MainWindow) -> PermitPage:
    page = window.show_page("permits")
    assert isinstance(page, PermitPage)
    drain(qtbot, window)
    qtbot.waitUntil(lambda: not page.model.loading and page.commands.form is not None)
    return page


def select_first(qtbot: QtBot, page: PermitPage) -> P.PermitRow:
    qtbot.waitUntil(lambda: page.model.row_at(0) is not None)
    page.table.selectRow(0)
    row = page.model.row_at(0)
    assert row is not None
    qtbot.waitUntil(lambda: page.details.permit_id == row.id)
    return row


def step_dialog(qtbot: QtBot) -> StepDialog:
    qtbot.waitUntil(lambda: visible_dialog(StepDialog) is not None)
    dialog = visible_dialog(StepDialog)
    assert isinstance(dialog, StepDialog)
    return dialog


def status_becomes(qtbot: QtBot, page: PermitPage, status: str) -> None:
    qtbot.waitUntil(lambda: getattr(page.selected_permit(), "status", "") == status)
    qtbot.waitUntil(lambda: page.details.values["state"].text().startswith(status))


def test_apply_accept_survey_approve_and_preview(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database, answers: Answers,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction() as s:
        legal.seed_legal_basis(s, confirmed=True)
    page = open_permits(qtbot, window)
    assert page.count_label.text() == "共 0 条"

    # The application: the area follows the sizes, and the limits are explained as typed.
    page.act_new.trigger()
    qtbot.waitUntil(lambda: visible_dialog(PermitDialog) is not None)
    dialog = visible_dialog(PermitDialog)
    assert isinstance(dialog, PermitDialog)
    dialog.picker._take(ledger.rows["张记面馆"])
    dialog.width_spin.setValue(8)
    dialog.height_spin.setValue(4.5)
    dialog.protrusion_spin.setValue(1.5)
    assert dialog.area_label.text() == "面积 36 平方米"
    size = dialog.messages["size"]
    assert size.kind == "warning" and "外挑1.5米，超过本办事处规定的上限1.2米" in size.text()
    assert "宽8米×高4.5米＝36平方米，超过本办事处规定的上限30平方米" in size.text()
    dialog.term_spin.setValue(48)
    assert dialog.messages["term_months"].has_error()
    dialog.term_spin.setValue(36)
    dialog.width_spin.setValue(5)
    dialog.height_spin.setValue(1.2)
    dialog.protrusion_spin.setValue(0.4)
    assert not dialog.messages["size"].isVisible() and dialog.area_label.text() == "面积 6 平方米"
    assert dialog.location_edit.text() == "解放路3号"  # the shop's address, from the picker
    dialog.facade_edit.setText("一层门头上方")
    dialog.material_edit.setText("铝塑板")
    dialog.install_spin.setValue(3)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog))
    row = select_first(qtbot, page)
    assert row.number == f"X街招申〔{TODAY.year}〕第0001号" and row.status == "申请"
    assert page.step_actions["accept"].isVisible() and not page.step_actions["approve"].isVisible()
    assert not page.act_print.isEnabled()

    # 受理
    monkeypatch.setattr(agreement_prompts, "ask_date",
                        lambda *args, **kw: TODAY)
    page.step_actions["accept"].trigger()
    status_becomes(qtbot, page, "已受理")
    assert page.act_print.isEnabled()

    # 现场勘验, then 准予 by the head of section
    page.step_actions["survey"].trigger()
    survey = step_dialog(qtbot)
    survey.editors["inspectors"].setText("张三、李四")  # type: ignore[attr-defined]
    survey.editors["notes"].setPlainText("现场与申请相符")  # type: ignore[attr-defined]
    qtbot.mouseClick(survey.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(survey))
    status_becomes(qtbot, page, "已勘验")
    page.step_actions["approve"].trigger()
    approval = step_dialog(qtbot)
    assert approval.warning.isHidden()
    qtbot.mouseClick(approval.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(approval))
    status_becomes(qtbot, page, "准予")
    assert "准予许可决定书" in page.details.values["decision"].text()
    assert [line.split()[0] for line in page.details.timeline_lines()] == [
        "申请", "受理", "现场勘验", "准予许可"]
    assert page.step_actions["install"].isVisible() and not page.act_edit.isEnabled()

    # Editing a decided permit is refused in words.
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert answers.errors and answers.errors[-1][1] == P.FROZEN_MESSAGE

    page.act_print.trigger()
    qtbot.waitUntil(lambda: visible_dialog(PrintPreviewDialog) is not None, timeout=15000)
    preview = visible_dialog(PrintPreviewDialog)
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.page_count() == 2  # 受理通知书 and 准予许可决定书
    preview.close()


def test_a_failed_safety_check_shows_and_becomes_a_finding(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database,
        answers: Answers) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        row = P.apply(s, P.PermitInput(
            business_id=ledger.rows["老王火锅店"].id, width_m=4, height_m=1, material="铝塑板",
            facade_position="门头", install_height_m=3, applied_date=TODAY), now=now)
        row = P.accept(s, row.id, row.version, accepted_on=TODAY, now=now)
        row = P.record_survey(s, row.id, row.version, P.SurveyInput(now, "张三", "相符"), now=now)
        row = P.approve(s, row.id, row.version, P.ApprovalInput(TODAY), role="head", now=now)
        row = P.record_installation(s, row.id, row.version, P.InstallationInput(TODAY, "王五"),
                                    now=now)
    page = open_permits(qtbot, window)
    select_first(qtbot, page)
    assert page.step_actions["check"].isVisible() and page.step_actions["remove"].isVisible()
    assert not page.step_actions["expire"].isEnabled()  # the term has not ended
    page.step_actions["check"].trigger()
    check = step_dialog(qtbot)
    buttons = check.editors["passed"].findChildren(QWidget)
    next(b for b in buttons if getattr(b, "text", lambda: "")() == "不合格").click()  # type: ignore[attr-defined]
    qtbot.mouseClick(check.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: check.messages["hazards"].has_error())  # refused: which hazards?
    assert check.isVisible()
    for box in check.editors["hazards"].findChildren(QWidget):
        if getattr(box, "text", lambda: "")() == "锈蚀":
            box.setChecked(True)  # type: ignore[attr-defined]
    check.editors["inspector"].setText("王五")  # type: ignore[attr-defined]
    qtbot.mouseClick(check.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(check))
    qtbot.waitUntil(lambda: any("不合格" in line for line in page.details.timeline_lines()))
    qtbot.waitUntil(lambda: page.model.row_at(0) is not None and page.model.row_at(0).unsafe)
    with db.session() as s:
        finding = s.scalars(select(Finding)).one()
        assert finding.category == "招牌安全隐患" and "锈蚀" in finding.description
    assert answers.errors == []


def test_home_counts_expiring_permits_and_opens_the_list(
        qtbot: QtBot, window: MainWindow, ledger: Ledger, db: Database) -> None:
    from desktop.ui.home_page import HomePage

    now = dt.datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        row = P.apply(s, P.PermitInput(
            business_id=ledger.rows["阿强理发店"].id, width_m=3, height_m=1, material="灯箱布",
            facade_position="门头", install_height_m=2.5, term_months=1, applied_date=TODAY),
            now=now)
        row = P.accept(s, row.id, row.version, accepted_on=TODAY, now=now)
        row = P.record_survey(s, row.id, row.version, P.SurveyInput(now, "张三", "相符"), now=now)
        P.approve(s, row.id, row.version, P.ApprovalInput(TODAY), role="admin", now=now)
    home = window.show_page("home")
    assert isinstance(home, HomePage)
    # The permit was written behind the window's back (no hub message): refresh as F5 does.
    home.refresh()
    button = home.permit_due.buttons["expiring30"]
    qtbot.waitUntil(lambda: button.text() == "30天内到期 1")
    assert home.permit_due.buttons["pending"].text() == "待办申请 0"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, PermitPage)
    assert page.filter_bar.state() == "expiring30"
    qtbot.waitUntil(lambda: page.count_label.text() == "共 1 条")


def test_drill_down_arguments_filter_the_list(qtbot: QtBot, window: MainWindow, ledger: Ledger,
                                              db: Database) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        for shop in ("老王火锅店", "张记面馆", "重庆火锅店"):
            row = P.apply(s, P.PermitInput(
                business_id=ledger.rows[shop].id, width_m=3, height_m=1, material="铝塑板",
                facade_position="门头", install_height_m=3, applied_date=TODAY), now=now)
            if shop == "张记面馆":
                row = P.accept(s, row.id, row.version, accepted_on=TODAY, now=now)
                row = P.record_survey(s, row.id, row.version, P.SurveyInput(now, "张三", "相符"),
                                      now=now)
                P.approve(s, row.id, row.version, P.ApprovalInput(TODAY), role="admin", now=now)
    east = ledger.communities["东湖社区"]

    def shows(arg: dict[str, object], total: int) -> PermitPage:
        page = window.show_page("permits", arg)
        assert isinstance(page, PermitPage)
        drain(qtbot, window)
        qtbot.waitUntil(lambda: not page.model.loading and page.model.total == total)
        return page

    page = shows({"community_id": east}, 2)
    qtbot.waitUntil(lambda: page.filter_bar.community_combo.currentData() == east)
    page.filter_bar.search_edit.setText("老王")
    qtbot.waitUntil(lambda: page.model.total == 1)
    page = shows({"state": "pending", "community_id": east}, 1)
    assert page.model.row_at(0).business == "老王火锅店"
    assert page.filter_bar.search_edit.text() == ""  # not named: cleared
    page = shows({"state": "pending"}, 2)  # the community goes back to 全部社区
    assert page.filter_bar.community_combo.currentData() is None
    shows({"state": "valid", "community_id": east}, 1)
    shows({}, 3)
