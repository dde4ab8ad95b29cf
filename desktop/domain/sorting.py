"""垃圾分类检查: checks scored item by item on a frozen checklist version, rechecks of the failed
items, a finding for a failing business, and the periods already reported upward.

A recheck always points at the original check (`recheck_of_id`); the latest visit of that
chain is the site's result for the period of the original check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from db.models import (
    Attachment,
    Business,
    ChecklistTemplate,
    Community,
    Grid,
    ReportedPeriod,
    SortingCheck,
    SortingScore,
    SortingSite,
)

from . import attachments, audit, findings, permissions
from .attachments import AttachmentRow, PhotoInput, PreparedImage
from .codes import clean_prose
from .errors import ConflictError, DomainError, NotFoundError, ValidationError
from .sorting_templates import ItemRow, Sheet, TemplateRow, get_template, score_sheet, value_error
from .stats import Period
from .textkeys import like_pattern

DEFAULT_RECTIFY_DAYS = 7
PHOTO_OWNER = "sorting_check"
FINDING_CATEGORY = "垃圾分类不达标"
EARLIEST = dt.date(2000, 1, 1)
STATE_LABELS = {"passed": "合格", "pending": "待复查", "overdue": "逾期未复查",
                "rechecked": "已复查", "recheck_passed": "复查合格", "recheck_failed": "复查不合格",
                "lapsed": "不合格（未复查）"}
CHECK_FILTERS = ("passed", "failed", "pending", "overdue", "rechecks")


class ReasonRequiredError(DomainError):
    """The period was reported upward: the change needs a reason, kept in the audit log."""

    def __init__(self, message: str, period: str) -> None:
        super().__init__(message)
        self.period = period


@dataclass
class ScoreInput:
    item_id: int
    value: float | None  # as on the paper sheet: the deduction of a 扣分 item, else the points
    note: str = ""


@dataclass
class CheckInput:
    site_id: int | None = None
    template_id: int | None = None
    check_date: dt.date | None = None
    inspectors: str = ""
    scores: list[ScoreInput] = field(default_factory=list)
    notes: str = ""
    deadline: dt.date | None = None  # of the rectification, when the check fails


@dataclass
class RecheckInput:
    check_date: dt.date | None = None
    inspectors: str = ""
    scores: list[ScoreInput] = field(default_factory=list)  # the failed items only
    notes: str = ""
    deadline: dt.date | None = None


@dataclass(frozen=True)
class CheckRow:
    id: int
    site_id: int
    site: str
    site_type: str
    community: str
    grid: str
    business_id: int | None
    check_date: dt.date
    inspectors: str
    template_id: int
    template_version: int
    pass_score: float
    total: float
    passed: bool
    vetoed: bool
    deadline: dt.date | None
    recheck_of_id: int | None
    notes: str
    finding_id: int | None
    version: int
    result_total: float  # the latest visit of this check's chain
    result_passed: bool
    pending: bool  # failed, and the site's latest visit: waits for its recheck
    rechecked: bool  # a recheck of the same chain came after it

    @property
    def is_recheck(self) -> bool:
        return self.recheck_of_id is not None

    @property
    def root_id(self) -> int:
        return self.recheck_of_id or self.id

    def state(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        if self.passed:
            return "recheck_passed" if self.is_recheck else "passed"
        if self.pending:
            return "overdue" if self.deadline is not None and self.deadline < today else "pending"
        if not self.rechecked:
            # The next regular check came before any recheck: that one stands now.
            return "recheck_failed" if self.is_recheck else "lapsed"
        return "recheck_failed" if self.is_recheck else "rechecked"

    def state_label(self, today: dt.date | None = None) -> str:
        state = self.state(today)
        if state == "rechecked":
            return "不合格，复查" + ("合格" if self.result_passed else "不合格")
        if state in ("pending", "overdue") and self.is_recheck:
            return "复查不合格，" + STATE_LABELS[state]
        return STATE_LABELS[state]

    def as_json(self, today: dt.date | None = None) -> dict[str, Any]:
        # Headline fields first: `list sorting-checks` prints the first eight.
        data = {"site": self.site, "site_type": self.site_type, "community": self.community,
                "grid": self.grid, "check_date": self.check_date.isoformat(), "total": self.total,
                "passed": self.passed, "inspectors": self.inspectors,
                "template_version": self.template_version, "recheck_of": self.recheck_of_id}
        rest = asdict(self)
        rest["check_date"] = data["check_date"]
        rest["deadline"] = self.deadline.isoformat() if self.deadline else None
        data.update({k: v for k, v in rest.items() if k not in data and k != "recheck_of_id"})
        data["state"] = self.state(today)
        data["state_label"] = self.state_label(today)
        return data


@dataclass(frozen=True)
class ScoreRow:
    item: ItemRow
    score: float  # points earned
    failed: bool
    carried: bool
    note: str

    @property
    def value(self) -> float:
        """As the sheet shows it: the deduction of a 扣分 item, else the points."""
        return self.item.entered(self.score)


@dataclass(frozen=True)
class CheckDetails:
    check: CheckRow
    template: TemplateRow
    scores: list[ScoreRow]
    chain: list[CheckRow]  # the original check and its rechecks, oldest first
    photos: int
    reported: str  # the reported period the check falls in, "" when none
    history: list[audit.HistoryItem]


# --- reported periods -----------------------------------------------------------------------


def mark_reported(session: Session, period: Period, *, user: str = "") -> None:
    """Record that the period's figures went to the district; later edits need a reason."""
    if session.get(ReportedPeriod, period.label) is not None:
        return
    session.add(ReportedPeriod(label=period.label, start_date=period.start, end_date=period.end,
                               reported_by=user))
    session.flush()
    audit.record(session, user=user, action="report", entity="reported_period", entity_id=None,
                 summary=f"标记 {period.label} 已上报", after={"period": period.label})


