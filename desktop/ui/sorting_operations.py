"""Operations of 垃圾分类: sites, checks and rechecks, checklists, figures, reported periods.

The same pattern as operations.py (one function per thing a clerk does, run in the database
worker, plain dataclasses back); kept apart so that module stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject
from sqlalchemy.orm import Session

from desktop.domain import attachments, sorting, sorting_sites, sorting_templates
from desktop.domain.attachments import AttachmentRow
from desktop.domain.divisions import CommunityInfo, list_communities
from desktop.domain.sorting import (
    CheckDetails,
    CheckInput,
    CheckQuery,
    CheckRow,
    EntryForm,
    RecheckInput,
)
from desktop.domain.sorting_figures import SortingFigures, period_figures
from desktop.domain.sorting_sites import SiteChoice, SiteInput, SiteQuery, SiteRow
from desktop.domain.sorting_templates import TemplateInput, TemplateRow
from desktop.domain.stats import Period

from .context import AppContext
from .finding_operations import Photo
from .finding_operations import _photos as read_photos
from .operations import Done, Failed, _read, _write

SORTING = "sorting"  # the hub kind of sites, checks and checklists
T = TypeVar("T")


def _prepare(ctx: AppContext, fn: Callable[[Session], T], done: Done[T], *,
             failed: Failed = None, owner: QObject | None = None) -> None:
    """A read that may store the shipped checklists first (hence a transaction)."""
    def job() -> T:
        with ctx.db.transaction() as session:
            sorting_templates.ensure_templates(session, user=ctx.user)
            return fn(session)

    ctx.worker.submit(job, done, failed=failed, owner=owner)


# --- lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    total: int | None  # None when only pages were asked for
    pages: dict[int, list]  # type: ignore[type-arg]


def load_check_pages(ctx: AppContext, query: CheckQuery, pages: Sequence[int], page_size: int,
                     done: Done[Batch], *, with_total: bool = True,
                     owner: QObject | None = None) -> None:
    def fn(session: Session) -> Batch:
        total = sorting.count_checks(session, query) if with_total else None
        return Batch(total, {p: sorting.check_page(session, query, p * page_size, page_size)
                             for p in pages})

    _read(ctx, fn, done, owner=owner)


def load_site_pages(ctx: AppContext, query: SiteQuery, pages: Sequence[int], page_size: int,
                    done: Done[Batch], *, with_total: bool = True,
                    owner: QObject | None = None) -> None:
    def fn(session: Session) -> Batch:
        total = sorting_sites.count_sites(session, query) if with_total else None
        return Batch(total, {p: sorting_sites.site_page(session, query, p * page_size, page_size)
                             for p in pages})

    _read(ctx, fn, done, owner=owner)


@dataclass(frozen=True)
class CheckView:
    """What the details panel shows of a check: the sheet and its photos' thumbnails."""

    details: CheckDetails
    photos: list[Photo]


