"""Exporting a page's list to .xlsx: where to save, then a background write with progress.

Every list page exports the same way: it names the list, suggests a file name and hands in a
source builder (its own query and visible columns, bound) that `export_list` runs here. The
export opens its own session on its own thread (exports may take their own pool, so the
database worker stays free for the page), reports progress after each fetched batch, and a
cancel or a failure leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QStandardPaths,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QFileDialog, QHeaderView, QProgressDialog, QTableView, QWidget
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from desktop.domain.errors import DomainError
from desktop.io.excel_export import ExportResult, ListSource, write_list
from desktop.io.xlsx_out import ExportCancelled, ExportError

from . import prompts
from .context import AppContext

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], ExportResult]
# Builds the list's source on the export's own session, on the export's thread.
SourceBuilder = Callable[[Session], ListSource]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ListExport", text)


def choose_file(parent: QWidget, suggested: str) -> Path | None:
    """The save dialog, starting in Documents; None when the clerk cancels."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / suggested) if folder else suggested
    name, _ = QFileDialog.getSaveFileName(
        parent, _tr("导出到 Excel"), start, _tr("Excel 工作簿 (*.xlsx)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


class _Signals(QObject):
    progressed = Signal(int, int)
    finished = Signal(bool, object)  # ok, ExportResult or the exception


class _Runnable(QRunnable):
    def __init__(self, job: Job, signals: _Signals, cancelled: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._signals = signals
        self._cancelled = cancelled

    def run(self) -> None:
        try:
            result = self._job(self._signals.progressed.emit, self._cancelled.is_set)
        except sa_exc.OperationalError as exc:
            # A locked or unreachable database is the clerk's to retry, as in the worker.
            self._signals.finished.emit(False, ExportError(f"数据库暂时无法访问：{exc.orig}"))
        except BaseException as exc:  # reported on the UI thread, which decides
            self._signals.finished.emit(False, exc)
        else:
            self._signals.finished.emit(True, result)


class ListExport(QObject):
    """One export in flight: its progress dialog, its thread and its answer."""

    done = Signal(object)  # ExportResult, or None when cancelled or refused

    def __init__(self, parent: QWidget, title: str, job: Job) -> None:
        super().__init__(parent)
        self._parent = parent
        self._title = title
        self.cancelled = threading.Event()
        self.progress = QProgressDialog(self.tr("正在导出{0}…").format(title), self.tr("取消"),
                                        0, 0, parent)
        self.progress.setWindowTitle(self.tr("导出"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancelled.set)
        self._signals = _Signals()
        self._signals.progressed.connect(self._progressed)
        self._signals.finished.connect(self._finished)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.start(_Runnable(job, self._signals, self.cancelled))

    def wait(self) -> None:
        self._pool.waitForDone()

    @Slot(int, int)
    def _progressed(self, written: int, total: int) -> None:
        if self.progress.maximum() != total:
            self.progress.setMaximum(total)
        self.progress.setValue(written)
        self.progress.setLabelText(self.tr("正在导出{0}：{1:,} / {2:,} 条").format(
            self._title, written, total))

    @Slot(bool, object)
    def _finished(self, ok: bool, payload: object) -> None:
        self.progress.reset()
        self.progress.deleteLater()
        self.deleteLater()  # once the answer is out, nothing refers to this export any more
        if ok:
            assert isinstance(payload, ExportResult)
            prompts.show_info(self._parent, self.tr("导出完成"),
                              self.tr("已导出 {0:,} 条记录到：\n{1}").format(payload.rows, payload.out))
            self.done.emit(payload)
            return
        self.done.emit(None)
        if isinstance(payload, ExportCancelled):
            return
        if isinstance(payload, DomainError):
            prompts.show_error(self._parent, self.tr("导出失败"), payload.message)
            return
        assert isinstance(payload, BaseException)
        raise payload  # a programming error: surface it, do not hide it


def visible_fields(header: QHeaderView, fields: Sequence[str]) -> list[str]:
    """The columns as the clerk arranged them: visual order, hidden ones left out.

    `fields` are the model's column fields in logical order.
    """
    out = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if not header.isSectionHidden(logical):
            out.append(fields[logical])
    return out


def file_name(title: str, day: dt.date | None = None) -> str:
    """The suggested file name: the list's name and today's date."""
    return f"{title}_{day or dt.date.today():%Y%m%d}.xlsx"


def export_list(parent: QWidget, ctx: AppContext, title: str, suggested: str,
                build: SourceBuilder) -> ListExport | None:
    """Ask where to save, then write what `build` gives in the background; None if not asked to.

    `build` must carry everything it needs (the page's query and columns as they are now):
    it runs later, on another thread, while the clerk may already be changing the filters.
    """
    out = choose_file(parent, suggested)
    if out is None:
        return None

    def job(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> ExportResult:
        with ctx.db.session() as session:
            return write_list(out, build(session), progress=progress, cancelled=cancelled)

    return ListExport(parent, title, job)


def export_shown(parent: QWidget, ctx: AppContext, title: str, table: QTableView,
                 fields: Sequence[str], source: Callable[[Session, list[str]], ListSource]
                 ) -> ListExport | None:
    """A page's list as shown: `table`'s visible columns in their order (`fields` are the
    model's, in logical order), the rows written by `source(session, columns)`.

    `source` must hold the page's query as it is now (see export_list).
    """
    shown = visible_fields(table.horizontalHeader(), fields)
    return export_list(parent, ctx, title, file_name(title), lambda session: source(session, shown))