def reported_period(session: Session, day: dt.date) -> str:
    """The label of a reported period containing `day`, or ""."""
    label = session.scalars(select(ReportedPeriod.label).where(
        ReportedPeriod.start_date <= day, ReportedPeriod.end_date >= day)
        .order_by(ReportedPeriod.label)).first()
    return label or ""


def reported_periods(session: Session) -> list[str]:
    return list(session.scalars(select(ReportedPeriod.label).order_by(ReportedPeriod.start_date)))


# --- validation -----------------------------------------------------------------------------


def _check_date(day: dt.date | None, today: dt.date, errors: dict[str, str]) -> None:
    if day is None:
        errors["check_date"] = "请填写检查日期"
    elif day > today:
        errors["check_date"] = f"检查日期（{day}）不能晚于今天"
    elif day < EARLIEST:
        errors["check_date"] = "检查日期不正确"


def _text(value: str, limit: int, key: str, errors: dict[str, str], *, required: str = "") -> str:
    text = clean_prose(value or "")
    if required and not text:
        errors[key] = required
    elif len(text) > limit:
        errors[key] = f"不能超过{limit}个字"
    return text


def _scores(items: Iterable[ItemRow], given: list[ScoreInput],
            errors: dict[str, str]) -> dict[int, tuple[float, str]]:
    """Points earned and note per item id, exactly one for each of `items`."""
    wanted = {i.id: i for i in items}
    out: dict[int, tuple[float, str]] = {}
    for score in given:
        item = wanted.get(score.item_id)
        if item is None:
            errors["scores"] = "检查项与检查表不符，请重新打开录入界面"
            continue
        problem = value_error(item, score.value)
        note = clean_prose(score.note or "")
        if len(note) > 300:
            problem = f"第{item.position}项的备注不能超过300个字"
        if problem:
            errors.setdefault(f"item_{item.id}", problem)
            continue
        assert score.value is not None
        out[item.id] = (item.earned(score.value), note)
    missing = [i for i in wanted.values() if i.id not in out and f"item_{i.id}" not in errors]
    for item in missing:
        errors[f"item_{item.id}"] = value_error(item, None)
    return out


def _deadline(sheet: Sheet, day: dt.date, given: dt.date | None, errors: dict[str, str]) -> dt.date | None:
    if sheet.passed:
        return None
    if given is not None and given < day:
        errors["deadline"] = "整改期限不能早于检查日期"
    return given or day + dt.timedelta(days=DEFAULT_RECTIFY_DAYS)


