"""One small function per thing a clerk does: runs a service in the database worker.

Reads open a read session, writes a transaction; both return plain dataclasses to a
`done` callback on the UI thread. After a write succeeds the hub announces what changed,
even if the widget that asked has gone away in the meantime.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject
from sqlalchemy.orm import Session

from desktop.domain import businesses, divisions, office
from desktop.domain.audit import HistoryItem
from desktop.domain.businesses import BusinessInput, BusinessQuery, BusinessRow
from desktop.domain.divisions import CommunityInfo
from desktop.domain.errors import DomainError
from desktop.domain.office import OfficeData, PatternData
from desktop.domain.stats import Period, community_stats

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


@dataclass(frozen=True)
class CommunityFigures:
    community_id: int | None  # None for the street total
    name: str
    businesses: int
    required: int
    signed: int
    rate: float


@dataclass(frozen=True)
class HomeSummary:
    period: str
    as_of: str
    rows: list[CommunityFigures]
    total: CommunityFigures


def _home_summary(session: Session) -> HomeSummary:
    stats = community_stats(session, Period.parse(None))
    ids = {c.name: c.id for c in divisions.list_communities(session, include_inactive=True)}

    def figures(cid: int | None, name: str, entry: dict[str, Any]) -> CommunityFigures:
        ag = entry["agreements"]
        return CommunityFigures(cid, name, entry["businesses"], ag["required"], ag["signed"],
                                ag["rate"])

    rows = [figures(ids.get(e["community"]), e["community"], e) for e in stats["communities"]]
    return HomeSummary(stats["period"], stats["as_of"], rows, figures(None, "", stats["total"]))


def load_home_summary(ctx: AppContext, done: Done[HomeSummary], *,
                      owner: QObject | None = None) -> None:
    _read(ctx, _home_summary, done, owner=owner)


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
