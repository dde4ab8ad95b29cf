"""The rules of sign permits, explained: statuses and moves, term, sizes, 一店一牌.

Pure functions (the application dialog checks as the clerk types) and the one query the
一店一牌 rule needs; the workflow in permits.py enforces them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import SignPermit

from .agreements import add_months
from .errors import DomainError

APPLICATION_KIND = "permit_application"
ACCEPTANCE_KIND = "permit_acceptance"
DECISION_KIND = "permit_decision"
DOCUMENT_KINDS = (ACCEPTANCE_KIND, DECISION_KIND)

SIGN_TYPES = ("店招", "广告牌", "灯箱", "LED屏", "条幅", "墙体广告")
LIGHTING = ("无", "内置光源", "外置光源", "LED显示屏")
HAZARDS = ("松动", "锈蚀", "破损", "电气隐患")
REMOVAL_REASONS = ("到期", "违法设置", "安全隐患", "店铺关闭")
MAX_TERM_MONTHS = 36
EXPIRING_DAYS = 60
REMINDER_DAYS = (60, 30)
# Users and roles come later; until then the caller says in which role it acts.
APPROVER_ROLES = {"head": "科长", "admin": "管理员"}
ROLE_LABELS = {"head": "科长", "admin": "管理员", "clerk": "内勤", "inspector": "巡查队员",
               "viewer": "只读用户"}

APPLIED, ACCEPTED, NOT_ACCEPTED, SURVEYED = "申请", "已受理", "不予受理", "已勘验"
APPROVED, REFUSED, INSTALLED, EXPIRED, REMOVED = "准予", "不予许可", "已设置", "到期", "已拆除"
STATUSES = (APPLIED, ACCEPTED, NOT_ACCEPTED, SURVEYED, APPROVED, REFUSED, INSTALLED, EXPIRED,
            REMOVED)
PENDING = (APPLIED, ACCEPTED, SURVEYED)
GRANTED = (APPROVED, INSTALLED)  # in force until the end date
STANDING = (APPROVED, INSTALLED, EXPIRED)  # a sign that may be up and must be safe
DECIDED = (NOT_ACCEPTED, APPROVED, REFUSED, INSTALLED, EXPIRED, REMOVED)
HOLDING = (*PENDING, *GRANTED)  # what the 一店一牌 rule counts against a new application

TRANSITIONS: dict[str, tuple[str, ...]] = {
    APPLIED: (ACCEPTED, NOT_ACCEPTED),
    ACCEPTED: (SURVEYED, REFUSED),
    SURVEYED: (SURVEYED, APPROVED, REFUSED),
    APPROVED: (INSTALLED, EXPIRED, REMOVED),
    INSTALLED: (EXPIRED, REMOVED),
    EXPIRED: (REMOVED,),
    NOT_ACCEPTED: (), REFUSED: (), REMOVED: (),
}
ACTIONS = {ACCEPTED: "受理", NOT_ACCEPTED: "不予受理", SURVEYED: "登记现场勘验", APPROVED: "准予许可",
           REFUSED: "作出不予许可决定", INSTALLED: "登记设置验收", EXPIRED: "登记到期",
           REMOVED: "登记拆除"}

# PermitEvent.step of each workflow step.
STEP_APPLY, STEP_EDIT, STEP_ACCEPT, STEP_NOT_ACCEPT = "申请", "修改申请", "受理", "不予受理"
STEP_SURVEY, STEP_APPROVE, STEP_REFUSE, STEP_INSTALL = "现场勘验", "准予许可", "不予许可", "设置验收"
STEP_CHECK, STEP_EXPIRE, STEP_REMOVE = "安全检查", "到期", "拆除"

# Attachment owners: the application's drawings and photos, an event's photos, a check's.
DRAWING_OWNER = "permit_drawing"
PHOTO_OWNER = "permit_photo"
EVENT_OWNER = "permit_event"
CHECK_OWNER = "sign_safety_check"

FROZEN_MESSAGE = ("许可决定已作出，决定书已固定，不能再修改申请内容；"
                  "如需变更，请重新提出申请，或登记拆除后重新申请")
DEFAULT_CONDITIONS = ("按本决定载明的内容设置，不得擅自变更；招牌应当牢固安全、整洁美观，设置"
                      "完成后报本机关验收。")
SUPERVISION = ("被许可人应当做好招牌的日常维护和安全检查，发现松动、锈蚀、破损或者电气隐患的，应当"
               "立即整修或者拆除；本机关依法进行监督检查。期满需继续设置的，应当在届满三十日前"
               "重新申请，期满未续办的应当自行拆除。")


def metres(value: float) -> str:
    return f"{round(value, 2):g}"


def area_of(width: float | None, height: float | None) -> float:
    return round((width or 0) * (height or 0), 2)


def end_of_term(start: dt.date, months: int) -> dt.date:
    """A 36-month term from 2026-03-06 ends on 2029-03-05."""
    return add_months(start, months) - dt.timedelta(days=1)


def check_move(old: str, new: str) -> None:
    """Explain why `old` cannot become `new`; nothing when it can."""
    if new in TRANSITIONS.get(old, ()):
        return
    if new == APPROVED and old == ACCEPTED:
        raise DomainError("该申请尚未进行现场勘验，不能准予许可；请先登记现场勘验")
    if new in (APPROVED, REFUSED, SURVEYED) and old == APPLIED:
        raise DomainError(f"该申请尚未受理，不能{ACTIONS[new]}；请先受理")
    if not TRANSITIONS.get(old):
        raise DomainError(f"该许可已“{old}”，不能再{ACTIONS.get(new, new)}")
    allowed = "、".join(ACTIONS[s] for s in TRANSITIONS[old])
    raise DomainError(f"该许可当前为“{old}”，不能{ACTIONS.get(new, new)}（可以：{allowed}）")


# --- the rules, explained -----------------------------------------------------------------


@dataclass(frozen=True)
class RuleIssue:
    rule: str  # 一店一牌, 许可期限, 外挑尺寸, 招牌面积
    field: str  # the input field it concerns
    message: str
    level: str  # "error": refused now; "warning": cannot be approved; "note": exempted

    def as_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class OtherSign:
    id: int
    number: str
    sign_type: str
    status: str
    location: str

    def describe(self) -> str:
        return f"{self.number}，{self.sign_type}，{self.status}"


def size_issues(width: float | None, height: float | None, protrusion: float | None,
                max_protrusion: float, max_area: float) -> list[RuleIssue]:
    """Protrusion and area against the office's limits, with the numbers."""
    out = []
    if protrusion and max_protrusion and protrusion > max_protrusion + 1e-9:
        out.append(RuleIssue(
            "外挑尺寸", "protrusion_m",
            f"外挑尺寸：招牌外挑{metres(protrusion)}米，超过本办事处规定的上限"
            f"{metres(max_protrusion)}米（超出{metres(protrusion - max_protrusion)}米）", "warning"))
    area = area_of(width, height)
    if width and height and max_area and area > max_area + 1e-9:
        out.append(RuleIssue(
            "招牌面积", "area",
            f"招牌面积：宽{metres(width)}米×高{metres(height)}米＝{metres(area)}平方米，"
            f"超过本办事处规定的上限{metres(max_area)}平方米", "warning"))
    return out


