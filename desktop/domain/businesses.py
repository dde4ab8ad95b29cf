"""The business ledger (商户台账): validation, saving, deactivation, search and paging."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from sqlalchemy import Select, false, func, literal_column, select, text
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from db.models import Business, Community, Grid

from . import audit
from .codes import CodeError, clean_prose, normalize_phone, parse_credit_code
from .errors import ConflictError, NotFoundError, ValidationError
from .textkeys import initials, like_pattern, name_sort, search_text

STATUSES = ("营业", "停业", "注销", "无照")
CATEGORIES = ("餐饮", "零售", "便利店", "美容美发", "汽修", "五金建材", "药店", "服装鞋帽",
              "宾馆住宿", "教育培训", "维修服务", "农贸水果", "烟酒茶叶", "其他")

# English field → Chinese label, in the order the ledger shows them.
LABELS: dict[str, str] = {
    "name": "名称",
    "credit_code": "统一社会信用代码",
    "operator": "经营者",
    "phone": "联系电话",
    "address": "地址",
    "category": "行业类别",
    "community": "社区",
    "grid": "网格",
    "status": "经营状态",
    "licence_displayed": "亮照",
    "remarks": "备注",
    "active": "在册",
}
MAX_LEN = {"name": 100, "operator": 50, "address": 200, "category": 30, "remarks": 500}


@dataclass
class BusinessInput:
    """What the editor dialog or an import hands in; raw strings are cleaned here."""

    name: str = ""
    credit_code: str = ""
    operator: str = ""
    phone: str = ""
    address: str = ""
    category: str = ""
    community_id: int | None = None
    grid_id: int | None = None
    status: str = "营业"
    licence_displayed: bool = True
    remarks: str = ""


@dataclass(frozen=True)
class BusinessRow:
    id: int
    name: str
    credit_code: str
    operator: str
    phone: str
    address: str
    category: str
    community: str
    grid: str
    status: str
    licence_displayed: bool
    remarks: str
    active: bool
    legacy_code: bool
    community_id: int
    grid_id: int | None
    version: int
    updated_at: dt.datetime | None = None
    updated_by: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["updated_at"] = self.updated_at.isoformat() if self.updated_at else None
        return data

    def as_input(self) -> BusinessInput:
        return BusinessInput(self.name, self.credit_code, self.operator, self.phone, self.address,
                             self.category, self.community_id, self.grid_id, self.status,
                             self.licence_displayed, self.remarks)


@dataclass(frozen=True)
class Cleaned:
    values: dict[str, Any]
    warnings: tuple[str, ...] = ()


def clean_fields(data: BusinessInput) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The checks that need no database (the import runs them on every row of a file).

    Returns the cleaned values, the problems keyed by field, and the warnings.
    """
    errors: dict[str, str] = {}
    warnings: list[str] = []
    values: dict[str, Any] = {}
    for name in ("name", "operator", "address", "category", "remarks"):
        text = clean_prose(getattr(data, name) or "")
        if len(text) > MAX_LEN[name]:
            errors[name] = f"{LABELS[name]}不能超过{MAX_LEN[name]}个字"
        values[name] = text
    if not values["name"]:
        errors["name"] = "请填写商户名称"

    values["credit_code"] = None
    values["legacy_code"] = False
    if (data.credit_code or "").strip():
        try:
            code = parse_credit_code(data.credit_code)
        except CodeError as exc:
            errors["credit_code"] = str(exc)
        else:
            values["credit_code"] = code.value
            values["legacy_code"] = code.legacy
            if code.legacy:
                warnings.append("这是旧的15位工商注册号，请在换照后补录统一社会信用代码")

    values["phone"] = ""
    if (data.phone or "").strip():
        try:
            values["phone"] = normalize_phone(data.phone)
        except CodeError as exc:
            errors["phone"] = str(exc)

    values["community_id"] = data.community_id
    values["grid_id"] = data.grid_id
    if data.status not in STATUSES:
        errors["status"] = f"经营状态应为：{'、'.join(STATUSES)}"
    values["status"] = data.status
    values["licence_displayed"] = bool(data.licence_displayed)
    return values, errors, warnings


_ERROR_ORDER = ("name", "operator", "address", "category", "remarks", "credit_code", "phone",
                "community_id", "grid_id", "status")


def clean(session: Session, data: BusinessInput, *, business_id: int | None = None) -> Cleaned:
    """Check and normalise every field; all problems at once, keyed by field."""
    values, errors, warnings = clean_fields(data)
    if values["credit_code"] is not None:
        clash = session.scalars(select(Business).where(
            Business.credit_code == values["credit_code"],
            Business.id != (business_id or 0))).first()
        if clash is not None:
            errors["credit_code"] = f"该信用代码已登记在“{clash.name}”（{clash.address}）名下"

    community = session.get(Community, data.community_id) if data.community_id else None
    if community is None:
        errors["community_id"] = "请选择所属社区"
    if data.grid_id is not None and community is not None:
        grid = session.get(Grid, data.grid_id)
        if grid is None or grid.community_id != community.id:
            errors["grid_id"] = f"所选网格不属于“{community.name}”"
    if errors:
        raise ValidationError({k: errors[k] for k in _ERROR_ORDER if k in errors})
    return Cleaned(values, tuple(warnings))


