"""Backups of the SQLite ledger: online copies, verification, rotation and restore."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.engine import SQLITE_MAGIC, Database
from desktop.domain.errors import DomainError

Progress = Callable[[int, int], None]  # pages done, pages total

DAILY_KEEP, WEEKLY_KEEP, MONTHLY_KEEP = 7, 4, 12
AUTO_PREFIX = "auto-"
_AUTO_NAME = re.compile(r"auto-(\d{8})-\d{6}\.sqlite3$")


class BackupError(DomainError):
    pass


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: dict[str, int]
    integrity: str

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "tables": self.tables, "integrity": self.integrity,
                "rows": sum(self.tables.values())}


def _require_sqlite(db: Database) -> Path:
    if db.path is None:
        raise BackupError("PostgreSQL 台账请在数据库服务器上备份（pg_dump），本程序只备份 SQLite 数据库文件")
    return db.path


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'business_fts%' ORDER BY name")]
    return {name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            for name in names}


def check_file(path: Path) -> BackupReport:
    """Open a database file read-only and check it: SQLite header, integrity, row counts."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise BackupError(f"无法读取文件：{path}（{exc.strerror or exc}）") from exc
    if head != SQLITE_MAGIC:
        raise BackupError(f"该文件不是台账数据库或已损坏：{path}")
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开数据库文件：{path}（{exc}）") from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"数据库文件已损坏（完整性检查：{result}）：{path}")
        return BackupReport(path, table_counts(conn), result)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"数据库文件已损坏：{path}（{exc}）") from exc
    finally:
        conn.close()


def backup_to(db: Database, target: Path, *, progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> BackupReport:
    """A consistent copy made with SQLite's online backup API while the app may be writing.

    Written under a temporary name and renamed only once verified, so a failed or cancelled
    backup never leaves a half file that looks like a backup.
    """
    source_path = _require_sqlite(db)
    target = Path(target)
    if target.resolve() == source_path.resolve():
        raise BackupError("备份文件不能与当前数据库是同一个文件")
    if not target.parent.is_dir():
        raise BackupError(f"文件夹“{target.parent}”不存在，请重新选择备份位置")
    partial = target.with_name(target.name + ".part")
    source = sqlite3.connect(str(source_path), timeout=30, isolation_level=None)
    try:
        # One read transaction: the copy and the row counts it is checked against come from
        # the same snapshot, whatever the app writes meanwhile.
        source.execute("BEGIN")
        live = table_counts(source)
        dest = sqlite3.connect(str(partial))
        try:
            def step(_status: int, remaining: int, total: int) -> None:
                if progress:
                    progress(total - remaining, total)
                if cancelled and cancelled():
                    raise BackupError("已取消备份")

            source.backup(dest, pages=256, progress=step)
            # A copy stands alone as one file: no -wal/-shm beside it on a USB stick.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        source.execute("COMMIT")
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"备份失败：{exc}") from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    try:
        report = check_file(partial)
        if report.tables != live:
            raise BackupError("备份校验失败：备份中的记录数与数据库不一致")
        os.replace(partial, target)
    except PermissionError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"无法写入备份文件（可能正被其他程序打开）：{target}") from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(target, report.tables, report.integrity)


def backup_folder(db: Database) -> Path:
    return _require_sqlite(db).parent / "backups"


def automatic_backup(db: Database, now: dt.datetime | None = None) -> Path | None:
    """The first start of each day keeps a copy, then old copies are thinned out."""
    if db.path is None:
        return None
    now = now or dt.datetime.now()
    folder = backup_folder(db)
    folder.mkdir(parents=True, exist_ok=True)
    today = now.strftime("%Y%m%d")
    if any(_AUTO_NAME.match(p.name) and p.name[5:13] == today for p in folder.iterdir()):
        return None
    made = backup_to(db, folder / f"{AUTO_PREFIX}{now:%Y%m%d-%H%M%S}.sqlite3").path
    rotate(folder, now.date())
    return made


def rotate(folder: Path, today: dt.date) -> list[Path]:
    """Keep 7 daily, 4 weekly and 12 monthly automatic backups; remove the rest."""
    dated: list[tuple[dt.date, Path]] = []
    for path in folder.iterdir():
        m = _AUTO_NAME.match(path.name)
        if m:
            dated.append((dt.datetime.strptime(m[1], "%Y%m%d").date(), path))
    dated.sort(reverse=True)
    keep: set[Path] = set()
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    months: set[tuple[int, int]] = set()
    for day, path in dated:  # newest first: the newest copy of each day/week/month survives
        if day not in days and len(days) < DAILY_KEEP:
            days.add(day)
            keep.add(path)
        week = day.isocalendar()[:2]
        if week not in weeks and len(weeks) < WEEKLY_KEEP:
            weeks.add(week)
            keep.add(path)
        month = (day.year, day.month)
        if month not in months and len(months) < MONTHLY_KEEP:
            months.add(month)
            keep.add(path)
    removed = [path for _, path in dated if path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    del today
    return removed


def latest_backup(folder: Path) -> Path | None:
    files = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    return files[0] if files else None


def restore(db: Database, source: Path) -> Path:
    """Replace the ledger with a verified backup; the current file is saved first.

    Returns where the replaced database was kept.
    """
    target = _require_sqlite(db)
    source = Path(source)
    check_file(source)
    if source.resolve() == target.resolve():
        raise BackupError("要恢复的文件就是当前数据库")
    kept = backup_folder(db) / f"before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    kept.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        backup_to(db, kept)
    db.dispose()
    partial = target.with_name(target.name + ".restoring")
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    check_file(partial)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(partial, target)
    return kept
