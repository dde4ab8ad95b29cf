"""SQLAlchemy models: every table of the ledger, typed with Mapped[...]."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# Stable constraint names so Alembic batch migrations can find them on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Search structures made by raw SQL in migrations, which the models do not describe.
SEARCH_OBJECTS = ("business_fts", "ix_business_search_trgm")


def include_in_schema_compare(obj: Any, name: str | None, type_: str, reflected: bool,
                              compare_to: Any) -> bool:
    return not (name or "").startswith(SEARCH_OBJECTS)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Versioned:
    """Editable rows carry a version; a save over a newer save raises StaleDataError."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    updated_by: Mapped[str] = mapped_column(String(50), default="")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


# --- office, divisions, numbering ---------------------------------------------------------


class OfficeProfile(Versioned, Base):
    """The one row describing the street office that runs the app."""

    __tablename__ = "office_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    short_name: Mapped[str] = mapped_column(String(20), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    seal_text: Mapped[str] = mapped_column(String(100), default="")
    agreement_term_months: Mapped[int] = mapped_column(Integer, default=12)
    agreement_copies: Mapped[int] = mapped_column(Integer, default=2)
    sign_max_protrusion_m: Mapped[float] = mapped_column(Float, default=1.2)
    sign_max_area_m2: Mapped[float] = mapped_column(Float, default=30.0)
    # [{"group": "三包"|"五包", "title": ..., "text": ...}]; empty → the shipped defaults
    agreement_duties: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class NumberingPattern(Versioned, Base):
    """How documents of one kind are numbered, e.g. X城管责改〔{year}〕第{seq:04d}号."""

    __tablename__ = "numbering_pattern"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), unique=True)
    label: Mapped[str] = mapped_column(String(50))
    pattern: Mapped[str] = mapped_column(String(100))


