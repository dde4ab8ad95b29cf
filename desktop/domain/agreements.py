"""门前三包 responsibility agreements: drafting, signing with a number, renewal, reminders, rates."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, func, not_, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from db.models import Business, Community, FrontageAgreement, Grid

from . import audit, numbering
from .businesses import (
    BusinessQuery,
    BusinessRow,
    apply_filters,
    row_select,
    search_term,
    text_clause,
    to_row,
)
from .codes import clean_prose
from .errors import ConflictError, DomainError, NotFoundError, ValidationError
from .office import get_office
from .stats import agreement_counts, needs_agreement_clause, valid_agreement_clause
from .textkeys import like_pattern

STATE_LABELS = {"draft": "草稿", "signed": "有效", "expiring": "即将到期", "expired": "已到期",
                "terminated": "已终止"}
EXPIRING_DAYS = 30


@dataclass(frozen=True)
class DutyItem:
    group: str  # 三包 or 五包
    key: str
    title: str
    text: str


def default_duties() -> list[DutyItem]:
    from ..config import resources_dir

    path = resources_dir() / "agreement_duties.json"
    return [DutyItem(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def duty_items(session: Session) -> list[DutyItem]:
    """The office's duty items, or the shipped defaults when the office has not set its own."""
    configured = get_office(session).agreement_duties
    if configured:
        return [DutyItem(**item) for item in configured]
    return default_duties()


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_end(start: dt.date, term_months: int) -> dt.date:
    """A one-year term from 2026-03-01 ends on 2027-02-28."""
    return add_months(start, term_months) - dt.timedelta(days=1)


@dataclass
class AgreementInput:
    business_id: int | None = None
    area_east: str = ""
    area_west: str = ""
    area_south: str = ""
    area_north: str = ""
    area_text: str = ""
    frontage_length_m: float | None = None
    area_m2: float | None = None
    duties: list[str] = field(default_factory=list)
    five_duties: bool = False
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    office_signatory: str = ""
    business_signatory: str = ""


@dataclass(frozen=True)
class AgreementRow:
    id: int
    number: str
    business_id: int
    business: str
    operator: str
    address: str
    credit_code: str
    community: str
    grid: str
    area_east: str
    area_west: str
    area_south: str
    area_north: str
    area_text: str
    frontage_length_m: float | None
    area_m2: float | None
    duties: list[str]
    five_duties: bool
    start_date: dt.date | None
    end_date: dt.date | None
    signed_date: dt.date | None
    status: str
    state: str
    office_signatory: str
    business_signatory: str
    previous_id: int | None
    terminated_reason: str
    version: int

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def area_description(self) -> str:
        bounds = [f"{label}{value}" for label, value in (
            ("东至", self.area_east), ("西至", self.area_west), ("南至", self.area_south),
            ("北至", self.area_north)) if value]
        parts = ["，".join(bounds)] if bounds else []
        if self.area_text:
            parts.append(self.area_text)
        return "；".join(parts)

    def as_input(self) -> AgreementInput:
        return AgreementInput(
            self.business_id, self.area_east, self.area_west, self.area_south, self.area_north,
            self.area_text, self.frontage_length_m, self.area_m2, list(self.duties),
            self.five_duties, self.start_date, self.end_date, self.office_signatory,
            self.business_signatory)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("start_date", "end_date", "signed_date"):
            data[key] = data[key].isoformat() if data[key] else None
        data["state_label"] = self.state_label
        return data


def effective_state(status: str, end_date: dt.date | None, today: dt.date) -> str:
    if status == "signed" and end_date is not None:
        if end_date < today:
            return "expired"
        if end_date <= today + dt.timedelta(days=EXPIRING_DAYS):
            return "expiring"
    return status


# --- validation ---------------------------------------------------------------------------


