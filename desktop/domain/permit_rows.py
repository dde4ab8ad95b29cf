"""Reading sign permits: the row the lists show, the timeline, photos, checks, documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Business, Community, Grid, Notice, PermitEvent, SignPermit, SignSafetyCheck

from . import attachments, audit
from .errors import NotFoundError
from .notices import citations
from .permit_rules import (
    ACCEPTANCE_KIND,
    APPROVED,
    CHECK_OWNER,
    DOCUMENT_KINDS,
    DRAWING_OWNER,
    EVENT_OWNER,
    EXPIRED,
    GRANTED,
    HOLDING,
    PHOTO_OWNER,
    REMINDER_DAYS,
    STANDING,
    STEP_CHECK,
    PermitInput,
    area_of,
    metres,
)


@dataclass(frozen=True)
class SafetyCheckRow:
    id: int
    permit_id: int
    check_date: dt.date
    passed: bool
    hazards: list[str]
    notes: str
    inspector: str
    photos: int
    finding_id: int | None  # the 招牌安全隐患 finding a failed check created

    @property
    def result(self) -> str:
        return "合格" if self.passed else "不合格"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["check_date"] = self.check_date.isoformat()
        data["result"] = self.result
        return data


def safety_checks(session: Session, permit_id: int) -> list[SafetyCheckRow]:
    checks = list(session.scalars(select(SignSafetyCheck).where(
        SignSafetyCheck.permit_id == permit_id).order_by(SignSafetyCheck.check_date.desc(),
                                                           SignSafetyCheck.id.desc())))
    photos = attachments.count_for(session, CHECK_OWNER, [c.id for c in checks])
    # The finding a failed check created is named in that check's event.
    found: dict[dt.date, int] = {}
    for at, notes in session.execute(select(PermitEvent.at, PermitEvent.notes).where(
            PermitEvent.permit_id == permit_id, PermitEvent.step == STEP_CHECK)):
        marker = notes.find("（招牌安全隐患，第")
        if marker >= 0:
            digits = notes[marker + 9:].split("号", 1)[0]
            if digits.isdigit():
                found.setdefault(at.date(), int(digits))
    return [SafetyCheckRow(c.id, c.permit_id, c.check_date, c.passed, list(c.hazards or []),
                           c.notes, c.inspector, photos.get(c.id, 0),
                           None if c.passed else found.get(c.check_date)) for c in checks]


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermitRow:
    id: int
    number: str
    decision_number: str
    business_id: int
    business: str
    operator: str
    phone: str
    business_address: str
    credit_code: str
    community: str
    grid: str
    sign_type: str
    location: str
    facade_position: str
    width_m: float
    height_m: float
    protrusion_m: float
    area_m2: float
    material: str
    lighting: str
    install_height_m: float | None
    term_months: int
    applied_date: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    exemption_reason: str
    decision_reason: str
    conditions: str
    legal_basis_text: str
    removal_reason: str
    other_signs: int  # the business's other signs pending or in force
    last_check_date: dt.date | None
    last_check_passed: bool | None
    today: dt.date
    version: int

    @property
    def address(self) -> str:
        """The applicant's address (the business picker shows it)."""
        return self.business_address

    @property
    def lapsed(self) -> bool:
        """In force on paper but past its end date (expiry not yet recorded)."""
        return self.status in GRANTED and self.end_date is not None and self.end_date < self.today

    @property
    def state(self) -> str:
        return EXPIRED if self.lapsed else self.status

    @property
    def days_left(self) -> int | None:
        if self.status not in GRANTED or self.end_date is None:
            return None
        return (self.end_date - self.today).days

    @property
    def reminder(self) -> int | None:
        """60 or 30 when the end date is that close, else None."""
        left = self.days_left
        if left is None or left < 0:
            return None
        hits = [d for d in REMINDER_DAYS if left <= d]
        return min(hits) if hits else None

    @property
    def unsafe(self) -> bool:
        return self.last_check_passed is False and self.status in STANDING

    @property
    def multi_sign(self) -> bool:
        return self.other_signs > 0

    @property
    def state_label(self) -> str:
        if self.lapsed:
            return "到期（未登记）"
        return self.status

    @property
    def size_text(self) -> str:
        return (f"{metres(self.width_m)}×{metres(self.height_m)}米，外挑{metres(self.protrusion_m)}米，"
                f"{metres(self.area_m2)}平方米")

    def as_input(self) -> PermitInput:
        return PermitInput(self.business_id, self.sign_type, self.location, self.facade_position,
                           self.width_m, self.height_m, self.protrusion_m, self.material,
                           self.lighting, self.install_height_m, self.term_months,
                           self.applied_date, self.exemption_reason)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["today"]
        for key in ("applied_date", "start_date", "end_date", "last_check_date"):
            data[key] = data[key].isoformat() if data[key] else None
        data.update(state=self.state, state_label=self.state_label, days_left=self.days_left,
                    reminder=self.reminder, unsafe=self.unsafe, multi_sign=self.multi_sign)
        return data


_G = aliased(Grid)
_OTHER = aliased(SignPermit)


def _other_count() -> Any:
    return (select(func.count(_OTHER.id))
            .where(_OTHER.business_id == SignPermit.business_id, _OTHER.id != SignPermit.id,
                   _OTHER.status.in_(HOLDING))
            .scalar_subquery())


def last_check(column: Any) -> Any:
    """The latest safety check's `column` for each permit row (a correlated subquery)."""
    return (select(column).where(SignSafetyCheck.permit_id == SignPermit.id)
            .order_by(SignSafetyCheck.check_date.desc(), SignSafetyCheck.id.desc())
            .limit(1).scalar_subquery())


