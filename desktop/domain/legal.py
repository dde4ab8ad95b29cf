"""The legal-basis library (法律依据): articles a notice may cite, confirmed by an admin."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.models import LegalBasis

from . import audit
from .codes import clean_prose
from .errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError

ADMIN_ROLE = "admin"
MAX_LEN = {"law": 100, "article": 50}
# "第三十六条第（二）项：…" → the article reference at the head of a penalty clause.
_ARTICLE_HEAD = re.compile(r"^(第[^条]{1,8}条(?:第[^款]{1,4}款)?(?:第（[^）]{1,4}）项)?)")
_CONTENT_FIELDS = ("law", "article", "text", "penalty")


@dataclass
class LegalBasisInput:
    law: str = ""
    article: str = ""
    text: str = ""
    penalty: str = ""
    categories: list[str] = field(default_factory=list)
    active: bool = True


@dataclass(frozen=True)
class LegalBasisRow:
    id: int
    law: str
    article: str
    text: str
    penalty: str
    categories: list[str]
    confirmed: bool
    active: bool
    version: int

    @property
    def law_title(self) -> str:
        """The law's name in title marks, as cited: 《城市市容和环境卫生管理条例》."""
        return f"《{self.law.strip('《》')}》"

    @property
    def citation(self) -> str:
        return f"{self.law_title}{self.article}"

    @property
    def penalty_article(self) -> str:
        """The article the penalty clause starts with, or "" when it names none."""
        found = _ARTICLE_HEAD.match(self.penalty.strip())
        return found.group(1) if found else ""

    def snapshot(self) -> dict[str, Any]:
        """What a notice keeps of the entry, so later edits never change an issued notice."""
        return {"id": self.id, "law": self.law, "article": self.article, "text": self.text,
                "penalty": self.penalty, "penalty_article": self.penalty_article}

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["citation"] = self.citation
        return data


def _row(b: LegalBasis) -> LegalBasisRow:
    return LegalBasisRow(b.id, b.law, b.article, b.text, b.penalty, list(b.categories or []),
                         b.confirmed, b.active, b.version)


def _content(b: LegalBasis) -> dict[str, Any]:
    return {"law": b.law, "article": b.article, "text": b.text, "penalty": b.penalty,
            "categories": list(b.categories or []), "confirmed": b.confirmed, "active": b.active}


def _clean(data: LegalBasisInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in ("law", "article", "text", "penalty"):
        values[key] = clean_prose(getattr(data, key) or "")
    values["law"] = values["law"].strip("《》")
    for key, limit in MAX_LEN.items():
        if len(values[key]) > limit:
            errors[key] = f"不能超过{limit}个字"
    if not values["law"]:
        errors["law"] = "请填写法律法规名称"
    if not values["article"]:
        errors["article"] = "请填写条款（如 第十四条）"
    if not values["text"]:
        errors["text"] = "请填写条文内容"
    categories = []
    for c in data.categories:
        c = clean_prose(c)
        if c and c not in categories:
            categories.append(c)
    values["categories"] = categories
    values["active"] = bool(data.active)
    if errors:
        raise ValidationError(errors)
    return values


def _locked(session: Session, basis_id: int, version: int) -> LegalBasis:
    row = session.get(LegalBasis, basis_id)
    if row is None:
        raise NotFoundError("该法律依据不存在")
    if row.version != version:
        raise ConflictError(f"该法律依据已被{row.updated_by or '其他用户'}修改，请刷新后重试")
    return row


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError("该法律依据已被其他用户修改，请刷新后重试") from exc


def _duplicate(session: Session, law: str, article: str, exclude: int | None) -> None:
    clash = session.scalars(select(LegalBasis.id).where(
        LegalBasis.law == law, LegalBasis.article == article,
        LegalBasis.id != (exclude or 0))).first()
    if clash is not None:
        raise ValidationError({"article": f"《{law}》{article}已在法律依据库中"})


# --- changes ------------------------------------------------------------------------------


def create(session: Session, data: LegalBasisInput, *, user: str = "") -> LegalBasisRow:
    """A new entry; it starts unconfirmed whoever adds it, until an admin confirms it."""
    values = _clean(data)
    _duplicate(session, values["law"], values["article"], None)
    row = LegalBasis(confirmed=False, updated_by=user, **values)
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="create", entity="legal_basis", entity_id=row.id,
                 summary=f"新增法律依据：《{row.law}》{row.article}", after=_content(row))
    return _row(row)


def update(session: Session, basis_id: int, version: int, data: LegalBasisInput, *,
           user: str = "") -> LegalBasisRow:
    """Edit an entry. A changed wording must be confirmed again before notices cite it."""
    row = _locked(session, basis_id, version)
    values = _clean(data)
    _duplicate(session, values["law"], values["article"], row.id)
    before = _content(row)
    reworded = any(values[k] != getattr(row, k) for k in _CONTENT_FIELDS)
    for key, value in values.items():
        setattr(row, key, value)
    if reworded:
        row.confirmed = False
    row.updated_by = user
    _flush(session)
    audit.record(session, user=user, action="update", entity="legal_basis", entity_id=row.id,
                 summary=f"修改法律依据：《{row.law}》{row.article}", before=before,
                 after=_content(row))
    return _row(row)


