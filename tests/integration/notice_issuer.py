"""Worker process for the notice numbering test: issues one notice per finding id given."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from db.engine import Database
from desktop.domain import notices as N

NOW = dt.datetime(2026, 1, 2, 9, 0)


def main(url: str, first: int, last: int, gate: str) -> None:
    db = Database(url, migrate=False)
    # Start together: both workers wait for the test to open the gate.
    Path(gate + f".ready{first}").touch()
    while not Path(gate).exists():
        time.sleep(0.01)
    for finding_id in range(first, last + 1):
        with db.transaction() as s:
            data = N.draft_notice(s, [finding_id], now=NOW)
            data.officer1, data.officer1_cert = "张三", "32010001"
            data.officer2, data.officer2_cert = "李四", "32010002"
            N.issue_notice(s, data, user=f"p{first}", now=NOW)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
