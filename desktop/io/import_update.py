"""Updating a business the ledger already has from a row of an imported file (on-duplicate update).

Each update is audited with the values before it, so undoing the batch can put them back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Business, Community, FrontageAgreement, Grid
from desktop.domain import audit
from desktop.domain.businesses import search_columns
from desktop.domain.textkeys import name_sort

from .import_rows import CleanRow

# Business columns an undo puts back.
RESTORED = ("name", "credit_code", "legacy_code", "operator", "phone", "address", "category",
            "community_id", "grid_id", "status", "licence_displayed", "remarks", "active",
            "initials", "search_text")
_TEXT_FIELDS = ("name", "operator", "phone", "address", "category", "remarks")


def snapshot(session: Session, row: Business) -> dict[str, Any]:
    """The same keys businesses.history shows, so an import update reads like an edit."""
    community = session.get(Community, row.community_id)
    grid = session.get(Grid, row.grid_id) if row.grid_id else None
    return {
        "name": row.name, "credit_code": row.credit_code or "", "operator": row.operator,
        "phone": row.phone, "address": row.address, "category": row.category,
        "community": community.name if community else "", "grid": grid.name if grid else "",
        "status": row.status, "licence_displayed": row.licence_displayed,
        "remarks": row.remarks, "active": row.active,
    }


def raw_values(row: Business) -> dict[str, Any]:
    return {key: getattr(row, key) for key in RESTORED}


def update_business(session: Session, business_id: int, row: CleanRow, community_id: int,
                    grid_id: int | None, *, batch_id: int, user: str,
                    initials_of: Callable[[str], str],
                    agreement: dict[str, Any] | None) -> bool:
    """Apply the file's non-empty values; True when an agreement was added too."""
    business = session.get(Business, business_id)
    assert business is not None
    with session.no_autoflush:  # one UPDATE, one version step
        before = snapshot(session, business)
        raw = raw_values(business)
        _apply(business, row, community_id, grid_id, initials_of)
        changed = raw_values(business) != raw
        if changed:
            business.updated_by = user
    session.flush()
    if changed:
        audit.record(session, user=user, action="import_update", entity="business",
                     entity_id=business.id, summary=f"导入更新商户：{business.name}",
                     before={**before, "_restore": raw},
                     after={**snapshot(session, business), "import_batch": batch_id,
                            "version": business.version})
    if agreement is None:
        return False
    start, end = agreement["start_date"], agreement["end_date"]
    overlap = session.scalars(select(FrontageAgreement.id).where(
        FrontageAgreement.business_id == business.id,
        FrontageAgreement.status.in_(("draft", "signed")),
        FrontageAgreement.start_date <= end, FrontageAgreement.end_date >= start)).first()
    if overlap is not None:
        return False
    session.add(FrontageAgreement(business_id=business.id, **agreement))
    session.flush()
    return True


def _apply(business: Business, row: CleanRow, community_id: int, grid_id: int | None,
           initials_of: Callable[[str], str]) -> None:
    values = row.values
    for key in _TEXT_FIELDS:
        if key in row.given and values[key]:
            setattr(business, key, values[key])
    if values["credit_code"]:
        business.credit_code = values["credit_code"]
        business.legacy_code = values["legacy_code"]
    if "status" in row.given:
        business.status = values["status"]
        business.active = values["active"]
    if "licence_displayed" in row.given:
        business.licence_displayed = values["licence_displayed"]
    business.community_id = community_id
    if row.grid:
        business.grid_id = grid_id
    business.initials, business.search_text = search_columns(
        business.name, business.credit_code, business.address, business.operator, business.phone,
        initials_of=initials_of)
    business.name_sort = name_sort(business.name)
