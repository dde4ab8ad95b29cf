"""Benchmark figure of the sorting checks: a month's pass rates over a million item scores."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from db.engine import Database, head_revision, sqlite_url

from .bench import REPEAT, Figure, Ledger, _paired, bench_folder, open_ledger
from .demo import GENERATOR_VERSION, generate
from .domain.agreements import add_months
from .domain.sorting_figures import period_figures
from .domain.sorting_templates import (
    ItemInput,
    current_template,
    get_template,
    save_template,
    score_sheet,
)
from .domain.stats import Period

CHECKS = 40_000
ITEMS = 25
SITES = 2_800
MONTHS = 12
GOAL_PASS_RATES_MS = 500.0
SCALE = CHECKS * ITEMS  # item scores stored


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _add_25_item_version(db: Database) -> int:
    """The 小区 checklist as a 25-item version 2 (the size of the district's own sheets)."""
    with db.transaction() as s:
        current = current_template(s, "小区")
        data = current.as_input()
        extra = [ItemInput("日常管理", "督导员佩戴标识、使用规范用语", 2, True),
                 ItemInput("宣传氛围", "开展“小手拉大手”等主题活动", 2, False),
                 ItemInput("收运衔接", "收运车辆标识清晰、密闭运输", 2, True)]
        data.items[9].max_score -= 4  # 厨余准确率 gives up the points of the new items
        data.items[10].max_score -= 2
        data.items.extend(extra)
        return save_template(s, "小区", data, base_version_no=current.version_no,
                             user="bench").id


def _sorting_db(progress: Callable[[str], None]) -> Path:
    """A street with ~40,000 checks of 25 items over a year (bulk rows), built once."""
    path = bench_folder() / f"sorting-{SCALE}-{head_revision()}-g{GENERATOR_VERSION}.sqlite3"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    progress(f"正在生成 {SCALE:,} 条检查项得分的基准数据库（只需一次）：{path}")
    db = Database(sqlite_url(building))
    generate(db, businesses=2_000, seed=7)
    template_id = _add_25_item_version(db)
    with db.session() as s:
        template = get_template(s, template_id)
    db.dispose()
    rng = random.Random(7)
    today = dt.date.today()
    raw = sqlite3.connect(building)
    communities = [r[0] for r in raw.execute("SELECT id FROM community")]
    with raw:
        raw.executemany(
            "INSERT INTO sorting_site (name, site_type, community_id, address, responsible,"
            " contact, collection_points, active, version, created_at, updated_at, updated_by)"
            " VALUES (?, '小区', ?, '', '', '', 4, 1, 1, ?, ?, '')",
            [(f"基准小区{n:05d}", rng.choice(communities), today, today) for n in range(SITES)])
    sites = [r[0] for r in raw.execute("SELECT id FROM sorting_site WHERE name LIKE '基准小区%'")]
    next_id = (raw.execute("SELECT max(id) FROM sorting_check").fetchone()[0] or 0) + 1
    first_month = add_months(today.replace(day=1), -MONTHS)
    made = 0
    while made < CHECKS:
        checks: list[tuple[int, int, int, dt.date, float, bool, bool, int | None]] = []
        scores: list[tuple[int, int, float, bool, bool]] = []
        for _ in range(2_000):
            site = rng.choice(sites)
            day = add_months(first_month, rng.randrange(MONTHS)) + dt.timedelta(days=rng.randrange(28))
            quality = rng.uniform(0.5, 0.97)
            visits: list[tuple[int | None, dt.date, dict[int, float]]] = [(None, day, {i.id: i.max_score if rng.random() < quality else
                                   max(0.0, i.max_score - rng.choice((1, 2, 4))) for i in template.items})]
            sheet = score_sheet(template, visits[0][2])
            if not sheet.passed and rng.random() < 0.85:
                fixed = {k: template.item(k).max_score for k in sheet.failed_items}
                visits.append((next_id, day + dt.timedelta(days=7), {**visits[0][2], **fixed}))
            for n, (root, when, earned) in enumerate(visits):
                result = score_sheet(template, earned)
                checks.append((next_id + n, site, template_id, when, result.total,
                               bool(result.passed), result.vetoed, root))
                failed = result.failed_items
                scores.extend((next_id + n, item_id, value, item_id in failed, root is not None
                               and item_id not in sheet.failed_items)
                              for item_id, value in earned.items())
            next_id += len(visits)
        with raw:
            raw.executemany(
                "INSERT INTO sorting_check (id, site_id, template_id, check_date, inspectors, total,"
                " passed, vetoed, recheck_of_id, notes, version, created_at, updated_at,"
                " updated_by) VALUES (?, ?, ?, ?, '基准', ?, ?, ?, ?, '', 1, ?, ?, '')",
                [(i, s, t, d.isoformat(), total, p, v, r, d.isoformat(), d.isoformat())
                 for i, s, t, d, total, p, v, r in checks])
            raw.executemany(
                "INSERT INTO sorting_score (check_id, item_id, score, failed, carried, note)"
                " VALUES (?, ?, ?, ?, ?, '')", scores)
        made += len(checks)
        progress(f"已生成检查 {made:,}/{CHECKS:,}")
    raw.execute("ANALYZE")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    building.replace(path)
    return path


def pass_rates(ledger: Ledger, progress: Callable[[str], None] = _say) -> Figure:
    """The figures panel for last month: rates per community and type, failed items, repeats."""
    path = _sorting_db(progress)
    period = Period.parse(f"{add_months(dt.date.today().replace(day=1), -1):%Y-%m}")
    with open_ledger(path, SCALE) as big:
        def app() -> object:
            with big.db.session() as s:
                return period_figures(s, period)

        sql = big.record_calls(app)
        ms, base = _paired(app, lambda: big.replay(sql), REPEAT)
        with big.db.session() as s:
            checks = period_figures(s, period).total.checks
    return Figure("sorting.pass_rates_1m", ms, base, GOAL_PASS_RATES_MS, SCALE,
                  extra={"runs": REPEAT, "period": period.label, "checks_in_period": checks})


FIGURES = {"sorting.pass_rates_1m": pass_rates}
