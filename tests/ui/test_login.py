"""Start-up trust: the first administrator, the login dialog, lock-out, forced password change."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from db.engine import Database
from desktop import app
from desktop.domain import users
from desktop.ui import login_flow
from desktop.ui.login_dialog import LoginDialog
from desktop.ui.login_first_admin import FirstAdminDialog
from desktop.ui.user_password_dialog import PasswordDialog

from .conftest import PASSWORD, add_user, close_window, type_text, window_as


def _all_users(db: Database) -> list[users.UserRow]:
    with db.session() as s:
        return users.list_users(s)


def test_first_start_creates_the_administrator(qtbot: QtBot, db: Database) -> None:
    dialog = FirstAdminDialog(lambda *a: login_flow.create_first_admin(db, *a))
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.name_edit, "张明")
    qtbot.keyClicks(dialog.passwords.first, "short")
    # The rules show beside the field as the clerk types.
    assert "至少需要8位" in dialog.passwords.first_message.text()
    dialog.passwords.first.clear()
    qtbot.keyClicks(dialog.passwords.first, "abcdefgh")
    assert "字母和数字" in dialog.passwords.first_message.text()
    dialog.passwords.first.clear()
    qtbot.keyClicks(dialog.passwords.first, PASSWORD)
    assert dialog.passwords.first_message.isHidden()
    qtbot.keyClicks(dialog.passwords.second, "abc1234")
    assert "不一致" in dialog.passwords.second_message.text()
    dialog.accept()  # refused: the repetition differs
    assert not _all_users(db)
    qtbot.keyClicks(dialog.passwords.second, "5")
    qtbot.keyClick(dialog.passwords.second, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [admin] = _all_users(db)
    assert (admin.login, admin.display_name, admin.role, admin.must_change_password) == (
        "admin", "张明", "admin", False)


def test_wrong_password_five_times_locks_the_account(qtbot: QtBot, db: Database) -> None:
    add_user(db, "wangli", "clerk", name="王丽")
    dialog = LoginDialog(lambda name, pw: users.log_in(db, name, pw), login="wangli")
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(1, 6):
        qtbot.keyClicks(dialog.password_edit, f"wrong{attempt}x")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # Enter submits
        assert dialog.isVisible()
        if attempt < 5:
            assert f"还可尝试{5 - attempt}次" in dialog.message.text()
    assert "已锁定" in dialog.message.text()
    # Even the right password is refused while locked.
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "已锁定" in dialog.message.text() and dialog.user is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc quits
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_right_password_logs_in(qtbot: QtBot, db: Database) -> None:
    add_user(db, "wangli", "clerk", name="王丽")
    dialog = LoginDialog(lambda name, pw: users.log_in(db, name, pw))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.login_edit, Qt.Key.Key_Return)
    assert "请输入用户名" in dialog.message.text()
    qtbot.keyClicks(dialog.login_edit, "WangLi")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.login == "wangli"


def _answer_modal(qtbot: QtBot, kind: type[QDialog], answer: object) -> None:
    """Answer the next modal dialog of `kind` once it is up (exec() blocks the test)."""
    def attempt() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            answer(widget)  # type: ignore[operator]
        else:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def test_auto_login_then_forced_password_change(qtbot: QtBot, db: Database,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(db, "zhaoqiang", "inspector", name="赵强", must_change=True)
    monkeypatch.setenv(login_flow.ENV_AUTO_LOGIN, f"zhaoqiang:{PASSWORD}")

    def change(dialog: PasswordDialog) -> None:
        qtbot.keyClicks(dialog.fields.first, "newpass99")
        qtbot.keyClicks(dialog.fields.second, "newpass99")
        dialog.accept()

    _answer_modal(qtbot, PasswordDialog, change)
    signed = login_flow.sign_in(db)
    assert signed.user is not None and signed.user.login == "zhaoqiang" and not signed.quit
    assert users.log_in(db, "zhaoqiang", "newpass99").must_change_password is False


def test_failed_auto_login_shows_the_dialog_with_the_reason(qtbot: QtBot, db: Database,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(db, "wangli", "clerk")
    monkeypatch.setenv(login_flow.ENV_AUTO_LOGIN, "wangli:nope")
    seen: list[str] = []

    def give_up(dialog: LoginDialog) -> None:
        seen.append(dialog.message.text())
        seen.append(dialog.login_edit.text())
        dialog.reject()

    _answer_modal(qtbot, LoginDialog, give_up)
    assert login_flow.sign_in(db).quit
    assert "用户名或密码不正确" in seen[0] and seen[1] == "wangli"


def test_unattended_start_without_users_skips_login(db: Database) -> None:
    assert login_flow.sign_in(db, unattended=True) == login_flow.SignIn(None)


def test_run_gui_logs_in_from_the_environment(qtbot: QtBot, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "台账.sqlite3"
    database = Database(str(path))
    add_user(database, "admin", "admin", name="管理员")
    database.dispose()
    monkeypatch.setenv(login_flow.ENV_AUTO_LOGIN, f"admin:{PASSWORD}")
    monkeypatch.setenv(app.ENV_QUIT_AFTER_MS, "200")
    assert app.run_gui(["--db", str(path)]) == 0


def test_status_bar_names_the_user_and_role(qtbot: QtBot, db: Database) -> None:
    user = add_user(db, "wangli", "clerk", name="王丽")
    win = window_as(qtbot, db, user)
    try:
        assert win.status.user_label.text() == "用户：王丽（内勤）"
        assert db.actor == user.actor()
    finally:
        close_window(win)
