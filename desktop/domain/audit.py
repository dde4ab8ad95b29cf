"""The audit log: who changed what, chained by hashes so edits behind the app are detected."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.models import AuditEntry

_PG_AUDIT_LOCK = 7_340_001  # advisory lock key: one writer extends the chain at a time


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def entry_hash(prev_hash: str, at: dt.datetime, user: str, action: str, entity: str,
               entity_id: int | None, summary: str, before: Any, after: Any) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(), user, action, entity, entity_id, summary, before, after],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(session: Session, *, user: str, action: str, entity: str, entity_id: int | None,
           summary: str = "", before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    prev = session.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev_hash = prev or ""
    at = dt.datetime.now().replace(microsecond=0)
    before_j = _jsonable(before) if before is not None else None
    after_j = _jsonable(after) if after is not None else None
    summary = summary[:200]
    session.add(AuditEntry(
        at=at, user=user, action=action, entity=entity, entity_id=entity_id, summary=summary,
        before=before_j, after=after_j, prev_hash=prev_hash,
        hash=entry_hash(prev_hash, at, user, action, entity, entity_id, summary, before_j, after_j),
    ))


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    user: str
    action: str
    summary: str
    changes: list[tuple[str, Any, Any]]


def history(session: Session, entity: str, entity_id: int, labels: dict[str, str] | None = None
            ) -> list[HistoryItem]:
    """The change history of one record, newest first, with field-level differences."""
    labels = labels or {}
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
    )
    out = []
    for row in rows:
        before = row.before or {}
        after = row.after or {}
        changes = [
            (labels.get(key, key), before.get(key), after.get(key))
            for key in after.keys() | before.keys()
            if before.get(key) != after.get(key) and key in labels
        ]
        changes.sort(key=lambda c: list(labels.values()).index(c[0]) if c[0] in labels.values() else 0)
        out.append(HistoryItem(row.at, row.user, row.action, row.summary, changes))
    return out


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None
    message: str


def verify_chain(session: Session) -> ChainReport:
    prev_hash = ""
    count = 0
    for row in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        expected = entry_hash(prev_hash, row.at, row.user, row.action, row.entity, row.entity_id,
                              row.summary, row.before, row.after)
        if row.prev_hash != prev_hash or row.hash != expected:
            return ChainReport(count, row.id, f"审计日志第 {row.id} 条记录被改动过（哈希链断裂）")
        prev_hash = row.hash
    return ChainReport(count, None, f"审计日志完整（{count} 条）")
