"""The main window's status bar: which database, which user, and when the last backup was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from db.engine import Database

from . import hub
from .context import AppContext


def backup_folder(db: Database) -> Path | None:
    """Where Database.backup_copy puts its copies; None for a server database."""
    if db.path is None:
        return None
    return db.backup_dir or db.path.parent / "backups"


def last_backup(db: Database) -> dt.datetime | None:
    folder = backup_folder(db)
    if folder is None or not folder.is_dir():
        return None
    times = [p.stat().st_mtime for p in folder.iterdir() if p.is_file()]
    return dt.datetime.fromtimestamp(max(times)) if times else None


class LedgerStatusBar(QStatusBar):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.database_label = QLabel(self.tr("数据库：{0}").format(ctx.db.describe()))
        self.database_label.setToolTip(ctx.db.describe())
        self.user_label = QLabel(self.tr("用户：{0}").format(ctx.user))
        if ctx.actor is not None:
            self.user_label.setText(self.tr("用户：{0}（{1}）").format(
                ctx.actor.display_name, ctx.actor.role_label))
        self.backup_label = QLabel()
        for label in (self.database_label, self.user_label, self.backup_label):
            label.setContentsMargins(6, 0, 6, 0)
        self.addWidget(self.database_label, 1)
        self.addPermanentWidget(self.user_label)
        self.addPermanentWidget(self.backup_label)
        self.update_backup()
        ctx.hub.ledger_changed.connect(self._on_changed)

    def update_backup(self) -> None:
        self.backup_label.setStyleSheet("")
        self.backup_label.setToolTip("")
        when = last_backup(self._ctx.db)
        if self._ctx.db.path is None:
            self.backup_label.setText(self.tr("备份：由数据库服务器负责"))
        elif when is None:
            self.backup_label.setText(self.tr("尚无备份"))
        else:
            self.backup_label.setText(self.tr("上次备份：{0}").format(when.strftime("%Y-%m-%d %H:%M")))

    def show_backup_warning(self, message: str) -> None:
        """A failed automatic backup: visible, but nothing the clerk must click away."""
        self.backup_label.setText(self.tr("⚠ 自动备份失败"))
        self.backup_label.setStyleSheet("color: #6d4c00; background: #fff4c4;")
        self.backup_label.setToolTip(message)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if hub.BACKUP in kinds:
            self.update_backup()
