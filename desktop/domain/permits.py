"""户外广告/招牌设置许可: application, acceptance, survey, decision, installation, checks, removal.

Each step is a PermitEvent (who and when). The 受理通知书 and the 许可决定书 are Notice rows
(kinds permit_acceptance / permit_decision) holding a snapshot of what they say, so they are
frozen like every issued document; once decided, the permit row itself only moves on in status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.models import (
    Business,
    Notice,
    PermitEvent,
    SignPermit,
    SignSafetyCheck,
)

from . import attachments, audit, findings, legal, numbering
from .attachments import PhotoInput, PreparedImage
from .codes import clean_prose
from .errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from .notices import basis_text
from .office import get_office
from .permit_rows import (
    EventRow,
    PermitDocument,
    PermitRow,
    SafetyCheckRow,
    documents_by_numbers,
    documents_of,
    get,
    history,
    last_check,
    photos_of,
    row_select,
    safety_checks,
    timeline,
    to_row,
)
from .permit_rules import (
    ACCEPTANCE_KIND,
    ACCEPTED,
    ACTIONS,
    APPLICATION_KIND,
    APPLIED,
    APPROVED,
    APPROVER_ROLES,
    CHECK_OWNER,
    DECIDED,
    DECISION_KIND,
    DEFAULT_CONDITIONS,
    DOCUMENT_KINDS,
    DRAWING_OWNER,
    EVENT_OWNER,
    EXPIRED,
    EXPIRING_DAYS,
    FROZEN_MESSAGE,
    GRANTED,
    HAZARDS,
    HOLDING,
    INSTALLED,
    LIGHTING,
    MAX_TERM_MONTHS,
    NOT_ACCEPTED,
    PENDING,
    PHOTO_OWNER,
    REFUSED,
    REMINDER_DAYS,
    REMOVAL_REASONS,
    REMOVED,
    ROLE_LABELS,
    SIGN_TYPES,
    STANDING,
    STATUSES,
    STEP_ACCEPT,
    STEP_APPLY,
    STEP_APPROVE,
    STEP_CHECK,
    STEP_EDIT,
    STEP_EXPIRE,
    STEP_INSTALL,
    STEP_NOT_ACCEPT,
    STEP_REFUSE,
    STEP_REMOVE,
    STEP_SURVEY,
    SUPERVISION,
    SURVEYED,
    TRANSITIONS,
    OtherSign,
    PermitInput,
    RuleIssue,
    area_of,
    check_move,
    end_of_term,
    metres,
    one_sign_issue,
    other_signs,
    rule_issues,
    size_issues,
    term_issue,
)

# permits is the one entry to the area: the rules and the reading are re-exported.
__all__ = [
    "ACCEPTANCE_KIND",
    "ACCEPTED",
    "ACTIONS",
    "APPLICATION_KIND",
    "APPLIED",
    "APPROVED",
    "APPROVER_ROLES",
    "ApprovalInput",
    "CHECK_OWNER",
    "DECIDED",
    "DECISION_KIND",
    "DEFAULT_CONDITIONS",
    "DOCUMENT_KINDS",
    "DRAWING_OWNER",
    "EVENT_OWNER",
    "EXPIRED",
    "EXPIRING_DAYS",
    "EventRow",
    "FROZEN_MESSAGE",
    "FrozenPermitError",
    "GRANTED",
    "HAZARDS",
    "HOLDING",
    "INSTALLED",
    "InstallationInput",
    "LIGHTING",
    "MAX_TERM_MONTHS",
    "NOT_ACCEPTED",
    "OtherSign",
    "PENDING",
    "PHOTO_OWNER",
    "PermitDocument",
    "PermitInput",
    "PermitRow",
    "REFUSED",
    "REMINDER_DAYS",
    "REMOVAL_REASONS",
    "REMOVED",
    "ROLE_LABELS",
    "RefusalInput",
    "RemovalInput",
    "RuleIssue",
    "SIGN_TYPES",
    "STANDING",
    "STATUSES",
    "STEP_ACCEPT",
    "STEP_APPLY",
    "STEP_APPROVE",
    "STEP_CHECK",
    "STEP_EDIT",
    "STEP_EXPIRE",
    "STEP_INSTALL",
    "STEP_NOT_ACCEPT",
    "STEP_REFUSE",
    "STEP_REMOVE",
    "STEP_SURVEY",
    "SUPERVISION",
    "SURVEYED",
    "TRANSITIONS",
    "SafetyCheckInput",
    "SafetyCheckRow",
    "SurveyInput",
    "accept",
    "add_attachment",
    "applicant_snapshot",
    "apply",
    "approval_blockers",
    "approve",
    "area_of",
    "check_move",
    "document_body",
    "documents_by_numbers",
    "documents_of",
    "end_of_term",
    "get",
    "history",
    "last_check",
    "locked",
    "metres",
    "office_snapshot",
    "one_sign_issue",
    "other_signs",
    "photos_of",
    "record_expiry",
    "record_installation",
    "record_removal",
    "record_safety_check",
    "record_survey",
    "refuse",
    "reject_application",
    "row_select",
    "rule_issues",
    "safety_checks",
    "sign_snapshot",
    "size_issues",
    "term_issue",
    "timeline",
    "to_row",
    "update_application",
]


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now()).replace(microsecond=0)


def _moment(day: dt.date, now: dt.datetime) -> dt.datetime:
    """When a step dated `day` happened: now if today, else that day (no invented hour)."""
    return now if day == now.date() else dt.datetime.combine(day, dt.time())


def _role_check(role: str) -> None:
    if role not in APPROVER_ROLES:
        raise PermissionDeniedError(
            f"招牌设置许可须由科长或管理员审批（当前角色：{ROLE_LABELS.get(role, role or '未指定')}）")


class FrozenPermitError(DomainError):
    """A decided permit's content was about to change."""