def term_issue(term_months: int | None) -> RuleIssue | None:
    if term_months is not None and term_months > MAX_TERM_MONTHS:
        years = f"（约{term_months / 12:.1f}年）" if term_months % 12 else f"（{term_months // 12}年）"
        return RuleIssue("许可期限", "term_months",
                         f"许可期限：申请{term_months}个月{years}，超过了最长三年（{MAX_TERM_MONTHS}个月）"
                         "的规定，请缩短期限", "error")
    return None


def one_sign_issue(others: Sequence[OtherSign], exemption_reason: str) -> RuleIssue | None:
    """一店一牌: a second sign needs a recorded exemption reason."""
    if not others:
        return None
    listed = "、".join(f"（{o.describe()}）" for o in others)
    if exemption_reason.strip():
        return RuleIssue("一店一牌", "exemption_reason",
                         f"一店一牌：该商户已有{len(others)}块招牌{listed}，"
                         f"按豁免理由“{exemption_reason.strip()}”办理", "note")
    return RuleIssue("一店一牌", "exemption_reason",
                     f"一店一牌：该商户已有{len(others)}块招牌{listed}，同一商户原则上只设置一块招牌；"
                     "确需增设（或为原招牌续办）的，请填写豁免理由", "error")


def rule_issues(width: float | None, height: float | None, protrusion: float | None,
                term_months: int | None, max_protrusion: float, max_area: float,
                others: Sequence[OtherSign], exemption_reason: str) -> list[RuleIssue]:
    found = [term_issue(term_months), one_sign_issue(others, exemption_reason)]
    return [i for i in found if i is not None] + size_issues(
        width, height, protrusion, max_protrusion, max_area)


def other_signs(session: Session, business_id: int, *, exclude: int | None = None,
                statuses: Sequence[str] = HOLDING) -> list[OtherSign]:
    """The business's other signs that count against 一店一牌 (pending or in force)."""
    rows = session.execute(
        select(SignPermit.id, SignPermit.number, SignPermit.sign_type, SignPermit.status,
               SignPermit.location)
        .where(SignPermit.business_id == business_id, SignPermit.status.in_(list(statuses)),
               SignPermit.id != (exclude or 0))
        .order_by(SignPermit.id))
    return [OtherSign(i, n or "", t, s, loc) for i, n, t, s, loc in rows]


@dataclass
class PermitInput:
    business_id: int | None = None
    sign_type: str = "店招"
    location: str = ""  # address where the sign goes
    facade_position: str = ""  # where on the façade
    width_m: float | None = None
    height_m: float | None = None
    protrusion_m: float | None = 0.0
    material: str = ""
    lighting: str = "无"
    install_height_m: float | None = None
    term_months: int | None = MAX_TERM_MONTHS
    applied_date: dt.date | None = None
    exemption_reason: str = ""