def search_columns(name: str, credit_code: str | None, address: str, operator: str, phone: str,
                   *, initials_of: Callable[[str], str] = initials) -> tuple[str, str]:
    """The initials and search_text columns of a business; every writer uses this."""
    keys = initials_of(name)
    return keys, search_text(name, keys, credit_code, address, operator, phone.replace("-", ""))


def _apply(row: Business, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(row, key, value)
    row.initials, row.search_text = search_columns(row.name, row.credit_code, row.address,
                                                   row.operator, row.phone)
    row.name_sort = name_sort(row.name)


def _snapshot(session: Session, row: Business) -> dict[str, Any]:
    community = session.get(Community, row.community_id)
    grid = session.get(Grid, row.grid_id) if row.grid_id else None
    return {
        "name": row.name, "credit_code": row.credit_code or "", "operator": row.operator,
        "phone": row.phone, "address": row.address, "category": row.category,
        "community": community.name if community else "", "grid": grid.name if grid else "",
        "status": row.status, "licence_displayed": row.licence_displayed,
        "remarks": row.remarks, "active": row.active,
    }


def create(session: Session, data: BusinessInput, *, user: str = "",
           import_batch_id: int | None = None) -> BusinessRow:
    cleaned = clean(session, data)
    row = Business(updated_by=user, import_batch_id=import_batch_id, active=True)
    _apply(row, cleaned.values)
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="create", entity="business", entity_id=row.id,
                 summary=f"新增商户：{row.name}", after=_snapshot(session, row))
    return get(session, row.id)


def _conflict_message(row: Business) -> str:
    when = row.updated_at.strftime("%Y-%m-%d %H:%M") if row.updated_at else ""
    who = row.updated_by or "其他用户"
    return f"“{row.name}”已被{who}于{when}修改，您的修改未保存。请刷新后重新编辑。"


def _locked_row(session: Session, business_id: int, version: int) -> Business:
    row = session.get(Business, business_id)
    if row is None:
        raise NotFoundError("该商户不存在或已被删除")
    if row.version != version:
        raise ConflictError(_conflict_message(row))
    return row


def update(session: Session, business_id: int, version: int, data: BusinessInput, *,
           user: str = "") -> BusinessRow:
    """Save an edit made on `version`; refused if someone saved in between."""
    row = _locked_row(session, business_id, version)
    cleaned = clean(session, data, business_id=business_id)
    before = _snapshot(session, row)
    _apply(row, cleaned.values)
    row.updated_by = user
    _flush_or_conflict(session, row)
    after = _snapshot(session, row)
    if after != before:
        audit.record(session, user=user, action="update", entity="business", entity_id=row.id,
                     summary=f"修改商户：{row.name}", before=before, after=after)
    return get(session, row.id)


def set_active(session: Session, business_id: int, version: int, active: bool, *, reason: str = "",
               user: str = "") -> BusinessRow:
    """Deactivate (移出台账) or restore a business; nothing is ever deleted."""
    row = _locked_row(session, business_id, version)
    if row.active == active:
        return get(session, row.id)
    before = _snapshot(session, row)
    row.active = active
    if not active and row.status == "营业":
        row.status = "注销" if "注销" in reason else "停业"
    if reason:
        row.remarks = (row.remarks + f"；{reason}" if row.remarks else reason)[: MAX_LEN["remarks"]]
    row.updated_by = user
    _flush_or_conflict(session, row)
    audit.record(session, user=user, action="deactivate" if not active else "reactivate",
                 entity="business", entity_id=row.id,
                 summary=("移出台账：" if not active else "恢复在册：") + row.name + (f"（{reason}）" if reason else ""),
                 before=before, after=_snapshot(session, row))
    return get(session, row.id)


def _flush_or_conflict(session: Session, row: Business) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("该记录已被其他用户修改，您的修改未保存。请刷新后重新编辑。") from exc


# --- reading ------------------------------------------------------------------------------

_G = aliased(Grid)
SORT_KEYS = ("name", "credit_code", "operator", "phone", "address", "category", "community",
             "grid", "status", "updated_at")