def _site(session: Session, site_id: int | None) -> SortingSite:
    site = session.get(SortingSite, site_id) if site_id else None
    if site is None:
        raise ValidationError({"site_id": "请选择检查点位"})
    return site


def _write_scores(session: Session, check_id: int, sheet: Sheet,
                  scores: dict[int, tuple[float, str]], carried: Iterable[int] = ()) -> None:
    kept = set(carried)
    existing = {s.item_id: s for s in session.scalars(
        select(SortingScore).where(SortingScore.check_id == check_id))}
    for item_id, (earned, note) in scores.items():
        row = existing.get(item_id)
        if row is None:
            row = SortingScore(check_id=check_id, item_id=item_id)
            session.add(row)
        row.score, row.note = earned, note
        row.failed = item_id in sheet.failed_items
        row.carried = item_id in kept


def _snapshot(row: SortingCheck, scores: dict[int, tuple[float, str]] | None = None) -> dict[str, Any]:
    data = {k: getattr(row, k) for k in (
        "site_id", "template_id", "check_date", "inspectors", "total", "passed", "vetoed",
        "deadline", "recheck_of_id", "notes", "finding_id")}
    if scores is not None:
        data["scores"] = {str(k): v[0] for k, v in sorted(scores.items())}
    return data


def _stored_scores(session: Session, check_id: int) -> dict[int, tuple[float, str]]:
    return {s.item_id: (s.score, s.note) for s in session.scalars(
        select(SortingScore).where(SortingScore.check_id == check_id))}


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("该检查记录已被其他用户修改，请刷新后重试") from exc


# --- checks ---------------------------------------------------------------------------------


