"""Import batches: the list of recent imports and undoing one as a whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Select, delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Table

from db.models import AuditEntry, Base, Business, Community, FrontageAgreement, Grid, ImportBatch
from desktop.domain import audit
from desktop.domain.errors import DomainError, NotFoundError
from desktop.domain.textkeys import name_sort

from .import_update import RESTORED, snapshot

# What a clerk calls the records that may point at an imported business.
TABLE_LABELS = {
    "business": "商户", "frontage_agreement": "门前三包责任书", "sign_permit": "户外广告/招牌许可",
    "sorting_site": "垃圾分类检查点", "finding": "巡查问题", "notice": "通知书",
    "inspection": "巡查记录", "grid": "网格", "community": "社区",
}
SHOW_NAMES = 5


@dataclass(frozen=True)
class BatchInfo:
    id: int
    file_name: str
    created_at: dt.datetime
    created_by: str
    imported: int
    skipped: int
    undone_at: dt.datetime | None

    def as_json(self) -> dict[str, Any]:
        return {"batch": self.id, "file": self.file_name, "created_at": self.created_at.isoformat(),
                "created_by": self.created_by, "imported": self.imported, "skipped": self.skipped,
                "undone_at": self.undone_at.isoformat() if self.undone_at else None}


def recent_batches(session: Session, limit: int = 20) -> list[BatchInfo]:
    rows = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit))
    return [BatchInfo(b.id, b.file_name, b.created_at, b.created_by or "", b.imported, b.skipped,
                      b.undone_at) for b in rows]


@dataclass(frozen=True)
class UndoResult:
    batch: int
    businesses: int
    agreements: int
    restored: int
    communities: list[str]
    grids: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"batch": self.batch, "removed": self.businesses, "agreements": self.agreements,
                "restored": self.restored,
                "removed_divisions": {"communities": self.communities, "grids": self.grids}}


def _names(rows: list[Any], count: int) -> str:
    names = "、".join(f"“{r}”" for r in rows[:SHOW_NAMES])
    return names + (f" 等 {count} 条" if count > SHOW_NAMES else "")


def _references(session: Session, target: Table, ids: Select[Any],
                ignore: dict[str, Any] | None = None) -> dict[str, int]:
    """How many rows of other tables point at the rows `ids` of `target`, by table."""
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not target:
                continue
            stmt = select(func.count()).select_from(table).where(fk.parent.in_(ids))
            extra = (ignore or {}).get(table.name)
            if extra is not None:
                stmt = stmt.where(extra)
            n = int(session.scalar(stmt) or 0)
            if n:
                label = TABLE_LABELS.get(table.name, table.name)
                found[label] = found.get(label, 0) + n
    return found


def _batch_entry(session: Session, batch_id: int) -> dict[str, Any]:
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.entity == "import_batch", AuditEntry.entity_id == batch_id,
        AuditEntry.action == "import").order_by(AuditEntry.id.desc()).limit(1)).first()
    return dict(entry.after or {}) if entry is not None else {}


def _updates(session: Session, batch_id: int, ids: list[int]) -> list[AuditEntry]:
    if not ids:
        return []
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.entity == "business", AuditEntry.action == "import_update",
        AuditEntry.entity_id.in_(ids)).order_by(AuditEntry.id))
    return [e for e in entries if (e.after or {}).get("import_batch") == batch_id]


def undo_batch(session: Session, batch_id: int, *, user: str = "") -> UndoResult:
    """Remove what the batch added and put back what it changed, or refuse and say why."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"找不到导入批次 {batch_id}")
    if batch.undone_at is not None:
        raise DomainError(f"导入批次 {batch_id} 已于 {batch.undone_at:%Y-%m-%d %H:%M} 撤销过")
    info = _batch_entry(session, batch_id)
    updates = _updates(session, batch_id, [int(i) for i in info.get("updated_ids", [])])
    problems = _edited_since(session, batch_id, updates)
    business_ids = select(Business.id).where(Business.import_batch_id == batch_id)
    agreement_ids = select(FrontageAgreement.id).where(FrontageAgreement.import_batch_id == batch_id)
    not_ours = or_(FrontageAgreement.import_batch_id.is_(None),
                   FrontageAgreement.import_batch_id != batch_id)
    refs = _references(session, _table(Business), business_ids, {"frontage_agreement": not_ours})
    for label, n in _references(session, _table(FrontageAgreement), agreement_ids,
                                {"frontage_agreement": not_ours}).items():
        refs[label] = refs.get(label, 0) + n
    if refs:
        problems.append("已有其他记录关联本批导入的商户或责任书（"
                        + "、".join(f"{label} {n} 条" for label, n in refs.items()) + "）")
    if problems:
        raise DomainError(f"无法撤销导入批次 {batch_id}：" + "；".join(problems))

    restored = 0
    for entry in reversed(updates):
        restored += _restore(session, entry, user)
    agreements = _deleted(session.execute(delete(FrontageAgreement).where(
        FrontageAgreement.import_batch_id == batch_id)))
    removed = _deleted(session.execute(delete(Business).where(
        Business.import_batch_id == batch_id)))
    grids = _remove_unused(session, Grid, [int(i) for i in info.get("grids", [])])
    communities = _remove_unused(session, Community, [int(i) for i in info.get("communities", [])])
    batch.undone_at = dt.datetime.now().replace(microsecond=0)
    session.flush()
    audit.record(session, user=user, action="undo_import", entity="import_batch",
                 entity_id=batch_id,
                 summary=f"撤销导入“{batch.file_name}”：删除 {removed} 家商户，恢复 {restored} 家",
                 after={"removed": removed, "agreements": agreements, "restored": restored,
                        "communities": communities, "grids": grids})
    return UndoResult(batch_id, removed, agreements, restored, communities, grids)