@dataclass(frozen=True)
class BusinessQuery:
    text: str = ""
    community_id: int | None = None
    grid_id: int | None = None
    category: str = ""
    status: str = ""
    include_inactive: bool = False
    sort: str = "name"
    descending: bool = False
    ids: Sequence[int] | None = field(default=None)

    def with_sort(self, key: str, descending: bool) -> BusinessQuery:
        return replace(self, sort=key, descending=descending)


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def text_clause(session: Session, term: str) -> Any:
    """Rows whose search text contains `term` (already lower-cased), by the trigram index.

    SQLite's trigram index needs three characters; a two-character term is widened to the
    indexed trigrams that start with it. PostgreSQL's pg_trgm index serves LIKE directly.
    """
    if session.get_bind().dialect.name != "sqlite" or len(term) < 2:
        return Business.search_text.like(like_pattern(term), escape="\\")
    if len(term) >= 3:
        expr = _fts_phrase(term)
    else:
        grams = session.scalars(
            text("SELECT term FROM business_fts_vocab WHERE term >= :lo AND term < :hi"),
            {"lo": term, "hi": term + "\U0010ffff"}).all()
        if not grams:
            return false()
        expr = " OR ".join(_fts_phrase(g) for g in grams)
    matches = select(literal_column("rowid")).select_from(text("business_fts")).where(
        text("business_fts MATCH :fts").bindparams(fts=expr))
    return Business.id.in_(matches)


_DASHED_NUMBER = re.compile(r"\d[\d-]{5,}\d")  # 0571-88886666, 138-0013-8000


def search_term(raw: str) -> str:
    term = clean_prose(raw).replace(" ", "").lower()
    # Phone numbers are kept without their dashes, however the clerk types them.
    return term.replace("-", "") if _DASHED_NUMBER.fullmatch(term) else term


def apply_filters(query: BusinessQuery, stmt: Select[Any],
                  session: Session | None = None) -> Select[Any]:
    if not query.include_inactive:
        stmt = stmt.where(Business.active.is_(True))
    if query.community_id:
        stmt = stmt.where(Business.community_id == query.community_id)
    if query.grid_id:
        stmt = stmt.where(Business.grid_id == query.grid_id)
    if query.category:
        stmt = stmt.where(Business.category == query.category)
    if query.status:
        stmt = stmt.where(Business.status == query.status)
    if query.ids is not None:
        stmt = stmt.where(Business.id.in_(list(query.ids)))
    term = search_term(query.text)
    if term:
        assert session is not None, "a text search needs the session"
        stmt = stmt.where(text_clause(session, term))
    return stmt


def count(session: Session, query: BusinessQuery) -> int:
    return int(session.scalar(apply_filters(query, select(func.count(Business.id)), session)) or 0)


def _order(query: BusinessQuery) -> list[Any]:
    if query.sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {query.sort!r}")
    if query.sort == "name":
        col: Any = Business.name_sort  # pinyin order, as a clerk expects
    elif query.sort == "community":
        col = Community.sort_order
    elif query.sort == "grid":
        col = _G.name
    else:
        col = getattr(Business, query.sort)
    tie = Business.id.desc() if query.descending else Business.id
    return [col.desc() if query.descending else col, tie]


def row_select() -> Select[Any]:
    return (
        select(Business, Community.name, _G.name)
        .join(Community, Community.id == Business.community_id)
        .outerjoin(_G, _G.id == Business.grid_id)
    )


def to_row(b: Business, community: str, grid: str | None) -> BusinessRow:
    return BusinessRow(
        b.id, b.name, b.credit_code or "", b.operator, b.phone, b.address, b.category, community,
        grid or "", b.status, b.licence_displayed, b.remarks, b.active, b.legacy_code,
        b.community_id, b.grid_id, b.version, b.updated_at, b.updated_by,
    )


def page(session: Session, query: BusinessQuery, offset: int = 0, limit: int = 100) -> list[BusinessRow]:
    stmt = apply_filters(query, row_select(), session).order_by(*_order(query)).offset(offset).limit(limit)
    return [to_row(b, c, g) for b, c, g in session.execute(stmt)]


def value_select(session: Session, query: BusinessQuery, fields: Sequence[str]) -> Select[Any]:
    """The rows of `query` in its order as plain columns `fields` (BusinessRow names).

    For streaming a whole list (exports): no ORM object per row and no OFFSET paging, both
    of which cost seconds over 200,000 rows.
    """
    named = {"community": Community.name, "grid": _G.name}
    columns = [named[f] if f in named else getattr(Business, f) for f in fields]
    stmt = (select(*columns).select_from(Business)
            .join(Community, Community.id == Business.community_id)
            .outerjoin(_G, _G.id == Business.grid_id))
    return apply_filters(query, stmt, session).order_by(*_order(query))


def get(session: Session, business_id: int) -> BusinessRow:
    found = session.execute(row_select().where(Business.id == business_id)).first()
    if found is None:
        raise NotFoundError("该商户不存在或已被删除")
    return to_row(*found)


def search(session: Session, text: str, *, limit: int = 50,
           include_inactive: bool = False) -> tuple[int, list[BusinessRow]]:
    query = BusinessQuery(text=text, include_inactive=include_inactive)
    return count(session, query), page(session, query, 0, limit)


def history(session: Session, business_id: int) -> list[audit.HistoryItem]:
    return audit.history(session, "business", business_id, LABELS)


def field_names() -> list[str]:
    return [f.name for f in fields(BusinessRow)]