def record_check(session: Session, data: CheckInput, *, user: str = "", today: dt.date | None = None,
                 make_finding: bool = False, photos: Sequence[PhotoInput] = ()) -> CheckRow:
    """A new check on the site type's current checklist version, with its photos."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    site = _site(session, data.site_id)
    if not site.active:
        raise ValidationError({"site_id": f"点位“{site.name}”已停用"})
    if data.template_id is None:
        raise ValidationError({"template_id": "请选择检查表"})
    template = get_template(session, data.template_id)
    if template.site_type != site.site_type:
        raise ValidationError({"template_id": f"该检查表用于{template.site_type}，"
                                              f"“{site.name}”是{site.site_type}"})
    if not template.current:
        newest = session.scalar(select(func.max(ChecklistTemplate.version_no)).where(
            ChecklistTemplate.site_type == template.site_type))
        raise DomainError(f"{template.site_type}检查表已更新为第{newest}版，不能再按第"
                          f"{template.version_no}版录入新的检查；请关闭后重新打开录入界面")
    _check_date(data.check_date, today, errors)
    inspectors = _text(data.inspectors, 100, "inspectors", errors, required="请填写检查人员")
    notes = _text(data.notes, 1000, "notes", errors)
    scores = _scores(template.items, data.scores, errors)
    if data.check_date is not None and "check_date" not in errors:
        same_day = session.scalars(select(SortingCheck.id).where(
            SortingCheck.site_id == site.id, SortingCheck.check_date == data.check_date,
            SortingCheck.recheck_of_id.is_(None))).first()
        if same_day is not None:
            errors["check_date"] = f"“{site.name}”在{data.check_date}已有检查记录，请勿重复录入"
    if errors:
        raise ValidationError(errors)
    assert data.check_date is not None
    sheet = score_sheet(template, {k: v[0] for k, v in scores.items()})
    deadline = _deadline(sheet, data.check_date, data.deadline, errors)
    if errors:
        raise ValidationError(errors)
    if make_finding and (sheet.passed or site.business_id is None):
        raise DomainError("只有关联商户的点位检查不合格时才能登记问题")
    images = _prepare_photos(photos)
    row = SortingCheck(site_id=site.id, template_id=template.id, check_date=data.check_date,
                       inspectors=inspectors, total=sheet.total, passed=bool(sheet.passed),
                       vetoed=sheet.vetoed, deadline=deadline, notes=notes, updated_by=user)
    session.add(row)
    session.flush()
    _write_scores(session, row.id, sheet, scores)
    session.flush()
    result = "合格" if sheet.passed else ("否决项不合格" if sheet.vetoed else "不合格")
    audit.record(session, user=user, action="create", entity="sorting_check", entity_id=row.id,
                 summary=f"垃圾分类检查：{site.name}，{sheet.total:g}分，{result}",
                 after=_snapshot(row, scores))
    _store_photos(session, row.id, images, user)
    if make_finding:
        create_finding(session, row.id, user=user)
    return get_check(session, row.id)


def _chain_ids(session: Session, root_id: int) -> list[int]:
    return list(session.scalars(select(SortingCheck.id).where(
        or_(SortingCheck.id == root_id, SortingCheck.recheck_of_id == root_id))
        .order_by(SortingCheck.id)))


def record_recheck(session: Session, check_id: int, data: RecheckInput, *, user: str = "",
                   today: dt.date | None = None, photos: Sequence[PhotoInput] = ()) -> CheckRow:
    """Score again the items that failed at the chain's latest visit; the others carry over."""
    today = today or dt.date.today()
    first = session.get(SortingCheck, check_id)
    if first is None:
        raise NotFoundError("该检查记录不存在")
    root_id = first.recheck_of_id or first.id
    latest = session.get(SortingCheck, _chain_ids(session, root_id)[-1])
    assert latest is not None
    site = session.get(SortingSite, latest.site_id)
    assert site is not None
    if latest.passed:
        what = "复查" if latest.recheck_of_id else "检查"
        raise DomainError(f"“{site.name}”{latest.check_date}的{what}已合格（{latest.total:g}分），"
                          "不需要复查")
    _refuse_superseded(session, latest, site.name)
    template = get_template(session, latest.template_id)
    errors: dict[str, str] = {}
    _check_date(data.check_date, today, errors)
    if data.check_date is not None and data.check_date < latest.check_date:
        errors["check_date"] = f"复查日期不能早于上次检查日期（{latest.check_date}）"
    inspectors = _text(data.inspectors, 100, "inspectors", errors, required="请填写复查人员")
    notes = _text(data.notes, 1000, "notes", errors)
    before = _stored_scores(session, latest.id)
    failed_ids = {s.item_id for s in session.scalars(select(SortingScore).where(
        SortingScore.check_id == latest.id, SortingScore.failed.is_(True)))}
    failed_items = [i for i in template.items if i.id in failed_ids]
    rescored = _scores(failed_items, data.scores, errors)
    if errors:
        raise ValidationError(errors)
    assert data.check_date is not None
    carried = {k: v for k, v in before.items() if k not in failed_ids}
    scores = {**carried, **rescored}
    sheet = score_sheet(template, {k: v[0] for k, v in scores.items()})
    deadline = _deadline(sheet, data.check_date, data.deadline, errors)
    if errors:
        raise ValidationError(errors)
    images = _prepare_photos(photos)
    row = SortingCheck(site_id=site.id, template_id=template.id, check_date=data.check_date,
                       inspectors=inspectors, total=sheet.total, passed=bool(sheet.passed),
                       vetoed=sheet.vetoed, deadline=deadline, notes=notes, recheck_of_id=root_id,
                       updated_by=user)
    session.add(row)
    session.flush()
    _write_scores(session, row.id, sheet, scores, carried)
    session.flush()
    audit.record(session, user=user, action="recheck", entity="sorting_check", entity_id=row.id,
                 summary=f"垃圾分类复查：{site.name}，{sheet.total:g}分，"
                         f"{'合格' if sheet.passed else '不合格'}",
                 after=_snapshot(row, rescored))
    _store_photos(session, row.id, images, user)
    return get_check(session, row.id)


def _refuse_superseded(session: Session, latest: SortingCheck, site: str) -> None:
    """A recheck follows the site's latest visit: a later regular check stands instead."""
    newer = session.scalars(select(SortingCheck.check_date).where(
        SortingCheck.site_id == latest.site_id, or_(
            SortingCheck.check_date > latest.check_date,
            and_(SortingCheck.check_date == latest.check_date, SortingCheck.id > latest.id)))
        .order_by(SortingCheck.check_date)).first()
    if newer is not None:
        raise DomainError(f"“{site}”在{newer}已再次检查，以最近一次检查为准；"
                          "如该次不合格，请对其复查")