def _clean(session: Session, data: AgreementInput, *, agreement_id: int | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    business = session.get(Business, data.business_id) if data.business_id else None
    if business is None:
        errors["business_id"] = "请选择签订责任书的商户"
    elif not business.active:
        errors["business_id"] = f"“{business.name}”已移出台账，不能签订责任书"
    for key, limit in (("area_east", 100), ("area_west", 100), ("area_south", 100),
                       ("area_north", 100), ("area_text", 1000), ("office_signatory", 50),
                       ("business_signatory", 50)):
        text = clean_prose(getattr(data, key) or "")
        if len(text) > limit:
            errors[key] = f"不能超过{limit}个字"
        values[key] = text
    if not any(values[k] for k in ("area_east", "area_west", "area_south", "area_north", "area_text")):
        errors["area"] = "请填写责任区范围（东西南北四至或文字说明）"
    for key, label in (("frontage_length_m", "门前长度"), ("area_m2", "责任区面积")):
        value = getattr(data, key)
        if value is not None and not (0 < value < 100_000):
            errors[key] = f"{label}应为正数"
        values[key] = value
    known = {d.key: d for d in duty_items(session)}
    duties = [k for k in data.duties if k in known]
    unknown = [k for k in data.duties if k not in known]
    if unknown:
        errors["duties"] = f"未知的责任事项：{'、'.join(unknown)}"
    elif not duties:
        errors["duties"] = "请至少勾选一项责任事项"
    values["duties"] = duties
    values["five_duties"] = bool(data.five_duties) or any(known[k].group == "五包" for k in duties)
    start = data.start_date
    if start is None:
        errors["start_date"] = "请填写责任期限的开始日期"
    end = data.end_date
    if start is not None and end is None:
        end = default_end(start, get_office(session).agreement_term_months)
    if start is not None and end is not None and end < start:
        errors["end_date"] = "结束日期不能早于开始日期"
    values["start_date"], values["end_date"] = start, end
    if not errors and business is not None and start is not None and end is not None:
        clash = session.scalars(select(FrontageAgreement).where(
            FrontageAgreement.business_id == business.id,
            FrontageAgreement.status.in_(("draft", "signed")),
            FrontageAgreement.id != (agreement_id or 0),
            FrontageAgreement.start_date <= end,
            FrontageAgreement.end_date >= start,
        )).first()
        if clash is not None:
            what = clash.number or "一份草稿"
            errors["start_date"] = (f"“{business.name}”已有责任书（{what}，{clash.start_date}至"
                                    f"{clash.end_date}）与该期限重叠")
    if errors:
        raise ValidationError(errors)
    values["business_id"] = business.id if business else None
    return values


def _snapshot(row: FrontageAgreement) -> dict[str, Any]:
    return {k: getattr(row, k) for k in (
        "number", "status", "area_east", "area_west", "area_south", "area_north", "area_text",
        "frontage_length_m", "area_m2", "duties", "five_duties", "start_date", "end_date",
        "signed_date", "office_signatory", "business_signatory", "terminated_reason")}


def _locked(session: Session, agreement_id: int, version: int) -> FrontageAgreement:
    row = session.get(FrontageAgreement, agreement_id)
    if row is None:
        raise NotFoundError("该责任书不存在")
    if row.version != version:
        raise ConflictError(f"该责任书已被{row.updated_by or '其他用户'}修改，请刷新后重试")
    return row


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("该责任书已被其他用户修改，请刷新后重试") from exc


# --- changes ------------------------------------------------------------------------------


def create_draft(session: Session, data: AgreementInput, *, user: str = "",
                 previous_id: int | None = None) -> AgreementRow:
    values = _clean(session, data, agreement_id=None)
    row = FrontageAgreement(status="draft", previous_id=previous_id, updated_by=user, **values)
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="create", entity="agreement", entity_id=row.id,
                 summary=f"起草门前三包责任书：{row.business.name}", after=_snapshot(row))
    return get(session, row.id)


def update_draft(session: Session, agreement_id: int, version: int, data: AgreementInput, *,
                 user: str = "") -> AgreementRow:
    row = _locked(session, agreement_id, version)
    if row.status != "draft":
        raise DomainError("已签订的责任书不能修改；如需变更，请终止后重新签订或办理续签")
    values = _clean(session, data, agreement_id=row.id)
    if values["business_id"] != row.business_id:
        raise ValidationError({"business_id": "草稿的签订商户不能更换，请另行起草"})
    before = _snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by = user
    _flush(session)
    audit.record(session, user=user, action="update", entity="agreement", entity_id=row.id,
                 summary=f"修改责任书草稿：{row.business.name}", before=before, after=_snapshot(row))
    return get(session, row.id)


