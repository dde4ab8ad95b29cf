"""The office profile and the numbering patterns of its documents."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import NumberingPattern, OfficeProfile

from . import audit
from .errors import ConflictError, ValidationError

# Document kinds that carry a number, with their default patterns.
DEFAULT_PATTERNS: dict[str, tuple[str, str]] = {
    "agreement": ("门前三包责任书", "X街门前三包〔{year}〕第{seq:04d}号"),
    "permit_application": ("招牌设置申请", "X街招申〔{year}〕第{seq:04d}号"),
    "permit_acceptance": ("受理通知书", "X街招受〔{year}〕第{seq:04d}号"),
    "permit_decision": ("许可决定书", "X街招许〔{year}〕第{seq:04d}号"),
    "notice": ("责令改正通知书", "X城管责改〔{year}〕第{seq:04d}号"),
    "recheck": ("整改复查意见书", "X城管复查〔{year}〕第{seq:04d}号"),
}
PATTERN_FIELDS = {"year", "seq"}


@dataclass
class OfficeData:
    name: str = "X街道办事处"
    short_name: str = "X街"
    district: str = "X区"
    department: str = "城市管理办公室"
    phone: str = ""
    address: str = ""
    seal_text: str = "X街道办事处"
    agreement_term_months: int = 12
    agreement_copies: int = 2
    sign_max_protrusion_m: float = 1.2
    sign_max_area_m2: float = 30.0
    agreement_duties: list[dict[str, str]] = field(default_factory=list)
    version: int = 0


_OFFICE_FIELDS = [f.name for f in fields(OfficeData) if f.name != "version"]


def _office_row(session: Session) -> OfficeProfile | None:
    return session.scalars(select(OfficeProfile).order_by(OfficeProfile.id).limit(1)).first()


def get_office(session: Session) -> OfficeData:
    row = _office_row(session)
    if row is None:
        return OfficeData()
    data = OfficeData(**{name: getattr(row, name) for name in _OFFICE_FIELDS})
    data.version = row.version
    return data


def save_office(session: Session, data: OfficeData, *, user: str = "") -> OfficeData:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "请填写街道办事处名称"
    if not 1 <= data.agreement_term_months <= 60:
        errors["agreement_term_months"] = "责任书期限应在1至60个月之间"
    if data.agreement_copies not in (2, 3):
        errors["agreement_copies"] = "责任书份数应为两份或三份"
    if errors:
        raise ValidationError(errors)
    row = _office_row(session)
    before = None
    if row is None:
        row = OfficeProfile()
        session.add(row)
    else:
        if data.version and row.version != data.version:
            raise ConflictError(f"办事处信息已被{row.updated_by or '他人'}修改，请刷新后再保存")
        before = {name: getattr(row, name) for name in _OFFICE_FIELDS}
    for name in _OFFICE_FIELDS:
        value = getattr(data, name)
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.updated_by = user
    session.flush()
    audit.record(session, user=user, action="update" if before else "create", entity="office",
                 entity_id=row.id, summary="办事处信息", before=before,
                 after={name: getattr(row, name) for name in _OFFICE_FIELDS})
    return get_office(session)


def validate_pattern(pattern: str) -> None:
    """Only {year} and {seq} (with a format spec) may appear, and {seq} must."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValidationError({"pattern": f"编号格式有误：{exc}"}) from exc
    names = {name for _, name, _, _ in parsed if name is not None}
    unknown = names - PATTERN_FIELDS
    if unknown:
        raise ValidationError({"pattern": f"编号格式只能使用 {{year}} 和 {{seq}}，不认识：{'、'.join(sorted(unknown))}"})
    if "seq" not in names:
        raise ValidationError({"pattern": "编号格式必须包含序号 {seq}，例如 第{seq:04d}号"})
    try:
        pattern.format(year=2026, seq=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError({"pattern": f"编号格式有误：{exc}"}) from exc


def number_pattern(session: Session, kind: str) -> str:
    row = session.scalars(select(NumberingPattern).where(NumberingPattern.kind == kind)).first()
    if row is not None:
        return row.pattern
    return DEFAULT_PATTERNS[kind][1]


def format_number(pattern: str, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


@dataclass
class PatternData:
    kind: str
    label: str
    pattern: str


def list_patterns(session: Session) -> list[PatternData]:
    stored = {r.kind: r for r in session.scalars(select(NumberingPattern))}
    out = []
    for kind, (label, default) in DEFAULT_PATTERNS.items():
        row = stored.get(kind)
        out.append(PatternData(kind, label, row.pattern if row else default))
    return out


def set_pattern(session: Session, kind: str, pattern: str, *, user: str = "") -> None:
    if kind not in DEFAULT_PATTERNS:
        raise ValidationError({"kind": f"未知的文书种类：{kind}"})
    pattern = pattern.strip()
    validate_pattern(pattern)
    row = session.scalars(select(NumberingPattern).where(NumberingPattern.kind == kind)).first()
    before = row.pattern if row else DEFAULT_PATTERNS[kind][1]
    if row is None:
        row = NumberingPattern(kind=kind, label=DEFAULT_PATTERNS[kind][0], pattern=pattern)
        session.add(row)
    row.pattern = pattern
    row.updated_by = user
    session.flush()
    audit.record(session, user=user, action="update", entity="numbering_pattern", entity_id=row.id,
                 summary=f"编号格式：{row.label}", before={"pattern": before}, after={"pattern": pattern})


def office_as_dict(data: OfficeData) -> dict[str, object]:
    return asdict(data)