def update_check(session: Session, check_id: int, version: int, data: CheckInput, *,
                 user: str = "", reason: str = "", today: dt.date | None = None,
                 photos: Sequence[PhotoInput] = ()) -> CheckRow:
    """Correct a check (or recheck) that no later recheck has built on; `photos` are added.

    In a period already reported upward the change needs a reason, kept in the audit log.
    The check keeps the checklist version it was scored on.
    """
    today = today or dt.date.today()
    row = session.get(SortingCheck, check_id)
    if row is None:
        raise NotFoundError("该检查记录不存在")
    if row.version != version:
        raise ConflictError(f"该检查记录已被{row.updated_by or '其他用户'}修改，请刷新后重试")
    if data.site_id not in (None, row.site_id) or data.template_id not in (None, row.template_id):
        raise ValidationError({"site_id": "检查的点位和检查表不能更改；如录错点位，请另行录入"})
    chain = _chain_ids(session, row.recheck_of_id or row.id)
    if chain[-1] != row.id:
        raise DomainError("该检查之后已有复查记录，不能再修改")
    site = session.get(SortingSite, row.site_id)
    assert site is not None
    template = get_template(session, row.template_id)
    errors: dict[str, str] = {}
    _check_date(data.check_date, today, errors)
    inspectors = _text(data.inspectors, 100, "inspectors", errors, required="请填写检查人员")
    notes = _text(data.notes, 1000, "notes", errors)
    stored = _stored_scores(session, row.id)
    carried_ids = set(session.scalars(select(SortingScore.item_id).where(
        SortingScore.check_id == row.id, SortingScore.carried.is_(True))))
    editable = [i for i in template.items if i.id not in carried_ids]
    rescored = _scores(editable, data.scores, errors)
    if data.check_date is not None and "check_date" not in errors:
        if row.recheck_of_id is not None:
            previous = session.get(SortingCheck, chain[-2])
            assert previous is not None
            if data.check_date < previous.check_date:
                errors["check_date"] = f"复查日期不能早于上次检查日期（{previous.check_date}）"
        elif session.scalars(select(SortingCheck.id).where(
                SortingCheck.site_id == row.site_id, SortingCheck.check_date == data.check_date,
                SortingCheck.recheck_of_id.is_(None), SortingCheck.id != row.id)).first():
            errors["check_date"] = f"“{site.name}”在{data.check_date}已有检查记录"
    if errors:
        raise ValidationError(errors)
    assert data.check_date is not None
    reported = reported_period(session, row.check_date) or reported_period(session, data.check_date)
    reason = clean_prose(reason)
    if reported and not reason:
        raise ReasonRequiredError(f"{reported} 的检查结果已上报区城管局，修改需填写原因", reported)
    scores = {**{k: v for k, v in stored.items() if k in carried_ids}, **rescored}
    sheet = score_sheet(template, {k: v[0] for k, v in scores.items()})
    deadline = _deadline(sheet, data.check_date, data.deadline, errors)
    if errors:
        raise ValidationError(errors)
    images = _prepare_photos(photos)
    before = _snapshot(row, stored)
    row.check_date, row.inspectors, row.notes = data.check_date, inspectors, notes
    row.total, row.passed, row.vetoed, row.deadline = (sheet.total, bool(sheet.passed),
                                                       sheet.vetoed, deadline)
    row.updated_by = user
    _write_scores(session, row.id, sheet, scores, carried_ids)
    _flush(session)
    after = _snapshot(row, scores)
    summary = f"修改垃圾分类检查：{site.name}，{sheet.total:g}分"
    if reason:
        after["reason"] = reason
        summary += f"（{reported}已上报，原因：{reason}）" if reported else f"（原因：{reason}）"
    audit.record(session, user=user, action="update", entity="sorting_check", entity_id=row.id,
                 summary=summary, before=before, after=after)
    _store_photos(session, row.id, images, user)
    return get_check(session, row.id)


