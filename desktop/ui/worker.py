"""The single database worker: runs jobs off the UI thread, reports back on the UI thread."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot
from sqlalchemy import exc as sa_exc

from desktop.domain.errors import DomainError

T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[DomainError], None]


@dataclass
class _Callbacks:
    done: Done
    failed: Failed | None
    owner: QObject | None


class _Job(QRunnable):
    def __init__(self, token: int, fn: Callable[[], Any], report: SignalInstance) -> None:
        super().__init__()
        self._token = token
        self._fn = fn
        self._report = report

    def run(self) -> None:
        try:
            result = self._fn()
        except DomainError as exc:
            self._report.emit(self._token, False, exc)
        except sa_exc.OperationalError as exc:
            # A locked or unreachable database is the clerk's problem to retry, not a crash.
            self._report.emit(self._token, False, DomainError(f"数据库暂时无法访问：{exc.orig}"))
        except BaseException as exc:  # re-raised on the UI thread in _deliver
            self._report.emit(self._token, False, exc)
        else:
            self._report.emit(self._token, True, result)


class DbWorker(QObject):
    """One thread for all database work, so SQLite writers never fight over the lock.

    A job is a plain callable that opens its own session and returns plain data (never
    ORM objects, whose lazy loads would cross threads). Its result is handed to `done` on
    the UI thread; a DomainError goes to `failed`. Results for an `owner` widget that has
    been deleted in the meantime are dropped.
    """

    _report = Signal(int, bool, object)
    failed_unhandled = Signal(object)  # DomainError nobody asked to handle

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tokens = itertools.count(1)
        self._pending: dict[int, _Callbacks] = {}
        # Jobs stay referenced here until their answer reaches the UI thread: whatever their
        # closures hold (widgets, relays) is then released on the UI thread, never on the
        # pool thread, where freeing a QObject crashes the process.
        self._jobs: dict[int, _Job] = {}
        self._closed = False
        # The signal is emitted on the pool thread; this object lives on the UI thread,
        # so Qt queues the call and _deliver runs on the UI thread.
        self._report.connect(self._deliver)

    def submit(self, fn: Callable[[], T], done: Callable[[T], None], *,
               failed: Failed | None = None, owner: QObject | None = None) -> None:
        if self._closed:
            return
        token = next(self._tokens)
        self._pending[token] = _Callbacks(done, failed, owner)
        job = _Job(token, fn, self._report)
        job.setAutoDelete(False)
        self._jobs[token] = job
        self._pool.start(job)

    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self) -> None:
        """Finish the running job and drop every answer still to come."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone()
        self._pending.clear()
        self._jobs.clear()

    @Slot(int, bool, object)
    def _deliver(self, token: int, ok: bool, payload: object) -> None:
        self._jobs.pop(token, None)
        callbacks = self._pending.pop(token, None)
        if callbacks is None or self._closed:
            return
        owner = callbacks.owner
        if owner is not None and not shiboken6.isValid(owner):
            return
        if ok:
            callbacks.done(payload)
        elif isinstance(payload, DomainError):
            if callbacks.failed is not None:
                callbacks.failed(payload)
            else:
                self.failed_unhandled.emit(payload)
        else:
            # A programming error: surface it on the UI thread instead of hiding it.
            assert isinstance(payload, BaseException)
            raise payload