def _edited_since(session: Session, batch_id: int, updates: list[AuditEntry]) -> list[str]:
    problems: list[str] = []
    edited = list(session.scalars(select(Business.name).where(
        Business.import_batch_id == batch_id, Business.version > 1).order_by(Business.id)
        .limit(SHOW_NAMES)))
    if edited:
        n = int(session.scalar(select(func.count()).select_from(Business).where(
            Business.import_batch_id == batch_id, Business.version > 1)) or 0)
        problems.append(f"导入后修改过的商户：{_names(edited, n)}")
    changed = []
    for entry in updates:
        row = session.get(Business, entry.entity_id)
        if row is None or row.version != (entry.after or {}).get("version"):
            changed.append((entry.after or {}).get("name") or str(entry.entity_id))
    if changed:
        problems.append(f"导入时更新、之后又被修改的商户：{_names(changed, len(changed))}")
    signed = session.execute(select(FrontageAgreement.number, Business.name).join(
        Business, Business.id == FrontageAgreement.business_id).where(
        FrontageAgreement.import_batch_id == batch_id, FrontageAgreement.version > 1)
        .limit(SHOW_NAMES)).all()
    if signed:
        n = int(session.scalar(select(func.count()).select_from(FrontageAgreement).where(
            FrontageAgreement.import_batch_id == batch_id, FrontageAgreement.version > 1)) or 0)
        problems.append("导入后修改过的责任书：" + _names(
            [f"{name} {number or ''}".strip() for number, name in signed], n))
    return problems


def _restore(session: Session, entry: AuditEntry, user: str) -> int:
    row = session.get(Business, entry.entity_id)
    raw = (entry.before or {}).get("_restore")
    if row is None or not isinstance(raw, dict):
        return 0
    before = snapshot(session, row)
    for key in RESTORED:
        if key in raw:
            setattr(row, key, raw[key])
    row.name_sort = name_sort(row.name)  # derived, so not among the saved values
    row.updated_by = user
    session.flush()
    audit.record(session, user=user, action="update", entity="business", entity_id=row.id,
                 summary=f"撤销导入，恢复商户：{row.name}", before=before,
                 after=snapshot(session, row))
    return 1


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _deleted(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


def _remove_unused(session: Session, model: type[Grid] | type[Community], ids: list[int]) -> list[str]:
    removed: list[str] = []
    for row_id in ids:
        row = cast(Grid | Community | None, session.get(model, row_id))
        if row is None:
            continue
        if _references(session, _table(model), select(model.id).where(model.id == row_id)):
            continue  # something else uses it by now: keep it
        removed.append(row.name)
        session.delete(row)
        session.flush()
    return removed
