"""Roles in the GUI: refused actions disabled (and refused by the services anyway); the users panel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop.domain import users
from desktop.domain.businesses import BusinessInput
from desktop.ui import operations
from desktop.ui.ledger_page import LedgerPage
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_page import SettingsPage
from desktop.ui.user_dialog import UserDialog
from desktop.ui.user_panel import UserPanel
from desktop.ui.user_password_dialog import PasswordDialog

from .conftest import (
    PASSWORD,
    Answers,
    Ledger,
    add_user,
    close_window,
    drain,
    type_text,
    window_as,
)


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


@pytest.fixture
def admin_window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    win = window_as(qtbot, db, add_user(db, "admin", "admin", name="管理员"))
    yield win
    close_window(win)


def open_users(qtbot: QtBot, win: MainWindow) -> UserPanel:
    page = win.show_page("settings", "users")
    assert isinstance(page, SettingsPage)
    panel = page.users
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0)
    return panel


def logins(panel: UserPanel) -> list[str]:
    return [cell(panel.table, r, 0) for r in range(panel.table.rowCount())]


def test_viewer_cannot_add_and_the_service_refuses_anyway(
        qtbot: QtBot, db: Database, ledger: Ledger, answers: Answers) -> None:
    viewer = add_user(db, "chakan", "viewer", name="查看员")
    win = window_as(qtbot, db, viewer)
    try:
        page = win.show_page("ledger")
        assert isinstance(page, LedgerPage)
        qtbot.waitUntil(lambda: page.model.total > 0)
        assert not page.act_new.isEnabled()
        assert "需要" in page.act_new.toolTip() and "只读用户" in page.act_new.toolTip()
        page.table.selectRow(0)  # a selection enables 编辑 for those who may edit
        assert page.selected_row() is not None
        assert not page.act_edit.isEnabled() and not page.act_deactivate.isEnabled()
        # Going around the disabled button: the service refuses, the clerk is told why.
        saved: list[object] = []
        operations.save_business(win.ctx, None, 0, BusinessInput(
            name="绕过按钮的商户", community_id=ledger.communities["东湖社区"]), saved.append)
        qtbot.waitUntil(lambda: bool(answers.errors))
        assert not saved
        title, message = answers.errors[0]
        assert "查看员（只读用户）无权修改商户台账" in message
    finally:
        close_window(win)


def test_inspector_keeps_settings_read_only(qtbot: QtBot, db: Database) -> None:
    win = window_as(qtbot, db, add_user(db, "xuncha", "inspector", name="赵强"))
    try:
        page = win.show_page("settings")
        assert isinstance(page, SettingsPage)
        assert not page.act_new.isEnabled()
        assert page.office_form.save_button.isHidden()
        assert page.numbering.save_button.isHidden()
        assert page.divisions.add_community_button.isHidden()
        assert page.legal_basis.new_button.isHidden()
        panel = open_users(qtbot, win)
        assert not panel.add_button.isEnabled()
        panel.table.selectRow(0)
        assert not panel.edit_button.isEnabled() and not panel.reset_button.isEnabled()
        assert panel.own_password_button.isEnabled()
        notes = [label.text() for label in panel.findChildren(QLabel)
                 if label.objectName() == "readOnlyNote"]
        assert notes and "只有系统管理员" in notes[0]
    finally:
        close_window(win)


def test_admin_adds_a_user(qtbot: QtBot, db: Database, admin_window: MainWindow,
                           answers: Answers) -> None:
    panel = open_users(qtbot, admin_window)
    assert logins(panel) == ["admin"]
    dialog = panel.add_user()
    assert isinstance(dialog, UserDialog) and dialog.passwords is not None
    qtbot.keyClicks(dialog.login_edit, "wangli")
    type_text(qtbot, dialog.name_edit, "王丽")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("inspector"))
    assert "巡查" in dialog.role_help.text()
    qtbot.keyClicks(dialog.cert_edit, "33010012")
    qtbot.keyClicks(dialog.passwords.first, "first123")
    qtbot.keyClicks(dialog.passwords.second, "first123")
    dialog.accept()
    qtbot.waitUntil(lambda: logins(panel) == ["admin", "wangli"])
    row = [cell(panel.table, 1, c) for c in range(5)]
    assert row == ["wangli", "王丽", "巡查队员", "33010012", "待修改初始密码"]
    created = users.log_in(db, "wangli", "first123")
    assert created.role == "inspector" and created.must_change_password

    # A second user with the same login is refused beside the field.
    again = panel.add_user()
    assert isinstance(again, UserDialog) and again.passwords is not None
    qtbot.keyClicks(again.login_edit, "WANGLI")
    type_text(qtbot, again.name_edit, "另一个王丽")
    qtbot.keyClicks(again.passwords.first, "first123")
    qtbot.keyClicks(again.passwords.second, "first123")
    again.accept()
    qtbot.waitUntil(lambda: again.messages["login"].has_error())
    assert "已被使用" in again.messages["login"].text()
    again.done(0)


def test_admin_edits_role_and_resets_password(qtbot: QtBot, db: Database,
                                              admin_window: MainWindow, answers: Answers) -> None:
    add_user(db, "wangli", "clerk", name="王丽")
    panel = open_users(qtbot, admin_window)
    panel.select_login("wangli")
    dialog = panel.edit_selected()
    assert isinstance(dialog, UserDialog) and dialog.login_edit.isReadOnly()
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("viewer"))
    dialog.active_check.setChecked(False)
    dialog.accept()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2
                    and cell(panel.table, 1, 4) == "已停用")
    assert cell(panel.table, 1, 2) == "只读用户"

    panel.select_login("wangli")
    reset = panel.reset_selected()
    assert isinstance(reset, PasswordDialog)
    qtbot.keyClicks(reset.fields.first, "reset123")
    qtbot.keyClicks(reset.fields.second, "reset123")
    reset.accept()
    qtbot.waitUntil(lambda: bool(answers.errors))  # show_info goes to the same list
    assert answers.errors[-1][0] == "已重置密码"

    # The last administrator cannot take away their own rights.
    panel.select_login("admin")
    own = panel.edit_selected()
    assert isinstance(own, UserDialog)
    own.role_combo.setCurrentIndex(own.role_combo.findData("clerk"))
    own.accept()
    qtbot.waitUntil(lambda: not own.message.isHidden())
    assert "最后一位系统管理员" in own.message.text()
    own.done(0)


def test_everyone_changes_their_own_password(qtbot: QtBot, db: Database,
                                             answers: Answers) -> None:
    win = window_as(qtbot, db, add_user(db, "wangli", "viewer", name="王丽"))
    try:
        win.trust_actions.password.trigger()
        dialog = next(w for w in win.findChildren(PasswordDialog) if w.isVisible())
        assert dialog.old_edit is not None
        qtbot.keyClicks(dialog.old_edit, "wrong999")
        qtbot.keyClicks(dialog.fields.first, "mine1234")
        qtbot.keyClicks(dialog.fields.second, "mine1234")
        dialog.accept()
        assert dialog.old_message is not None
        qtbot.waitUntil(lambda: dialog.old_message is not None and dialog.old_message.has_error())
        assert "原密码不正确" in dialog.old_message.text()
        dialog.old_edit.setText(PASSWORD)
        dialog.accept()
        qtbot.waitUntil(lambda: bool(answers.errors))
        assert answers.errors[-1][0] == "修改密码"
        drain(qtbot, win)
        assert users.log_in(db, "wangli", "mine1234").login == "wangli"
    finally:
        close_window(win)


def test_viewer_gets_no_editing_action_on_any_page(qtbot: QtBot, db: Database) -> None:
    win = window_as(qtbot, db, add_user(db, "chakan", "viewer", name="查看员"))
    try:
        for key in win.page_keys():
            page = win.show_page(key)
            if key != "home":
                assert not page.act_new.isEnabled(), key
                page.act_new.setEnabled(True)  # what a page does when the selection changes
                assert not page.act_new.isEnabled(), key
        ledger = win.page("ledger")
        assert ledger is not None and not ledger.act_import.isEnabled()  # type: ignore[attr-defined]
        assert not win.trust_actions.restore.isEnabled()
        assert win.trust_actions.backup.isEnabled() and win.trust_actions.password.isEnabled()
    finally:
        close_window(win)
