"""Who is working: first start (create the administrator), login, forced password change.

Runs before the main window exists, so the few short database calls here (one scrypt
check each) happen on the UI thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from db.engine import Database
from desktop.domain import office, users
from desktop.domain.errors import DomainError
from desktop.domain.users import UserRow

from .login_dialog import LoginDialog
from .login_first_admin import FirstAdminDialog
from .user_password_dialog import PasswordDialog

ENV_AUTO_LOGIN = "STREETLEDGER_AUTO_LOGIN"  # "login:password", for screenshots, bench, smoke


def _tr(text: str) -> str:
    return QCoreApplication.translate("Login", text)


@dataclass(frozen=True)
class SignIn:
    user: UserRow | None  # None: started without a login (no users, unattended start)
    quit: bool = False


def _has_users(db: Database) -> bool:
    with db.session() as session:
        return users.has_users(session)


def _office_name(db: Database) -> str:
    try:
        with db.session() as session:
            return office.get_office(session).name
    except DomainError:
        return ""


def create_first_admin(db: Database, login: str, display_name: str, password: str) -> UserRow:
    with db.transaction() as session:
        return users.create_first_admin(session, login, display_name, password)


def forced_change_saver(db: Database, user: UserRow) -> Callable[..., None]:
    def save(_old: str | None, password: str, done: Callable[[], None],
             failed: Callable[[DomainError], None]) -> None:
        try:
            with db.transaction() as session:
                users.set_password(session, user.id, password, by=user.login)
        except DomainError as exc:
            failed(exc)
        else:
            done()

    return save


def forced_change_dialog(db: Database, user: UserRow) -> PasswordDialog:
    return PasswordDialog(
        _tr("请设置新密码"),
        _tr("{0}，您的密码是管理员设置的初始密码。为了账户安全，请先设置自己的新密码。")
        .format(user.display_name),
        forced_change_saver(db, user))


def _auto_login(db: Database) -> tuple[UserRow | None, str, str]:
    """The user from STREETLEDGER_AUTO_LOGIN, or why not (login, message)."""
    value = os.environ.get(ENV_AUTO_LOGIN, "")
    if ":" not in value:
        return None, "", ""
    login, _, password = value.partition(":")
    try:
        return users.log_in(db, login, password), login, ""
    except DomainError as exc:
        return None, login, exc.message


def sign_in(db: Database, *, unattended: bool = False) -> SignIn:
    """Who works with this window; `quit` when the clerk closed a dialog instead.

    An unattended start (the start-up benchmark, the frozen-app smoke test) on a ledger
    without users skips the login entirely.
    """
    login = ""
    if not _has_users(db):
        if unattended:
            return SignIn(None)
        first = FirstAdminDialog(lambda *a: create_first_admin(db, *a))
        if first.exec() != QDialog.DialogCode.Accepted:
            return SignIn(None, quit=True)
        login = first.login()
    user, auto_login, message = _auto_login(db)
    if user is None:
        dialog = LoginDialog(lambda name, password: users.log_in(db, name, password),
                             login=auto_login or login, message=message, office=_office_name(db))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
            return SignIn(None, quit=True)
        user = dialog.user
    if user.must_change_password:
        if forced_change_dialog(db, user).exec() != QDialog.DialogCode.Accepted:
            return SignIn(None, quit=True)
    return SignIn(user)