def create_finding(session: Session, check_id: int, *, user: str = "",
                   now: dt.datetime | None = None) -> int:
    """A 垃圾分类不达标 finding for the business of a failed check; returns the finding's id."""
    row = session.get(SortingCheck, check_id)
    if row is None:
        raise NotFoundError("该检查记录不存在")
    site = session.get(SortingSite, row.site_id)
    assert site is not None
    if row.passed:
        raise DomainError("该检查合格，不需要登记问题")
    if site.business_id is None:
        raise DomainError(f"点位“{site.name}”未关联商户，不能登记为商户问题")
    if row.finding_id is not None:
        raise DomainError("该检查已登记过问题")
    now = (now or dt.datetime.now()).replace(microsecond=0)
    found_at = min(dt.datetime.combine(row.check_date, dt.time(9, 0)), now)
    failed = [s.item for s in check_details(session, row.id).scores if s.failed]
    listed = "；".join(i.text for i in failed[:5]) + ("等" if len(failed) > 5 else "")
    description = (f"垃圾分类检查得分{row.total:g}分"
                   f"{'（否决项不合格）' if row.vetoed else ''}，未达到合格线。问题：{listed}")
    finding = findings.record_finding(session, findings.FindingInput(
        category=FINDING_CATEGORY, found_at=found_at, place=site.address,
        business_id=site.business_id, description=description[:1000],
        inspectors=row.inspectors, deadline=row.deadline), user=user, now=now)
    row.finding_id = finding.id
    row.updated_by = user
    _flush(session)
    # The check's photos are the finding's evidence too (and the notice's, later).
    attachments.copy_all(session, PHOTO_OWNER, row.id, findings.PHOTO_OWNER, finding.id, user=user)
    audit.record(session, user=user, action="update", entity="sorting_check", entity_id=row.id,
                 summary=f"检查不合格，登记问题：{site.name}", after={"finding_id": finding.id})
    return finding.id


# --- photos ---------------------------------------------------------------------------------


def _prepare_photos(photos: Sequence[PhotoInput]) -> list[PreparedImage]:
    """Every photo checked before anything is written: one bad file and nothing is saved."""
    return [attachments.prepare_image(p.file_name, p.data) for p in photos]


def _store_photos(session: Session, check_id: int, images: Sequence[PreparedImage],
                  user: str) -> list[AttachmentRow]:
    return [attachments.store(session, PHOTO_OWNER, check_id, image, user=user)
            for image in images]


def _may_change_photos(session: Session, action: str) -> None:
    # The flush guard refuses too, but would name the table rather than the action.
    permissions.require_role(session, permissions.WRITERS["attachment"], action)


def add_photo(session: Session, check_id: int, file_name: str, data: bytes, *,
              user: str = "") -> AttachmentRow:
    return add_photos(session, check_id, [PhotoInput(file_name, data)], user=user)[0]


def add_photos(session: Session, check_id: int, photos: Sequence[PhotoInput], *,
               user: str = "") -> list[AttachmentRow]:
    """Photos taken at a check, added after it was entered; all of them or none."""
    _may_change_photos(session, "添加检查照片")
    if session.get(SortingCheck, check_id) is None:
        raise NotFoundError("该检查记录不存在")
    return _store_photos(session, check_id, _prepare_photos(photos), user)


def photos_of(session: Session, check_id: int) -> list[AttachmentRow]:
    return attachments.list_for(session, PHOTO_OWNER, check_id)


def remove_photo(session: Session, check_id: int, attachment_id: int, *, user: str = "") -> None:
    """Take a photo off a check (taken at the wrong site, say); the audit log keeps its hash."""
    _may_change_photos(session, "删除检查照片")
    photo = session.get(Attachment, attachment_id)
    if photo is None or photo.owner_kind != PHOTO_OWNER or photo.owner_id != check_id:
        raise NotFoundError("该照片不存在或已被删除，请刷新后重试")
    site = session.scalar(select(SortingSite.name).join(
        SortingCheck, SortingCheck.site_id == SortingSite.id).where(SortingCheck.id == check_id))
    before = {"attachment_id": photo.id, "file_name": photo.file_name, "sha256": photo.sha256}
    session.delete(photo)
    session.flush()
    audit.record(session, user=user, action="detach", entity="sorting_check", entity_id=check_id,
                 summary=f"删除照片：{photo.file_name}（{site}）", before=before)