class NumberSequence(Base):
    """Last number handed out per kind and year; bumped inside the issuing transaction."""

    __tablename__ = "number_sequence"
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Community(Versioned, Base):
    __tablename__ = "community"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    code: Mapped[str] = mapped_column(String(20), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    grids: Mapped[list[Grid]] = relationship(back_populates="community", order_by="Grid.sort_order")


class Grid(Versioned, Base):
    __tablename__ = "grid"
    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    keeper: Mapped[str] = mapped_column(String(50), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    community: Mapped[Community] = relationship(back_populates="grids")


# --- businesses ---------------------------------------------------------------------------


class Business(Versioned, Base):
    __tablename__ = "business"
    # Covers the per-community, per-grid counts of the signing rate and the summaries.
    __table_args__ = (
        Index("ix_business_rate", "status", "active", "community_id", "grid_id"),
        # The ledger sorts by 最近修改 too; without it every page sorted 200,000 rows.
        Index("ix_business_updated_at", "updated_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    # NULL when unknown: many may lack a code, no two may share one
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    legacy_code: Mapped[bool] = mapped_column(Boolean, default=False)
    operator: Mapped[str] = mapped_column(String(50), default="", index=True)
    phone: Mapped[str] = mapped_column(String(30), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="", index=True)
    category: Mapped[str] = mapped_column(String(30), default="", index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="营业", index=True)
    licence_displayed: Mapped[bool] = mapped_column(Boolean, default=True)
    initials: Mapped[str] = mapped_column(String(100), default="", index=True)
    # The pinyin the ledger sorts 名称 by (textkeys.name_sort), compared byte by byte on both
    # databases as it is built to be: a locale collation may weigh its spaces and tab otherwise.
    name_sort: Mapped[str] = mapped_column(
        String(800).with_variant(String(800, collation="C"), "postgresql"),
        default="", server_default="", index=True)
    # name|initials|code|address|operator|phone in one column: one scan answers the search box
    search_text: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    community: Mapped[Community] = relationship()
    grid: Mapped[Grid | None] = relationship()


class ImportBatch(Base):
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(30), default="businesses")
    imported: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str | None] = mapped_column(String(50))
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ImportMapping(Base):
    """A confirmed column mapping, remembered by the header signature of the file."""

    __tablename__ = "import_mapping"
    id: Mapped[int] = mapped_column(primary_key=True)
    header_key: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- 门前三包 ------------------------------------------------------------------------------


class FrontageAgreement(Versioned, Base):
    __tablename__ = "frontage_agreement"
    # Covers the "valid at date D" probe the signing rate makes once per business.
    __table_args__ = (
        Index("ix_frontage_agreement_valid", "business_id", "status", "start_date", "end_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"), index=True)
    area_east: Mapped[str] = mapped_column(String(100), default="")
    area_west: Mapped[str] = mapped_column(String(100), default="")
    area_south: Mapped[str] = mapped_column(String(100), default="")
    area_north: Mapped[str] = mapped_column(String(100), default="")
    area_text: Mapped[str] = mapped_column(String(1000), default="")
    frontage_length_m: Mapped[float | None] = mapped_column(Float)
    area_m2: Mapped[float | None] = mapped_column(Float)
    duties: Mapped[list[str]] = mapped_column(JSON, default=list)
    five_duties: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    office_signatory: Mapped[str] = mapped_column(String(50), default="")
    business_signatory: Mapped[str] = mapped_column(String(50), default="")
    signed_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("frontage_agreement.id"))
    terminated_reason: Mapped[str] = mapped_column(String(200), default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    business: Mapped[Business] = relationship()


# --- 户外广告 / 招牌 ------------------------------------------------------------------------


class SignPermit(Versioned, Base):
    __tablename__ = "sign_permit"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    decision_number: Mapped[str | None] = mapped_column(String(60), unique=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"), index=True)
    sign_type: Mapped[str] = mapped_column(String(20), default="店招")
    location: Mapped[str] = mapped_column(String(200), default="")
    facade_position: Mapped[str] = mapped_column(String(100), default="")
    width_m: Mapped[float] = mapped_column(Float, default=0)
    height_m: Mapped[float] = mapped_column(Float, default=0)
    protrusion_m: Mapped[float] = mapped_column(Float, default=0)
    material: Mapped[str] = mapped_column(String(50), default="")
    lighting: Mapped[str] = mapped_column(String(20), default="无")
    install_height_m: Mapped[float | None] = mapped_column(Float)
    term_months: Mapped[int] = mapped_column(Integer, default=36)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default="申请", index=True)
    applied_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    exemption_reason: Mapped[str] = mapped_column(String(200), default="")
    decision_reason: Mapped[str] = mapped_column(String(1000), default="")
    conditions: Mapped[str] = mapped_column(String(1000), default="")
    legal_basis_text: Mapped[str] = mapped_column(Text, default="")
    removal_reason: Mapped[str] = mapped_column(String(50), default="")
    business: Mapped[Business] = relationship()


class PermitEvent(Base):
    """One workflow step of a permit: who did what, when, with notes."""

    __tablename__ = "permit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("sign_permit.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by: Mapped[str] = mapped_column(String(50), default="")
    notes: Mapped[str] = mapped_column(String(1000), default="")


class SignSafetyCheck(Base):
    __tablename__ = "sign_safety_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("sign_permit.id"), index=True)
    check_date: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    hazards: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(String(1000), default="")
    inspector: Mapped[str] = mapped_column(String(50), default="")


# --- 垃圾分类 ------------------------------------------------------------------------------


class SortingSite(Versioned, Base):
    __tablename__ = "sorting_site"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    site_type: Mapped[str] = mapped_column(String(10), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"))
    address: Mapped[str] = mapped_column(String(200), default="")
    responsible: Mapped[str] = mapped_column(String(50), default="")
    contact: Mapped[str] = mapped_column(String(30), default="")
    collection_points: Mapped[int] = mapped_column(Integer, default=1)
    business_id: Mapped[int | None] = mapped_column(ForeignKey("business.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ChecklistTemplate(Base):
    """One frozen version of a scored checklist; edits create a new version."""

    __tablename__ = "checklist_template"
    __table_args__ = (UniqueConstraint("site_type", "version_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_type: Mapped[str] = mapped_column(String(10))
    version_no: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    pass_score: Mapped[float] = mapped_column(Float, default=80)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    items: Mapped[list[ChecklistItem]] = relationship(order_by="ChecklistItem.position")


class ChecklistItem(Base):
    __tablename__ = "checklist_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_template.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    group_name: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    max_score: Mapped[float] = mapped_column(Float)
    deduct: Mapped[bool] = mapped_column(Boolean, default=False)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    # How the points are given or taken, as printed on the paper sheet (评分标准).
    criteria: Mapped[str] = mapped_column(String(300), default="", server_default="")


class SortingCheck(Versioned, Base):
    __tablename__ = "sorting_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sorting_site.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_template.id"))
    check_date: Mapped[dt.date] = mapped_column(Date, index=True)
    inspectors: Mapped[str] = mapped_column(String(100), default="")
    total: Mapped[float] = mapped_column(Float, default=0)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    recheck_of_id: Mapped[int | None] = mapped_column(ForeignKey("sorting_check.id"), index=True)
    notes: Mapped[str] = mapped_column(String(1000), default="")
    # The 垃圾分类不达标 finding a failed check at a business led to, if the clerk made one.
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"))


class SortingScore(Base):
    __tablename__ = "sorting_score"
    __table_args__ = (UniqueConstraint("check_id", "item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("sorting_check.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(300), default="")
    # A recheck copies the items that passed before; only the failed ones were scored again.
    carried: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ReportedPeriod(Base):
    """A month or quarter whose figures were sent to the district; edits then need a reason."""

    __tablename__ = "reported_period"
    label: Mapped[str] = mapped_column(String(10), primary_key=True)  # 2026-10 or 2026-Q3
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    reported_by: Mapped[str] = mapped_column(String(50), default="")


# --- 巡查 / 问题 / 通知 ---------------------------------------------------------------------


class Inspection(Versioned, Base):
    __tablename__ = "inspection"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    route: Mapped[str] = mapped_column(String(200), default="")
    inspectors: Mapped[str] = mapped_column(String(100), default="")
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))


class Finding(Versioned, Base):
    __tablename__ = "finding"
    __table_args__ = (Index("ix_finding_status_deadline", "status", "deadline"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    category: Mapped[str] = mapped_column(String(30), index=True)
    found_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    business_id: Mapped[int | None] = mapped_column(ForeignKey("business.id"), index=True)
    person: Mapped[str] = mapped_column(String(50), default="")
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"))
    description: Mapped[str] = mapped_column(String(1000), default="")
    inspectors: Mapped[str] = mapped_column(String(100), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="发现")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(30), default="巡查")


class LegalBasis(Versioned, Base):
    __tablename__ = "legal_basis"
    id: Mapped[int] = mapped_column(primary_key=True)
    law: Mapped[str] = mapped_column(String(100))
    article: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    penalty: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Notice(Base):
    """An issued document. Frozen once issued: only the void fields may change."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("kind", "year", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    business_id: Mapped[int | None] = mapped_column(ForeignKey("business.id"), index=True)
    party: Mapped[str] = mapped_column(String(100))
    party_address: Mapped[str] = mapped_column(String(200), default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    legal_basis_text: Mapped[str] = mapped_column(Text, default="")
    order_kind: Mapped[str] = mapped_column(String(10), default="限期")
    deadline: Mapped[dt.datetime | None] = mapped_column(DateTime)
    correction: Mapped[str] = mapped_column(Text, default="")
    officer1: Mapped[str] = mapped_column(String(50), default="")
    officer1_cert: Mapped[str] = mapped_column(String(30), default="")
    officer2: Mapped[str] = mapped_column(String(50), default="")
    officer2_cert: Mapped[str] = mapped_column(String(30), default="")
    related_notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))
    body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str] = mapped_column(String(200), default="")


class NoticeFinding(Base):
    __tablename__ = "notice_finding"
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), primary_key=True)
    # Finding → its notices is the common direction (lists show each finding's notice).
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), primary_key=True, index=True)


class Delivery(Base):
    """送达回证 record of one notice."""

    __tablename__ = "delivery"
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(50), default="")
    relation: Mapped[str] = mapped_column(String(20), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    delivered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    witness: Mapped[str] = mapped_column(String(50), default="")
    deliverer: Mapped[str] = mapped_column(String(100), default="")
    remarks: Mapped[str] = mapped_column(String(500), default="")


class Recheck(Base):
    __tablename__ = "recheck"
    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    passed: Mapped[bool] = mapped_column(Boolean)
    opinion: Mapped[str] = mapped_column(Text, default="")
    officers: Mapped[str] = mapped_column(String(100), default="")
    # The 整改复查意见书 names both officers with their 执法证号, as the notice does.
    officer1: Mapped[str] = mapped_column(String(50), default="")
    officer1_cert: Mapped[str] = mapped_column(String(30), default="")
    officer2: Mapped[str] = mapped_column(String(50), default="")
    officer2_cert: Mapped[str] = mapped_column(String(30), default="")


class Referral(Base):
    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    referred_on: Mapped[dt.date] = mapped_column(Date)
    receiving_unit: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(String(500), default="")


class Attachment(Base):
    """A photo or scan kept in the database with its SHA-256."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(30))
    owner_id: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(260))
    mime: Mapped[str] = mapped_column(String(50), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    __table_args__ = (Index("ix_attachment_owner", "owner_kind", "owner_id"),)


# --- users and audit ----------------------------------------------------------------------


class User(Versioned, Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(10), default="clerk")
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    cert_no: Mapped[str] = mapped_column(String(30), default="")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEntry(Base):
    """Who changed what; each entry hashes the previous one so edits behind the app show."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))