def sign(session: Session, agreement_id: int, version: int, signed_date: dt.date, *,
         user: str = "", today: dt.date | None = None) -> AgreementRow:
    """Mark a draft signed; its number is taken in this same transaction."""
    today = today or dt.date.today()
    row = _locked(session, agreement_id, version)
    if row.status != "draft":
        raise DomainError(f"该责任书{STATE_LABELS.get(row.status, row.status)}，不能再次签订")
    if not row.business.active:
        raise DomainError(f"“{row.business.name}”已移出台账，不能签订责任书")
    if signed_date > today:
        raise ValidationError({"signed_date": "签订日期不能晚于今天"})
    if row.end_date is not None and row.end_date < signed_date:
        raise ValidationError({"signed_date": "签订日期晚于责任期限的结束日期"})
    before = _snapshot(row)
    _seq, number = numbering.allocate(session, "agreement", signed_date.year)
    row.number = number
    row.status = "signed"
    row.signed_date = signed_date
    row.updated_by = user
    _flush(session)
    audit.record(session, user=user, action="sign", entity="agreement", entity_id=row.id,
                 summary=f"签订门前三包责任书 {number}：{row.business.name}", before=before,
                 after=_snapshot(row))
    return get(session, row.id)


def terminate(session: Session, agreement_id: int, version: int, reason: str, *,
              user: str = "") -> AgreementRow:
    row = _locked(session, agreement_id, version)
    reason = clean_prose(reason)
    if not reason:
        raise ValidationError({"reason": "请填写终止原因"})
    if row.status == "terminated":
        raise DomainError("该责任书已终止")
    before = _snapshot(row)
    row.status = "terminated"
    row.terminated_reason = reason[:200]
    row.updated_by = user
    _flush(session)
    audit.record(session, user=user, action="terminate", entity="agreement", entity_id=row.id,
                 summary=f"终止责任书 {row.number or '（草稿）'}：{reason}", before=before,
                 after=_snapshot(row))
    return get(session, row.id)


def renew(session: Session, agreement_id: int, *, user: str = "") -> AgreementRow:
    """A new draft for the next term, linked to this one, with the same area and duties."""
    old = session.get(FrontageAgreement, agreement_id)
    if old is None:
        raise NotFoundError("该责任书不存在")
    if old.status != "signed" or old.end_date is None:
        raise DomainError("只有已签订的责任书可以续签")
    successor = session.scalars(select(FrontageAgreement).where(
        FrontageAgreement.previous_id == old.id,
        FrontageAgreement.status != "terminated")).first()
    if successor is not None:
        raise DomainError(f"该责任书已办理续签（{successor.number or '草稿'}）")
    start = old.end_date + dt.timedelta(days=1)
    data = AgreementInput(
        old.business_id, old.area_east, old.area_west, old.area_south, old.area_north,
        old.area_text, old.frontage_length_m, old.area_m2, list(old.duties), old.five_duties,
        start, None, old.office_signatory, old.business_signatory)
    return create_draft(session, data, user=user, previous_id=old.id)


# --- reading ------------------------------------------------------------------------------

_G = aliased(Grid)


def _select() -> Select[Any]:
    return (
        select(FrontageAgreement, Business, Community.name, _G.name)
        .join(Business, Business.id == FrontageAgreement.business_id)
        .join(Community, Community.id == Business.community_id)
        .outerjoin(_G, _G.id == Business.grid_id)
    )


def _agreement_row(a: FrontageAgreement, b: Business, community: str, grid: str | None,
            today: dt.date) -> AgreementRow:
    return AgreementRow(
        a.id, a.number or "", b.id, b.name, b.operator, b.address, b.credit_code or "", community,
        grid or "", a.area_east, a.area_west, a.area_south, a.area_north, a.area_text,
        a.frontage_length_m, a.area_m2, list(a.duties or []), a.five_duties, a.start_date,
        a.end_date, a.signed_date, a.status, effective_state(a.status, a.end_date, today),
        a.office_signatory, a.business_signatory, a.previous_id, a.terminated_reason, a.version)


def get(session: Session, agreement_id: int, today: dt.date | None = None) -> AgreementRow:
    found = session.execute(_select().where(FrontageAgreement.id == agreement_id)).first()
    if found is None:
        raise NotFoundError("该责任书不存在")
    return _agreement_row(*found, today or dt.date.today())


