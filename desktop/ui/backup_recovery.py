"""A ledger that will not open at start (damaged, or from a newer version): offer its backups.

The error message gets a button 从最近的备份恢复…; it lists the backups next to the file,
newest first, each checked before it can be chosen. The file that would not open is moved
into the backups folder (never deleted, never overwritten), then the chosen copy is put in
its place with io.backup.restore.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from db.engine import (
    Database,
    DatabaseOpenError,
    DatabaseTooNewError,
    normalize_url,
    open_database,
    sqlite_url,
)
from desktop.domain.errors import DomainError
from desktop.io.backup import BackupError, BackupReport, check_file, restore

from . import prompts
from .backup_dialog import backup_time, describe_counts
from .backup_progress import run_with_progress

SET_ASIDE_PREFIX = "replaced-"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupRecovery", text)


def sqlite_path(url: str) -> Path | None:
    try:
        parsed = make_url(normalize_url(url))
    except ArgumentError:  # not a URL SQLAlchemy can read, so not a SQLite file either
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def recoverable(error: DatabaseOpenError) -> bool:
    """Damaged or too new: a backup may help. Locked, read-only, unreachable: it will not."""
    text = str(error)
    return isinstance(error, DatabaseTooNewError) or "损坏" in text or "不是台账数据库" in text


def candidates(folder: Path) -> list[Path]:
    """Backup files in the folder, newest first (set-aside ledgers are not backups)."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob("*.sqlite3")
             if p.is_file() and not p.name.startswith(SET_ASIDE_PREFIX)]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


def open_ledger(url: str) -> Database | None:
    """Open the ledger; when it cannot be opened, say why and offer its backups."""
    while True:
        try:
            return open_database(url)
        except DatabaseOpenError as exc:
            path = sqlite_path(url)
            backups = candidates(path.parent / "backups") if path is not None else []
            if path is None or not path.is_file() or not recoverable(exc) or not backups:
                QMessageBox.critical(None, _tr("无法打开台账数据库"), str(exc))
                return None
            if not offer_restore(str(exc), path, backups):
                return None


def offer_restore(message: str, path: Path, backups: list[Path]) -> bool:
    """True once a backup has been put in place; False when the clerk gives up."""
    while True:
        box = QMessageBox(QMessageBox.Icon.Critical, _tr("无法打开台账数据库"), message)
        box.setInformativeText(_tr("备份文件夹中有 {0} 个备份文件，可以选一份校验通过的恢复。")
                               .format(len(backups)))
        restore_button = box.addButton(_tr("从最近的备份恢复…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_tr("退出"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not restore_button:
            return False
        chooser = BackupChooser(backups)
        if chooser.exec() != QDialog.DialogCode.Accepted or chooser.chosen is None:
            continue
        source, report = chooser.chosen
        if not prompts.confirm(None, _tr("从备份恢复"), _tr(
                "要用这份备份恢复台账吗？\n\n备份文件：{0}\n备份时间：{1}\n内容：{2}\n\n"
                "打不开的台账文件不会删除，将移到备份文件夹：\n{3}")
                .format(source.name, backup_time(source), describe_counts(report), source.parent),
                ok_text=_tr("恢复")):
            continue
        outcome = run_with_progress(None, _tr("从备份恢复"), _tr("正在恢复台账…"),
                                    partial(_restore_work, path, source), cancellable=False)
        if outcome.error is not None or outcome.value is None:
            prompts.show_error(None, _tr("恢复未完成"),
                               outcome.error.message if outcome.error else _tr("恢复失败"))
            continue
        prompts.show_info(None, _tr("恢复完成"), _tr(
            "已从备份恢复台账。\n打不开的原文件已移到：\n{0}").format(outcome.value))
        return True


def _restore_work(path: Path, source: Path, _progress: object, _cancelled: object) -> Path:
    return restore_over(path, source)


def restore_over(path: Path, source: Path) -> Path:
    """Move the ledger that will not open aside, restore `source` in its place.

    Returns where the old file went. If the restore fails, the old file is moved back.
    """
    check_file(source)
    folder = source.parent
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = folder / f"{SET_ASIDE_PREFIX}{stamp}-{path.name}"
    moved: list[tuple[Path, Path]] = []
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(path) + suffix)
        if src.exists():
            dst = Path(str(kept) + suffix)
            os.replace(src, dst)
            moved.append((dst, src))
    db = Database(sqlite_url(path), migrate=False)
    try:
        restore(db, source)
    except (DomainError, OSError) as exc:
        db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        for dst, src in moved:
            os.replace(dst, src)
        if isinstance(exc, DomainError):
            raise
        raise BackupError(_tr("恢复失败：{0}").format(exc)) from exc
    db.dispose()
    return kept


class _Checked(QObject):
    checked = Signal(int, object)  # row, BackupReport or the reason it failed


class _Check(QRunnable):
    def __init__(self, row: int, path: Path, signals: _Checked) -> None:
        super().__init__()
        self._row, self._path, self._signals = row, path, signals

    def run(self) -> None:
        try:
            result: object = check_file(self._path)
        except DomainError as exc:
            result = exc.message
        self._signals.checked.emit(self._row, result)


class BackupChooser(QDialog):
    """The backups, newest first; each is checked in the background before it can be chosen."""

    def __init__(self, backups: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BackupChooser")
        self.setWindowTitle(_tr("选择要恢复的备份"))
        self.resize(760, 360)
        self.backups = backups
        self.reports: dict[int, BackupReport] = {}
        self.chosen: tuple[Path, BackupReport] | None = None
        self.table = QTableWidget(len(backups), 3)
        self.table.setHorizontalHeaderLabels([_tr("备份时间"), _tr("文件"), _tr("校验")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, path in enumerate(backups):
            for column, text in enumerate((backup_time(path), path.name, _tr("正在校验…"))):
                item = QTableWidgetItem(text)  # enabled, so choosable, once checked
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(_tr("恢复所选备份"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("备份按时间排列，最新的在最上面。只有校验通过的备份可以恢复。")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.accept())

        self._signals = _Checked(self)
        self._signals.checked.connect(self._checked)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        for row, path in enumerate(backups):
            self._pool.start(_Check(row, path, self._signals))

    def _checked(self, row: int, result: object) -> None:
        items = [self.table.item(row, column) for column in range(3)]
        status = items[2]
        assert status is not None
        if isinstance(result, BackupReport):
            self.reports[row] = result
            status.setText(_tr("通过：{0}").format(describe_counts(result)))
            status.setToolTip(status.text())
            for item in items:
                if item is not None:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)
            if not self.table.selectedItems():  # checked in order: the newest usable one
                self.table.selectRow(row)
        else:
            status.setText(_tr("不可用：{0}").format(result))
            status.setToolTip(str(result))

    def _selected_row(self) -> int | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return next(iter(rows)) if len(rows) == 1 else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self._selected_row() in self.reports)

    def accept(self) -> None:
        row = self._selected_row()
        if row is None or row not in self.reports:
            return
        self.chosen = (self.backups[row], self.reports[row])
        super().accept()

    def done(self, result: int) -> None:
        self._pool.clear()  # checks not started yet are dropped; the running one finishes
        self._pool.waitForDone()
        super().done(result)
