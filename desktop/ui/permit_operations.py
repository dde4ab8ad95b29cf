"""Operations of 户外广告: one function per thing a clerk does to a sign permit.

The same pattern as operations.py (run in the database worker, plain dataclasses back, the
hub told what changed); kept apart so that module stays small.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from sqlalchemy.orm import Session

from desktop.domain import attachments, divisions, legal
from desktop.domain import permit_queries as Q
from desktop.domain import permits as P
from desktop.domain.attachments import PhotoInput
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.office import get_office

from .context import AppContext
from .operations import Done, Failed, _read, _write

PERMIT = "permit"  # the hub kind of sign-permit changes
FINDING = "finding"  # a failed safety check records a finding
NO_LOGIN_ROLE = "head"  # without a login (tests, a single-user office) the clerk may approve


def acting_role(ctx: AppContext) -> str:
    actor = getattr(ctx, "actor", None)
    return str(getattr(actor, "role", "") or NO_LOGIN_ROLE)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermitBatch:
    total: int | None  # None when only pages were asked for
    pages: dict[int, list[P.PermitRow]]


def load_permit_pages(ctx: AppContext, query: Q.PermitQuery, pages: Sequence[int],
                      page_size: int, done: Done[PermitBatch], *, with_total: bool = True,
                      owner: QObject | None = None) -> None:
    def fn(session: Session) -> PermitBatch:
        total = Q.count(session, query) if with_total else None
        return PermitBatch(total, {p: Q.page(session, query, p * page_size, page_size)
                                   for p in pages})

    _read(ctx, fn, done, owner=owner)


def load_permit(ctx: AppContext, permit_id: int, done: Done[P.PermitRow], *,
                failed: Failed = None, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: P.get(s, permit_id), done, failed=failed, owner=owner)


@dataclass(frozen=True)
class DocumentRef:
    title: str
    number: str
    issued_on: dt.date


@dataclass(frozen=True)
class PermitDetails:
    row: P.PermitRow
    events: list[P.EventRow]
    checks: list[P.SafetyCheckRow]
    documents: list[DocumentRef]
    rules: list[P.RuleIssue]  # the rules as they stand now, explained
    attachments: list[str]  # file names of drawings and photos


def _rules(session: Session, row: P.PermitRow) -> list[P.RuleIssue]:
    office = get_office(session)
    others = P.other_signs(session, row.business_id, exclude=row.id)
    return P.rule_issues(row.width_m, row.height_m, row.protrusion_m, row.term_months,
                         office.sign_max_protrusion_m, office.sign_max_area_m2, others,
                         row.exemption_reason)


def load_permit_details(ctx: AppContext, permit_id: int, done: Done[PermitDetails], *,
                        failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> PermitDetails:
        row = P.get(session, permit_id)
        documents = [DocumentRef(d.title, d.number, d.issued_at.date())
                     for d in P.documents_of(session, permit_id)]
        rules = _rules(session, row) if row.status in P.PENDING else []
        names = [a.file_name for a in P.photos_of(session, permit_id)]
        return PermitDetails(row, P.timeline(session, permit_id),
                             P.safety_checks(session, permit_id), documents, rules, names)

    _read(ctx, fn, done, failed=failed, owner=owner)


@dataclass(frozen=True)
class PermitForm:
    """What the dialogs need besides the record: limits, communities, citable legal basis."""

    max_protrusion_m: float
    max_area_m2: float
    communities: list[divisions.CommunityInfo]
    basis: list[legal.LegalBasisRow]


def load_permit_form(ctx: AppContext, done: Done[PermitForm], *,
                     owner: QObject | None = None) -> None:
    def fn(session: Session) -> PermitForm:
        office = get_office(session)
        return PermitForm(office.sign_max_protrusion_m, office.sign_max_area_m2,
                          divisions.list_communities(session, include_inactive=True),
                          Q.decision_basis(session) or legal.list_entries(session,
                                                                          confirmed_only=True))

    _read(ctx, fn, done, owner=owner)


def load_other_signs(ctx: AppContext, business_id: int, exclude: int | None,
                     done: Done[list[P.OtherSign]], *, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: P.other_signs(s, business_id, exclude=exclude), done, owner=owner)


def load_permit_reminders(ctx: AppContext, done: Done[Q.PermitReminders], *,
                          owner: QObject | None = None) -> None:
    _read(ctx, Q.reminders, done, owner=owner)


# --- changing -------------------------------------------------------------------------------


def read_photos(paths: Sequence[Path]) -> list[PhotoInput]:
    """Read the chosen files in the worker; a file too big is refused before it is read."""
    out = []
    for path in paths:
        try:
            size = path.stat().st_size
            if size > attachments.MAX_FILE_BYTES:
                raise ValidationError({"photo": f"“{path.name}”太大（{size / 1048576:.0f} MB），"
                                                f"不能超过{attachments.MAX_FILE_BYTES // 1048576} MB"})
            out.append(PhotoInput(path.name, path.read_bytes()))
        except OSError as exc:
            raise ValidationError({"photo": f"“{path.name}”无法读取：{exc.strerror or exc}"}) from exc
    return out


def _change(ctx: AppContext, fn: Callable[[Session], Any], done: Done[Any], failed: Failed,
            owner: QObject | None, kinds: set[str] | None = None) -> None:
    _write(ctx, fn, kinds or {PERMIT}, done, failed=failed, owner=owner)


def save_application(ctx: AppContext, permit_id: int | None, version: int, data: P.PermitInput,
                     drawings: Sequence[Path], photos: Sequence[Path], done: Done[P.PermitRow], *,
                     failed: Failed = None, owner: QObject | None = None) -> None:
    """A new application (numbered), or a correction of one not yet decided."""
    def fn(session: Session) -> P.PermitRow:
        drawn, shot = read_photos(drawings), read_photos(photos)
        if permit_id is None:
            return P.apply(session, data, drawings=drawn, photos=shot, user=ctx.user)
        row = P.update_application(session, permit_id, version, data, user=ctx.user)
        for kind, files in (("drawing", drawn), ("photo", shot)):
            for item in files:
                P.add_attachment(session, row.id, kind, item.file_name, item.data, user=ctx.user)
        return P.get(session, row.id)

    _change(ctx, fn, done, failed, owner)


def accept(ctx: AppContext, row: P.PermitRow, accepted_on: dt.date, done: Done[P.PermitRow], *,
           failed: Failed = None, owner: QObject | None = None) -> None:
    _change(ctx, lambda s: P.accept(s, row.id, row.version, accepted_on=accepted_on,
                                    user=ctx.user), done, failed, owner)


def reject(ctx: AppContext, row: P.PermitRow, reason: str, done: Done[P.PermitRow], *,
           failed: Failed = None, owner: QObject | None = None) -> None:
    _change(ctx, lambda s: P.reject_application(s, row.id, row.version, reason, user=ctx.user),
            done, failed, owner)


def survey(ctx: AppContext, row: P.PermitRow, data: P.SurveyInput, photos: Sequence[Path],
           done: Done[P.PermitRow], *, failed: Failed = None,
           owner: QObject | None = None) -> None:
    def fn(session: Session) -> P.PermitRow:
        data.photos = read_photos(photos)
        return P.record_survey(session, row.id, row.version, data, user=ctx.user)

    _change(ctx, fn, done, failed, owner)


def approve(ctx: AppContext, row: P.PermitRow, data: P.ApprovalInput, done: Done[P.PermitRow], *,
            failed: Failed = None, owner: QObject | None = None) -> None:
    role = acting_role(ctx)
    _change(ctx, lambda s: P.approve(s, row.id, row.version, data, role=role, user=ctx.user),
            done, failed, owner)


def refuse(ctx: AppContext, row: P.PermitRow, data: P.RefusalInput, done: Done[P.PermitRow], *,
           failed: Failed = None, owner: QObject | None = None) -> None:
    role = acting_role(ctx)
    _change(ctx, lambda s: P.refuse(s, row.id, row.version, data, role=role, user=ctx.user),
            done, failed, owner)


def install(ctx: AppContext, row: P.PermitRow, data: P.InstallationInput, photos: Sequence[Path],
            done: Done[P.PermitRow], *, failed: Failed = None,
            owner: QObject | None = None) -> None:
    def fn(session: Session) -> P.PermitRow:
        data.photos = read_photos(photos)
        return P.record_installation(session, row.id, row.version, data, user=ctx.user)

    _change(ctx, fn, done, failed, owner)


def expire(ctx: AppContext, row: P.PermitRow, done: Done[P.PermitRow], *, failed: Failed = None,
           owner: QObject | None = None) -> None:
    _change(ctx, lambda s: P.record_expiry(s, row.id, row.version, user=ctx.user), done, failed,
            owner)


def remove(ctx: AppContext, row: P.PermitRow, data: P.RemovalInput, done: Done[P.PermitRow], *,
           failed: Failed = None, owner: QObject | None = None) -> None:
    _change(ctx, lambda s: P.record_removal(s, row.id, row.version, data, user=ctx.user), done,
            failed, owner)


def safety_check(ctx: AppContext, row: P.PermitRow, data: P.SafetyCheckInput,
                 photos: Sequence[Path], done: Done[P.SafetyCheckRow], *, failed: Failed = None,
                 owner: QObject | None = None) -> None:
    """A failed check records a 招牌安全隐患 finding too, so both areas hear of it."""
    def fn(session: Session) -> P.SafetyCheckRow:
        data.photos = read_photos(photos)
        return P.record_safety_check(session, row.id, data, user=ctx.user)

    _change(ctx, fn, done, failed, owner, {PERMIT, FINDING})


# --- printing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermitPdf:
    data: bytes
    documents: int
    pages: int
    number: str


def render_permit_pdf(ctx: AppContext, number: str, done: Done[PermitPdf], *,
                      failed: Failed = None, owner: QObject | None = None) -> None:
    """The permit's documents (by application number) into one PDF in memory."""
    from desktop.pdf.fonts import FontNotFoundError
    from desktop.pdf.layout import PdfWriteError
    from desktop.pdf.render import print_documents

    def fn(session: Session) -> PermitPdf:
        out = io.BytesIO()
        try:
            result = print_documents(session, "permit", [number], out)
        except (FontNotFoundError, PdfWriteError) as exc:
            raise DomainError(str(exc)) from exc
        return PermitPdf(out.getvalue(), result.documents, result.pages, number)

    _read(ctx, fn, done, failed=failed, owner=owner)