def by_numbers(session: Session, numbers: list[str], today: dt.date | None = None) -> list[AgreementRow]:
    """Agreements in the order the numbers were given; an unknown number is an error."""
    today = today or dt.date.today()
    found = {r[0].number: _agreement_row(*r, today) for r in session.execute(
        _select().where(FrontageAgreement.number.in_(numbers)))}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise NotFoundError(f"找不到编号为 {'、'.join(missing)} 的责任书")
    return [found[n] for n in numbers]


AGREEMENT_FILTERS = ("draft", "signed", "expiring", "expired", "terminated", "renewable")


@dataclass(frozen=True)
class AgreementQuery:
    text: str = ""
    state: str = ""  # one of AGREEMENT_FILTERS, or "" for all
    community_id: int | None = None
    grid_id: int | None = None
    today: dt.date | None = None


def _not_renewed() -> Any:
    # One uncorrelated list, not NOT EXISTS: previous_id has no index, and probing it per
    # candidate row scanned every agreement each time (over a minute at 200,000 shops).
    nxt = aliased(FrontageAgreement)
    renewed = select(nxt.previous_id).where(nxt.previous_id.is_not(None),
                                            nxt.status != "terminated")
    return FrontageAgreement.id.not_in(renewed)


def _filtered(session: Session, query: AgreementQuery, stmt: Select[Any]) -> Select[Any]:
    today = query.today or dt.date.today()
    soon = today + dt.timedelta(days=EXPIRING_DAYS)
    fa = FrontageAgreement
    state = query.state
    if state == "draft":
        stmt = stmt.where(fa.status == "draft")
    elif state == "terminated":
        stmt = stmt.where(fa.status == "terminated")
    elif state == "signed":
        stmt = stmt.where(fa.status == "signed", fa.end_date >= today)
    elif state == "expiring":
        stmt = stmt.where(fa.status == "signed", fa.end_date >= today, fa.end_date <= soon,
                          _not_renewed(), Business.active.is_(True))
    elif state == "expired":
        # Lapsed and not followed by a valid agreement: the shop needs a visit.
        stmt = stmt.where(fa.status == "signed", fa.end_date < today, _not_renewed(),
                          Business.active.is_(True), not_(valid_agreement_clause(today)))
    elif state == "renewable":
        stmt = stmt.where(fa.status == "signed", fa.end_date <= soon, _not_renewed())
    elif state:
        raise ValidationError({"state": f"未知的筛选条件：{state}"})
    if query.community_id:
        stmt = stmt.where(Business.community_id == query.community_id)
    if query.grid_id:
        stmt = stmt.where(Business.grid_id == query.grid_id)
    term = search_term(query.text)
    if term:
        stmt = stmt.where(or_(text_clause(session, term),
                              func.lower(func.coalesce(fa.number, "")).like(
                                  like_pattern(term), escape="\\")))
    return stmt


def count(session: Session, query: AgreementQuery) -> int:
    stmt = _filtered(session, query, select(func.count(FrontageAgreement.id)).join(
        Business, Business.id == FrontageAgreement.business_id))
    return int(session.scalar(stmt) or 0)


def expiring_by_community(session: Session, at: dt.date) -> dict[int, int]:
    """Per community: agreements running out within EXPIRING_DAYS of `at`, not yet renewed."""
    stmt = _filtered(session, AgreementQuery(state="expiring", today=at), select(
        Business.community_id, func.count(FrontageAgreement.id)).join(
        Business, Business.id == FrontageAgreement.business_id))
    return {cid: int(n) for cid, n in session.execute(stmt.group_by(Business.community_id))}


def _ordered(session: Session, query: AgreementQuery) -> Select[Any]:
    return _filtered(session, query, _select()).order_by(
        FrontageAgreement.end_date.is_(None), FrontageAgreement.end_date, FrontageAgreement.id)


def page(session: Session, query: AgreementQuery, offset: int = 0, limit: int = 100) -> list[AgreementRow]:
    today = query.today or dt.date.today()
    stmt = _ordered(session, query).offset(offset).limit(limit)
    return [_agreement_row(*r, today) for r in session.execute(stmt)]


