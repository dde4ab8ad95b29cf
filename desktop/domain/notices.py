"""责令(限期)改正通知书: issuing (numbered, then frozen), voiding, delivery and the recheck."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, event, func, inspect, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Business, Community, Delivery, Finding, Notice, NoticeFinding, Recheck

from . import audit, findings, legal, numbering
from .codes import clean_prose
from .errors import DomainError, NotFoundError, ValidationError
from .office import get_office
from .textkeys import like_pattern

KIND = "notice"
RECHECK_KIND = "recheck"
TITLE = "责令（限期）改正通知书"
ORDER_KINDS = {"立即": "立即改正", "限期": "限期改正"}
DELIVERY_METHODS = {"直接": "直接送达", "留置": "留置送达", "邮寄": "邮寄送达", "电子": "电子送达"}
NOTICEABLE = ("发现", "复查不合格")  # a second notice follows a failed recheck
RECHECKABLE = ("已告知", "整改中")
VOID_FIELDS = frozenset({"voided_at", "void_reason"})
FROZEN_MESSAGE = "通知书签发后不能修改或删除；如有错误，请作废（填写原因）后重新签发"
CN_ORDINALS = "一二三四五六七八九十"
# What the order usually asks for, by finding category; the clerk edits it before issuing.
CORRECTIONS = {
    "占道经营": "立即停止占道经营行为，撤除占用道路的摊位、物品，恢复道路通行",
    "店外经营": "将店外摆放的商品、桌椅等物品收回店内，入店经营",
    "乱堆乱放": "清理堆放的物品，保持责任区整洁",
    "乱贴乱画": "清除张贴、涂写的广告和宣传品，恢复原貌",
    "乱搭乱建": "自行拆除违法搭建的建筑物、构筑物或其他设施",
    "乱摆摊点": "撤除摊点，停止在公共场所摆摊经营",
    "露天烧烤": "停止露天烧烤，撤除烧烤设施，入店经营并安装油烟净化设施",
    "门前三包不落实": "按照门前三包责任书履行责任，清扫保洁责任区",
    "招牌安全隐患": "对招牌进行加固维修或拆除，消除安全隐患",
    "垃圾分类不达标": "按规定分类投放生活垃圾，落实垃圾分类责任",
    "无照经营": "停止无照经营行为，依法办理营业执照",
}


def _when(moment: dt.datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日{moment.hour}时{moment.minute:02d}分"


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now()).replace(microsecond=0)


# --- the frozen rule, at the service level ------------------------------------------------


class FrozenNoticeError(DomainError):
    """An issued notice was about to be edited or deleted."""


@event.listens_for(Notice, "before_update")
def _refuse_edits(_mapper: Any, _connection: Any, target: Notice) -> None:
    # Whatever code path touches a Notice, only the void fields may change, and only once.
    state = inspect(target)
    for attr in state.attrs:
        history = attr.history
        if not history.has_changes():
            continue
        if attr.key not in VOID_FIELDS:
            raise FrozenNoticeError(FROZEN_MESSAGE)
        if attr.key == "voided_at" and any(v is not None for v in history.deleted):
            raise FrozenNoticeError("已作废的通知书不能恢复")


@event.listens_for(Notice, "before_delete")
def _refuse_delete(_mapper: Any, _connection: Any, _target: Notice) -> None:
    raise FrozenNoticeError(FROZEN_MESSAGE)


def edit_notice(session: Session, notice_id: int, **_changes: Any) -> None:
    """There is no editing an issued notice; this says so in words the clerk can act on."""
    _notice(session, notice_id)
    raise FrozenNoticeError(FROZEN_MESSAGE)


def delete_notice(session: Session, notice_id: int) -> None:
    _notice(session, notice_id)
    raise FrozenNoticeError(FROZEN_MESSAGE)


# --- issuing ------------------------------------------------------------------------------


@dataclass
class NoticeInput:
    finding_ids: list[int] = field(default_factory=list)
    party: str = ""
    party_address: str = ""
    business_id: int | None = None
    facts: str = ""
    legal_basis_ids: list[int] = field(default_factory=list)
    order_kind: str = "限期"
    deadline: dt.datetime | None = None
    correction: str = ""
    consequences: str = ""  # empty: the standard sentence citing the penalty clauses
    officer1: str = ""
    officer1_cert: str = ""
    officer2: str = ""
    officer2_cert: str = ""


def facts_text(rows: list[findings.FindingRow]) -> str:
    def clause(f: findings.FindingRow) -> str:
        what = f.description.rstrip("。；;. ")
        return f"{_when(f.found_at)}在{f.place}，{what}（{f.category}）"

    if len(rows) == 1:
        return f"经查，你（单位）于{clause(rows[0])}。"
    items = "；".join(f"（{CN_ORDINALS[i % 10]}）{clause(f)}" for i, f in enumerate(rows))
    return f"经查，你（单位）有以下行为：{items}。"


def draft_notice(session: Session, finding_ids: list[int], *,
                 now: dt.datetime | None = None) -> NoticeInput:
    """A notice pre-filled from the findings: party, facts, suggested basis and correction."""
    rows = [findings.get(session, i) for i in dict.fromkeys(finding_ids)]
    if not rows:
        return NoticeInput()
    first = rows[0]
    business = session.get(Business, first.business_id) if first.business_id else None
    categories = list(dict.fromkeys(f.category for f in rows))
    corrections = [CORRECTIONS[c] for c in categories if c in CORRECTIONS]
    deadline = _now(now).replace(hour=18, minute=0, second=0) + dt.timedelta(days=3)
    return NoticeInput(
        finding_ids=[f.id for f in rows], party=first.party,
        party_address=business.address if business else first.place,
        business_id=first.business_id, facts=facts_text(rows),
        legal_basis_ids=[b.id for b in legal.suggested(session, categories)],
        order_kind="限期", deadline=deadline, correction="；".join(corrections))


def citations(snapshots: list[dict[str, Any]]) -> tuple[str, str]:
    """("《法》第十四条、…", "《法》第三十六条第（二）项、…"): what is broken, what orders the fix."""
    def title(s: dict[str, Any]) -> str:
        return f"《{s['law']}》"

    broken = "、".join(title(s) + s["article"] for s in snapshots)
    penalties = "、".join(dict.fromkeys(title(s) + s["penalty_article"]
                                        for s in snapshots if s.get("penalty_article")))
    return broken, penalties or broken


def default_consequences(snapshots: list[dict[str, Any]]) -> str:
    _broken, penalties = citations(snapshots)
    return f"逾期不改正的，本机关将依据{penalties}的规定，依法作出行政处罚决定。"


def basis_text(snapshots: list[dict[str, Any]]) -> str:
    parts = []
    for s in snapshots:
        text = f"《{s['law']}》{s['article']}：{s['text']}"
        if s.get("penalty"):
            text += f"\n罚则：{s['penalty']}"
        parts.append(text)
    return "\n".join(parts)


def _officers(values: dict[str, Any], errors: dict[str, str], data: Any) -> None:
    for key, limit in (("officer1", 50), ("officer1_cert", 30), ("officer2", 50),
                       ("officer2_cert", 30)):
        values[key] = clean_prose(getattr(data, key) or "")
        if len(values[key]) > limit:
            errors[key] = f"不能超过{limit}个字"
    for n in ("1", "2"):
        if not values[f"officer{n}"] or not values[f"officer{n}_cert"]:
            errors[f"officer{n}"] = "须由两名执法人员签名，并分别填写执法证号"
    if values["officer1"] and values["officer1"] == values["officer2"]:
        errors["officer2"] = "两名执法人员不能是同一人"
    elif values["officer1_cert"] and values["officer1_cert"] == values["officer2_cert"]:
        errors["officer2_cert"] = "两名执法人员的执法证号不能相同"


def _current_notice_id(session: Session, finding_id: int) -> int | None:
    return session.scalars(
        select(Notice.id).join(NoticeFinding, NoticeFinding.notice_id == Notice.id)
        .where(NoticeFinding.finding_id == finding_id, Notice.voided_at.is_(None))
        .order_by(Notice.issued_at.desc(), Notice.id.desc()).limit(1)).first()


def issue_notice(session: Session, data: NoticeInput, *, user: str = "",
                 now: dt.datetime | None = None) -> NoticeRow:
    """Issue the notice: number taken in this transaction, findings set to 已告知, then frozen."""
    moment = _now(now)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    rows: list[Finding] = []
    for finding_id in dict.fromkeys(data.finding_ids):
        row = session.get(Finding, finding_id)
        if row is None:
            errors["finding_ids"] = f"问题记录（编号{finding_id}）不存在"
        elif row.status not in NOTICEABLE:
            errors["finding_ids"] = (f"问题“{row.category}，{row.place}”当前为“{row.status}”，"
                                     "不能签发通知书")
        else:
            rows.append(row)
    if not data.finding_ids:
        errors["finding_ids"] = "请选择通知书所涉及的问题"
    for key, limit in (("party", 100), ("party_address", 200)):
        values[key] = clean_prose(getattr(data, key) or "")
        if len(values[key]) > limit:
            errors[key] = f"不能超过{limit}个字"
    if not values["party"]:
        errors["party"] = "请填写当事人（单位名称或姓名）"
    values["facts"] = clean_prose(data.facts)
    if not values["facts"]:
        errors["facts"] = "请填写违法事实（时间、地点、行为）"
    values["correction"] = clean_prose(data.correction)
    if not values["correction"]:
        errors["correction"] = "请填写改正内容"
    snapshots: list[dict[str, Any]] = []
    try:
        snapshots = [b.snapshot() for b in legal.citable(session, list(data.legal_basis_ids))]
    except ValidationError as exc:
        errors.update(exc.fields)
    order_kind = data.order_kind
    deadline = data.deadline.replace(second=0, microsecond=0) if data.deadline else None
    if order_kind not in ORDER_KINDS:
        errors["order_kind"] = "请选择“立即改正”或“限期改正”"
    elif order_kind == "立即":
        deadline = None
    elif deadline is None:
        errors["deadline"] = "限期改正的，请填写改正期限（日期和时间）"
    elif deadline <= moment:
        errors["deadline"] = f"改正期限（{_when(deadline)}）已过，应晚于签发时间"
    _officers(values, errors, data)
    if errors:
        raise ValidationError(errors)

    business_ids = {r.business_id for r in rows}
    business_id = business_ids.pop() if len(business_ids) == 1 else data.business_id
    related = [nid for r in rows if r.status == "复查不合格"
               for nid in [_current_notice_id(session, r.id)] if nid]
    consequences = clean_prose(data.consequences) or default_consequences(snapshots)
    office = get_office(session)
    seq, number = numbering.allocate(session, KIND, moment.year)
    notice = Notice(
        kind=KIND, year=moment.year, seq=seq, number=number, issued_at=moment,
        business_id=business_id, legal_basis_text=basis_text(snapshots), order_kind=order_kind,
        deadline=deadline, related_notice_id=max(related) if related else None,
        body={"legal_basis": snapshots, "consequences": consequences,
              "office": {"name": office.name, "phone": office.phone, "address": office.address},
              # Voiding puts each finding back where it was.
              "finding_status_before": {
                  str(r.id): [r.status, r.deadline.isoformat() if r.deadline else None]
                  for r in rows}},
        **values)
    session.add(notice)
    session.flush()
    for row in rows:
        session.add(NoticeFinding(notice_id=notice.id, finding_id=row.id))
        findings.apply_status(row, "已告知", now=moment)
        row.deadline = deadline.date() if deadline else moment.date()
        row.updated_by = user
    findings.flush(session)
    audit.record(session, user=user, action="issue", entity="notice", entity_id=notice.id,
                 summary=f"签发{TITLE} {number}：{notice.party}",
                 after={"number": number, "party": notice.party, "finding_ids": [r.id for r in rows],
                        "deadline": deadline, "order_kind": order_kind})
    return get(session, notice.id)


def void_notice(session: Session, notice_id: int, reason: str, *, user: str = "",
                now: dt.datetime | None = None) -> NoticeRow:
    """Void with a reason: the number stays used, the findings go back to where they were."""
    moment = _now(now)
    notice = _notice(session, notice_id)
    reason = clean_prose(reason)
    if notice.voided_at is not None:
        raise DomainError(f"通知书 {notice.number} 已于{_when(notice.voided_at)}作废")
    if not reason:
        raise ValidationError({"reason": "请填写作废原因"})
    if len(reason) > 200:
        raise ValidationError({"reason": "作废原因不能超过200个字"})
    notice.voided_at = moment
    notice.void_reason = reason
    before = (notice.body or {}).get("finding_status_before", {})
    for row in _notice_findings(session, notice.id):
        # A finding that has moved on (rechecked, closed) keeps its later state.
        if row.status in RECHECKABLE and str(row.id) in before:
            status, deadline = before[str(row.id)]
            row.status = status
            row.deadline = dt.date.fromisoformat(deadline) if deadline else None
            row.updated_by = user
    findings.flush(session)
    audit.record(session, user=user, action="void", entity="notice", entity_id=notice.id,
                 summary=f"作废通知书 {notice.number}：{reason}",
                 after={"voided_at": moment, "void_reason": reason})
    return get(session, notice.id)


# --- delivery (送达回证) --------------------------------------------------------------------


@dataclass
class DeliveryInput:
    method: str = "直接"
    recipient: str = ""
    relation: str = "本人"
    place: str = ""
    delivered_at: dt.datetime | None = None
    refused: bool = False
    witness: str = ""
    deliverer: str = ""
    remarks: str = ""


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    notice_id: int
    method: str
    recipient: str
    relation: str
    place: str
    delivered_at: dt.datetime
    refused: bool
    witness: str
    deliverer: str
    remarks: str

    @property
    def method_label(self) -> str:
        return DELIVERY_METHODS.get(self.method, self.method)


def _delivery_row(d: Delivery) -> DeliveryRow:
    return DeliveryRow(d.id, d.notice_id, d.method, d.recipient, d.relation, d.place,
                       d.delivered_at, d.refused, d.witness, d.deliverer, d.remarks)


def record_delivery(session: Session, notice_id: int, data: DeliveryInput, *, user: str = "",
                    now: dt.datetime | None = None) -> DeliveryRow:
    """Record how the notice reached the party; its findings are then 整改中."""
    moment = _now(now)
    notice = _notice(session, notice_id)
    if notice.voided_at is not None:
        raise DomainError(f"通知书 {notice.number} 已作废，不能登记送达")
    if session.scalars(select(Delivery.id).where(Delivery.notice_id == notice.id)).first():
        raise DomainError(f"通知书 {notice.number} 已登记送达")
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, limit in (("recipient", 50), ("relation", 20), ("place", 200), ("witness", 50),
                       ("deliverer", 100), ("remarks", 500)):
        values[key] = clean_prose(getattr(data, key) or "")
        if len(values[key]) > limit:
            errors[key] = f"不能超过{limit}个字"
    method = data.method
    refused = bool(data.refused) or method == "留置"
    if method not in DELIVERY_METHODS:
        errors["method"] = "请选择送达方式：直接、留置、邮寄或电子送达"
    elif refused and method != "留置":
        errors["method"] = "受送达人拒绝签收的，应采用留置送达，并由见证人签名"
    elif method == "留置" and not values["witness"]:
        errors["witness"] = "留置送达须有见证人，请填写见证人姓名"
    elif method in ("直接", "留置") and not values["recipient"]:
        errors["recipient"] = "请填写受送达人（或代收人）姓名"
    elif method == "邮寄" and not values["place"]:
        errors["place"] = "邮寄送达请填写邮寄地址"
    elif method == "电子" and not values["place"]:
        errors["place"] = "电子送达请填写接收的手机号码或电子邮箱"
    if method in ("直接", "留置") and not values["place"]:
        values["place"] = notice.party_address
    if not values["deliverer"]:
        errors["deliverer"] = "请填写送达人"
    at = data.delivered_at.replace(microsecond=0) if data.delivered_at else None
    if at is None:
        errors["delivered_at"] = "请填写送达时间"
    elif at < notice.issued_at:
        errors["delivered_at"] = "送达时间不能早于通知书签发时间"
    elif at > moment + dt.timedelta(minutes=10):
        errors["delivered_at"] = "送达时间不能晚于现在"
    if errors:
        raise ValidationError(errors)
    if refused and not values["remarks"]:
        values["remarks"] = (f"受送达人拒绝签收，送达人于{_when(at)}将文书留置于{values['place']}，"
                             f"见证人{values['witness']}在场。")
    row = Delivery(notice_id=notice.id, method=method, delivered_at=at, refused=refused, **values)
    session.add(row)
    for finding in _notice_findings(session, notice.id):
        if finding.status == "已告知":
            findings.apply_status(finding, "整改中", now=moment)
            finding.updated_by = user
    findings.flush(session)
    audit.record(session, user=user, action="deliver", entity="notice", entity_id=notice.id,
                 summary=f"送达通知书 {notice.number}（{DELIVERY_METHODS[method]}）",
                 after={"method": method, "recipient": row.recipient, "delivered_at": at,
                        "refused": refused, "witness": row.witness})
    return _delivery_row(row)


def delivery_for(session: Session, notice_id: int) -> DeliveryRow | None:
    row = session.scalars(select(Delivery).where(Delivery.notice_id == notice_id)
                          .order_by(Delivery.id.desc()).limit(1)).first()
    return _delivery_row(row) if row else None


# --- recheck (整改复查意见书) -----------------------------------------------------------------


@dataclass
class RecheckInput:
    checked_at: dt.datetime | None = None
    passed: bool = True
    opinion: str = ""
    officer1: str = ""
    officer1_cert: str = ""
    officer2: str = ""
    officer2_cert: str = ""
    close: bool = True  # a passed recheck closes the finding (销号) at once


@dataclass(frozen=True)
class RecheckRow:
    id: int
    number: str
    finding_id: int
    category: str
    place: str
    notice_id: int | None
    notice_number: str
    notice_issued_at: dt.datetime | None
    notice_deadline: dt.datetime | None
    correction: str
    party: str
    party_address: str
    checked_at: dt.datetime
    passed: bool
    opinion: str
    officer1: str
    officer1_cert: str
    officer2: str
    officer2_cert: str
    office_name: str
    finding_status: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("notice_issued_at", "notice_deadline", "checked_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def record_recheck(session: Session, finding_id: int, version: int, data: RecheckInput, *,
                   user: str = "", now: dt.datetime | None = None) -> RecheckRow:
    """Record the recheck with its own number: 复查合格 (then 销号) or 复查不合格."""
    moment = _now(now)
    row = findings.locked(session, finding_id, version)
    findings.check_move(row.status, "复查合格" if data.passed else "复查不合格")
    notice_id = _current_notice_id(session, row.id)
    if notice_id is None:
        raise DomainError("该问题没有有效的责令改正通知书，不能登记复查")
    notice = _notice(session, notice_id)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    _officers(values, errors, data)
    opinion = clean_prose(data.opinion) or (
        "经复查，当事人已按要求完成整改，予以销号。" if data.passed
        else "经复查，当事人未按要求完成整改。")
    at = data.checked_at.replace(microsecond=0) if data.checked_at else None
    if at is None:
        errors["checked_at"] = "请填写复查时间"
    elif at < notice.issued_at:
        errors["checked_at"] = "复查时间不能早于通知书签发时间"
    elif at > moment + dt.timedelta(minutes=10):
        errors["checked_at"] = "复查时间不能晚于现在"
    if errors:
        raise ValidationError(errors)
    assert at is not None
    _seq, number = numbering.allocate(session, RECHECK_KIND, at.year)
    recheck = Recheck(finding_id=row.id, notice_id=notice.id, number=number, checked_at=at,
                      passed=bool(data.passed), opinion=opinion,
                      officers=f"{values['officer1']}、{values['officer2']}", **values)
    session.add(recheck)
    before = row.status
    findings.apply_status(row, "复查合格" if data.passed else "复查不合格", now=moment)
    if data.passed and data.close:
        findings.apply_status(row, "销号", now=moment)
    row.updated_by = user
    findings.flush(session)
    audit.record(session, user=user, action="recheck", entity="finding", entity_id=row.id,
                 summary=f"复查 {number}：{'合格' if data.passed else '不合格'}",
                 before={"status": before},
                 after={"status": row.status, "number": number, "opinion": opinion})
    return recheck_by_numbers(session, [number])[0]


def _recheck_select() -> Select[Any]:
    return (select(Recheck, Finding, Notice)
            .join(Finding, Finding.id == Recheck.finding_id)
            .outerjoin(Notice, Notice.id == Recheck.notice_id))


def _recheck_row(r: Recheck, f: Finding, n: Notice | None) -> RecheckRow:
    office = ((n.body or {}).get("office") or {}) if n else {}
    return RecheckRow(
        r.id, r.number or "", f.id, f.category, f.place, n.id if n else None,
        n.number if n else "", n.issued_at if n else None, n.deadline if n else None,
        n.correction if n else "", n.party if n else f.person, n.party_address if n else f.place,
        r.checked_at, r.passed, r.opinion, r.officer1, r.officer1_cert, r.officer2,
        r.officer2_cert, office.get("name", ""), f.status)


def recheck_by_numbers(session: Session, numbers: list[str]) -> list[RecheckRow]:
    found = {r.number: _recheck_row(r, f, n) for r, f, n in session.execute(
        _recheck_select().where(Recheck.number.in_(numbers)))}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise NotFoundError(f"找不到编号为 {'、'.join(missing)} 的整改复查意见书")
    return [found[n] for n in numbers]


def rechecks_for(session: Session, finding_id: int) -> list[RecheckRow]:
    return [_recheck_row(*r) for r in session.execute(
        _recheck_select().where(Recheck.finding_id == finding_id).order_by(Recheck.checked_at))]


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    id: int
    number: str
    year: int
    seq: int
    issued_at: dt.datetime
    business_id: int | None
    business: str
    community: str
    party: str
    party_address: str
    facts: str
    legal_basis: list[dict[str, Any]]
    legal_basis_text: str
    order_kind: str
    deadline: dt.datetime | None
    correction: str
    consequences: str
    officer1: str
    officer1_cert: str
    officer2: str
    officer2_cert: str
    related_notice_id: int | None
    office_name: str
    office_phone: str
    office_address: str
    finding_ids: list[int]
    categories: list[str]
    voided_at: dt.datetime | None
    void_reason: str
    delivered_at: dt.datetime | None

    @property
    def status(self) -> str:
        return "voided" if self.voided_at else "issued"

    @property
    def status_label(self) -> str:
        return "已作废" if self.voided_at else "有效"

    @property
    def order_label(self) -> str:
        return ORDER_KINDS.get(self.order_kind, self.order_kind)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("issued_at", "deadline", "voided_at", "delivered_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data.update(status=self.status, status_label=self.status_label,
                    order_label=self.order_label)
        return data


def _notice(session: Session, notice_id: int) -> Notice:
    row = session.get(Notice, notice_id)
    if row is None:
        raise NotFoundError("该通知书不存在")
    return row


def _notice_findings(session: Session, notice_id: int) -> list[Finding]:
    return list(session.scalars(
        select(Finding).join(NoticeFinding, NoticeFinding.finding_id == Finding.id)
        .where(NoticeFinding.notice_id == notice_id).order_by(Finding.id)))


_FC = aliased(Community)


def _first_delivery() -> Any:
    return (select(func.min(Delivery.delivered_at)).where(Delivery.notice_id == Notice.id)
            .scalar_subquery())


def _community() -> Any:
    # The community of the notice's (first) finding: a notice to a person has no business.
    return (select(_FC.name).join(Finding, Finding.community_id == _FC.id)
            .join(NoticeFinding, NoticeFinding.finding_id == Finding.id)
            .where(NoticeFinding.notice_id == Notice.id)
            .order_by(Finding.id).limit(1).scalar_subquery())


def _select() -> Select[Any]:
    return (select(Notice, Business.name, _community(), _first_delivery())
            .outerjoin(Business, Business.id == Notice.business_id)
            .where(Notice.kind == KIND))


def _rows(session: Session, found: list[Any]) -> list[NoticeRow]:
    ids = [n.id for n, *_ in found]
    links: dict[int, list[tuple[int, str]]] = {}
    if ids:
        for notice_id, finding_id, category in session.execute(
                select(NoticeFinding.notice_id, Finding.id, Finding.category)
                .join(Finding, Finding.id == NoticeFinding.finding_id)
                .where(NoticeFinding.notice_id.in_(ids)).order_by(Finding.id)):
            links.setdefault(notice_id, []).append((finding_id, category))
    out = []
    for n, business, community, delivered in found:
        body = n.body or {}
        office = body.get("office") or {}
        linked = links.get(n.id, [])
        out.append(NoticeRow(
            n.id, n.number, n.year, n.seq, n.issued_at, n.business_id, business or "",
            community or "", n.party, n.party_address, n.facts, list(body.get("legal_basis", [])),
            n.legal_basis_text, n.order_kind, n.deadline, n.correction,
            body.get("consequences", ""), n.officer1, n.officer1_cert, n.officer2,
            n.officer2_cert, n.related_notice_id, office.get("name", ""), office.get("phone", ""),
            office.get("address", ""), [f for f, _ in linked],
            list(dict.fromkeys(c for _, c in linked)), n.voided_at, n.void_reason, delivered))
    return out


def get(session: Session, notice_id: int) -> NoticeRow:
    found = session.execute(_select().where(Notice.id == notice_id)).all()
    if not found:
        raise NotFoundError("该通知书不存在")
    return _rows(session, found)[0]


def by_numbers(session: Session, numbers: list[str]) -> list[NoticeRow]:
    """Notices in the order the numbers were given; an unknown number is an error."""
    rows = {r.number: r for r in _rows(session, session.execute(
        _select().where(Notice.number.in_(numbers))).all())}
    missing = [n for n in numbers if n not in rows]
    if missing:
        raise NotFoundError(f"找不到编号为 {'、'.join(missing)} 的责令改正通知书")
    return [rows[n] for n in numbers]


def for_finding(session: Session, finding_id: int) -> list[NoticeRow]:
    found = session.execute(_select().join(NoticeFinding, NoticeFinding.notice_id == Notice.id)
                            .where(NoticeFinding.finding_id == finding_id)
                            .order_by(Notice.issued_at)).all()
    return _rows(session, found)


NOTICE_FILTERS = ("issued", "voided", "undelivered")


@dataclass(frozen=True)
class NoticeQuery:
    text: str = ""
    state: str = ""  # "", "issued" (not voided), "voided", "undelivered"
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None  # inclusive


def _filtered(query: NoticeQuery, stmt: Select[Any]) -> Select[Any]:
    if query.state == "issued":
        stmt = stmt.where(Notice.voided_at.is_(None))
    elif query.state == "voided":
        stmt = stmt.where(Notice.voided_at.is_not(None))
    elif query.state == "undelivered":
        stmt = stmt.where(Notice.voided_at.is_(None), ~select(Delivery.id).where(
            Delivery.notice_id == Notice.id).exists())
    elif query.state:
        raise ValidationError({"state": f"未知的筛选条件：{query.state}"})
    if query.issued_from:
        stmt = stmt.where(Notice.issued_at >= dt.datetime.combine(query.issued_from, dt.time()))
    if query.issued_to:
        stmt = stmt.where(Notice.issued_at < dt.datetime.combine(
            query.issued_to + dt.timedelta(days=1), dt.time()))
    term = clean_prose(query.text)
    if term:
        pattern = like_pattern(term)
        stmt = stmt.where(or_(*(func.lower(c).like(pattern, escape="\\") for c in (
            Notice.number, Notice.party, Notice.party_address, Notice.facts))))
    return stmt


def count(session: Session, query: NoticeQuery) -> int:
    stmt = select(func.count(Notice.id)).where(Notice.kind == KIND)
    return int(session.scalar(_filtered(query, stmt)) or 0)


def page(session: Session, query: NoticeQuery, offset: int = 0, limit: int = 100) -> list[NoticeRow]:
    stmt = _filtered(query, _select()).order_by(Notice.issued_at.desc(), Notice.id.desc())
    return _rows(session, session.execute(stmt.offset(offset).limit(limit)).all())


def history(session: Session, notice_id: int) -> list[audit.HistoryItem]:
    labels = {"number": "编号", "party": "当事人", "voided_at": "作废时间", "void_reason": "作废原因",
              "method": "送达方式", "recipient": "受送达人", "delivered_at": "送达时间"}
    return audit.history(session, "notice", notice_id, labels)
