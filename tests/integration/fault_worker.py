"""Child process for the kill tests: one multi-row operation, killed from outside."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sqlalchemy import select

from db.engine import Database
from db.models import Finding
from desktop.domain import notices as N

OFFICERS = {"officer1": "张三", "officer1_cert": "32010001",
            "officer2": "李四", "officer2_cert": "32010002"}


def batch_issue(db: Database) -> None:
    """A day's notices issued in one transaction: all of them or none."""
    now = dt.datetime(2026, 3, 5, 10, 0)
    with db.transaction() as s:
        ids = list(s.scalars(select(Finding.id).where(Finding.status == "发现").order_by(Finding.id)))
        print("start", flush=True)
        for finding_id in ids:
            data = N.draft_notice(s, [finding_id], now=now)
            data.__dict__.update(OFFICERS)
            N.issue_notice(s, data, user="clerk", now=now)


def backup(db: Database, target: str) -> None:
    from desktop.io.backup import backup_to

    print("start", flush=True)
    backup_to(db, Path(target))


if __name__ == "__main__":
    database = Database(sys.argv[2], migrate=False)
    if sys.argv[1] == "issue":
        batch_issue(database)
    else:
        backup(database, sys.argv[3])
    print("done", flush=True)
