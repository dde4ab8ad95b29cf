"""Reading the audit log for the viewer: filters, count and pages in SQL, newest first.

Qt-free like a domain module (the viewer's operations run it in the database worker); it
lives beside the viewer because it serves only the viewer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, User


@dataclass(frozen=True)
class AuditQuery:
    user: str = ""  # a login, "" for everyone
    entity: str = ""  # an entity kind, "" for all
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    text: str = ""  # in the summary, the login or the record number


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class AuditFilters:
    users: list[tuple[str, str]]  # (login, display name) of everyone in the log
    entities: list[str]


def _conditions(query: AuditQuery) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if query.user:
        out.append(AuditEntry.user == query.user)
    if query.entity:
        out.append(AuditEntry.entity == query.entity)
    if query.date_from is not None:
        out.append(AuditEntry.at >= dt.datetime.combine(query.date_from, dt.time()))
    if query.date_to is not None:
        out.append(AuditEntry.at < dt.datetime.combine(query.date_to + dt.timedelta(days=1),
                                                       dt.time()))
    text = query.text.strip()
    if text:
        matches = [AuditEntry.summary.contains(text, autoescape=True),
                   AuditEntry.user.contains(text, autoescape=True)]
        if text.isdigit():
            matches.append(AuditEntry.entity_id == int(text))
        out.append(or_(*matches))
    return out


def count(session: Session, query: AuditQuery) -> int:
    stmt = select(func.count()).select_from(AuditEntry).where(*_conditions(query))
    return int(session.scalar(stmt) or 0)


def page(session: Session, query: AuditQuery, offset: int, limit: int) -> list[AuditRow]:
    stmt = (select(AuditEntry).where(*_conditions(query)).order_by(AuditEntry.id.desc())
            .offset(offset).limit(limit))
    return [AuditRow(e.id, e.at, e.user, e.action, e.entity, e.entity_id, e.summary, e.before,
                     e.after) for e in session.scalars(stmt)]


def filters(session: Session) -> AuditFilters:
    names = {login: name for login, name in session.execute(select(User.login, User.display_name))}
    logins = session.scalars(select(AuditEntry.user).distinct().order_by(AuditEntry.user)).all()
    entities = session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
    return AuditFilters([(login, names.get(login, login)) for login in logins if login],
                        list(entities))
