"""Backups: consistent online copies, verification, rotation, restore, bad files refused."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from desktop.domain import businesses as B
from desktop.io.backup import (
    BackupError,
    automatic_backup,
    backup_to,
    check_file,
    restore,
    rotate,
)
from tests.factories import make_ledger


def test_backup_while_a_clerk_keeps_saving(db, tmp_path):
    ledger = make_ledger(db)
    stop = threading.Event()

    def keep_saving() -> None:
        bid = ledger.businesses["老王火锅店"]
        while not stop.is_set():
            with db.session() as s:
                row = B.get(s, bid)
            data = row.as_input()
            data.remarks = (row.remarks + "x")[-400:]
            with db.transaction() as s:
                B.update(s, bid, row.version, data)

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        reports = [backup_to(db, tmp_path / f"copy{k}.sqlite3") for k in range(5)]
    finally:
        stop.set()
        writer.join()
    for report in reports:
        assert report.integrity == "ok" and report.tables["business"] == 5
        assert check_file(report.path).tables == report.tables
    assert not list(tmp_path.glob("*.part"))


def test_refusals(db, tmp_path):
    with pytest.raises(BackupError, match="不存在"):
        backup_to(db, tmp_path / "missing" / "x.sqlite3")
    with pytest.raises(BackupError, match="同一个文件"):
        backup_to(db, Path(db.path))
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="不是台账数据库"):
        check_file(junk)
    good = backup_to(db, tmp_path / "good.sqlite3").path
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(BackupError):
        check_file(cut)
    with pytest.raises(BackupError):
        restore(db, cut)


def test_restore_keeps_the_current_database_first(db, tmp_path):
    ledger = make_ledger(db)
    saved = backup_to(db, tmp_path / "before.sqlite3").path
    with db.session() as s:
        row = B.get(s, ledger.businesses["老王火锅店"])
    with db.transaction() as s:
        B.set_active(s, row.id, row.version, False, reason="误操作")
    kept = restore(db, saved)
    with db.session() as s:
        assert B.get(s, row.id).active is True
    assert check_file(kept).tables["business"] == 5


def test_daily_automatic_backup_and_rotation(db):
    start = dt.datetime(2026, 1, 1, 8, 0)
    first = automatic_backup(db, start)
    assert first is not None and automatic_backup(db, start + dt.timedelta(hours=3)) is None
    folder = first.parent
    for day in range(1, 100):
        automatic_backup(db, start + dt.timedelta(days=day))
    days = sorted(p.name[5:13] for p in folder.glob("auto-*.sqlite3"))
    last = start + dt.timedelta(days=99)
    assert days[-7:] == [f"{last - dt.timedelta(days=k):%Y%m%d}" for k in range(6, -1, -1)]
    assert days[0] == "20260131"  # January is still kept, by its last copy
    assert len(days) < 7 + 4 + 12
    assert rotate(folder, last.date()) == []  # already thinned
