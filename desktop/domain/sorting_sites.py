"""Sites of the garbage-sorting checks (小区, 城中村, 单位, 商户, 公共场所): who answers for them,
where they are, and which of them still wait for this period's check."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from db.models import Business, Community, Grid, SortingCheck, SortingSite

from . import audit
from .codes import CodeError, clean_prose, normalize_phone
from .errors import ConflictError, NotFoundError, ValidationError
from .sorting_templates import SITE_TYPES
from .textkeys import like_pattern

MAX_LEN = {"name": 100, "address": 200, "responsible": 50}


@dataclass
class SiteInput:
    name: str = ""
    site_type: str = ""
    community_id: int | None = None
    grid_id: int | None = None
    address: str = ""
    responsible: str = ""
    contact: str = ""
    collection_points: int = 1
    business_id: int | None = None


@dataclass(frozen=True)
class SiteRow:
    id: int
    name: str
    site_type: str
    community_id: int
    community: str
    grid_id: int | None
    grid: str
    address: str
    responsible: str
    contact: str
    collection_points: int
    business_id: int | None
    business: str
    active: bool
    version: int
    last_check_date: dt.date | None
    last_total: float | None
    last_passed: bool | None  # the latest visit's result, a recheck's when that came last

    def as_input(self) -> SiteInput:
        return SiteInput(self.name, self.site_type, self.community_id, self.grid_id, self.address,
                         self.responsible, self.contact, self.collection_points, self.business_id)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_check_date"] = self.last_check_date.isoformat() if self.last_check_date else None
        return data


def _clean(session: Session, data: SiteInput, site_id: int | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, limit in MAX_LEN.items():
        text = clean_prose(getattr(data, key) or "")
        if len(text) > limit:
            errors[key] = f"不能超过{limit}个字"
        values[key] = text
    if not values["name"]:
        errors["name"] = "请填写点位名称"
    if data.site_type not in SITE_TYPES:
        errors["site_type"] = "请选择点位类型（" + "、".join(SITE_TYPES) + "）"
    values["site_type"] = data.site_type
    contact = clean_prose(data.contact or "")
    if contact:
        try:
            contact = normalize_phone(contact)
        except CodeError as exc:
            errors["contact"] = str(exc)
    values["contact"] = contact
    if not 1 <= int(data.collection_points or 0) <= 999:
        errors["collection_points"] = "收集点数量应在1至999之间"
    values["collection_points"] = int(data.collection_points or 0)
    business = session.get(Business, data.business_id) if data.business_id else None
    if data.business_id and business is None:
        errors["business_id"] = "所选商户不存在"
    elif business is not None and not business.active:
        errors["business_id"] = f"“{business.name}”已移出台账"
    community_id, grid_id = data.community_id, data.grid_id
    if business is not None and community_id is None:
        community_id, grid_id = business.community_id, business.grid_id
    if business is not None and not values["address"]:
        values["address"] = business.address
    if community_id is None or session.get(Community, community_id) is None:
        errors["community_id"] = "请选择点位所在社区"
    if grid_id is not None:
        grid = session.get(Grid, grid_id)
        if grid is None or grid.community_id != community_id:
            errors["grid_id"] = "所选网格不属于该社区"
    if not errors:
        clash = session.scalars(select(SortingSite.id).where(
            SortingSite.community_id == community_id, SortingSite.name == values["name"],
            SortingSite.id != (site_id or 0))).first()
        if clash is not None:
            errors["name"] = f"该社区已有名为“{values['name']}”的点位"
    if errors:
        raise ValidationError(errors)
    values.update(community_id=community_id, grid_id=grid_id,
                  business_id=business.id if business else None)
    return values


def _snapshot(row: SortingSite) -> dict[str, Any]:
    return {k: getattr(row, k) for k in (
        "name", "site_type", "community_id", "grid_id", "address", "responsible", "contact",
        "collection_points", "business_id", "active")}


def _locked(session: Session, site_id: int, version: int | None) -> SortingSite:
    row = session.get(SortingSite, site_id)
    if row is None:
        raise NotFoundError("该检查点位不存在")
    if version is not None and row.version != version:
        raise ConflictError(f"该点位已被{row.updated_by or '其他用户'}修改，请刷新后重试")
    return row


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("该点位已被其他用户修改，请刷新后重试") from exc


def create_site(session: Session, data: SiteInput, *, user: str = "") -> SiteRow:
    row = SortingSite(updated_by=user, active=True, **_clean(session, data, None))
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="create", entity="sorting_site", entity_id=row.id,
                 summary=f"新增垃圾分类检查点位：{row.name}（{row.site_type}）", after=_snapshot(row))
    return get_site(session, row.id)


def update_site(session: Session, site_id: int, version: int, data: SiteInput, *,
                user: str = "") -> SiteRow:
    row = _locked(session, site_id, version)
    values = _clean(session, data, site_id)
    if values["site_type"] != row.site_type and session.scalar(
            select(func.count()).where(SortingCheck.site_id == site_id)):
        # Its checks were scored on the old type's checklist; a new type is a new site.
        raise ValidationError({"site_type": "该点位已有检查记录，不能更改类型；如类型确有变化，请停用后新增点位"})
    before = _snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by = user
    _flush(session)
    audit.record(session, user=user, action="update", entity="sorting_site", entity_id=row.id,
                 summary=f"修改检查点位：{row.name}", before=before, after=_snapshot(row))
    return get_site(session, row.id)


def set_site_active(session: Session, site_id: int, version: int, active: bool, *,
                    user: str = "", reason: str = "") -> SiteRow:
    row = _locked(session, site_id, version)
    reason = clean_prose(reason)
    if not active and not reason:
        raise ValidationError({"reason": "请填写停用原因（如：小区已拆迁、商户已关闭）"})
    before = _snapshot(row)
    row.active = active
    row.updated_by = user
    _flush(session)
    what = "启用" if active else f"停用（{reason}）"
    audit.record(session, user=user, action="update", entity="sorting_site", entity_id=row.id,
                 summary=f"{what}检查点位：{row.name}", before=before, after=_snapshot(row))
    return get_site(session, row.id)


# --- reading ------------------------------------------------------------------------------

_G = aliased(Grid)
_TYPE_ORDER = case({t: n for n, t in enumerate(SITE_TYPES)}, value=SortingSite.site_type, else_=99)


def _latest(column: Any) -> Any:
    """A column of the site's latest visit (check or recheck)."""
    c = aliased(SortingCheck)
    return (select(column(c)).where(c.site_id == SortingSite.id)
            .order_by(c.check_date.desc(), c.id.desc()).limit(1).scalar_subquery())