def stream(session: Session, query: AgreementQuery, batch: int = 1000) -> Iterator[list[AgreementRow]]:
    """Every agreement of `query` in page() order, `batch` rows at a time, from one streamed
    SELECT: OFFSET paging through a whole list (an export) grows quadratically."""
    today = query.today or dt.date.today()
    result = session.execute(_ordered(session, query).execution_options(yield_per=batch))
    for part in result.partitions():
        yield [_agreement_row(*r, today) for r in part]


def history(session: Session, agreement_id: int) -> list[audit.HistoryItem]:
    labels = {"number": "编号", "status": "状态", "start_date": "开始日期", "end_date": "结束日期",
              "signed_date": "签订日期", "area_text": "责任区", "duties": "责任事项",
              "terminated_reason": "终止原因"}
    return audit.history(session, "agreement", agreement_id, labels)


# --- unsigned businesses and signing rates ----------------------------------------------------


def unsigned_query(at: dt.date, community_id: int | None = None,
                   grid_id: int | None = None) -> Select[Any]:
    stmt = row_select().where(needs_agreement_clause(), not_(valid_agreement_clause(at)))
    return apply_filters(BusinessQuery(community_id=community_id, grid_id=grid_id), stmt)


def unsigned_businesses(session: Session, at: dt.date, *, community_id: int | None = None,
                        grid_id: int | None = None, offset: int = 0,
                        limit: int = 200) -> tuple[int, list[BusinessRow]]:
    """Businesses that must sign and hold no valid agreement on `at` (the drill-down)."""
    base = unsigned_query(at, community_id, grid_id)
    total = int(session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    rows = session.execute(base.order_by(Business.name_sort, Business.id).offset(offset).limit(limit))
    return total, [to_row(*r) for r in rows]


@dataclass(frozen=True)
class RateRow:
    level: str  # street / community / grid
    community_id: int | None
    grid_id: int | None
    name: str
    required: int
    signed: int

    @property
    def rate(self) -> float:
        return round(self.signed / self.required, 4) if self.required else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "name": self.name, "community_id": self.community_id,
                "grid_id": self.grid_id, "required": self.required, "signed": self.signed,
                "rate": self.rate}


def signing_rates(session: Session, at: dt.date) -> list[RateRow]:
    """Street, then each community followed by its grids: valid signed / businesses that must sign."""
    per_grid = agreement_counts(session, at)
    out: list[RateRow] = []
    street_n = sum(n for n, _ in per_grid.values())
    street_s = sum(s for _, s in per_grid.values())
    out.append(RateRow("street", None, None, "全街道", street_n, street_s))
    grids: dict[int, list[tuple[int, str]]] = {}
    for g in session.execute(select(Grid.id, Grid.community_id, Grid.name).order_by(Grid.sort_order, Grid.id)):
        grids.setdefault(g.community_id, []).append((g.id, g.name))
    for cid, cname in session.execute(select(Community.id, Community.name).order_by(
            Community.sort_order, Community.id)):
        cn = sum(n for (c, _), (n, _) in per_grid.items() if c == cid)
        cs = sum(s for (c, _), (_, s) in per_grid.items() if c == cid)
        out.append(RateRow("community", cid, None, cname, cn, cs))
        for gid, gname in grids.get(cid, []):
            n, s = per_grid.get((cid, gid), (0, 0))
            out.append(RateRow("grid", cid, gid, gname, n, s))
        if (cid, None) in per_grid:
            n, s = per_grid[(cid, None)]
            out.append(RateRow("grid", cid, None, "（未分网格）", n, s))
    return out


@dataclass(frozen=True)
class Reminders:
    expiring: int
    expired: int
    unsigned: int
    drafts: int


def reminders(session: Session, today: dt.date | None = None) -> Reminders:
    today = today or dt.date.today()
    total_unsigned = int(session.scalar(select(func.count()).select_from(
        unsigned_query(today).subquery())) or 0)
    return Reminders(
        expiring=count(session, AgreementQuery(state="expiring", today=today)),
        expired=count(session, AgreementQuery(state="expired", today=today)),
        unsigned=total_unsigned,
        drafts=count(session, AgreementQuery(state="draft", today=today)),
    )