def load_check_details(ctx: AppContext, check_id: int, done: Done[CheckView], *,
                       failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> CheckView:
        photos = [Photo(a, attachments.get_data(session, a.id, thumbnail=True))
                  for a in sorting.photos_of(session, check_id)]
        return CheckView(sorting.check_details(session, check_id), photos)

    _read(ctx, fn, done, failed=failed, owner=owner)


def load_site(ctx: AppContext, site_id: int, done: Done[SiteRow], *, failed: Failed = None,
              owner: QObject | None = None) -> None:
    _read(ctx, lambda s: sorting_sites.get_site(s, site_id), done, failed=failed, owner=owner)


@dataclass(frozen=True)
class SortingReminders:
    period: str
    unchecked: int  # active sites without a check this month
    pending: int  # failed checks waiting for their recheck
    overdue: int  # … past the rectification deadline


def load_reminders(ctx: AppContext, done: Done[SortingReminders], *,
                   owner: QObject | None = None) -> None:
    def fn(session: Session) -> SortingReminders:
        month = Period.parse(None)
        return SortingReminders(
            month.label, sorting_sites.unchecked_count(session, month.start, month.end),
            sorting.count_checks(session, CheckQuery(state="pending")),
            sorting.count_checks(session, CheckQuery(state="overdue")))

    _read(ctx, fn, done, owner=owner)


def load_figures(ctx: AppContext, period: Period, done: Done[SortingFigures], *,
                 owner: QObject | None = None) -> None:
    _read(ctx, lambda s: period_figures(s, period), done, owner=owner)


# --- the check editor -----------------------------------------------------------------------


@dataclass(frozen=True)
class EntrySetup:
    sites: list[SiteChoice]
    templates: dict[str, TemplateRow]  # current version per site type
    form: EntryForm | None = None  # an edit or a recheck
    reported: str = ""  # the reported period an edited check falls in


def prepare_new_check(ctx: AppContext, done: Done[EntrySetup], *,
                      owner: QObject | None = None) -> None:
    _prepare(ctx, lambda s: EntrySetup(sorting_sites.site_choices(s),
                                       sorting_templates.current_templates(s)), done, owner=owner)


def prepare_recheck(ctx: AppContext, check_id: int, done: Done[EntrySetup], *,
                    failed: Failed = None, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: EntrySetup([], {}, sorting.recheck_form(s, check_id)), done,
          failed=failed, owner=owner)


def prepare_edit(ctx: AppContext, check_id: int, done: Done[EntrySetup], *,
                 failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> EntrySetup:
        form = sorting.edit_form(session, check_id)
        assert form.check is not None
        return EntrySetup([], {}, form, sorting.reported_period(session, form.check.check_date))

    _read(ctx, fn, done, failed=failed, owner=owner)


# The chosen photo files are read in the worker and saved in the check's own transaction: a
# file that is not a photo (or too big, or unreadable) and nothing of the check is saved.


def record_check(ctx: AppContext, data: CheckInput, make_finding: bool, done: Done[CheckRow], *,
                 photos: Sequence[Path] = (), failed: Failed = None,
                 owner: QObject | None = None) -> None:
    kinds = {SORTING, "finding"} if make_finding else {SORTING}
    _write(ctx, lambda s: sorting.record_check(s, data, user=ctx.user, make_finding=make_finding,
                                               photos=read_photos(photos)),
           kinds, done, failed=failed, owner=owner)


def update_check(ctx: AppContext, check_id: int, version: int, data: CheckInput, reason: str,
                 done: Done[CheckRow], *, photos: Sequence[Path] = (), failed: Failed = None,
                 owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting.update_check(s, check_id, version, data, user=ctx.user,
                                               reason=reason, photos=read_photos(photos)),
           {SORTING}, done, failed=failed, owner=owner)


def record_recheck(ctx: AppContext, check_id: int, data: RecheckInput, done: Done[CheckRow], *,
                   photos: Sequence[Path] = (), failed: Failed = None,
                   owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting.record_recheck(s, check_id, data, user=ctx.user,
                                                 photos=read_photos(photos)),
           {SORTING}, done, failed=failed, owner=owner)


def add_photos(ctx: AppContext, check_id: int, paths: Sequence[Path],
               done: Done[list[AttachmentRow]], *, failed: Failed = None,
               owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting.add_photos(s, check_id, read_photos(paths), user=ctx.user),
           {SORTING}, done, failed=failed, owner=owner)


def remove_photo(ctx: AppContext, check_id: int, attachment_id: int, done: Done[None], *,
                 failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting.remove_photo(s, check_id, attachment_id, user=ctx.user),
           {SORTING}, done, failed=failed, owner=owner)


def create_finding(ctx: AppContext, check_id: int, done: Done[int], *, failed: Failed = None,
                   owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting.create_finding(s, check_id, user=ctx.user),
           {SORTING, "finding"}, done, failed=failed, owner=owner)


def mark_reported(ctx: AppContext, period: Period, done: Done[None], *, failed: Failed = None,
                  owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting.mark_reported(s, period, user=ctx.user), {SORTING}, done,
           failed=failed, owner=owner)


# --- sites and checklists -------------------------------------------------------------------


def load_site_form(ctx: AppContext, done: Done[list[CommunityInfo]], *,
                   owner: QObject | None = None) -> None:
    _read(ctx, lambda s: list_communities(s), done, owner=owner)


def save_site(ctx: AppContext, site_id: int | None, version: int, data: SiteInput,
              done: Done[SiteRow], *, failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> SiteRow:
        if site_id is None:
            return sorting_sites.create_site(session, data, user=ctx.user)
        return sorting_sites.update_site(session, site_id, version, data, user=ctx.user)

    _write(ctx, fn, {SORTING}, done, failed=failed, owner=owner)


def set_site_active(ctx: AppContext, row: SiteRow, active: bool, reason: str, done: Done[SiteRow],
                    *, failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting_sites.set_site_active(s, row.id, row.version, active,
                                                        user=ctx.user, reason=reason),
           {SORTING}, done, failed=failed, owner=owner)


def load_template_versions(ctx: AppContext, done: Done[dict[str, list[TemplateRow]]], *,
                           owner: QObject | None = None) -> None:
    _prepare(ctx, lambda s: {t: sorting_templates.template_versions(s, t)
                             for t in sorting_templates.SITE_TYPES}, done, owner=owner)


def save_template(ctx: AppContext, site_type: str, data: TemplateInput, base_version_no: int,
                  done: Done[TemplateRow], *, failed: Failed = None,
                  owner: QObject | None = None) -> None:
    _write(ctx, lambda s: sorting_templates.save_template(
        s, site_type, data, base_version_no=base_version_no, user=ctx.user),
        {SORTING}, done, failed=failed, owner=owner)

