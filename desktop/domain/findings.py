"""Patrol findings (巡查问题): recording with photos, the status machine, referral and queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from db.models import (
    Attachment,
    Business,
    Community,
    Finding,
    Grid,
    Notice,
    NoticeFinding,
    Referral,
)

from . import attachments, audit
from .codes import clean_prose
from .errors import ConflictError, DomainError, NotFoundError, ValidationError
from .stats import OPEN_FINDING
from .textkeys import like_pattern

STATUSES = ("发现", "已告知", "整改中", "复查合格", "复查不合格", "移交执法", "销号")
OPEN_STATUSES: tuple[str, ...] = OPEN_FINDING
CLOSED_STATUSES = ("复查合格", "销号", "移交执法")
CATEGORIES = ("占道经营", "店外经营", "乱堆乱放", "乱贴乱画", "乱搭乱建", "乱摆摊点", "露天烧烤",
              "门前三包不落实", "招牌安全隐患", "垃圾分类不达标", "无照经营")
SOURCES = ("巡查", "群众举报", "上级交办", "12345热线", "数字城管")
PHOTO_OWNER = "finding"
REPEAT_DAYS = 90

# Where each status may lead. 已告知 back to 发现 happens only when its notice is voided.
TRANSITIONS: dict[str, frozenset[str]] = {
    "发现": frozenset({"已告知", "销号"}),
    "已告知": frozenset({"整改中", "复查合格", "复查不合格"}),
    "整改中": frozenset({"复查合格", "复查不合格"}),
    "复查合格": frozenset({"销号"}),
    "复查不合格": frozenset({"移交执法", "已告知"}),
    "移交执法": frozenset(),
    "销号": frozenset(),
}
# Moves that need a document or record; change_status points the clerk to the right action.
_VIA = {"已告知": "签发责令改正通知书", "复查合格": "登记复查", "复查不合格": "登记复查",
        "移交执法": "登记移交执法"}
MAX_LEN = {"category": 30, "place": 200, "person": 50, "description": 1000, "inspectors": 100,
           "source": 30}


@dataclass
class FindingInput:
    category: str = ""
    found_at: dt.datetime | None = None
    place: str = ""
    business_id: int | None = None
    person: str = ""
    community_id: int | None = None
    grid_id: int | None = None
    description: str = ""
    inspectors: str = ""
    inspection_id: int | None = None
    deadline: dt.date | None = None
    source: str = "巡查"


@dataclass(frozen=True)
class FindingRow:
    id: int
    category: str
    found_at: dt.datetime
    place: str
    business_id: int | None
    business: str
    person: str
    community_id: int | None
    community: str
    grid_id: int | None
    grid: str
    description: str
    inspectors: str
    deadline: dt.date | None
    status: str
    closed_at: dt.datetime | None
    source: str
    notice: str  # number of the finding's current notice, "" when none
    photos: int
    version: int

    @property
    def party(self) -> str:
        return self.business or self.person

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in OPEN_STATUSES and self.deadline is not None and self.deadline < today

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("found_at", "deadline", "closed_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["party"] = self.party
        return data


def check_move(old: str, new: str) -> None:
    """Raise DomainError when the status machine does not allow old → new."""
    if new not in STATUSES:
        raise DomainError(f"未知的问题状态：{new}")
    if new not in TRANSITIONS.get(old, frozenset()):
        if not TRANSITIONS.get(old):
            raise DomainError(f"该问题已“{old}”，不能再变更为“{new}”")
        allowed = "、".join(f"“{s}”" for s in STATUSES if s in TRANSITIONS[old])
        raise DomainError(f"该问题当前为“{old}”，不能变更为“{new}”（只能变更为{allowed}）")


def apply_status(row: Finding, new: str, *, now: dt.datetime | None = None) -> None:
    """Move a finding along the status machine; 销号 and 移交执法 stamp the closing time."""
    check_move(row.status, new)
    row.status = new
    if new in ("销号", "移交执法"):
        row.closed_at = now or dt.datetime.now().replace(microsecond=0)


# --- validation ---------------------------------------------------------------------------


def _clean(session: Session, data: FindingInput, now: dt.datetime) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, limit in MAX_LEN.items():
        text = clean_prose(getattr(data, key) or "")
        if len(text) > limit:
            errors[key] = f"不能超过{limit}个字"
        values[key] = text
    if not values["category"]:
        errors["category"] = "请选择问题类别"
    if not values["description"]:
        errors["description"] = "请描述发现的问题"
    if not values["inspectors"]:
        errors["inspectors"] = "请填写巡查人员"
    values["source"] = values["source"] or "巡查"
    found_at = data.found_at
    if found_at is None:
        errors["found_at"] = "请填写发现时间"
    elif found_at > now + dt.timedelta(minutes=10):
        errors["found_at"] = "发现时间不能晚于现在"
    values["found_at"] = found_at.replace(microsecond=0) if found_at else None
    business = session.get(Business, data.business_id) if data.business_id else None
    if data.business_id and business is None:
        errors["business_id"] = "所选商户不存在"
    if business is None and not values["person"]:
        errors["business_id"] = "请选择涉及的商户，或填写当事人姓名"
    community_id, grid_id = data.community_id, data.grid_id
    if business is not None:
        # The business's own division: the stats count findings where the shop is.
        community_id, grid_id = business.community_id, business.grid_id
        if not values["place"]:
            values["place"] = business.address
    if not values["place"]:
        errors["place"] = "请填写发现地点"
    if community_id is None or session.get(Community, community_id) is None:
        errors["community_id"] = "请选择问题所在社区"
    if grid_id is not None:
        grid = session.get(Grid, grid_id)
        if grid is None or grid.community_id != community_id:
            errors["grid_id"] = "所选网格不属于该社区"
    if data.deadline is not None and found_at is not None and data.deadline < found_at.date():
        errors["deadline"] = "整改期限不能早于发现时间"
    if errors:
        raise ValidationError(errors)
    values.update(business_id=business.id if business else None, community_id=community_id,
                  grid_id=grid_id, deadline=data.deadline, inspection_id=data.inspection_id)
    return values


def _snapshot(row: Finding) -> dict[str, Any]:
    return {k: getattr(row, k) for k in (
        "category", "found_at", "place", "business_id", "person", "community_id", "grid_id",
        "description", "inspectors", "deadline", "status", "closed_at", "source")}


def locked(session: Session, finding_id: int, version: int | None = None) -> Finding:
    """The finding row, checked against the version the clerk saw (when given)."""
    row = session.get(Finding, finding_id)
    if row is None:
        raise NotFoundError("该问题记录不存在")
    if version is not None and row.version != version:
        raise ConflictError(f"该问题已被{row.updated_by or '其他用户'}修改，请刷新后重试")
    return row


def flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("该问题已被其他用户修改，请刷新后重试") from exc


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now()).replace(microsecond=0)


# --- changes ------------------------------------------------------------------------------


def record_finding(session: Session, data: FindingInput, *,
                   photos: Sequence[attachments.PhotoInput] = (), user: str = "",
                   now: dt.datetime | None = None) -> FindingRow:
    """A new finding (status 发现) with its photos; a bad photo refuses the whole finding."""
    values = _clean(session, data, _now(now))
    # Every photo is checked before anything is written, so nothing is half-saved.
    prepared = [attachments.prepare_image(p.file_name, p.data) for p in photos]
    row = Finding(status="发现", updated_by=user, **values)
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="create", entity="finding", entity_id=row.id,
                 summary=f"登记问题：{row.category}，{row.place}", after=_snapshot(row))
    for image in prepared:
        attachments.store(session, PHOTO_OWNER, row.id, image, user=user)
    return get(session, row.id)


def update_finding(session: Session, finding_id: int, version: int, data: FindingInput, *,
                   user: str = "", now: dt.datetime | None = None) -> FindingRow:
    """Correct a finding before anyone is told; afterwards the notice holds the facts."""
    row = locked(session, finding_id, version)
    if row.status != "发现":
        raise DomainError(f"该问题已“{row.status}”，不能再修改；如有错误，请作废通知书后重新登记")
    values = _clean(session, data, _now(now))
    before = _snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by = user
    flush(session)
    audit.record(session, user=user, action="update", entity="finding", entity_id=row.id,
                 summary=f"修改问题：{row.category}，{row.place}", before=before, after=_snapshot(row))
    return get(session, row.id)


def add_photo(session: Session, finding_id: int, file_name: str, data: bytes, *,
              user: str = "") -> attachments.AttachmentRow:
    locked(session, finding_id)
    return attachments.add_image(session, PHOTO_OWNER, finding_id, file_name, data, user=user)


def change_status(session: Session, finding_id: int, version: int, new_status: str, *,
                  user: str = "", note: str = "", now: dt.datetime | None = None) -> FindingRow:
    """The moves a clerk makes directly: 已告知 → 整改中, 复查合格 → 销号, 发现 → 销号 (with a note)."""
    row = locked(session, finding_id, version)
    check_move(row.status, new_status)
    if new_status in _VIA:
        raise DomainError(f"请通过“{_VIA[new_status]}”将问题变更为“{new_status}”")
    note = clean_prose(note)
    if row.status == "发现" and new_status == "销号" and not note:
        raise ValidationError({"note": "未经通知直接销号的，请说明原因（如：当场改正）"})
    before = _snapshot(row)
    apply_status(row, new_status, now=_now(now))
    row.updated_by = user
    flush(session)
    audit.record(session, user=user, action="status", entity="finding", entity_id=row.id,
                 summary=f"问题状态：{before['status']} → {new_status}" + (f"（{note}）" if note else ""),
                 before=before, after=_snapshot(row))
    return get(session, row.id)


def close(session: Session, finding_id: int, version: int, *, user: str = "", note: str = "",
          now: dt.datetime | None = None) -> FindingRow:
    """销号: after a passed recheck, or at once when corrected on the spot (note says so)."""
    return change_status(session, finding_id, version, "销号", user=user, note=note, now=now)


def refer(session: Session, finding_id: int, version: int, *, referred_on: dt.date,
          receiving_unit: str, notes: str = "", user: str = "",
          now: dt.datetime | None = None) -> FindingRow:
    """移交执法: a finding not corrected after the recheck goes to the enforcement unit."""
    moment = _now(now)
    row = locked(session, finding_id, version)
    check_move(row.status, "移交执法")
    errors: dict[str, str] = {}
    unit = clean_prose(receiving_unit)
    notes = clean_prose(notes)
    if not unit:
        errors["receiving_unit"] = "请填写接收移交的单位"
    elif len(unit) > 100:
        errors["receiving_unit"] = "不能超过100个字"
    if len(notes) > 500:
        errors["notes"] = "不能超过500个字"
    if referred_on > moment.date():
        errors["referred_on"] = "移交日期不能晚于今天"
    elif referred_on < row.found_at.date():
        errors["referred_on"] = "移交日期不能早于发现时间"
    if errors:
        raise ValidationError(errors)
    before = _snapshot(row)
    session.add(Referral(finding_id=row.id, referred_on=referred_on, receiving_unit=unit,
                         notes=notes))
    apply_status(row, "移交执法", now=moment)
    row.updated_by = user
    flush(session)
    audit.record(session, user=user, action="refer", entity="finding", entity_id=row.id,
                 summary=f"移交执法：{unit}", before=before,
                 after={**_snapshot(row), "receiving_unit": unit, "referred_on": referred_on})
    return get(session, row.id)


# --- reading ------------------------------------------------------------------------------

_G = aliased(Grid)


def _current_notice() -> Any:
    return (select(Notice.number).join(NoticeFinding, NoticeFinding.notice_id == Notice.id)
            .where(NoticeFinding.finding_id == Finding.id, Notice.voided_at.is_(None))
            .order_by(Notice.issued_at.desc(), Notice.id.desc()).limit(1).scalar_subquery())


def _photo_count() -> Any:
    return (select(func.count(Attachment.id))
            .where(Attachment.owner_kind == PHOTO_OWNER, Attachment.owner_id == Finding.id)
            .scalar_subquery())


def _select() -> Select[Any]:
    return (select(Finding, Business.name, Community.name, _G.name, _current_notice(),
                   _photo_count())
            .outerjoin(Business, Business.id == Finding.business_id)
            .outerjoin(Community, Community.id == Finding.community_id)
            .outerjoin(_G, _G.id == Finding.grid_id))


def _finding_row(f: Finding, business: str | None, community: str | None, grid: str | None,
                 notice: str | None, photos: int | None) -> FindingRow:
    return FindingRow(
        f.id, f.category, f.found_at, f.place, f.business_id, business or "", f.person,
        f.community_id, community or "", f.grid_id, grid or "", f.description, f.inspectors,
        f.deadline, f.status, f.closed_at, f.source, notice or "", int(photos or 0), f.version)


def get(session: Session, finding_id: int) -> FindingRow:
    found = session.execute(_select().where(Finding.id == finding_id)).first()
    if found is None:
        raise NotFoundError("该问题记录不存在")
    return _finding_row(*found)


FINDING_FILTERS = ("open", "overdue", "closed", *STATUSES)


@dataclass(frozen=True)
class FindingQuery:
    text: str = ""
    state: str = ""  # "", "open", "overdue", "closed" or one status
    category: str = ""
    community_id: int | None = None
    grid_id: int | None = None
    business_id: int | None = None
    found_from: dt.date | None = None
    found_to: dt.date | None = None  # inclusive
    today: dt.date | None = None


def _filtered(query: FindingQuery, stmt: Select[Any]) -> Select[Any]:
    today = query.today or dt.date.today()
    state = query.state
    if state == "open":
        stmt = stmt.where(Finding.status.in_(OPEN_STATUSES))
    elif state == "overdue":
        stmt = stmt.where(Finding.status.in_(OPEN_STATUSES), Finding.deadline < today)
    elif state == "closed":
        stmt = stmt.where(Finding.status.in_(CLOSED_STATUSES))
    elif state in STATUSES:
        stmt = stmt.where(Finding.status == state)
    elif state:
        raise ValidationError({"state": f"未知的筛选条件：{state}"})
    if query.category:
        stmt = stmt.where(Finding.category == query.category)
    if query.community_id:
        stmt = stmt.where(Finding.community_id == query.community_id)
    if query.grid_id:
        stmt = stmt.where(Finding.grid_id == query.grid_id)
    if query.business_id:
        stmt = stmt.where(Finding.business_id == query.business_id)
    if query.found_from:
        stmt = stmt.where(Finding.found_at >= dt.datetime.combine(query.found_from, dt.time()))
    if query.found_to:
        stmt = stmt.where(Finding.found_at < dt.datetime.combine(
            query.found_to + dt.timedelta(days=1), dt.time()))
    term = clean_prose(query.text)
    if term:
        pattern = like_pattern(term)
        stmt = stmt.where(or_(*(func.lower(col).like(pattern, escape="\\") for col in (
            Finding.place, Finding.description, Finding.category, Finding.person,
            func.coalesce(Business.name, "")))))
    return stmt


def _id_select(query: FindingQuery, column: Any) -> Select[Any]:
    stmt = select(column)
    if clean_prose(query.text):
        # Only a text search looks at the business name; joining it otherwise costs one
        # lookup per matching finding.
        stmt = stmt.outerjoin(Business, Business.id == Finding.business_id)
    return _filtered(query, stmt)


def count(session: Session, query: FindingQuery) -> int:
    return int(session.scalar(_id_select(query, func.count(Finding.id))) or 0)


def page(session: Session, query: FindingQuery, offset: int = 0, limit: int = 100) -> list[FindingRow]:
    """Overdue lists run oldest deadline first; the others newest finding first.

    The page's ids are chosen from the indexes alone; the joins and per-row subqueries then
    run for those rows only, not for every match before sorting.
    """
    order: list[Any] = ([Finding.deadline, Finding.id] if query.state == "overdue"
                        else [Finding.found_at.desc(), Finding.id.desc()])
    ids = _id_select(query, Finding.id).order_by(*order).offset(offset).limit(limit)
    stmt = _select().where(Finding.id.in_(ids.scalar_subquery())).order_by(*order)
    return [_finding_row(*r) for r in session.execute(stmt)]


def overdue(session: Session, today: dt.date | None = None, *, limit: int = 500) -> list[FindingRow]:
    """Open findings whose deadline has passed: the list the rechecks are worked from."""
    return page(session, FindingQuery(state="overdue", today=today), 0, limit)


def categories(session: Session) -> list[str]:
    """The standard categories, then those the office has used besides them."""
    used = session.scalars(select(Finding.category).distinct().order_by(Finding.category))
    return [*CATEGORIES, *(c for c in used if c and c not in CATEGORIES)]


@dataclass(frozen=True)
class RepeatOffender:
    key: str  # "business" or "place"
    business_id: int | None
    name: str  # the business's name, or the place text
    findings: int
    first_found: dt.datetime
    last_found: dt.datetime

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["first_found"] = self.first_found.isoformat()
        data["last_found"] = self.last_found.isoformat()
        return data


def repeat_offenders(session: Session, today: dt.date | None = None, *, days: int = REPEAT_DAYS,
                     min_findings: int = 2) -> list[RepeatOffender]:
    """Businesses (or, without one, the same place) with several findings in the last `days`."""
    today = today or dt.date.today()
    since = dt.datetime.combine(today - dt.timedelta(days=days), dt.time())
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    window = (Finding.found_at >= since, Finding.found_at < until)
    out: list[RepeatOffender] = []
    by_business = session.execute(
        select(Finding.business_id, Business.name, func.count(), func.min(Finding.found_at),
               func.max(Finding.found_at))
        .join(Business, Business.id == Finding.business_id)
        .where(*window)
        .group_by(Finding.business_id, Business.name)
        .having(func.count() >= min_findings))
    for business_id, name, n, first, last in by_business:
        out.append(RepeatOffender("business", business_id, name, int(n), first, last))
    place = func.trim(Finding.place)
    by_place = session.execute(
        select(place, func.count(), func.min(Finding.found_at), func.max(Finding.found_at))
        .where(*window, Finding.business_id.is_(None), place != "")
        .group_by(place)
        .having(func.count() >= min_findings))
    for text, n, first, last in by_place:
        out.append(RepeatOffender("place", None, text, int(n), first, last))
    out.sort(key=lambda r: r.last_found, reverse=True)
    out.sort(key=lambda r: r.findings, reverse=True)  # stable: most findings, then most recent
    return out


def history(session: Session, finding_id: int) -> list[audit.HistoryItem]:
    labels = {"status": "状态", "category": "类别", "place": "地点", "description": "问题描述",
              "deadline": "整改期限", "inspectors": "巡查人员", "closed_at": "销号时间"}
    return audit.history(session, "finding", finding_id, labels)