def _select() -> Select[Any]:
    return (
        select(SortingSite, Community.name, _G.name, Business.name,
               _latest(lambda c: c.check_date), _latest(lambda c: c.total),
               _latest(lambda c: c.passed))
        .join(Community, Community.id == SortingSite.community_id)
        .outerjoin(_G, _G.id == SortingSite.grid_id)
        .outerjoin(Business, Business.id == SortingSite.business_id)
    )


def _site_row(s: SortingSite, community: str, grid: str | None, business: str | None,
              last_date: dt.date | None, last_total: float | None,
              last_passed: bool | None) -> SiteRow:
    return SiteRow(s.id, s.name, s.site_type, s.community_id, community, s.grid_id, grid or "",
                   s.address, s.responsible, s.contact, s.collection_points, s.business_id,
                   business or "", s.active, s.version, last_date, last_total,
                   None if last_passed is None else bool(last_passed))


def get_site(session: Session, site_id: int) -> SiteRow:
    found = session.execute(_select().where(SortingSite.id == site_id)).first()
    if found is None:
        raise NotFoundError("该检查点位不存在")
    return _site_row(*found)


@dataclass(frozen=True)
class SiteQuery:
    text: str = ""
    site_type: str = ""
    community_id: int | None = None
    grid_id: int | None = None
    # Only the active sites with no check (rechecks aside) between these dates.
    unchecked_between: tuple[dt.date, dt.date] | None = None
    include_inactive: bool = False


def checked_clause(start: dt.date, end: dt.date) -> Any:
    # One scan of the period's checks, not a probe per site: SQLite's planner would walk the
    # date index once for every site.
    return SortingSite.id.in_(select(SortingCheck.site_id).where(
        SortingCheck.recheck_of_id.is_(None), SortingCheck.check_date >= start,
        SortingCheck.check_date <= end))


def _filtered(query: SiteQuery, stmt: Select[Any]) -> Select[Any]:
    if not query.include_inactive or query.unchecked_between:
        stmt = stmt.where(SortingSite.active.is_(True))
    if query.site_type:
        stmt = stmt.where(SortingSite.site_type == query.site_type)
    if query.community_id:
        stmt = stmt.where(SortingSite.community_id == query.community_id)
    if query.grid_id:
        stmt = stmt.where(SortingSite.grid_id == query.grid_id)
    if query.unchecked_between:
        stmt = stmt.where(~checked_clause(*query.unchecked_between))
    term = query.text.strip().lower()
    if term:
        pattern = like_pattern(term)
        stmt = stmt.where(or_(*(func.lower(col).like(pattern, escape="\\") for col in (
            SortingSite.name, SortingSite.address, SortingSite.responsible))))
    return stmt


def count_sites(session: Session, query: SiteQuery) -> int:
    return int(session.scalar(_filtered(query, select(func.count(SortingSite.id)))) or 0)


def site_page(session: Session, query: SiteQuery, offset: int = 0, limit: int = 100) -> list[SiteRow]:
    stmt = _filtered(query, _select()).order_by(
        Community.sort_order, SortingSite.community_id, _TYPE_ORDER, SortingSite.name,
        SortingSite.id).offset(offset).limit(limit)
    return [_site_row(*r) for r in session.execute(stmt)]


@dataclass(frozen=True)
class SiteChoice:
    """A site as the check editor's picker lists it."""

    id: int
    name: str
    site_type: str
    community: str
    address: str
    business_id: int | None

    def label(self) -> str:
        return f"{self.name}（{self.site_type}，{self.community}）"


def site_choices(session: Session) -> list[SiteChoice]:
    rows = session.execute(
        select(SortingSite.id, SortingSite.name, SortingSite.site_type, Community.name,
               SortingSite.address, SortingSite.business_id)
        .join(Community, Community.id == SortingSite.community_id)
        .where(SortingSite.active.is_(True))
        .order_by(Community.sort_order, SortingSite.community_id, SortingSite.name))
    return [SiteChoice(*r) for r in rows]


def unchecked_count(session: Session, start: dt.date, end: dt.date) -> int:
    """Active sites with no check between the dates (what the home page asks each month)."""
    return int(session.scalar(select(func.count(SortingSite.id)).where(
        and_(SortingSite.active.is_(True), ~checked_clause(start, end)))) or 0)


def history(session: Session, site_id: int) -> list[audit.HistoryItem]:
    labels = {"name": "名称", "site_type": "类型", "address": "地址", "responsible": "责任人",
              "contact": "联系电话", "collection_points": "收集点", "active": "在用"}
    return audit.history(session, "sorting_site", site_id, labels)
