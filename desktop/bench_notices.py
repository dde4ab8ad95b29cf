"""Benchmark figures of the patrol area: batch-printing notices and the overdue list."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable
from sqlalchemy import select

from db.engine import Database, sqlite_url
from db.models import Notice

from .bench import REPEAT, Figure, Ledger, _paired, bench_folder, open_ledger
from .bench_print import print_figure
from .demo import generate
from .domain import findings, notices
from .pdf import layout
from .pdf.notice import notice_story

NOTICE_COUNT = 1_000
FINDINGS_SCALE = 1_000_000
GOAL_OVERDUE_MS = 200.0
PAGE = 200


def batch_print(ledger: Ledger) -> Figure:
    """1,000 notices into one PDF, against bare reportlab setting the same text."""
    with ledger.db.session() as s:
        numbers = list(s.scalars(select(Notice.number).where(Notice.kind == "notice")
                                 .order_by(Notice.id).limit(NOTICE_COUNT)))
        rows = notices.by_numbers(s, numbers)

    def stories(st: layout.Styles) -> list[list[Flowable]]:
        return [notice_story(r, st) for r in rows]

    return print_figure("notices.print_1000", stories, ledger.scale)


def _findings_db(progress: Callable[[str], None]) -> Path:
    """A small street with a million findings, built once (bulk rows, as years of patrols)."""
    path = bench_folder() / f"findings-{FINDINGS_SCALE}-v2.sqlite3"
    if path.exists():
        return path
    building = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    progress(f"正在生成 {FINDINGS_SCALE:,} 条问题记录的基准数据库（只需一次）：{path}")
    db = Database(sqlite_url(building))
    generate(db, businesses=2_000, seed=7)
    db.dispose()
    rng = random.Random(7)
    today = dt.date.today()
    raw = sqlite3.connect(building)
    communities = [r[0] for r in raw.execute("SELECT id FROM community")]
    shops = [r[0] for r in raw.execute("SELECT id FROM business")]
    # As in a working office: what is older than two months is almost all closed.
    recent_weights = (10, 25, 25, 15, 10, 5, 10)
    old_weights = (0.3, 0.3, 0.2, 45, 0.2, 4, 50)
    with raw:
        for chunk in range(0, FINDINGS_SCALE, 50_000):
            rows = []
            for _ in range(50_000):
                found = dt.datetime.combine(today, dt.time(9)) - dt.timedelta(
                    minutes=rng.randint(0, 5 * 365 * 24 * 60))
                weights = recent_weights if (today - found.date()).days < 60 else old_weights
                status = rng.choices(findings.STATUSES, weights)[0]
                rows.append((rng.choice(findings.CATEGORIES), found.isoformat(" "),
                             "人民路", rng.choice(shops), rng.choice(communities), "", status,
                             (found.date() + dt.timedelta(days=rng.randint(1, 15))).isoformat(),
                             found.isoformat(" ")))
            raw.executemany(
                "INSERT INTO finding (category, found_at, place, business_id, community_id,"
                " description, status, deadline, created_at, updated_at, version, person,"
                " inspectors, source, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,1,'','','巡查','')",
                [(*r, r[-1]) for r in rows])
            progress(f"已生成问题 {chunk + 50_000:,}/{FINDINGS_SCALE:,}")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    building.replace(path)
    return path


def overdue_list(ledger: Ledger, progress: Callable[[str], None] = print) -> Figure:
    """What the overdue page does on open: the count and the first page, oldest first."""
    path = _findings_db(progress)
    query = findings.FindingQuery(state="overdue")
    with open_ledger(path, FINDINGS_SCALE) as big:
        def app() -> object:
            with big.db.session() as s:
                return findings.count(s, query), findings.page(s, query, 0, PAGE)

        sql = big.record_calls(app)
        ms, base = _paired(app, lambda: big.replay(sql), REPEAT)
    return Figure("findings.overdue_list", ms, base, GOAL_OVERDUE_MS, FINDINGS_SCALE,
                  extra={"runs": REPEAT})


FIGURES = {
    "notices.print_1000": batch_print,
    "findings.overdue_list": overdue_list,
}