# Once a decision is made only these may change: the status moving on, and why it was removed.
_MOVABLE = frozenset({"status", "removal_reason", "updated_at", "updated_by", "version"})


@event.listens_for(SignPermit, "before_update")
def _refuse_edits(_mapper: Any, _connection: Any, target: SignPermit) -> None:
    state = inspect(target)
    moved = state.attrs.status.history
    before = moved.deleted[0] if moved.deleted else target.status
    if before not in DECIDED:
        return
    for attr in state.attrs:
        if attr.history.has_changes() and attr.key not in _MOVABLE:
            raise FrozenPermitError(FROZEN_MESSAGE)


@event.listens_for(SignPermit, "before_delete")
def _refuse_delete(_mapper: Any, _connection: Any, _target: SignPermit) -> None:
    raise FrozenPermitError("许可申请已编号，不能删除；可作不予受理，或登记拆除")


# --- application --------------------------------------------------------------------------


_TEXT_LIMITS = {"location": 200, "facade_position": 100, "material": 50, "exemption_reason": 200}
_SIZES = (("width_m", "宽度", 100.0), ("height_m", "高度", 50.0))


def _clean(session: Session, data: PermitInput, *, permit_id: int | None,
           today: dt.date) -> tuple[dict[str, Any], list[RuleIssue]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    business = session.get(Business, data.business_id) if data.business_id else None
    if business is None:
        errors["business_id"] = "请选择申请设置招牌的商户"
    elif not business.active:
        errors["business_id"] = f"“{business.name}”已移出台账，不能申请设置招牌"
    for key, limit in _TEXT_LIMITS.items():
        text = clean_prose(getattr(data, key) or "")
        if len(text) > limit:
            errors[key] = f"不能超过{limit}个字"
        values[key] = text
    if not values["location"] and business is not None:
        values["location"] = business.address
    if not values["location"]:
        errors["location"] = "请填写设置地点（地址）"
    if not values["facade_position"]:
        errors["facade_position"] = "请填写在建筑立面上的位置（如：一层门头上方）"
    if not values["material"]:
        errors["material"] = "请填写招牌材质"
    if data.sign_type not in SIGN_TYPES:
        errors["sign_type"] = f"招牌类型应为：{'、'.join(SIGN_TYPES)}"
    values["sign_type"] = data.sign_type
    if data.lighting not in LIGHTING:
        errors["lighting"] = f"照明方式应为：{'、'.join(LIGHTING)}"
    values["lighting"] = data.lighting
    for key, label, upper in _SIZES:
        value = getattr(data, key)
        if value is None:
            errors[key] = f"请填写招牌{label}（米）"
        elif value <= 0:
            errors[key] = f"招牌{label}应大于0米（填写的是{metres(value)}米）"
        elif value > upper:
            errors[key] = f"招牌{label}{metres(value)}米不合常理，请核对（单位为米）"
        values[key] = round(value, 2) if value is not None else None
    protrusion = data.protrusion_m if data.protrusion_m is not None else 0.0
    if protrusion < 0:
        errors["protrusion_m"] = f"外挑尺寸不能为负数（填写的是{metres(protrusion)}米）；贴墙设置的填0"
    elif protrusion > 10:
        errors["protrusion_m"] = f"外挑{metres(protrusion)}米不合常理，请核对（单位为米）"
    values["protrusion_m"] = round(protrusion, 2)
    height = data.install_height_m
    if height is None:
        errors["install_height_m"] = "请填写设置高度（招牌下沿距地面，米）"
    elif height < 0 or height > 300:
        errors["install_height_m"] = f"设置高度{metres(height)}米不正确，应为招牌下沿距地面的高度"
    values["install_height_m"] = round(height, 2) if height is not None else None
    term = data.term_months
    if term is None or term <= 0:
        errors["term_months"] = "请填写申请的许可期限（月），最长三年"
    values["term_months"] = term
    applied = data.applied_date
    if applied is None:
        errors["applied_date"] = "请填写申请日期"
    elif applied > today:
        errors["applied_date"] = "申请日期不能晚于今天"
    values["applied_date"] = applied
    issues: list[RuleIssue] = []
    if business is not None:
        office = get_office(session)
        issues = rule_issues(values["width_m"], values["height_m"], values["protrusion_m"], term,
                             office.sign_max_protrusion_m, office.sign_max_area_m2,
                             other_signs(session, business.id, exclude=permit_id),
                             values["exemption_reason"])
    for issue in issues:
        if issue.level == "error" and issue.field not in errors:
            errors[issue.field] = issue.message
    if errors:
        raise ValidationError(errors)
    assert business is not None
    values["business_id"] = business.id
    return values, [i for i in issues if i.level != "error"]


def _spec_text(p: SignPermit) -> str:
    return (f"{p.sign_type}，{p.location}（{p.facade_position}），宽{metres(p.width_m)}米×高"
            f"{metres(p.height_m)}米，外挑{metres(p.protrusion_m)}米（{metres(area_of(p.width_m, p.height_m))}"
            f"平方米），{p.material}，照明{p.lighting}，期限{p.term_months}个月")


def _snapshot(p: SignPermit) -> dict[str, Any]:
    return {k: getattr(p, k) for k in (
        "number", "decision_number", "status", "sign_type", "location", "facade_position",
        "width_m", "height_m", "protrusion_m", "material", "lighting", "install_height_m",
        "term_months", "start_date", "end_date", "applied_date", "exemption_reason",
        "decision_reason", "conditions", "removal_reason")}


def _event(session: Session, permit: SignPermit, step: str, at: dt.datetime, by: str,
           notes: str) -> PermitEvent:
    row = PermitEvent(permit_id=permit.id, step=step, at=at, by=by[:50], notes=notes[:1000])
    session.add(row)
    session.flush()
    return row


def _prepare(photos: Sequence[PhotoInput]) -> list[PreparedImage]:
    # Every photo is checked before anything is written, so nothing is half-saved.
    return [attachments.prepare_image(p.file_name, p.data) for p in photos]


def _store(session: Session, owner: str, owner_id: int, images: Sequence[PreparedImage],
           user: str) -> None:
    for image in images:
        attachments.store(session, owner, owner_id, image, user=user)


def locked(session: Session, permit_id: int, version: int | None = None) -> SignPermit:
    """The permit row, checked against the version the clerk saw (when given)."""
    row = session.get(SignPermit, permit_id)
    if row is None:
        raise NotFoundError("该招牌设置许可不存在")
    if version is not None and row.version != version:
        raise ConflictError(f"该许可已被{row.updated_by or '其他用户'}修改，请刷新后重试")
    return row


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("该许可已被其他用户修改，请刷新后重试") from exc


def apply(session: Session, data: PermitInput, *, drawings: Sequence[PhotoInput] = (),
          photos: Sequence[PhotoInput] = (), user: str = "",
          now: dt.datetime | None = None) -> PermitRow:
    """A new application, numbered from the office's pattern in this transaction.

    Broken rules that can be decided now (term, 一店一牌 without exemption) refuse it; a
    size beyond the office's limits is recorded as a warning and stops the approval later.
    """
    moment = _now(now)
    values, issues = _clean(session, data, permit_id=None, today=moment.date())
    prepared_drawings, prepared_photos = _prepare(drawings), _prepare(photos)
    _seq, number = numbering.allocate(session, APPLICATION_KIND, values["applied_date"].year)
    row = SignPermit(number=number, status=APPLIED, updated_by=user, **values)
    session.add(row)
    session.flush()
    notes = f"申请设置{_spec_text(row)}"
    if issues:
        notes += "。提示：" + "；".join(i.message for i in issues)
    _event(session, row, STEP_APPLY, _moment(row.applied_date or moment.date(), moment), user,
           notes)
    _store(session, DRAWING_OWNER, row.id, prepared_drawings, user)
    _store(session, PHOTO_OWNER, row.id, prepared_photos, user)
    audit.record(session, user=user, action="create", entity="sign_permit", entity_id=row.id,
                 summary=f"招牌设置申请 {number}：{row.business.name}", after=_snapshot(row))
    return get(session, row.id, today=moment.date())


def update_application(session: Session, permit_id: int, version: int, data: PermitInput, *,
                       user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """Correct an application before it is decided; afterwards it is frozen."""
    moment = _now(now)
    row = locked(session, permit_id, version)
    if row.status in DECIDED:
        raise FrozenPermitError(FROZEN_MESSAGE if row.status != NOT_ACCEPTED else
                                "该申请已不予受理，不能再修改；请重新提出申请")
    values, issues = _clean(session, data, permit_id=row.id, today=moment.date())
    if values["business_id"] != row.business_id:
        raise ValidationError({"business_id": "申请人不能更换；请为该商户另行提出申请"})
    before = _snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by = user
    _flush(session)
    changed = [k for k, v in _snapshot(row).items() if before[k] != v]
    notes = f"修改申请：{_spec_text(row)}"
    if issues:
        notes += "。提示：" + "；".join(i.message for i in issues)
    if changed:
        _event(session, row, STEP_EDIT, moment, user, notes)
    audit.record(session, user=user, action="update", entity="sign_permit", entity_id=row.id,
                 summary=f"修改招牌设置申请 {row.number}", before=before, after=_snapshot(row))
    return get(session, row.id, today=moment.date())


def add_attachment(session: Session, permit_id: int, kind: str, file_name: str, data: bytes, *,
                   user: str = "") -> attachments.AttachmentRow:
    """A drawing or photo of the application, while it is not yet decided."""
    row = locked(session, permit_id)
    if row.status in DECIDED:
        raise FrozenPermitError("许可决定已作出，申请材料不能再增补")
    owner = {"drawing": DRAWING_OWNER, "photo": PHOTO_OWNER}.get(kind)
    if owner is None:
        raise ValidationError({"kind": "附件应为设计图（drawing）或现场照片（photo）"})
    return attachments.add_image(session, owner, row.id, file_name, data, user=user)


# --- acceptance ---------------------------------------------------------------------------


def office_snapshot(session: Session) -> dict[str, str]:
    office = get_office(session)
    return {"name": office.name, "district": office.district, "phone": office.phone,
            "address": office.address}


def applicant_snapshot(name: str, credit_code: str | None, operator: str, phone: str,
                       address: str) -> dict[str, str]:
    """What a permit document keeps of the applicant."""
    return {"name": name, "credit_code": credit_code or "", "operator": operator, "phone": phone,
            "address": address}


def sign_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    """What a permit document keeps of the sign (from SignPermit column values)."""
    keys = ("sign_type", "location", "facade_position", "width_m", "height_m", "protrusion_m",
            "material", "lighting", "install_height_m")
    out = {k: values[k] for k in keys}
    out["area_m2"] = area_of(values["width_m"], values["height_m"])
    return out


def _sign(p: SignPermit) -> dict[str, Any]:
    return sign_snapshot({c.key: getattr(p, c.key) for c in SignPermit.__table__.columns})


def document_body(permit_id: int, application_number: str, applied_date: dt.date | None,
                  applicant: dict[str, str], sign: dict[str, Any], office: dict[str, str],
                  **details: Any) -> dict[str, Any]:
    """The frozen content of a 受理通知书 or 许可决定书 (Notice.body)."""
    return {"permit_id": permit_id, "application_number": application_number,
            "applied_date": applied_date.isoformat() if applied_date else None,
            "applicant": applicant, "sign": sign, "office": office, **details}


def _issue_document(session: Session, permit: SignPermit, kind: str, day: dt.date,
                    moment: dt.datetime, facts: str, body: dict[str, Any],
                    legal_text: str = "") -> Notice:
    seq, number = numbering.allocate(session, kind, day.year)
    business = permit.business
    notice = Notice(
        kind=kind, year=day.year, seq=seq, number=number, issued_at=_moment(day, moment),
        business_id=business.id, party=business.name, party_address=business.address,
        facts=facts, legal_basis_text=legal_text,
        body=document_body(
            permit.id, permit.number or "", permit.applied_date,
            applicant_snapshot(business.name, business.credit_code, business.operator,
                               business.phone, business.address),
            _sign(permit), office_snapshot(session), **body))
    session.add(notice)
    session.flush()
    return notice


def _not_before(day: dt.date, earliest: dt.date | None, what: str, key: str,
                errors: dict[str, str], today: dt.date) -> None:
    if day > today:
        errors[key] = f"{what}不能晚于今天"
    elif earliest is not None and day < earliest:
        errors[key] = f"{what}不能早于{earliest.isoformat()}"


def _officer(value: str, what: str, key: str, errors: dict[str, str]) -> str:
    """The officer(s) who did a step: required, at most 50 characters."""
    name = clean_prose(value)
    if not name:
        errors[key] = f"请填写{what}"
    elif len(name) > 50:
        errors[key] = f"{what}不能超过50个字"
    return name


def _step_time(at: dt.datetime | None, earliest: dt.datetime | None, what: str, after: str,
               key: str, errors: dict[str, str], moment: dt.datetime) -> dt.datetime | None:
    """A step's time to the minute: required, not in the future (ten minutes' grace for
    clocks), and not on a day before the step it follows (`after`)."""
    at = at.replace(second=0, microsecond=0) if at else None
    if at is None:
        errors[key] = f"请填写{what}"
    elif at > moment + dt.timedelta(minutes=10):
        errors[key] = f"{what}不能晚于现在"
    elif earliest is not None and at.date() < earliest.date():
        errors[key] = f"{what}不能早于{after}（{earliest.date().isoformat()}）"
    return at


def accept(session: Session, permit_id: int, version: int, *, accepted_on: dt.date,
           user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """受理: the 受理通知书 is numbered and issued in this transaction."""
    moment = _now(now)
    row = locked(session, permit_id, version)
    check_move(row.status, ACCEPTED)
    if not row.business.active:
        raise DomainError(f"“{row.business.name}”已移出台账，不能受理其申请")
    errors: dict[str, str] = {}
    _not_before(accepted_on, row.applied_date, "受理日期", "accepted_on", errors, moment.date())
    if errors:
        raise ValidationError(errors)
    notice = _issue_document(session, row, ACCEPTANCE_KIND, accepted_on, moment,
                             f"招牌设置申请 {row.number}", {"accepted_on": accepted_on.isoformat()})
    before = _snapshot(row)
    row.status = ACCEPTED
    row.updated_by = user
    _flush(session)
    _event(session, row, STEP_ACCEPT, _moment(accepted_on, moment), user,
           f"予以受理，受理通知书 {notice.number}")
    audit.record(session, user=user, action="accept", entity="sign_permit", entity_id=row.id,
                 summary=f"受理招牌设置申请 {row.number}（{notice.number}）", before=before,
                 after=_snapshot(row))
    return get(session, row.id, today=moment.date())


def reject_application(session: Session, permit_id: int, version: int, reason: str, *,
                       user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """不予受理, with the reason (材料不全、不属于本机关职权 …)."""
    moment = _now(now)
    row = locked(session, permit_id, version)
    check_move(row.status, NOT_ACCEPTED)
    reason = clean_prose(reason)
    if not reason:
        raise ValidationError({"reason": "请填写不予受理的理由"})
    if len(reason) > 1000:
        raise ValidationError({"reason": "理由不能超过1000个字"})
    before = _snapshot(row)
    row.status = NOT_ACCEPTED
    row.decision_reason = reason
    row.updated_by = user
    _flush(session)
    _event(session, row, STEP_NOT_ACCEPT, moment, user, f"不予受理：{reason}")
    audit.record(session, user=user, action="reject", entity="sign_permit", entity_id=row.id,
                 summary=f"不予受理招牌设置申请 {row.number}：{reason}", before=before,
                 after=_snapshot(row))
    return get(session, row.id, today=moment.date())


# --- site survey --------------------------------------------------------------------------


@dataclass
class SurveyInput:
    surveyed_at: dt.datetime | None = None
    inspectors: str = ""
    notes: str = ""
    photos: list[PhotoInput] = field(default_factory=list)


def _last_step_at(session: Session, permit_id: int, steps: Sequence[str]) -> dt.datetime | None:
    return session.scalar(select(func.max(PermitEvent.at)).where(
        PermitEvent.permit_id == permit_id, PermitEvent.step.in_(list(steps))))


def record_survey(session: Session, permit_id: int, version: int, data: SurveyInput, *,
                  user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """现场勘验: notes, inspectors and photos; an approval needs at least one."""
    moment = _now(now)
    row = locked(session, permit_id, version)
    check_move(row.status, SURVEYED)
    errors: dict[str, str] = {}
    inspectors = _officer(data.inspectors, "勘验人员", "inspectors", errors)
    notes = clean_prose(data.notes)
    if not notes:
        errors["notes"] = "请填写勘验情况（现场是否与申请相符、安全条件等）"
    elif len(notes) > 1000:
        errors["notes"] = "勘验情况不能超过1000个字"
    at = _step_time(data.surveyed_at, _last_step_at(session, row.id, (STEP_ACCEPT,)), "勘验时间",
                    "受理日期", "surveyed_at", errors, moment)
    if errors:
        raise ValidationError(errors)
    assert at is not None
    images = _prepare(data.photos)
    before = _snapshot(row)
    row.status = SURVEYED
    row.updated_by = user
    _flush(session)
    step = _event(session, row, STEP_SURVEY, at, inspectors, notes)
    _store(session, EVENT_OWNER, step.id, images, user)
    audit.record(session, user=user, action="survey", entity="sign_permit", entity_id=row.id,
                 summary=f"现场勘验 {row.number}：{inspectors}", before=before,
                 after={**_snapshot(row), "notes": notes, "photos": len(images)})
    return get(session, row.id, today=moment.date())


# --- the decision -------------------------------------------------------------------------


@dataclass
class ApprovalInput:
    decided_on: dt.date | None = None
    start_date: dt.date | None = None  # None: the decision day
    term_months: int | None = None  # None: as applied for
    conditions: str = ""  # empty: DEFAULT_CONDITIONS
    legal_basis_ids: list[int] = field(default_factory=list)  # optional for an approval


@dataclass
class RefusalInput:
    decided_on: dt.date | None = None
    reason: str = ""
    legal_basis_ids: list[int] = field(default_factory=list)


def _decision_day(session: Session, row: SignPermit, day: dt.date | None, today: dt.date,
                  errors: dict[str, str]) -> dt.date:
    if day is None:
        errors["decided_on"] = "请填写决定日期"
        return today
    earliest = _last_step_at(session, row.id, (STEP_ACCEPT, STEP_SURVEY))
    _not_before(day, earliest.date() if earliest else row.applied_date, "决定日期", "decided_on",
                errors, today)
    return day


def approval_blockers(session: Session, row: SignPermit) -> list[str]:
    """Why this permit cannot be approved as it stands (rules, with the numbers)."""
    office = get_office(session)
    problems = [i.message for i in size_issues(row.width_m, row.height_m, row.protrusion_m,
                                               office.sign_max_protrusion_m,
                                               office.sign_max_area_m2)]
    term = term_issue(row.term_months)
    if term is not None:
        problems.append(term.message)
    if not row.exemption_reason.strip():
        granted = other_signs(session, row.business_id, exclude=row.id, statuses=GRANTED)
        issue = one_sign_issue(granted, "")
        if issue is not None:
            problems.append(issue.message)
    return problems


def approve(session: Session, permit_id: int, version: int, data: ApprovalInput, *, role: str,
            user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """准予许可 by the head of section: the 准予许可决定书 is numbered and frozen."""
    moment = _now(now)
    _role_check(role)
    row = locked(session, permit_id, version)
    check_move(row.status, APPROVED)
    blockers = approval_blockers(session, row)
    if blockers:
        raise DomainError("不能准予许可：" + "；".join(blockers) + "。可修改申请后再审批，或作出不予许可决定")
    errors: dict[str, str] = {}
    day = _decision_day(session, row, data.decided_on, moment.date(), errors)
    start = data.start_date or day
    if start < day:
        errors["start_date"] = "许可期限的开始日期不能早于决定日期"
    term = data.term_months or row.term_months
    if term <= 0 or term > MAX_TERM_MONTHS:
        errors["term_months"] = f"许可期限应为1至{MAX_TERM_MONTHS}个月（最长三年）"
    elif term > row.term_months:
        errors["term_months"] = f"批准的期限（{term}个月）不能超过申请的期限（{row.term_months}个月）"
    conditions = clean_prose(data.conditions) or DEFAULT_CONDITIONS
    if len(conditions) > 1000:
        errors["conditions"] = "设置条件不能超过1000个字"
    snapshots: list[dict[str, Any]] = []
    if data.legal_basis_ids:
        try:
            snapshots = [b.snapshot() for b in legal.citable(session, list(data.legal_basis_ids))]
        except ValidationError as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    end = end_of_term(start, term)
    legal_text = basis_text(snapshots)
    notice = _issue_document(
        session, row, DECISION_KIND, day, moment, f"准予设置{row.sign_type}",
        {"decision": APPROVED, "decided_on": day.isoformat(), "term_months": term,
         "start_date": start.isoformat(), "end_date": end.isoformat(), "conditions": conditions,
         "supervision": SUPERVISION, "legal_basis": snapshots,
         "accepted_on": _step_day(session, row.id, STEP_ACCEPT),
         "surveyed_on": _step_day(session, row.id, STEP_SURVEY)}, legal_text)
    before = _snapshot(row)
    row.status = APPROVED
    row.decision_number = notice.number
    row.term_months = term
    row.start_date, row.end_date = start, end
    row.conditions = conditions
    row.legal_basis_text = legal_text
    row.updated_by = user
    _flush(session)
    _event(session, row, STEP_APPROVE, _moment(day, moment), user,
           f"准予许可（{ROLE_LABELS.get(role, role)}审批），准予许可决定书 {notice.number}，"
           f"期限{start.isoformat()}至{end.isoformat()}")
    audit.record(session, user=user, action="approve", entity="sign_permit", entity_id=row.id,
                 summary=f"准予招牌设置许可 {notice.number}：{row.business.name}", before=before,
                 after=_snapshot(row))
    return get(session, row.id, today=moment.date())


def refuse(session: Session, permit_id: int, version: int, data: RefusalInput, *, role: str,
           user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """不予许可 with the reason and the legal basis (confirmed entries only, kept as text)."""
    moment = _now(now)
    _role_check(role)
    row = locked(session, permit_id, version)
    check_move(row.status, REFUSED)
    errors: dict[str, str] = {}
    day = _decision_day(session, row, data.decided_on, moment.date(), errors)
    reason = clean_prose(data.reason)
    if not reason:
        errors["reason"] = "请填写不予许可的理由"
    elif len(reason) > 1000:
        errors["reason"] = "理由不能超过1000个字"
    snapshots: list[dict[str, Any]] = []
    try:
        snapshots = [b.snapshot() for b in legal.citable(session, list(data.legal_basis_ids))]
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    legal_text = basis_text(snapshots)
    notice = _issue_document(
        session, row, DECISION_KIND, day, moment, reason,
        {"decision": REFUSED, "decided_on": day.isoformat(), "reason": reason,
         "legal_basis": snapshots, "accepted_on": _step_day(session, row.id, STEP_ACCEPT),
         "surveyed_on": _step_day(session, row.id, STEP_SURVEY)}, legal_text)
    before = _snapshot(row)
    row.status = REFUSED
    row.decision_number = notice.number
    row.decision_reason = reason
    row.legal_basis_text = legal_text
    row.updated_by = user
    _flush(session)
    _event(session, row, STEP_REFUSE, _moment(day, moment), user,
           f"不予许可（{ROLE_LABELS.get(role, role)}审批），不予许可决定书 {notice.number}：{reason}")
    audit.record(session, user=user, action="refuse", entity="sign_permit", entity_id=row.id,
                 summary=f"不予许可 {notice.number}：{row.business.name}", before=before,
                 after=_snapshot(row))
    return get(session, row.id, today=moment.date())


def _step_day(session: Session, permit_id: int, step: str) -> str | None:
    at = _last_step_at(session, permit_id, (step,))
    return at.date().isoformat() if at else None


# --- after the decision -------------------------------------------------------------------


@dataclass
class InstallationInput:
    checked_on: dt.date | None = None
    inspector: str = ""
    notes: str = ""
    conforms: bool = True  # the sign as put up matches the permit
    photos: list[PhotoInput] = field(default_factory=list)


def record_installation(session: Session, permit_id: int, version: int, data: InstallationInput,
                        *, user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """设置验收: the sign is up as permitted (已设置)."""
    moment = _now(now)
    row = locked(session, permit_id, version)
    check_move(row.status, INSTALLED)
    if not data.conforms:
        raise DomainError("招牌与许可内容不符的，不能登记为已设置；请责令按许可内容整改后再验收，"
                          "或登记拆除（违法设置）")
    errors: dict[str, str] = {}
    inspector = _officer(data.inspector, "验收人员", "inspector", errors)
    notes = clean_prose(data.notes) or "经现场验收，招牌按许可内容设置。"
    day = data.checked_on
    if day is None:
        errors["checked_on"] = "请填写验收日期"
    else:
        decided = _last_step_at(session, row.id, (STEP_APPROVE,))
        _not_before(day, decided.date() if decided else None, "验收日期", "checked_on", errors,
                    moment.date())
        if "checked_on" not in errors and row.end_date is not None and day > row.end_date:
            errors["checked_on"] = f"许可期限已于{row.end_date.isoformat()}届满，不能再验收设置"
    if errors:
        raise ValidationError(errors)
    assert day is not None
    images = _prepare(data.photos)
    before = _snapshot(row)
    row.status = INSTALLED
    row.updated_by = user
    _flush(session)
    step = _event(session, row, STEP_INSTALL, _moment(day, moment), inspector, notes)
    _store(session, EVENT_OWNER, step.id, images, user)
    audit.record(session, user=user, action="install", entity="sign_permit", entity_id=row.id,
                 summary=f"招牌设置验收 {row.decision_number}：{inspector}", before=before,
                 after=_snapshot(row))
    return get(session, row.id, today=moment.date())


def record_expiry(session: Session, permit_id: int, version: int, *, user: str = "",
                  now: dt.datetime | None = None) -> PermitRow:
    """到期: the term is over (the sign, if still up, should then be removed)."""
    moment = _now(now)
    row = locked(session, permit_id, version)
    check_move(row.status, EXPIRED)
    if row.end_date is not None and row.end_date >= moment.date():
        raise DomainError(f"许可期限至{row.end_date.isoformat()}，尚未届满，不能登记到期")
    before = _snapshot(row)
    row.status = EXPIRED
    row.updated_by = user
    _flush(session)
    _event(session, row, STEP_EXPIRE, moment, user,
           f"许可期限已于{row.end_date.isoformat() if row.end_date else '—'}届满")
    audit.record(session, user=user, action="expire", entity="sign_permit", entity_id=row.id,
                 summary=f"招牌许可到期 {row.decision_number}", before=before, after=_snapshot(row))
    return get(session, row.id, today=moment.date())


@dataclass
class RemovalInput:
    removed_on: dt.date | None = None
    reason: str = ""  # one of REMOVAL_REASONS
    notes: str = ""


def record_removal(session: Session, permit_id: int, version: int, data: RemovalInput, *,
                   user: str = "", now: dt.datetime | None = None) -> PermitRow:
    """已拆除, with why: 到期, 违法设置, 安全隐患 or 店铺关闭."""
    moment = _now(now)
    row = locked(session, permit_id, version)
    check_move(row.status, REMOVED)
    errors: dict[str, str] = {}
    notes = clean_prose(data.notes)
    if data.reason not in REMOVAL_REASONS:
        errors["reason"] = f"请选择拆除原因：{'、'.join(REMOVAL_REASONS)}"
    elif data.reason == "到期" and row.end_date is not None and data.removed_on is not None \
            and row.end_date >= data.removed_on:
        errors["reason"] = (f"许可期限至{row.end_date.isoformat()}，拆除时尚未到期；"
                            "请选择其他拆除原因（如店铺关闭）")
    if len(notes) > 800:
        errors["notes"] = "说明不能超过800个字"
    if data.removed_on is None:
        errors["removed_on"] = "请填写拆除日期"
    else:
        decided = _last_step_at(session, row.id, (STEP_APPROVE,))
        _not_before(data.removed_on, decided.date() if decided else None, "拆除日期",
                    "removed_on", errors, moment.date())
    if errors:
        raise ValidationError(errors)
    assert data.removed_on is not None
    before = _snapshot(row)
    row.status = REMOVED
    row.removal_reason = data.reason
    row.updated_by = user
    _flush(session)
    _event(session, row, STEP_REMOVE, _moment(data.removed_on, moment), user,
           f"拆除原因：{data.reason}" + (f"；{notes}" if notes else ""))
    audit.record(session, user=user, action="remove", entity="sign_permit", entity_id=row.id,
                 summary=f"招牌已拆除 {row.decision_number}（{data.reason}）", before=before,
                 after=_snapshot(row))
    return get(session, row.id, today=moment.date())


# --- safety checks ------------------------------------------------------------------------


@dataclass
class SafetyCheckInput:
    checked_at: dt.datetime | None = None
    passed: bool = True
    hazards: list[str] = field(default_factory=list)
    notes: str = ""
    inspector: str = ""
    photos: list[PhotoInput] = field(default_factory=list)


def record_safety_check(session: Session, permit_id: int, data: SafetyCheckInput, *,
                        user: str = "", now: dt.datetime | None = None) -> SafetyCheckRow:
    """A periodic check of a sign that is up; a failed one becomes a 招牌安全隐患 finding."""
    moment = _now(now)
    row = locked(session, permit_id)
    if row.status not in (INSTALLED, EXPIRED):
        why = ("尚未验收设置" if row.status == APPROVED else f"当前为“{row.status}”")
        raise DomainError(f"只有已设置的招牌才能进行安全检查（该许可{why}）")
    errors: dict[str, str] = {}
    inspector = _officer(data.inspector, "检查人员", "inspector", errors)
    notes = clean_prose(data.notes)
    hazards = [h for h in HAZARDS if h in data.hazards]
    unknown = [h for h in data.hazards if h not in HAZARDS]
    if unknown:
        errors["hazards"] = f"未知的隐患类型：{'、'.join(unknown)}（应为{'、'.join(HAZARDS)}）"
    elif data.passed and hazards:
        errors["hazards"] = f"发现{'、'.join(hazards)}隐患的，检查结果应为“不合格”"
    elif not data.passed and not hazards and not notes:
        errors["hazards"] = "检查不合格的，请勾选发现的隐患或填写检查情况"
    if len(notes) > 800:
        errors["notes"] = "检查情况不能超过800个字"
    at = _step_time(data.checked_at, _last_step_at(session, row.id, (STEP_INSTALL,)), "检查时间",
                    "设置验收日期", "checked_at", errors, moment)
    if errors:
        raise ValidationError(errors)
    assert at is not None
    images = _prepare(data.photos)
    check = SignSafetyCheck(permit_id=row.id, check_date=at.date(), passed=bool(data.passed),
                            hazards=hazards, notes=notes, inspector=inspector)
    session.add(check)
    session.flush()
    _store(session, CHECK_OWNER, check.id, images, user)
    finding_id: int | None = None
    result = "合格" if data.passed else f"不合格（{'、'.join(hazards) or '见检查情况'}）"
    if not data.passed:
        what = f"招牌（{row.sign_type}，许可{row.decision_number or row.number}）安全检查不合格"
        details = "：发现" + "、".join(hazards) + "隐患" if hazards else ""
        description = f"{what}{details}" + (f"；{notes}" if notes else "")
        finding = findings.record_finding(session, findings.FindingInput(
            category="招牌安全隐患", found_at=at, place=f"{row.location}（{row.facade_position}）"[:200],
            business_id=row.business_id, description=description[:1000], inspectors=inspector,
            source="巡查"), user=user, now=moment)
        _store(session, findings.PHOTO_OWNER, finding.id, images, user)
        finding_id = finding.id
        result += f"；已登记巡查问题（招牌安全隐患，第{finding.id}号）"
    _event(session, row, STEP_CHECK, at, inspector, result + (f"。{notes}" if notes else ""))
    audit.record(session, user=user, action="check", entity="sign_permit", entity_id=row.id,
                 summary=f"招牌安全检查 {row.decision_number or row.number}：{result}"[:200],
                 after={"check_date": at.date(), "passed": bool(data.passed), "hazards": hazards,
                        "finding_id": finding_id})
    return SafetyCheckRow(check.id, row.id, check.check_date, check.passed, hazards, notes,
                          inspector, len(images), finding_id)


