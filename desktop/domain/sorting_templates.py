"""Scored checklists of the sorting checks: shipped defaults, frozen versions, the admin's edits,
and the arithmetic of one score sheet (deductions, 否决项, the pass line)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import ChecklistItem, ChecklistTemplate

from . import audit
from .codes import clean_prose
from .errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError

SITE_TYPES = ("小区", "城中村", "单位", "商户", "公共场所")
GROUPS = ("宣传氛围", "设施设置", "分类质量", "日常管理", "收运衔接")
DEFAULT_FILES = {"小区": "residential.json", "城中村": "village.json", "单位": "unit.json",
                 "商户": "shop.json", "公共场所": "public.json"}
ADMIN_ROLE = "admin"  # users and roles arrive later; until then everyone is admin
DEFAULT_PASS_SCORE = 80.0
MAX_ITEMS = 60


def _round(value: float) -> float:
    return round(value + 0.0, 2)


@dataclass(frozen=True)
class ItemRow:
    id: int
    position: int
    group: str
    text: str
    criteria: str
    max_score: float
    deduct: bool  # 扣分: the sheet says how much was taken off; else how much was earned
    veto: bool  # 否决项: any deduction fails the whole check

    def earned(self, value: float) -> float:
        """Points earned for what the clerk typed from the sheet."""
        return _round(self.max_score - value if self.deduct else value)

    def entered(self, earned: float) -> float:
        """What the sheet shows for points earned (the inverse of `earned`)."""
        return _round(self.max_score - earned if self.deduct else earned)

    def as_input(self) -> ItemInput:
        return ItemInput(self.group, self.text, self.max_score, self.deduct, self.veto,
                         self.criteria)


@dataclass(frozen=True)
class TemplateRow:
    id: int
    site_type: str
    version_no: int
    title: str
    pass_score: float
    current: bool
    created_at: dt.datetime
    items: tuple[ItemRow, ...]

    @property
    def max_total(self) -> float:
        return _round(sum(i.max_score for i in self.items))

    def item(self, item_id: int) -> ItemRow:
        for candidate in self.items:
            if candidate.id == item_id:
                return candidate
        raise NotFoundError("检查表中没有该检查项")

    def label(self) -> str:
        return f"{self.title}（第{self.version_no}版，满分{self.max_total:g}，合格线{self.pass_score:g}分）"

    def as_input(self) -> TemplateInput:
        return TemplateInput(self.title, self.pass_score, [i.as_input() for i in self.items])


@dataclass
class ItemInput:
    group: str = ""
    text: str = ""
    max_score: float = 0.0
    deduct: bool = False
    veto: bool = False
    criteria: str = ""


@dataclass
class TemplateInput:
    title: str = ""
    pass_score: float = DEFAULT_PASS_SCORE
    items: list[ItemInput] = field(default_factory=list)


# --- scoring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A score sheet as far as it is filled in; `passed` is None while it could go either way."""

    total: float  # points earned on the items entered so far
    lost: float  # points taken off so far
    max_total: float
    pass_score: float
    entered: int
    items: int
    vetoed: bool
    failed_items: frozenset[int]
    passed: bool | None

    @property
    def complete(self) -> bool:
        return self.entered == self.items


def score_sheet(template: TemplateRow, earned: Mapping[int, float | None],
                items: tuple[ItemRow, ...] | None = None) -> Sheet:
    """Total, 否决项 and pass/fail of points earned per item id (None: not entered yet).

    An item "fails" (is a 问题项, rechecked later) when any point of it was lost; a 否决项
    that fails fails the whole check whatever the total.
    """
    items = template.items if items is None else items
    total = lost = 0.0
    entered = 0
    vetoed = False
    failed: set[int] = set()
    for item in items:
        value = earned.get(item.id)
        if value is None:
            continue
        entered += 1
        total += value
        lost += item.max_score - value
        if value < item.max_score - 1e-9:
            failed.add(item.id)
            vetoed = vetoed or item.veto
    max_total = sum(i.max_score for i in items)
    passed: bool | None
    if vetoed or max_total - lost < template.pass_score - 1e-9:
        passed = False  # decided already, however the rest is scored
    elif entered == len(items):
        passed = total >= template.pass_score - 1e-9
    else:
        passed = None
    return Sheet(_round(total), _round(lost), _round(max_total), template.pass_score, entered,
                 len(items), vetoed, frozenset(failed), passed)


