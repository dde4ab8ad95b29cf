"""At start-up: the day's automatic backup (SQLite), or once per server ledger a word on pg_dump."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.domain.errors import DomainError
from desktop.io.backup import BackupError, automatic_backup

from . import hub
from .main_window import MainWindow

# Long enough for the first page to load before the copy takes the database worker, short
# enough that it is done soon after; an unattended start that quits at once never backs up.
AUTO_BACKUP_DELAY_MS = 2000
_NOTICE_KEY = "notices/postgres-backup/"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupStartup", text)


def start(window: MainWindow, delay_ms: int = AUTO_BACKUP_DELAY_MS) -> None:
    if window.ctx.db.path is None:
        QTimer.singleShot(delay_ms, window, lambda: postgres_notice(window))
    else:
        QTimer.singleShot(delay_ms, window, lambda: run_automatic_backup(window))


def run_automatic_backup(window: MainWindow) -> None:
    ctx = window.ctx

    def job() -> object:
        try:
            return automatic_backup(ctx.db)
        except OSError as exc:  # the backups folder cannot be made or written
            raise BackupError(_tr("无法写入备份文件夹：{0}").format(exc)) from exc

    def done(made: object) -> None:
        if made is not None:
            ctx.hub.announce({hub.BACKUP})

    def failed(error: DomainError) -> None:
        window.status.show_backup_warning(_tr("今天的自动备份没有完成：{0}").format(error.message))

    ctx.worker.submit(job, done, failed=failed, owner=window)


def notice_key(description: str) -> str:
    return _NOTICE_KEY + hashlib.sha256(description.encode("utf-8")).hexdigest()[:16]


def postgres_notice(parent: QWidget, description: str | None = None) -> QMessageBox | None:
    """Shown once per server ledger (remembered in QSettings), and never in the way."""
    if description is None:
        assert isinstance(parent, MainWindow)
        description = parent.ctx.db.describe()
    settings = QSettings()
    key = notice_key(description)
    if settings.value(key, False, type=bool):
        return None
    settings.setValue(key, True)
    box = QMessageBox(QMessageBox.Icon.Information, _tr("关于备份"), _tr(
        "本台账保存在 PostgreSQL 数据库服务器上（{0}）。\n\n"
        "本程序只备份单机版（SQLite）台账。请由信息管理员在服务器上配置定期备份"
        "（如每天用 pg_dump 导出并异地保存）。\n\n此提示只显示一次。").format(description),
        QMessageBox.StandardButton.Ok, parent)
    box.setModal(False)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
