"""Operations of users and the audit log, run in the database worker like operations.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import User
from desktop.domain import audit, users
from desktop.domain.audit import ChainReport
from desktop.domain.errors import NotFoundError
from desktop.domain.users import UserRow

from . import audit_query
from .audit_query import AuditFilters, AuditQuery, AuditRow
from .context import AppContext
from .operations import Done, Failed, _read, _write

USER = "user"  # hub kind of user changes


def load_users(ctx: AppContext, done: Done[list[UserRow]], *, owner: QObject | None = None) -> None:
    _read(ctx, users.list_users, done, owner=owner)


@dataclass(frozen=True)
class UserInput:
    login: str
    display_name: str
    role: str
    cert_no: str
    active: bool = True
    password: str = ""  # only for a new user


def save_user(ctx: AppContext, row: UserRow | None, data: UserInput, done: Done[UserRow], *,
              failed: Failed = None, owner: QObject | None = None) -> None:
    """Add a user (no row) or change one at its version."""
    def fn(session: Session) -> UserRow:
        if row is None:
            return users.create_user(session, data.login, data.display_name, data.role,
                                     data.password, cert_no=data.cert_no, by=ctx.user)
        return users.update_user(session, row.id, row.version, display_name=data.display_name,
                                 role=data.role, cert_no=data.cert_no, active=data.active,
                                 by=ctx.user)

    _write(ctx, fn, {USER}, done, failed=failed, owner=owner)


def _user_id(session: Session, login: str) -> int:
    user_id = session.scalar(select(User.id).where(User.login == login))
    if user_id is None:
        raise NotFoundError(f"找不到登录名为“{login}”的用户")
    return int(user_id)


def reset_password(ctx: AppContext, user_id: int, password: str, done: Done[None], *,
                   failed: Failed = None, owner: QObject | None = None) -> None:
    """An administrator's reset: the user must choose a new password at the next login."""
    _write(ctx, lambda s: users.set_password(s, user_id, password, by=ctx.user), {USER}, done,
           failed=failed, owner=owner)


def change_own_password(ctx: AppContext, old_password: str, password: str, done: Done[None], *,
                        failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> None:
        users.set_password(session, _user_id(session, ctx.user), password, by=ctx.user,
                           old_password=old_password)

    _write(ctx, fn, {USER}, done, failed=failed, owner=owner)


# --- the audit log --------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditBatch:
    total: int | None  # None when only pages were asked for
    pages: dict[int, list[AuditRow]]


def load_audit_pages(ctx: AppContext, query: AuditQuery, pages: Sequence[int], page_size: int,
                     done: Done[AuditBatch], *, with_total: bool = True,
                     owner: QObject | None = None) -> None:
    def fn(session: Session) -> AuditBatch:
        total = audit_query.count(session, query) if with_total else None
        return AuditBatch(total, {p: audit_query.page(session, query, p * page_size, page_size)
                                  for p in pages})

    _read(ctx, fn, done, owner=owner)


def load_audit_filters(ctx: AppContext, done: Done[AuditFilters], *,
                       owner: QObject | None = None) -> None:
    _read(ctx, audit_query.filters, done, owner=owner)


def verify_audit_chain(ctx: AppContext, done: Done[ChainReport], *,
                       owner: QObject | None = None) -> None:
    _read(ctx, audit.verify_chain, done, owner=owner)