def confirm(session: Session, basis_id: int, version: int, *, user: str, role: str,
            confirmed: bool = True) -> LegalBasisRow:
    """An admin vouches for (or withdraws) the wording; only confirmed entries can be cited."""
    if role != ADMIN_ROLE:
        raise PermissionDeniedError("只有管理员可以确认或撤销确认法律依据")
    row = _locked(session, basis_id, version)
    if row.confirmed == confirmed:
        return _row(row)
    before = _content(row)
    row.confirmed = confirmed
    row.updated_by = user
    _flush(session)
    audit.record(session, user=user, action="confirm" if confirmed else "unconfirm",
                 entity="legal_basis", entity_id=row.id,
                 summary=f"{'确认' if confirmed else '撤销确认'}法律依据：《{row.law}》{row.article}",
                 before=before, after=_content(row))
    return _row(row)


def shipped_entries() -> list[LegalBasisInput]:
    """The starting set shipped in resources/legal_basis.json."""
    from ..config import resources_dir

    raw = json.loads((resources_dir() / "legal_basis.json").read_text(encoding="utf-8"))
    return [LegalBasisInput(**item) for item in raw]


def seed_legal_basis(session: Session, *, user: str = "", confirmed: bool = False) -> int:
    """Add the shipped entries the library lacks (by law and article); returns how many.

    Existing entries are left alone, so an admin's corrections survive a second run.
    Shipped wording is unconfirmed unless the caller (the demo) says otherwise.
    """
    have = {(law, article) for law, article in session.execute(
        select(LegalBasis.law, LegalBasis.article))}
    added = 0
    for entry in shipped_entries():
        values = _clean(entry)
        if (values["law"], values["article"]) in have:
            continue
        row = LegalBasis(confirmed=confirmed, updated_by=user, **values)
        session.add(row)
        session.flush()
        have.add((row.law, row.article))
        added += 1
        audit.record(session, user=user, action="create", entity="legal_basis", entity_id=row.id,
                     summary=f"载入法律依据：《{row.law}》{row.article}", after=_content(row))
    return added


# --- reading ------------------------------------------------------------------------------


def get(session: Session, basis_id: int) -> LegalBasisRow:
    row = session.get(LegalBasis, basis_id)
    if row is None:
        raise NotFoundError("该法律依据不存在")
    return _row(row)


def list_entries(session: Session, *, category: str = "", confirmed_only: bool = False,
                 include_inactive: bool = False) -> list[LegalBasisRow]:
    """The library, optionally only what fits a finding category (general entries always fit)."""
    stmt = select(LegalBasis).order_by(LegalBasis.law, LegalBasis.id)
    if confirmed_only:
        stmt = stmt.where(LegalBasis.confirmed.is_(True))
    if not include_inactive:
        stmt = stmt.where(LegalBasis.active.is_(True))
    rows = [_row(b) for b in session.scalars(stmt)]
    if category:
        rows = [r for r in rows if category in r.categories]
    return rows


def citable(session: Session, basis_ids: list[int]) -> list[LegalBasisRow]:
    """The entries a notice is about to cite, refusing any that are unconfirmed or retired."""
    if not basis_ids:
        raise ValidationError({"legal_basis_ids": "请选择至少一条法律依据"})
    rows = {b.id: b for b in session.scalars(select(LegalBasis).where(LegalBasis.id.in_(basis_ids)))}
    problems = []
    for basis_id in dict.fromkeys(basis_ids):
        b = rows.get(basis_id)
        if b is None:
            problems.append(f"法律依据（编号{basis_id}）不存在")
        elif not b.active:
            problems.append(f"《{b.law}》{b.article}已停用，不能引用")
        elif not b.confirmed:
            problems.append(f"《{b.law}》{b.article}尚未经管理员确认，不能引用")
    if problems:
        raise ValidationError({"legal_basis_ids": "；".join(problems)})
    return [_row(rows[i]) for i in dict.fromkeys(basis_ids)]


def suggested(session: Session, categories: list[str]) -> list[LegalBasisRow]:
    """Confirmed entries for the given finding categories, for pre-filling a notice."""
    rows = list_entries(session, confirmed_only=True)
    return [r for r in rows if set(r.categories) & set(categories)]


def history(session: Session, basis_id: int) -> list[audit.HistoryItem]:
    labels = {"law": "法律法规", "article": "条款", "text": "条文", "penalty": "罚则",
              "categories": "适用问题类别", "confirmed": "已确认", "active": "启用"}
    return audit.history(session, "legal_basis", basis_id, labels)
