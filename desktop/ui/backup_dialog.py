"""文件 → 备份到… and 从备份恢复…: a verified copy of the ledger, and putting one back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QTimer
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.io.backup import BackupReport, backup_to, check_file, restore

from . import hub, prompts
from .backup_progress import run_with_progress
from .context import AppContext

FILE_FILTER = "台账数据库 (*.sqlite3 *.db);;所有文件 (*)"
RESTART_PROPERTY = "restartRequested"  # run_gui opens the ledger again after this window
POSTGRES_TOOLTIP = "PostgreSQL 台账请在数据库服务器上备份与恢复（pg_dump / pg_restore）"

# Tables a clerk recognises, with the words to count them in.
_COUNTED = (("business", "商户 {0} 户"), ("frontage_agreement", "责任书 {0} 份"),
            ("finding", "巡查问题 {0} 条"), ("notice", "文书 {0} 份"), ("app_user", "用户 {0} 个"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def documents_dir() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def default_backup_name(today: dt.date | None = None) -> str:
    return f"台账备份-{(today or dt.date.today()):%Y%m%d}.sqlite3"


def backup_time(path: Path) -> str:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        return ""


def describe_counts(report: BackupReport) -> str:
    parts = [_tr(text).format(f"{report.tables[table]:,}") for table, text in _COUNTED
             if table in report.tables]
    total = sum(report.tables.values())
    return _tr("{0}；共 {1} 条记录").format("、".join(parts), f"{total:,}") if parts else \
        _tr("共 {0} 条记录").format(f"{total:,}")


def back_up(parent: QWidget, ctx: AppContext) -> BackupReport | None:
    """Ask where, copy with progress and cancel, say how many rows the copy was checked for."""
    if ctx.db.path is None:
        prompts.show_info(parent, _tr("备份"), _tr(POSTGRES_TOOLTIP))
        return None
    chosen, _ = QFileDialog.getSaveFileName(parent, _tr("备份到"),
                                            str(documents_dir() / default_backup_name()),
                                            _tr(FILE_FILTER))
    if not chosen:
        return None
    target = Path(chosen)
    if not target.suffix:
        target = target.with_suffix(".sqlite3")
    outcome = run_with_progress(
        parent, _tr("备份"), _tr("正在备份台账到 {0} …").format(target.name),
        lambda progress, cancelled: backup_to(ctx.db, target, progress=progress,
                                              cancelled=cancelled))
    if outcome.cancelled:
        prompts.show_info(parent, _tr("备份"), _tr("已取消备份，没有写入任何文件。"))
        return None
    if outcome.error is not None or outcome.value is None:
        prompts.show_error(parent, _tr("备份未完成"),
                           outcome.error.message if outcome.error else _tr("备份失败"))
        return None
    report = outcome.value
    ctx.hub.announce({hub.BACKUP})
    prompts.show_info(parent, _tr("备份完成"), _tr(
        "台账已备份到：\n{0}\n\n已校验备份文件：完整性检查通过，{1}，与数据库一致。")
        .format(report.path, describe_counts(report)))
    return report


def restore_from(parent: QWidget, ctx: AppContext) -> bool:
    """Choose a backup, check it, confirm, put it in place; the window then reopens the ledger.

    Runs in the database worker, behind any job in flight, so no session reads the file
    while it is replaced. The replaced ledger is kept in the backups folder.
    """
    if ctx.db.path is None:
        prompts.show_info(parent, _tr("从备份恢复"), _tr(POSTGRES_TOOLTIP))
        return False
    chosen, _ = QFileDialog.getOpenFileName(parent, _tr("选择要恢复的备份文件"),
                                            str(documents_dir()), _tr(FILE_FILTER))
    if not chosen:
        return False
    source = Path(chosen)
    checked = run_with_progress(parent, _tr("从备份恢复"), _tr("正在校验备份文件…"),
                                lambda _p, _c: check_file(source), cancellable=False)
    if checked.error is not None or checked.value is None:
        prompts.show_error(parent, _tr("不能恢复"),
                           checked.error.message if checked.error else _tr("无法校验备份文件"))
        return False
    if not prompts.confirm(parent, _tr("从备份恢复"), _tr(
            "要用这份备份替换当前台账吗？\n\n备份文件：{0}\n备份时间：{1}\n内容：{2}\n\n"
            "当前台账会先另存到备份文件夹，不会丢失。恢复后程序将重新打开台账，需要重新登录。")
            .format(source.name, backup_time(source), describe_counts(checked.value)),
            ok_text=_tr("恢复")):
        return False
    restored = run_with_progress(parent, _tr("从备份恢复"), _tr("正在恢复台账…"),
                                 lambda _p, _c: restore(ctx.db, source), cancellable=False,
                                 worker=ctx.worker)
    if restored.error is not None or restored.value is None:
        prompts.show_error(parent, _tr("恢复未完成"),
                           restored.error.message if restored.error else _tr("恢复失败"))
        return False
    prompts.show_info(parent, _tr("恢复完成"), _tr(
        "已从备份恢复台账。\n恢复前的台账已另存为：\n{0}\n\n程序将重新打开台账。")
        .format(restored.value))
    window = parent.window()
    window.setProperty(RESTART_PROPERTY, True)
    QTimer.singleShot(0, window.close)
    return True
