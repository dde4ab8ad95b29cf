"""Long file work (backup, check, restore) off the UI thread, behind a cancellable progress dialog.

The caller waits in a local event loop, as it would in QDialog.exec(), so a flow like
"choose file → copy → report" reads top to bottom while the window stays responsive.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.domain.errors import DomainError

from .worker import DbWorker

T = TypeVar("T")
Report = Callable[[int, int], None]  # done, total
Work = Callable[[Report, Callable[[], bool]], T]  # (progress, cancelled) → result


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupProgress", text)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    error: DomainError | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)  # ("ok", value) | ("error", exception)


def _guarded(work: Work[T], signals: _Signals, cancel: threading.Event) -> Callable[[], tuple[str, object]]:
    def run() -> tuple[str, object]:
        try:
            return "ok", work(signals.progress.emit, cancel.is_set)
        except DomainError as exc:
            return "error", exc
        except (OSError, sqlite3.Error) as exc:  # a full disk, a locked file: the clerk's to fix
            return "error", DomainError(_tr("文件操作失败：{0}").format(exc))
        except BaseException as exc:  # a programming error, re-raised on the UI thread
            return "error", exc
    return run


class _Task(QRunnable):
    def __init__(self, run: Callable[[], tuple[str, object]], signals: _Signals) -> None:
        super().__init__()
        self._run = run
        self._signals = signals

    def run(self) -> None:
        self._signals.finished.emit(self._run())


_POOL: QThreadPool | None = None


def _pool() -> QThreadPool:
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
    return _POOL


def run_with_progress(parent: QWidget | None, title: str, label: str, work: Work[T], *,
                      cancellable: bool = True, worker: DbWorker | None = None) -> Outcome[T]:
    """Run `work` in a thread (or in `worker`, to queue behind database jobs) and wait.

    A cancel sets the flag `work` polls; the work itself decides what cancelling leaves
    behind (backup_to leaves nothing).
    """
    signals = _Signals()
    cancel = threading.Event()
    dialog = QProgressDialog(label, _tr("取消") if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(400)
    if not cancellable:
        dialog.setCancelButton(None)  # type: ignore[arg-type]
    loop = QEventLoop()
    answer: list[tuple[str, object]] = []

    def progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def finished(result: object) -> None:
        assert isinstance(result, tuple)
        answer.append(result)
        loop.quit()

    def cancelled() -> None:
        if not cancellable:
            return  # Esc on a dialog without a cancel button: the work goes on
        cancel.set()
        dialog.setLabelText(_tr("正在取消…"))

    signals.progress.connect(progress)
    dialog.canceled.connect(cancelled)
    run = _guarded(work, signals, cancel)
    if worker is not None:
        worker.submit(run, finished)
    else:
        signals.finished.connect(finished)
        _pool().start(_Task(run, signals))
    if not answer:
        loop.exec()
    dialog.canceled.disconnect(cancelled)
    dialog.close()
    shiboken6.delete(dialog)  # now, not later: no stale progress dialog lingers
    kind, payload = answer[0]
    if kind == "ok":
        return Outcome(value=payload)  # type: ignore[arg-type]
    if isinstance(payload, DomainError):
        return Outcome(error=payload, cancelled=cancel.is_set())
    assert isinstance(payload, BaseException)
    raise payload