# --- reading --------------------------------------------------------------------------------

_G = aliased(Grid)


def _result(column: str) -> Any:
    """The check's own value, or that of the latest recheck of it (for an original check)."""
    r = aliased(SortingCheck)
    latest = (select(getattr(r, column)).where(r.recheck_of_id == SortingCheck.id)
              .order_by(r.id.desc()).limit(1).scalar_subquery())
    return func.coalesce(latest, getattr(SortingCheck, column))


def later_visit_clause() -> Any:
    """The site was visited again after this check (a recheck or its next regular check)."""
    later = aliased(SortingCheck)
    c = SortingCheck
    return exists().where(later.site_id == c.site_id, or_(
        later.check_date > c.check_date, and_(later.check_date == c.check_date, later.id > c.id)))


def pending_clause() -> Any:
    """Failed, and the site's latest visit: the recheck is still to come."""
    return and_(SortingCheck.passed.is_(False), ~later_visit_clause())


def rechecked_clause() -> Any:
    later = aliased(SortingCheck)
    return exists().where(
        later.recheck_of_id == func.coalesce(SortingCheck.recheck_of_id, SortingCheck.id),
        later.id > SortingCheck.id)


def _select() -> Select[Any]:
    return (
        select(SortingCheck, SortingSite, Community.name, _G.name, ChecklistTemplate.version_no,
               ChecklistTemplate.pass_score, _result("total"), _result("passed"), pending_clause(),
               rechecked_clause())
        .join(SortingSite, SortingSite.id == SortingCheck.site_id)
        .join(Community, Community.id == SortingSite.community_id)
        .outerjoin(_G, _G.id == SortingSite.grid_id)
        .join(ChecklistTemplate, ChecklistTemplate.id == SortingCheck.template_id)
    )


def _check_row(c: SortingCheck, s: SortingSite, community: str, grid: str | None, version_no: int,
               pass_score: float, result_total: float, result_passed: Any, pending: Any,
               rechecked: Any) -> CheckRow:
    return CheckRow(
        c.id, s.id, s.name, s.site_type, community, grid or "", s.business_id, c.check_date,
        c.inspectors, c.template_id, version_no, pass_score, c.total, c.passed, c.vetoed,
        c.deadline, c.recheck_of_id, c.notes, c.finding_id, c.version, float(result_total),
        bool(result_passed), bool(pending), bool(rechecked))


def get_check(session: Session, check_id: int) -> CheckRow:
    found = session.execute(_select().where(SortingCheck.id == check_id)).first()
    if found is None:
        raise NotFoundError("该检查记录不存在")
    return _check_row(*found)


def check_details(session: Session, check_id: int) -> CheckDetails:
    check = get_check(session, check_id)
    template = get_template(session, check.template_id)
    stored = {s.item_id: s for s in session.scalars(
        select(SortingScore).where(SortingScore.check_id == check_id))}
    scores = [ScoreRow(i, stored[i.id].score, stored[i.id].failed, stored[i.id].carried,
                       stored[i.id].note) for i in template.items if i.id in stored]
    chain = [_check_row(*r) for r in session.execute(_select().where(or_(
        SortingCheck.id == check.root_id, SortingCheck.recheck_of_id == check.root_id))
        .order_by(SortingCheck.id))]
    photos = attachments.count_for(session, PHOTO_OWNER, [check_id]).get(check_id, 0)
    labels = {"check_date": "检查日期", "inspectors": "检查人员", "total": "总分",
              "passed": "合格", "deadline": "整改期限", "notes": "备注", "reason": "修改原因"}
    history = audit.history(session, "sorting_check", check_id, labels)
    return CheckDetails(check, template, scores, chain, photos,
                        reported_period(session, check.check_date), history)


