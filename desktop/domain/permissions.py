"""Roles and what each may change, enforced for every write whatever service makes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from .errors import PermissionDeniedError

ROLES: dict[str, str] = {
    "admin": "系统管理员",
    "head": "科长",
    "clerk": "内勤",
    "inspector": "巡查队员",
    "viewer": "只读用户",
}
EDITORS = frozenset({"admin", "head", "clerk"})
FIELD = frozenset({"admin", "head", "clerk", "inspector"})
ADMIN = frozenset({"admin"})

# Table → roles that may insert, update or delete its rows. Tables not listed (sequences, the
# audit log) follow from the change that writes them.
WRITERS: dict[str, frozenset[str]] = {
    "business": EDITORS, "community": EDITORS, "grid": EDITORS,
    "frontage_agreement": EDITORS, "import_batch": EDITORS, "import_mapping": EDITORS,
    "sign_permit": FIELD, "permit_event": FIELD, "sign_safety_check": FIELD,
    "sorting_site": EDITORS, "sorting_check": FIELD, "sorting_score": FIELD,
    "inspection": FIELD, "finding": FIELD, "notice": FIELD, "notice_finding": FIELD,
    "delivery": FIELD, "recheck": FIELD, "referral": FIELD, "attachment": FIELD,
    "office_profile": ADMIN, "numbering_pattern": ADMIN, "legal_basis": ADMIN,
    "checklist_template": ADMIN, "checklist_item": ADMIN, "app_user": ADMIN,
}
WHAT = {
    "business": "商户台账", "community": "社区", "grid": "网格", "frontage_agreement": "门前三包责任书",
    "sign_permit": "招牌许可", "finding": "巡查问题", "notice": "文书", "office_profile": "办事处信息",
    "numbering_pattern": "编号格式", "legal_basis": "法律依据库", "app_user": "用户",
    "checklist_template": "检查表", "checklist_item": "检查表", "sorting_check": "分类检查",
    "attachment": "照片和附件",
}


@dataclass(frozen=True)
class Actor:
    """Who is working: set on the database after login, carried by every session."""

    login: str
    display_name: str
    role: str
    cert_no: str = ""

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


def actor_of(session: Session) -> Actor | None:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else None


def require_role(session: Session, roles: Iterable[str], action: str) -> None:
    """For actions beyond plain writes (approving a permit, confirming a legal basis)."""
    actor = actor_of(session)
    allowed = set(roles)
    if actor is not None and actor.role not in allowed:
        names = "、".join(ROLES[r] for r in ROLES if r in allowed)
        raise PermissionDeniedError(f"{actor.display_name}（{actor.role_label}）无权{action}，需要{names}权限")


def _tables(objects: Iterable[Any], actor: Actor) -> set[str]:
    # A user's own row may change (password, failed logins) whatever the role.
    return {obj.__table__.name for obj in objects if hasattr(obj, "__table__")
            and not (obj.__table__.name == "app_user" and getattr(obj, "login", None) == actor.login)}


@event.listens_for(Session, "before_flush")
def _guard(session: Session, _context: Any, _instances: Any) -> None:
    actor = actor_of(session)
    if actor is None:  # headless commands and maintenance run without a login
        return
    touched = (_tables(session.new, actor) | _tables(session.dirty, actor)
               | _tables(session.deleted, actor))
    for table in sorted(touched):
        writers = WRITERS.get(table)
        if writers is not None and actor.role not in writers:
            raise PermissionDeniedError(
                f"{actor.display_name}（{actor.role_label}）无权修改{WHAT.get(table, table)}")


def require_writer(session: Session, table: str) -> None:
    """The same rule for bulk writes that bypass the ORM (import, demo)."""
    actor = actor_of(session)
    writers = WRITERS.get(table)
    if actor is not None and writers is not None and actor.role not in writers:
        raise PermissionDeniedError(
            f"{actor.display_name}（{actor.role_label}）无权修改{WHAT.get(table, table)}")
