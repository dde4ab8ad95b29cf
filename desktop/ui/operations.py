"""One small function per thing a clerk does: runs a service in the database worker.

Reads open a read session, writes a transaction; both return plain dataclasses to a
`done` callback on the UI thread. After a write succeeds the hub announces what changed,
even if the widget that asked has gone away in the meantime.
"""

from __future__ import annotations

import datetime
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject
from sqlalchemy.orm import Session

from desktop.domain import agreements, businesses, dashboard, divisions, office
from desktop.domain.audit import HistoryItem
from desktop.domain.businesses import BusinessInput, BusinessQuery, BusinessRow
from desktop.domain.dashboard import Dashboard
from desktop.domain.divisions import CommunityInfo
from desktop.domain.errors import DomainError
from desktop.domain.office import OfficeData, PatternData

from . import hub
from .context import AppContext

T = TypeVar("T")
Done = Callable[[T], None]
Failed = Callable[[DomainError], None] | None


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


def _read(ctx: AppContext, fn: Callable[[Session], T], done: Callable[[T], None], *,
          failed: Failed = None, owner: QObject | None = None) -> None:
    def job() -> T:
        with ctx.db.session() as session:
            return fn(session)

    ctx.worker.submit(job, done, failed=failed, owner=owner)


def _write(ctx: AppContext, fn: Callable[[Session], T], kinds: set[str],
           done: Callable[[T], None], *, failed: Failed = None,
           owner: QObject | None = None) -> None:
    def job() -> T:
        with ctx.db.transaction() as session:
            return fn(session)

    def finished(result: T) -> None:
        if _alive(owner):
            done(result)
        ctx.hub.announce(kinds)

    def refused(error: DomainError) -> None:
        if not _alive(owner):
            return
        if failed is not None:
            failed(error)
        else:
            ctx.worker.failed_unhandled.emit(error)

    ctx.worker.submit(job, finished, failed=refused)


# --- reading --------------------------------------------------------------------------------


def load_dashboard(ctx: AppContext, done: Done[Dashboard], *,
                   owner: QObject | None = None) -> None:
    """首页's figures: this month per community and the twelve-month trend."""
    _read(ctx, lambda session: dashboard.dashboard(session), done, owner=owner)


def load_office(ctx: AppContext, done: Done[OfficeData], *, owner: QObject | None = None) -> None:
    _read(ctx, office.get_office, done, owner=owner)


def load_communities(ctx: AppContext, done: Done[list[CommunityInfo]], *,
                     owner: QObject | None = None) -> None:
    _read(ctx, lambda s: divisions.list_communities(s, include_inactive=True), done, owner=owner)


def load_patterns(ctx: AppContext, done: Done[list[PatternData]], *,
                  owner: QObject | None = None) -> None:
    _read(ctx, office.list_patterns, done, owner=owner)


@dataclass(frozen=True)
class PageBatch:
    total: int
    pages: dict[int, list[BusinessRow]]


def load_business_pages(ctx: AppContext, query: BusinessQuery, pages: Sequence[int],
                        page_size: int, done: Done[PageBatch], *,
                        owner: QObject | None = None) -> None:
    """The count and some pages in one read, so they agree with each other."""
    def fn(session: Session) -> PageBatch:
        total = businesses.count(session, query)
        return PageBatch(total, {p: businesses.page(session, query, p * page_size, page_size)
                                 for p in pages})

    _read(ctx, fn, done, owner=owner)


def load_business_page(ctx: AppContext, query: BusinessQuery, page: int, page_size: int,
                       done: Done[list[BusinessRow]], *, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: businesses.page(s, query, page * page_size, page_size), done, owner=owner)


def load_business(ctx: AppContext, business_id: int, done: Done[BusinessRow], *,
                  failed: Failed = None, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: businesses.get(s, business_id), done, failed=failed, owner=owner)


@dataclass(frozen=True)
class BusinessDetails:
    row: BusinessRow
    history: list[HistoryItem]


