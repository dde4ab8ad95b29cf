"""Lists and reminders of sign permits: by status, expiring, unsafe, shops with several signs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import Business, SignPermit, SignSafetyCheck

from . import legal
from .codes import clean_prose
from .errors import ValidationError
from .permits import (
    EXPIRED,
    EXPIRING_DAYS,
    GRANTED,
    PENDING,
    STANDING,
    STATUSES,
    PermitRow,
    last_check,
    row_select,
    to_row,
)
from .textkeys import like_pattern

# Filters besides the statuses themselves.
FILTERS: dict[str, str] = {
    "pending": "待办（申请、已受理、已勘验）",
    "valid": "有效",
    "expiring": f"{EXPIRING_DAYS}天内到期",
    "expiring30": "30天内到期",
    "unsafe": "安全检查不合格",
    "multi-sign": "一店多牌",
}
# Words `list permits --filter` understands, in English and as clerks say them.
FILTER_WORDS = {
    "pending": "pending", "待办": "pending", "valid": "valid", "有效": "valid",
    "expiring": "expiring", "即将到期": "expiring", "expiring30": "expiring30",
    "unsafe": "unsafe", "安全隐患": "unsafe", "不安全": "unsafe",
    "multi-sign": "multi-sign", "multisign": "multi-sign", "一店多牌": "multi-sign",
    "expired": EXPIRED, **{s: s for s in STATUSES},
}
# Categories of legal-basis entries offered for a permit decision.
BASIS_CATEGORIES = ("户外广告", "招牌设置", "招牌安全隐患")


@dataclass(frozen=True)
class PermitQuery:
    text: str = ""
    state: str = ""  # "", a key of FILTERS or a status
    community_id: int | None = None
    grid_id: int | None = None
    business_id: int | None = None
    today: dt.date | None = None


def _not_lapsed(today: dt.date) -> Any:
    return or_(SignPermit.end_date.is_(None), SignPermit.end_date >= today)


def multi_sign_ids() -> Select[Any]:
    """Businesses holding more than one sign permit in force."""
    return (select(SignPermit.business_id).where(SignPermit.status.in_(GRANTED))
            .group_by(SignPermit.business_id).having(func.count(SignPermit.id) > 1))


def _state_clause(state: str, today: dt.date) -> Any:
    granted = SignPermit.status.in_(GRANTED)
    if state == "pending":
        return SignPermit.status.in_(PENDING)
    if state == "valid":
        return and_(granted, _not_lapsed(today))
    if state in ("expiring", "expiring30"):
        days = EXPIRING_DAYS if state == "expiring" else 30
        return and_(granted, SignPermit.end_date >= today,
                    SignPermit.end_date <= today + dt.timedelta(days=days))
    if state == "unsafe":
        return and_(SignPermit.status.in_(STANDING),
                    last_check(SignSafetyCheck.passed).is_(False))
    if state == "multi-sign":
        return and_(granted, SignPermit.business_id.in_(multi_sign_ids()))
    if state == EXPIRED:
        # Recorded as expired, or past the end date and not yet recorded.
        return or_(SignPermit.status == EXPIRED, and_(granted, SignPermit.end_date < today))
    if state in GRANTED:
        return and_(SignPermit.status == state, _not_lapsed(today))
    if state in STATUSES:
        return SignPermit.status == state
    raise ValidationError({"state": f"未知的筛选条件：{state}"})


def _filtered(query: PermitQuery, stmt: Select[Any]) -> Select[Any]:
    today = query.today or dt.date.today()
    if query.state:
        stmt = stmt.where(_state_clause(query.state, today))
    if query.community_id:
        stmt = stmt.where(Business.community_id == query.community_id)
    if query.grid_id:
        stmt = stmt.where(Business.grid_id == query.grid_id)
    if query.business_id:
        stmt = stmt.where(SignPermit.business_id == query.business_id)
    term = clean_prose(query.text).lower()
    if term:
        pattern = like_pattern(term)
        stmt = stmt.where(or_(*(func.lower(func.coalesce(c, "")).like(pattern, escape="\\") for c in (
            SignPermit.number, SignPermit.decision_number, SignPermit.location, Business.name,
            Business.initials))))
    return stmt


def count(session: Session, query: PermitQuery) -> int:
    stmt = select(func.count(SignPermit.id)).join(Business, Business.id == SignPermit.business_id)
    return int(session.scalar(_filtered(query, stmt)) or 0)


def _ordered(query: PermitQuery) -> Select[Any]:
    stmt = _filtered(query, row_select())
    if query.state in ("expiring", "expiring30", "valid"):
        return stmt.order_by(SignPermit.end_date, SignPermit.id)
    if query.state == "multi-sign":
        return stmt.order_by(Business.name_sort, SignPermit.business_id, SignPermit.id)
    return stmt.order_by(SignPermit.applied_date.desc(), SignPermit.id.desc())


def page(session: Session, query: PermitQuery, offset: int = 0, limit: int = 100) -> list[PermitRow]:
    today = query.today or dt.date.today()
    return [to_row(r, today) for r in session.execute(
        _ordered(query).offset(offset).limit(limit))]


def stream(session: Session, query: PermitQuery, batch: int = 1000) -> Iterator[list[PermitRow]]:
    """Every permit of `query` in page() order, `batch` rows at a time (for exports)."""
    today = query.today or dt.date.today()
    result = session.execute(_ordered(query).execution_options(yield_per=batch))
    for part in result.partitions():
        yield [to_row(r, today) for r in part]


@dataclass(frozen=True)
class PermitReminders:
    pending: int  # applications waiting for acceptance, survey or decision
    expiring60: int
    expiring30: int
    lapsed: int  # past the end date, expiry or removal not yet recorded
    unsafe: int
    multi_sign: int  # businesses with more than one sign in force

    def as_json(self) -> dict[str, int]:
        return asdict(self)


def reminders(session: Session, today: dt.date | None = None) -> PermitReminders:
    today = today or dt.date.today()

    def n(state: str) -> int:
        return count(session, PermitQuery(state=state, today=today))

    lapsed = int(session.scalar(select(func.count(SignPermit.id)).where(
        SignPermit.status.in_(GRANTED), SignPermit.end_date < today)) or 0)
    shops = int(session.scalar(select(func.count()).select_from(multi_sign_ids().subquery())) or 0)
    return PermitReminders(n("pending"), n("expiring"), n("expiring30"), lapsed, n("unsafe"), shops)


@dataclass(frozen=True)
class MultiSign:
    business_id: int
    business: str
    address: str
    signs: int
    numbers: list[str]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def multi_sign_businesses(session: Session) -> list[MultiSign]:
    """Businesses with more than one sign in force (一店多牌), with their permit numbers."""
    rows = session.execute(
        select(Business.id, Business.name, Business.address, SignPermit.decision_number)
        .join(SignPermit, SignPermit.business_id == Business.id)
        .where(SignPermit.status.in_(GRANTED), Business.id.in_(multi_sign_ids()))
        .order_by(Business.name_sort, Business.id, SignPermit.id))
    out: dict[int, MultiSign] = {}
    for business_id, name, address, number in rows:
        entry = out.setdefault(business_id, MultiSign(business_id, name, address, 0, []))
        entry.numbers.append(number or "")
    return [MultiSign(m.business_id, m.business, m.address, len(m.numbers), m.numbers)
            for m in out.values()]


def decision_basis(session: Session) -> list[legal.LegalBasisRow]:
    """Confirmed legal-basis entries that suit a sign-permit decision."""
    rows = legal.list_entries(session, confirmed_only=True)
    return [r for r in rows if set(r.categories) & set(BASIS_CATEGORIES)]


# Headline fields first: `list` prints the first eight.
LIST_COLUMNS = ("number", "business", "sign_type", "location", "width_m", "height_m", "area_m2",
                "status", "start_date", "end_date", "state_label", "decision_number",
                "protrusion_m", "community", "days_left", "unsafe", "multi_sign", "id")


def list_permits(session: Session, text: str, limit: int, include_inactive: bool) -> dict[str, Any]:
    """`list permits`: --filter expiring / unsafe / multi-sign / a status, or search text."""
    state = FILTER_WORDS.get(text.strip().lower(), FILTER_WORDS.get(text.strip(), ""))
    query = PermitQuery(text="" if state else text, state=state)
    rows = []
    for r in page(session, query, 0, limit):
        data = r.as_json()
        rows.append({key: data[key] for key in LIST_COLUMNS} | data)
    return {"total": count(session, query), "rows": rows}