def row_select() -> Select[Any]:
    return (select(SignPermit, Business, Community.name, _G.name, _other_count(),
                   last_check(SignSafetyCheck.check_date), last_check(SignSafetyCheck.passed))
            .join(Business, Business.id == SignPermit.business_id)
            .join(Community, Community.id == Business.community_id)
            .outerjoin(_G, _G.id == Business.grid_id))


def to_row(found: Sequence[Any], today: dt.date) -> PermitRow:
    """A row of row_select() as the lists show it."""
    p, b, community, grid, others, check_date, check_passed = found
    return PermitRow(
        p.id, p.number or "", p.decision_number or "", b.id, b.name, b.operator, b.phone,
        b.address, b.credit_code or "", community, grid or "", p.sign_type, p.location,
        p.facade_position, p.width_m, p.height_m, p.protrusion_m, area_of(p.width_m, p.height_m),
        p.material, p.lighting, p.install_height_m, p.term_months, p.applied_date, p.start_date,
        p.end_date, p.status, p.exemption_reason, p.decision_reason, p.conditions,
        p.legal_basis_text, p.removal_reason, int(others or 0), check_date,
        None if check_passed is None else bool(check_passed), today, p.version)


def get(session: Session, permit_id: int, today: dt.date | None = None) -> PermitRow:
    found = session.execute(row_select().where(SignPermit.id == permit_id)).first()
    if found is None:
        raise NotFoundError("该招牌设置许可不存在")
    return to_row(found, today or dt.date.today())


@dataclass(frozen=True)
class EventRow:
    id: int
    step: str
    at: dt.datetime
    by: str
    notes: str
    photos: int


def timeline(session: Session, permit_id: int) -> list[EventRow]:
    """Every step of the permit, first to last."""
    # In the order recorded: a survey entered with an earlier hour still follows its acceptance.
    events = list(session.scalars(select(PermitEvent).where(PermitEvent.permit_id == permit_id)
                                  .order_by(PermitEvent.id)))
    photos = attachments.count_for(session, EVENT_OWNER, [e.id for e in events])
    return [EventRow(e.id, e.step, e.at, e.by, e.notes, photos.get(e.id, 0)) for e in events]


def photos_of(session: Session, permit_id: int) -> list[attachments.AttachmentRow]:
    """The application's drawings and photos, then those of its survey and installation."""
    event_ids = list(session.scalars(select(PermitEvent.id).where(
        PermitEvent.permit_id == permit_id)))
    out = [*attachments.list_for(session, DRAWING_OWNER, permit_id),
           *attachments.list_for(session, PHOTO_OWNER, permit_id)]
    for event_id in event_ids:
        out.extend(attachments.list_for(session, EVENT_OWNER, event_id))
    return out


# --- the printed documents ----------------------------------------------------------------


@dataclass(frozen=True)
class PermitDocument:
    """A 受理通知书 or 许可决定书 as issued (from its frozen snapshot)."""

    kind: str  # "acceptance", "approval" or "refusal"
    number: str
    issued_at: dt.datetime
    party: str
    party_address: str
    body: dict[str, Any]

    @property
    def title(self) -> str:
        return {"acceptance": "受理通知书", "approval": "准予许可决定书",
                "refusal": "不予许可决定书"}[self.kind]

    def citations(self) -> tuple[str, str]:
        return citations(list(self.body.get("legal_basis") or []))


def _document(n: Notice) -> PermitDocument:
    body = dict(n.body or {})
    if n.kind == ACCEPTANCE_KIND:
        kind = "acceptance"
    else:
        kind = "approval" if body.get("decision") == APPROVED else "refusal"
    return PermitDocument(kind, n.number, n.issued_at, n.party, n.party_address, body)


def documents_of(session: Session, permit_id: int) -> list[PermitDocument]:
    """The permit's issued documents, oldest first."""
    row = session.get(SignPermit, permit_id)
    if row is None:
        raise NotFoundError("该招牌设置许可不存在")
    notices = session.scalars(select(Notice).where(
        Notice.kind.in_(DOCUMENT_KINDS), Notice.business_id == row.business_id)
        .order_by(Notice.issued_at, Notice.id))
    return [_document(n) for n in notices if (n.body or {}).get("permit_id") == row.id]


def documents_by_numbers(session: Session, numbers: list[str]) -> list[PermitDocument]:
    """By application number (every document issued so far), or by a document's own number."""
    out: list[PermitDocument] = []
    missing = []
    for number in numbers:
        notice = session.scalars(select(Notice).where(
            Notice.number == number, Notice.kind.in_(DOCUMENT_KINDS))).first()
        if notice is not None:
            out.append(_document(notice))
            continue
        permit = session.scalars(select(SignPermit).where(SignPermit.number == number)).first()
        if permit is None:
            missing.append(number)
            continue
        docs = documents_of(session, permit.id)
        if not docs:
            raise NotFoundError(f"招牌设置申请 {number} 当前为“{permit.status}”，尚未出具受理通知书"
                                "或许可决定书，没有可打印的文书")
        out.extend(docs)
    if missing:
        raise NotFoundError(f"找不到编号为 {'、'.join(missing)} 的招牌设置申请或许可文书")
    return out


def history(session: Session, permit_id: int) -> list[audit.HistoryItem]:
    labels = {"status": "状态", "sign_type": "招牌类型", "location": "设置地点",
              "facade_position": "立面位置", "width_m": "宽度", "height_m": "高度",
              "protrusion_m": "外挑", "material": "材质", "lighting": "照明",
              "install_height_m": "设置高度", "term_months": "期限（月）",
              "exemption_reason": "豁免理由", "decision_number": "决定书编号",
              "start_date": "开始日期", "end_date": "结束日期", "removal_reason": "拆除原因"}
    return audit.history(session, "sign_permit", permit_id, labels)