def value_error(item: ItemRow, value: float | None) -> str:
    """The refusal for one typed value, or "" when it is fine."""
    what = "扣分" if item.deduct else "得分"
    if value is None:
        return f"第{item.position}项“{_short(item.text)}”未填写{what}"
    if value < 0 or value > item.max_score + 1e-9:
        return (f"第{item.position}项“{_short(item.text)}”的{what}应在0至{item.max_score:g}分之间"
                f"（填写了{value:g}）")
    return ""


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# --- defaults and versions ------------------------------------------------------------------


def default_template(site_type: str) -> TemplateInput:
    """The checklist shipped in resources/checklists/ for a site type."""
    from ..config import resources_dir

    path = resources_dir() / "checklists" / DEFAULT_FILES[site_type]
    data = json.loads(path.read_text(encoding="utf-8"))
    items = [ItemInput(i["group"], i["text"], float(i["max_score"]), bool(i["deduct"]),
                       bool(i["veto"]), i.get("criteria", "")) for i in data["items"]]
    return TemplateInput(data["title"], float(data.get("pass_score", DEFAULT_PASS_SCORE)), items)


def _insert(session: Session, site_type: str, version_no: int, data: TemplateInput,
            created_at: dt.datetime | None = None) -> ChecklistTemplate:
    row = ChecklistTemplate(site_type=site_type, version_no=version_no, title=data.title,
                            pass_score=data.pass_score, current=True)
    if created_at is not None:
        row.created_at = created_at
    session.add(row)
    session.flush()
    session.add_all(ChecklistItem(
        template_id=row.id, position=n, group_name=i.group, text=i.text, criteria=i.criteria,
        max_score=i.max_score, deduct=i.deduct, veto=i.veto) for n, i in enumerate(data.items, 1))
    session.flush()
    return row


def ensure_templates(session: Session, *, user: str = "", created_at: dt.datetime | None = None,
                     record: bool = True) -> None:
    """Store the shipped checklist as version 1 of every site type that has none yet
    (`record=False`: without an audit entry, for the demo data)."""
    have = set(session.scalars(select(ChecklistTemplate.site_type).distinct()))
    for site_type in SITE_TYPES:
        if site_type in have:
            continue
        data = default_template(site_type)
        try:
            with session.begin_nested():  # another clerk may be storing it at this moment
                row = _insert(session, site_type, 1, data, created_at)
        except IntegrityError:
            continue
        if record:
            audit.record(session, user=user, action="create", entity="checklist_template",
                         entity_id=row.id, summary=f"启用默认检查表：{site_type}（第1版）",
                         after=_snapshot(data))


def _to_row(t: ChecklistTemplate, items: list[ChecklistItem]) -> TemplateRow:
    return TemplateRow(
        t.id, t.site_type, t.version_no, t.title, t.pass_score, t.current, t.created_at,
        tuple(ItemRow(i.id, i.position, i.group_name, i.text, i.criteria, i.max_score, i.deduct,
                      i.veto) for i in items))


def _items(session: Session, template_ids: list[int]) -> dict[int, list[ChecklistItem]]:
    out: dict[int, list[ChecklistItem]] = {t: [] for t in template_ids}
    for item in session.scalars(select(ChecklistItem).where(
            ChecklistItem.template_id.in_(template_ids)).order_by(ChecklistItem.position)):
        out[item.template_id].append(item)
    return out


def get_template(session: Session, template_id: int) -> TemplateRow:
    row = session.get(ChecklistTemplate, template_id)
    if row is None:
        raise NotFoundError("该检查表不存在")
    return _to_row(row, _items(session, [row.id])[row.id])


