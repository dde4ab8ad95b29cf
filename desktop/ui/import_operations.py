"""The import wizard's operations: analyse, dry-run, import and undo, in the database worker.

Like operations.py, each runs a service off the UI thread and answers on the UI thread; a
real import or an undo announces what changed. Progress crosses threads as a Qt signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Signal

from desktop.domain.errors import DomainError
from desktop.io.excel_import import Analysis, ImportOptions, ImportResult, analyse, import_file
from desktop.io.import_batches import BatchInfo, UndoResult, recent_batches, undo_batch

from . import hub
from .context import AppContext

# An import adds businesses, agreements and perhaps communities and grids.
CHANGED = frozenset({hub.BUSINESS, hub.COMMUNITY, hub.GRID, "agreement"})
Failed = Callable[[DomainError], None]


class ProgressRelay(QObject):
    """Made on the UI thread; the worker emits, the progress dialog listens."""

    progressed = Signal(int, int)  # rows read, rows in the sheet


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


def analyse_file(ctx: AppContext, path: Path, sheet: str | None, header_row: int | None,
                 done: Callable[[Analysis], None], *, failed: Failed,
                 owner: QObject | None = None) -> None:
    ctx.worker.submit(lambda: analyse(ctx.db, path, sheet=sheet, header_row=header_row), done,
                      failed=failed, owner=owner)


def run_import(ctx: AppContext, path: Path, options: ImportOptions, relay: ProgressRelay,
               cancelled: threading.Event, done: Callable[[ImportResult], None], *,
               failed: Failed, owner: QObject | None = None) -> None:
    """A dry run (options.dry_run) or the real import in one transaction."""
    def job() -> ImportResult:
        return import_file(ctx.db, path, options, progress=relay.progressed.emit,
                           cancelled=cancelled.is_set)

    def finished(result: ImportResult) -> None:
        if not options.dry_run:
            ctx.hub.announce(CHANGED)
        if _alive(owner):
            done(result)

    def refused(error: DomainError) -> None:
        if _alive(owner):
            failed(error)

    ctx.worker.submit(job, finished, failed=refused)


def load_batches(ctx: AppContext, done: Callable[[list[BatchInfo]], None], *,
                 owner: QObject | None = None) -> None:
    def job() -> list[BatchInfo]:
        with ctx.db.session() as session:
            return recent_batches(session, 50)

    ctx.worker.submit(job, done, owner=owner)


def undo_import(ctx: AppContext, batch_id: int, done: Callable[[UndoResult], None], *,
                failed: Failed, owner: QObject | None = None) -> None:
    def job() -> UndoResult:
        with ctx.db.transaction() as session:
            return undo_batch(session, batch_id, user=ctx.user)

    def finished(result: UndoResult) -> None:
        ctx.hub.announce(CHANGED)
        if _alive(owner):
            done(result)

    def refused(error: DomainError) -> None:
        if _alive(owner):
            failed(error)

    ctx.worker.submit(job, finished, failed=refused)