@dataclass(frozen=True)
class CheckQuery:
    text: str = ""
    state: str = ""  # one of CHECK_FILTERS, or "" for all
    community_id: int | None = None
    site_type: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    site_id: int | None = None
    today: dt.date | None = None


def _filtered(query: CheckQuery, stmt: Select[Any]) -> Select[Any]:
    c = SortingCheck
    state = query.state
    if state == "passed":
        stmt = stmt.where(c.passed.is_(True))
    elif state == "failed":
        stmt = stmt.where(c.passed.is_(False))
    elif state == "pending":
        stmt = stmt.where(pending_clause())
    elif state == "overdue":
        stmt = stmt.where(pending_clause(), c.deadline < (query.today or dt.date.today()))
    elif state == "rechecks":
        stmt = stmt.where(c.recheck_of_id.is_not(None))
    elif state:
        raise ValidationError({"state": f"未知的筛选条件：{state}"})
    if query.community_id:
        stmt = stmt.where(SortingSite.community_id == query.community_id)
    if query.site_type:
        stmt = stmt.where(SortingSite.site_type == query.site_type)
    if query.site_id:
        stmt = stmt.where(c.site_id == query.site_id)
    if query.start:
        stmt = stmt.where(c.check_date >= query.start)
    if query.end:
        stmt = stmt.where(c.check_date <= query.end)
    term = query.text.strip().lower()
    if term:
        pattern = like_pattern(term)
        stmt = stmt.where(or_(*(func.lower(col).like(pattern, escape="\\") for col in (
            SortingSite.name, SortingSite.address, c.inspectors))))
    return stmt


def count_checks(session: Session, query: CheckQuery) -> int:
    stmt = _filtered(query, select(func.count(SortingCheck.id)).join(
        SortingSite, SortingSite.id == SortingCheck.site_id))
    return int(session.scalar(stmt) or 0)


def check_page(session: Session, query: CheckQuery, offset: int = 0,
               limit: int = 100) -> list[CheckRow]:
    stmt = _filtered(query, _select()).order_by(
        SortingCheck.check_date.desc(), SortingCheck.id.desc()).offset(offset).limit(limit)
    return [_check_row(*r) for r in session.execute(stmt)]


@dataclass(frozen=True)
class EntryForm:
    """What the check editor needs: the site's current checklist (or the check's own)."""

    template: TemplateRow
    check: CheckRow | None = None
    scores: dict[int, ScoreRow] = field(default_factory=dict)
    recheck_items: tuple[int, ...] = ()  # the failed items a recheck scores again
    previous: CheckRow | None = None  # the visit a recheck follows
    business: str = ""
    photos: int = 0  # already stored with the check being corrected


def recheck_form(session: Session, check_id: int) -> EntryForm:
    """The failed items of the chain's latest visit, with the scores they had."""
    first = get_check(session, check_id)
    latest = check_details(session, _chain_ids(session, first.root_id)[-1])
    if latest.check.passed:
        raise DomainError(f"“{latest.check.site}”{latest.check.check_date}的检查已合格，不需要复查")
    latest_row = session.get(SortingCheck, latest.check.id)
    assert latest_row is not None
    _refuse_superseded(session, latest_row, latest.check.site)
    by_item = {s.item.id: s for s in latest.scores}
    failed = tuple(s.item.id for s in latest.scores if s.failed)
    return EntryForm(latest.template, None, by_item, failed, latest.check, _business(
        session, latest.check.business_id))


def edit_form(session: Session, check_id: int) -> EntryForm:
    details = check_details(session, check_id)
    by_item = {s.item.id: s for s in details.scores}
    editable = tuple(s.item.id for s in details.scores if not s.carried)
    previous = details.chain[-2] if details.check.is_recheck and len(details.chain) > 1 else None
    return EntryForm(details.template, details.check, by_item,
                     editable if details.check.is_recheck else (), previous,
                     _business(session, details.check.business_id), details.photos)


def _business(session: Session, business_id: int | None) -> str:
    if business_id is None:
        return ""
    return session.scalar(select(Business.name).where(Business.id == business_id)) or ""


def history(session: Session, check_id: int) -> list[audit.HistoryItem]:
    return check_details(session, check_id).history