def current_template(session: Session, site_type: str) -> TemplateRow:
    """The version new checks are scored on (the shipped one until an admin edits it)."""
    if site_type not in SITE_TYPES:
        raise ValidationError({"site_type": f"未知的点位类型：{site_type}"})
    row = session.scalars(select(ChecklistTemplate).where(
        ChecklistTemplate.site_type == site_type, ChecklistTemplate.current.is_(True))).first()
    if row is None:
        ensure_templates(session)
        return current_template(session, site_type)
    return _to_row(row, _items(session, [row.id])[row.id])


def current_templates(session: Session) -> dict[str, TemplateRow]:
    return {t: current_template(session, t) for t in SITE_TYPES}


def template_versions(session: Session, site_type: str) -> list[TemplateRow]:
    """Every version of a site type's checklist, newest first."""
    rows = list(session.scalars(select(ChecklistTemplate).where(
        ChecklistTemplate.site_type == site_type).order_by(ChecklistTemplate.version_no.desc())))
    items = _items(session, [r.id for r in rows])
    return [_to_row(r, items[r.id]) for r in rows]


# --- the admin's edits ----------------------------------------------------------------------


def _snapshot(data: TemplateInput) -> dict[str, Any]:
    return {"title": data.title, "pass_score": data.pass_score,
            "items": [asdict(i) for i in data.items]}


def _clean(data: TemplateInput) -> TemplateInput:
    errors: dict[str, str] = {}
    title = clean_prose(data.title)
    if not title:
        errors["title"] = "请填写检查表名称"
    elif len(title) > 100:
        errors["title"] = "检查表名称不能超过100个字"
    items: list[ItemInput] = []
    if not data.items:
        errors["items"] = "检查表至少要有一个检查项"
    elif len(data.items) > MAX_ITEMS:
        errors["items"] = f"检查项不能超过{MAX_ITEMS}个"
    for n, item in enumerate(data.items, 1):
        group, text, criteria = (clean_prose(item.group), clean_prose(item.text),
                                 clean_prose(item.criteria))
        problem = ""
        if not group or len(group) > 20:
            problem = "类别不能为空，且不超过20个字"
        elif not text or len(text) > 300:
            problem = "检查内容不能为空，且不超过300个字"
        elif len(criteria) > 300:
            problem = "评分标准不能超过300个字"
        elif not 0 < item.max_score <= 100:
            problem = "分值应大于0且不超过100分"
        if problem:
            errors[f"items.{n}"] = f"第{n}项：{problem}"
        items.append(ItemInput(group, text, _round(item.max_score), bool(item.deduct),
                               bool(item.veto), criteria))
    total = sum(i.max_score for i in items)
    if items and not 0 < data.pass_score <= total:
        errors["pass_score"] = f"合格线应大于0且不超过满分（{total:g}分）"
    if errors:
        raise ValidationError(errors)
    return TemplateInput(title, _round(data.pass_score), items)


def save_template(session: Session, site_type: str, data: TemplateInput, *, base_version_no: int,
                  user: str = "", role: str = ADMIN_ROLE) -> TemplateRow:
    """Store an edited checklist as a new version; checks already made keep their version.

    `base_version_no` is the version the admin started from: if someone saved another in the
    meantime the edit is refused rather than silently replacing theirs.
    """
    if role != ADMIN_ROLE:
        raise PermissionDeniedError("只有管理员可以修改检查表")
    current = current_template(session, site_type)
    if current.version_no != base_version_no:
        raise ConflictError(f"{site_type}检查表已被他人修改为第{current.version_no}版，"
                            "请重新打开后再修改")
    cleaned = _clean(data)
    if cleaned == current.as_input():
        return current  # nothing changed: no new version
    session.execute(update(ChecklistTemplate).where(ChecklistTemplate.site_type == site_type)
                    .values(current=False))
    row = _insert(session, site_type, current.version_no + 1, cleaned)
    audit.record(session, user=user, action="update", entity="checklist_template",
                 entity_id=row.id,
                 summary=f"修改{site_type}检查表：第{current.version_no}版 → 第{row.version_no}版",
                 before=_snapshot(current.as_input()), after=_snapshot(cleaned))
    return get_template(session, row.id)
