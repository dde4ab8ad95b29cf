"""Operations of 巡查与通知: findings, photos, notices, deliveries, rechecks, the legal basis.

The same pattern as operations.py (one function per thing a clerk does, run in the database
worker, plain dataclasses back); kept apart so that module stays small.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject
from sqlalchemy.orm import Session

from desktop.domain import attachments, findings, legal, notices
from desktop.domain.attachments import AttachmentRow, PhotoInput
from desktop.domain.audit import HistoryItem
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.findings import FindingInput, FindingQuery, FindingRow, RepeatOffender
from desktop.domain.legal import LegalBasisInput, LegalBasisRow
from desktop.domain.notices import (
    DeliveryInput,
    DeliveryRow,
    NoticeInput,
    NoticeQuery,
    NoticeRow,
    RecheckInput,
    RecheckRow,
)

from .context import AppContext
from .operations import Done, Failed, _read, _write

# Hub kinds of this area. A notice changes its findings too, so both are announced.
FINDING = "finding"
NOTICE = "notice"
LEGAL_BASIS = "legal_basis"
_NOTICE_CHANGES = {FINDING, NOTICE}
# Without a login (tests, maintenance) the window may do everything, as the services assume.
ADMIN_ROLE = legal.ADMIN_ROLE


# --- findings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingBatch:
    total: int | None  # None when only pages were asked for
    pages: dict[int, list[FindingRow]]


def load_finding_pages(ctx: AppContext, query: FindingQuery, pages: Sequence[int],
                       page_size: int, done: Done[FindingBatch], *, with_total: bool = True,
                       owner: QObject | None = None) -> None:
    def fn(session: Session) -> FindingBatch:
        total = findings.count(session, query) if with_total else None
        return FindingBatch(total, {p: findings.page(session, query, p * page_size, page_size)
                                    for p in pages})

    _read(ctx, fn, done, owner=owner)


def load_finding(ctx: AppContext, finding_id: int, done: Done[FindingRow], *,
                 failed: Failed = None, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: findings.get(s, finding_id), done, failed=failed, owner=owner)


def load_repeat_offenders(ctx: AppContext, done: Done[list[RepeatOffender]], *,
                          owner: QObject | None = None) -> None:
    _read(ctx, findings.repeat_offenders, done, owner=owner)


def load_categories(ctx: AppContext, done: Done[list[str]], *,
                    owner: QObject | None = None) -> None:
    _read(ctx, findings.categories, done, owner=owner)


@dataclass(frozen=True)
class FindingReminders:
    overdue: int
    repeat: int


def load_finding_reminders(ctx: AppContext, done: Done[FindingReminders], *,
                           owner: QObject | None = None) -> None:
    def fn(session: Session) -> FindingReminders:
        return FindingReminders(findings.count(session, FindingQuery(state="overdue")),
                                len(findings.repeat_offenders(session)))

    _read(ctx, fn, done, owner=owner)


@dataclass(frozen=True)
class Photo:
    row: AttachmentRow
    thumbnail: bytes


@dataclass(frozen=True)
class NoticeDetails:
    notice: NoticeRow
    delivery: DeliveryRow | None
    history: list[HistoryItem]


@dataclass(frozen=True)
class FindingDetails:
    row: FindingRow
    photos: list[Photo]
    notices: list[NoticeDetails]  # oldest first, voided ones included
    rechecks: list[RecheckRow]
    history: list[HistoryItem]


def load_finding_details(ctx: AppContext, finding_id: int, done: Done[FindingDetails], *,
                         failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> FindingDetails:
        photos = [Photo(a, attachments.get_data(session, a.id, thumbnail=True))
                  for a in attachments.list_for(session, findings.PHOTO_OWNER, finding_id)]
        linked = [NoticeDetails(n, notices.delivery_for(session, n.id),
                                notices.history(session, n.id))
                  for n in notices.for_finding(session, finding_id)]
        return FindingDetails(findings.get(session, finding_id), photos, linked,
                              notices.rechecks_for(session, finding_id),
                              findings.history(session, finding_id))

    _read(ctx, fn, done, failed=failed, owner=owner)


def load_photo(ctx: AppContext, attachment_id: int, done: Done[bytes], *,
               failed: Failed = None, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: attachments.get_data(s, attachment_id), done, failed=failed, owner=owner)


def _photos(paths: Sequence[Path]) -> list[PhotoInput]:
    """Read the chosen files in the worker; a file too big is refused before it is read."""
    out = []
    for path in paths:
        try:
            size = path.stat().st_size
            if size > attachments.MAX_FILE_BYTES:
                raise ValidationError({"photo": f"“{path.name}”太大（{size / 1048576:.0f} MB），"
                                                f"照片不能超过{attachments.MAX_FILE_BYTES // 1048576} MB"})
            out.append(PhotoInput(path.name, path.read_bytes()))
        except OSError as exc:
            raise ValidationError({"photo": f"“{path.name}”无法读取：{exc.strerror or exc}"}) from exc
    return out


def save_finding(ctx: AppContext, finding_id: int | None, version: int, data: FindingInput,
                 photos: Sequence[Path], done: Done[FindingRow], *, failed: Failed = None,
                 owner: QObject | None = None) -> None:
    """Record a new finding with its photos, or correct one still at 发现 and add photos."""
    def fn(session: Session) -> FindingRow:
        inputs = _photos(photos)
        if finding_id is None:
            return findings.record_finding(session, data, photos=inputs, user=ctx.user)
        prepared = [attachments.prepare_image(p.file_name, p.data) for p in inputs]
        row = findings.update_finding(session, finding_id, version, data, user=ctx.user)
        for image in prepared:
            attachments.store(session, findings.PHOTO_OWNER, row.id, image, user=ctx.user)
        return findings.get(session, row.id)

    _write(ctx, fn, {FINDING}, done, failed=failed, owner=owner)


def close_finding(ctx: AppContext, row: FindingRow, note: str, done: Done[FindingRow], *,
                  failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: findings.close(s, row.id, row.version, note=note, user=ctx.user),
           {FINDING}, done, failed=failed, owner=owner)


def refer_finding(ctx: AppContext, row: FindingRow, referred_on: dt.date, unit: str, notes: str,
                  done: Done[FindingRow], *, failed: Failed = None,
                  owner: QObject | None = None) -> None:
    _write(ctx, lambda s: findings.refer(s, row.id, row.version, referred_on=referred_on,
                                         receiving_unit=unit, notes=notes, user=ctx.user),
           {FINDING}, done, failed=failed, owner=owner)


# --- notices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Officer:
    name: str
    cert: str


@dataclass(frozen=True)
class NoticeForm:
    draft: NoticeInput
    rows: list[FindingRow]
    entries: list[LegalBasisRow]  # active entries, confirmed or not
    officers: list[Officer]  # who signed recent notices, most recent first


RECENT_NOTICES = 200


def recent_officers(session: Session) -> list[Officer]:
    seen: dict[tuple[str, str], Officer] = {}
    for n in notices.page(session, NoticeQuery(), 0, RECENT_NOTICES):
        for name, cert in ((n.officer1, n.officer1_cert), (n.officer2, n.officer2_cert)):
            if name and (name, cert) not in seen:
                seen[(name, cert)] = Officer(name, cert)
    return list(seen.values())


def load_notice_form(ctx: AppContext, finding_ids: Sequence[int], done: Done[NoticeForm], *,
                     failed: Failed = None, owner: QObject | None = None) -> None:
    def fn(session: Session) -> NoticeForm:
        return NoticeForm(notices.draft_notice(session, list(finding_ids)),
                          [findings.get(session, i) for i in dict.fromkeys(finding_ids)],
                          legal.list_entries(session), recent_officers(session))

    _read(ctx, fn, done, failed=failed, owner=owner)


def load_officers(ctx: AppContext, done: Done[list[Officer]], *,
                  owner: QObject | None = None) -> None:
    _read(ctx, recent_officers, done, owner=owner)


def load_notice(ctx: AppContext, number: str, done: Done[NoticeRow], *, failed: Failed = None,
                owner: QObject | None = None) -> None:
    _read(ctx, lambda s: notices.by_numbers(s, [number])[0], done, failed=failed, owner=owner)


def issue_notice(ctx: AppContext, data: NoticeInput, done: Done[NoticeRow], *,
                 failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: notices.issue_notice(s, data, user=ctx.user), _NOTICE_CHANGES, done,
           failed=failed, owner=owner)


def void_notice(ctx: AppContext, notice_id: int, reason: str, done: Done[NoticeRow], *,
                failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: notices.void_notice(s, notice_id, reason, user=ctx.user),
           _NOTICE_CHANGES, done, failed=failed, owner=owner)


def record_delivery(ctx: AppContext, notice_id: int, data: DeliveryInput,
                    done: Done[DeliveryRow], *, failed: Failed = None,
                    owner: QObject | None = None) -> None:
    _write(ctx, lambda s: notices.record_delivery(s, notice_id, data, user=ctx.user),
           _NOTICE_CHANGES, done, failed=failed, owner=owner)


def record_recheck(ctx: AppContext, row: FindingRow, data: RecheckInput, done: Done[RecheckRow],
                   *, failed: Failed = None, owner: QObject | None = None) -> None:
    _write(ctx, lambda s: notices.record_recheck(s, row.id, row.version, data, user=ctx.user),
           _NOTICE_CHANGES, done, failed=failed, owner=owner)


# --- printing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintChoice:
    notice: bool = True
    delivery: bool = False
    recheck: bool = False
    copies: int = 2  # of notices and recheck records: 存档 and 交当事人


@dataclass(frozen=True)
class NoticePdf:
    data: bytes
    documents: int  # copies counted
    pages: int
    items: int  # different documents: a notice, its 送达回证, a recheck record …
    first_kind: str  # notice, delivery or recheck
    first_label: str  # number of the first document (a 送达回证 goes by its notice's)


def _build(session: Session, parts: list[tuple[str, str]], copies: int,
           cancelled: threading.Event | None) -> NoticePdf:
    # Imported here: reportlab is not needed until the first print, so start-up stays quick.
    from desktop.domain.office import get_office
    from desktop.pdf.fonts import FontNotFoundError
    from desktop.pdf.layout import PdfWriteError, build_pdf, styles
    from desktop.pdf.render import DOCUMENTS

    st = styles()
    docs = []
    for kind, number in parts:
        if cancelled is not None and cancelled.is_set():
            return NoticePdf(b"", 0, 0, 0, "", "")
        _title, built = DOCUMENTS[kind](session, [number], st, 1 if kind == "delivery" else copies)
        docs.extend(built)
    if not docs:
        return NoticePdf(b"", 0, 0, 0, "", "")
    out = io.BytesIO()
    try:
        pages = build_pdf(out, docs, title="巡查与通知文书", author=get_office(session).name)
    except (FontNotFoundError, PdfWriteError) as exc:
        raise DomainError(str(exc)) from exc
    return NoticePdf(out.getvalue(), len(docs), pages, len(parts), *parts[0])


def render_findings_pdf(ctx: AppContext, finding_ids: Sequence[int], choice: PrintChoice,
                        done: Done[NoticePdf], *, cancelled: threading.Event | None = None,
                        failed: Failed = None, owner: QObject | None = None) -> None:
    """Each selected finding's current notice, then its 送达回证 and 复查意见书, in one PDF.

    A notice citing several selected findings prints once. Nothing is saved to the ledger.
    """
    def fn(session: Session) -> NoticePdf:
        parts: list[tuple[str, str]] = []
        seen: set[str] = set()
        for finding_id in finding_ids:
            row = findings.get(session, finding_id)
            if row.notice and row.notice not in seen:
                seen.add(row.notice)
                if choice.notice:
                    parts.append(("notice", row.notice))
                if choice.delivery:
                    parts.append(("delivery", row.notice))
            if choice.recheck:
                parts.extend(("recheck", r.number) for r in notices.rechecks_for(session, row.id)
                             if r.number and ("recheck", r.number) not in parts)
        if not parts:
            raise DomainError("所选问题没有可打印的文书（尚未签发通知书，或没有所选种类的文书）")
        return _build(session, parts, choice.copies, cancelled)

    _read(ctx, fn, done, failed=failed, owner=owner)


def render_notice_pdf(ctx: AppContext, number: str, copies: int, done: Done[NoticePdf], *,
                      failed: Failed = None, owner: QObject | None = None) -> None:
    _read(ctx, lambda s: _build(s, [("notice", number)], copies, None), done, failed=failed,
          owner=owner)


def render_day_pdf(ctx: AppContext, day: dt.date, copies: int, done: Done[NoticePdf], *,
                   cancelled: threading.Event | None = None, failed: Failed = None,
                   owner: QObject | None = None) -> None:
    """Every notice issued (and not voided) on `day`, in the order they were numbered."""
    def fn(session: Session) -> NoticePdf:
        query = NoticeQuery(state="issued", issued_from=day, issued_to=day)
        rows = notices.page(session, query, 0, notices.count(session, query))
        if not rows:
            raise DomainError(f"{day.year}年{day.month}月{day.day}日没有签发（未作废的）通知书")
        rows.sort(key=lambda n: (n.issued_at, n.seq))
        return _build(session, [("notice", n.number) for n in rows], copies, cancelled)

    _read(ctx, fn, done, failed=failed, owner=owner)


# --- the legal-basis library ------------------------------------------------------------------


def load_legal_entries(ctx: AppContext, done: Done[list[LegalBasisRow]], *,
                       owner: QObject | None = None) -> None:
    _read(ctx, lambda s: legal.list_entries(s, include_inactive=True), done, owner=owner)


def save_legal_entry(ctx: AppContext, basis_id: int | None, version: int, data: LegalBasisInput,
                     done: Done[LegalBasisRow], *, failed: Failed = None,
                     owner: QObject | None = None) -> None:
    def fn(session: Session) -> LegalBasisRow:
        if basis_id is None:
            return legal.create(session, data, user=ctx.user)
        return legal.update(session, basis_id, version, data, user=ctx.user)

    _write(ctx, fn, {LEGAL_BASIS}, done, failed=failed, owner=owner)


def confirm_legal_entry(ctx: AppContext, row: LegalBasisRow, confirmed: bool,
                        done: Done[LegalBasisRow], *, failed: Failed = None,
                        owner: QObject | None = None) -> None:
    role = ctx.actor.role if ctx.actor is not None else ADMIN_ROLE
    _write(ctx, lambda s: legal.confirm(s, row.id, row.version, user=ctx.user, role=role,
                                        confirmed=confirmed),
           {LEGAL_BASIS}, done, failed=failed, owner=owner)