def load_business_details(ctx: AppContext, business_id: int, done: Done[BusinessDetails], *,
                          failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> BusinessDetails:
        return BusinessDetails(businesses.get(session, business_id),
                               businesses.history(session, business_id))

    _read(ctx, fn, done, failed=failed, owner=owner)


# --- changing -------------------------------------------------------------------------------


def save_business(ctx: AppContext, business_id: int | None, version: int, data: BusinessInput,
                  done: Done[BusinessRow], *, failed: Failed = None,
                  owner: QObject | None = None) -> None:
    """Create (no id) or update a business; a newer save in between raises ConflictError."""
    def fn(session: Session) -> BusinessRow:
        if business_id is None:
            return businesses.create(session, data, user=ctx.user)
        return businesses.update(session, business_id, version, data, user=ctx.user)

    _write(ctx, fn, {hub.BUSINESS}, done, failed=failed, owner=owner)


def set_business_active(ctx: AppContext, row: BusinessRow, active: bool, reason: str,
                        done: Done[BusinessRow], *, failed: Failed = None,
                        owner: QObject | None = None) -> None:
    def fn(session: Session) -> BusinessRow:
        return businesses.set_active(session, row.id, row.version, active, reason=reason,
                                     user=ctx.user)

    _write(ctx, fn, {hub.BUSINESS}, done, failed=failed, owner=owner)


def save_office(ctx: AppContext, data: OfficeData, done: Done[OfficeData], *,
                failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: office.save_office(s, data, user=ctx.user), {hub.OFFICE}, done,
           failed=failed, owner=owner)


def save_patterns(ctx: AppContext, patterns: dict[str, str], done: Done[None], *,
                  failed: Failed = None, owner: QObject | None = None) -> None:
    """All changed patterns in one transaction: either every one is saved or none."""
    def fn(session: Session) -> None:
        for kind, pattern in patterns.items():
            office.set_pattern(session, kind, pattern, user=ctx.user)

    _write(ctx, fn, {hub.NUMBERING}, done, failed=failed, owner=owner)


# Renaming a division changes what the ledger shows, so businesses count as changed too.
_DIVISIONS = {hub.COMMUNITY, hub.GRID, hub.BUSINESS}


def create_community(ctx: AppContext, name: str, done: Done[int], *, failed: Failed = None,
                     owner: QObject | None = None) -> None:
    _write(ctx, lambda s: divisions.create_community(s, name, user=ctx.user), _DIVISIONS, done,
           failed=failed, owner=owner)


def rename_community(ctx: AppContext, community_id: int, version: int, name: str,
                     done: Done[None], *, failed: Failed = None,
                     owner: QObject | None = None) -> None:
    _write(ctx, lambda s: divisions.rename_community(s, community_id, name, version, user=ctx.user),
           _DIVISIONS, done, failed=failed, owner=owner)


def set_community_active(ctx: AppContext, community_id: int, active: bool, done: Done[None], *,
                         failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: divisions.set_community_active(s, community_id, active, user=ctx.user),
           _DIVISIONS, done, failed=failed, owner=owner)


def create_grid(ctx: AppContext, community_id: int, name: str, done: Done[int], *,
                failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: divisions.create_grid(s, community_id, name, user=ctx.user), _DIVISIONS,
           done, failed=failed, owner=owner)


def rename_grid(ctx: AppContext, grid_id: int, version: int, name: str, done: Done[None], *,
                failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: divisions.rename_grid(s, grid_id, name, version, user=ctx.user),
           _DIVISIONS, done, failed=failed, owner=owner)


# --- 门前三包 agreements ----------------------------------------------------------------------
# Kinds announced by agreement changes; "agreement" is the hub kind of FrontageAgreement.
_AGREEMENT = "agreement"


@dataclass(frozen=True)
class AgreementBatch:
    total: int | None  # None when only pages were asked for
    pages: dict[int, list[agreements.AgreementRow]]


def load_agreement_pages(ctx: AppContext, query: agreements.AgreementQuery, pages: Sequence[int],
                         page_size: int, done: Done[AgreementBatch], *, with_total: bool = True,
                         owner: QObject | None = None) -> None:
    """Some pages of agreements, with the count from the same read when asked for."""
    def fn(session: Session) -> AgreementBatch:
        total = agreements.count(session, query) if with_total else None
        return AgreementBatch(total, {p: agreements.page(session, query, p * page_size, page_size)
                                      for p in pages})

    _read(ctx, fn, done, owner=owner)


def load_unsigned_pages(ctx: AppContext, at: datetime.date, community_id: int | None,
                        grid_id: int | None, pages: Sequence[int], page_size: int,
                        done: Done[PageBatch], *, owner: QObject | None = None) -> None:
    """Businesses that must sign and hold no valid agreement on `at`, paged."""
    def fn(session: Session) -> PageBatch:
        total, out = 0, {}
        for p in pages:
            total, out[p] = agreements.unsigned_businesses(
                session, at, community_id=community_id, grid_id=grid_id,
                offset=p * page_size, limit=page_size)
        return PageBatch(total, out)

    _read(ctx, fn, done, owner=owner)


def load_agreement(ctx: AppContext, agreement_id: int, done: Done[agreements.AgreementRow], *,
                   failed: Failed = None, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: agreements.get(s, agreement_id), done, failed=failed, owner=owner)


@dataclass(frozen=True)
class AgreementDetails:
    row: agreements.AgreementRow
    history: list[HistoryItem]
    previous_number: str  # of the agreement this one renews, "" if none


def load_agreement_details(ctx: AppContext, agreement_id: int, done: Done[AgreementDetails], *,
                           failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> AgreementDetails:
        row = agreements.get(session, agreement_id)
        previous = ""
        if row.previous_id is not None:
            previous = agreements.get(session, row.previous_id).number or "草稿"
        return AgreementDetails(row, agreements.history(session, agreement_id), previous)

    _read(ctx, fn, done, failed=failed, owner=owner)


@dataclass(frozen=True)
class AgreementFormData:
    duties: list[agreements.DutyItem]
    term_months: int


def load_agreement_form(ctx: AppContext, done: Done[AgreementFormData], *,
                        owner: QObject | None = None) -> None:
    """What the editor needs besides the record: the duty items and the office's term."""
    def fn(session: Session) -> AgreementFormData:
        return AgreementFormData(agreements.duty_items(session),
                                 office.get_office(session).agreement_term_months)

    _read(ctx, fn, done, owner=owner)


def search_businesses(ctx: AppContext, text: str, limit: int,
                      done: Done[tuple[int, list[BusinessRow]]], *,
                      owner: QObject | None = None) -> None:
    _read(ctx, lambda s: businesses.search(s, text, limit=limit), done, owner=owner)


def load_signing_rates(ctx: AppContext, at: datetime.date, done: Done[list[agreements.RateRow]],
                       *, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: agreements.signing_rates(s, at), done, owner=owner)


def load_agreement_reminders(ctx: AppContext, done: Done[agreements.Reminders], *,
                             owner: QObject | None = None) -> None:
    _read(ctx, agreements.reminders, done, owner=owner)


def save_agreement(ctx: AppContext, agreement_id: int | None, version: int,
                   data: agreements.AgreementInput, done: Done[agreements.AgreementRow], *,
                   failed: Failed = None, owner: QObject | None = None) -> None:
    """A new draft (no id) or a change to a draft at its version."""
    def fn(session: Session) -> agreements.AgreementRow:
        if agreement_id is None:
            return agreements.create_draft(session, data, user=ctx.user)
        return agreements.update_draft(session, agreement_id, version, data, user=ctx.user)

    _write(ctx, fn, {_AGREEMENT}, done, failed=failed, owner=owner)


def sign_agreement(ctx: AppContext, row: agreements.AgreementRow, signed_date: datetime.date,
                   done: Done[agreements.AgreementRow], *, failed: Failed = None,
                   owner: QObject | None = None) -> None:
    _write(ctx, lambda s: agreements.sign(s, row.id, row.version, signed_date, user=ctx.user),
           {_AGREEMENT}, done, failed=failed, owner=owner)


def terminate_agreement(ctx: AppContext, row: agreements.AgreementRow, reason: str,
                        done: Done[agreements.AgreementRow], *, failed: Failed = None,
                        owner: QObject | None = None) -> None:
    _write(ctx, lambda s: agreements.terminate(s, row.id, row.version, reason, user=ctx.user),
           {_AGREEMENT}, done, failed=failed, owner=owner)


def renew_agreement(ctx: AppContext, row: agreements.AgreementRow,
                    done: Done[agreements.AgreementRow], *, failed: Failed = None,
                    owner: QObject | None = None) -> None:
    _write(ctx, lambda s: agreements.renew(s, row.id, user=ctx.user), {_AGREEMENT}, done,
           failed=failed, owner=owner)


@dataclass(frozen=True)
class PrintedPdf:
    data: bytes
    documents: int
    pages: int
    first_label: str  # number (or business, for a draft) of the first document


def render_agreements_pdf(ctx: AppContext, ids: Sequence[int],
                          query: agreements.AgreementQuery | None,
                          ranges: Sequence[tuple[int, int]], done: Done[PrintedPdf], *,
                          cancelled: threading.Event | None = None, failed: Failed = None,
                          owner: QObject | None = None) -> None:
    """Agreements by id, then `ranges` (offset, count) of `query`, into one PDF in memory.

    Nothing is saved to the ledger. A cancelled job stops before laying out the PDF; its
    answer is dropped by the caller.
    """
    # Imported here: reportlab is not needed until the first print, so start-up stays quick.
    from desktop.pdf.fonts import FontNotFoundError
    from desktop.pdf.layout import PdfWriteError
    from desktop.pdf.render import print_agreement_rows

    def fn(session: Session) -> PrintedPdf:
        rows = [agreements.get(session, i) for i in ids]
        for offset, count in ranges:
            if cancelled is not None and cancelled.is_set():
                break
            assert query is not None
            rows.extend(agreements.page(session, query, offset, count))
        if not rows or (cancelled is not None and cancelled.is_set()):
            return PrintedPdf(b"", 0, 0, "")
        out = io.BytesIO()
        try:
            result = print_agreement_rows(rows, session, out)
        except (FontNotFoundError, PdfWriteError) as exc:
            raise DomainError(str(exc)) from exc
        return PrintedPdf(out.getvalue(), result.documents, result.pages,
                          rows[0].number or rows[0].business)

    _read(ctx, fn, done, failed=failed, owner=owner)
