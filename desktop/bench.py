"""The benchmark suite: the app's own code paths timed against raw SQL doing the same work."""

from __future__ import annotations

import math
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event

from db.engine import Database, head_revision, sqlite_url

from .config import ENV_DATA_DIR, ENV_DB, data_dir
from .demo import GENERATOR_VERSION, generate
from .domain import businesses
from .domain.businesses import BusinessQuery

Progress = Callable[[str], None]

BENCH_SEED = 2026
PAGE_SIZE = 200  # the GUI's page
SEARCH_QUERIES = 30
REPEAT = 5
APP_START_SCALE = 2_000
APP_START_RUNS = 3
QUIT_AFTER_MS = "1"

# Goals from the issue, in milliseconds.
GOAL_FIRST_PAGE_MS = 100.0
GOAL_SEARCH_P95_MS = 50.0
GOAL_SORT_MS = 200.0
GOAL_APP_START_DELTA_MS = 1500.0

# The bare-PySide6 program app.start is compared with: a main window closed by the same timer.
BARE_QT = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("StreetLedger")
window.resize(1280, 800)
window.show()
QTimer.singleShot(int(os.environ.get("STREETLEDGER_QUIT_AFTER_MS", "1")), window.close)
sys.exit(app.exec())
"""


@dataclass
class Figure:
    name: str
    ms: float
    baseline_ms: float
    goal: float
    scale: int
    goal_kind: str = "ms"  # "ms": ms ≤ goal; "ratio": ms/baseline ≤ goal; "delta_ms": ms − baseline ≤ goal
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ms / self.baseline_ms if self.baseline_ms > 0 else math.inf

    @property
    def met(self) -> bool:
        if self.goal_kind == "ratio":
            return self.ratio <= self.goal
        if self.goal_kind == "delta_ms":
            return self.ms - self.baseline_ms <= self.goal
        return self.ms <= self.goal

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ms": round(self.ms, 2),
            "baseline_ms": round(self.baseline_ms, 2),
            # A JSON number even when the baseline rounds to zero
            "ratio": round(self.ratio, 3) if math.isfinite(self.ratio) else 1e9,
            "goal": self.goal,
            "goal_kind": self.goal_kind,
            "met": self.met,
            "scale": self.scale,
            **self.extra,
        }


# --- the demo database ---------------------------------------------------------------------


def bench_folder() -> Path:
    return data_dir() / "bench"


def bench_db_path(scale: int) -> Path:
    # Keyed by schema and generator version: a cached file from an older schema is never reused.
    return bench_folder() / f"demo-{scale}-{head_revision()}-g{GENERATOR_VERSION}.sqlite3"


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def ensure_bench_db(scale: int, progress: Progress) -> Path:
    """The demo database of `scale` businesses, built once and then reused."""
    path = bench_db_path(scale)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"demo-{scale}-*.sqlite3*"):
        stale.unlink(missing_ok=True)
    # Built under another name and renamed at the end, so an interrupted build is never reused.
    building = path.with_name(path.name + ".building")
    _remove_sqlite_files(building)
    progress(f"正在生成 {scale:,} 家商户的基准数据库（只需一次）：{path}")
    db = Database(sqlite_url(building), backup_dir=path.parent / "backups")
    try:
        generate(db, businesses=scale, seed=BENCH_SEED, progress=progress)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    building.replace(path)
    return path


# --- timing helpers ----------------------------------------------------------------------------


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _paired(app: Callable[[], object], raw: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median of `repeat` runs each, interleaved so a noisy moment hits both sides alike."""
    app()
    raw()  # warm the page cache and the compiled-statement caches once
    a, b = [], []
    for _ in range(repeat):
        a.append(_ms(app))
        b.append(_ms(raw))
    return statistics.median(a), statistics.median(b)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile: with 30 samples, the second-worst."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- the two sides of each ledger figure ----------------------------------------------------------


Statements = list[tuple[str, Any]]
_NOT_WORK = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


@dataclass
class Ledger:
    """The app's Database and a bare sqlite3 connection on the same file.

    The baseline replays the very SQL the app emitted through the bare sqlite3 module, so the
    ratio is the cost of the app's own layers (ORM, sessions, row objects) and stays meaningful
    whatever query strategy the app adopts; slow SQL shows in the absolute ms goals instead.
    """

    db: Database
    raw: sqlite3.Connection
    scale: int

    def app_first_page(self, query: BusinessQuery) -> tuple[int, int]:
        """What the ledger page does on open, search or sort: the count, then page one."""
        with self.db.session() as s:
            total = businesses.count(s, query)
            rows = businesses.page(s, query, 0, PAGE_SIZE)
        return total, len(rows)

    def record(self, query: BusinessQuery) -> Statements:
        """Run the app path once (this also warms it) and keep the SQL it sent."""
        return self.record_calls(lambda: self.app_first_page(query))

    def record_calls(self, work: Callable[[], object]) -> Statements:
        """Run `work` once and keep the SQL it sent, for the bare replay."""
        seen: Statements = []

        def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                 _executemany: bool) -> None:
            if not statement.lstrip().upper().startswith(_NOT_WORK):
                seen.append((statement, parameters))

        event.listen(self.db.engine, "before_cursor_execute", keep)
        try:
            work()
        finally:
            event.remove(self.db.engine, "before_cursor_execute", keep)
        return seen

    def replay(self, statements: Statements) -> int:
        fetched = 0
        for statement, parameters in statements:
            fetched += len(self.raw.execute(statement, parameters).fetchall())
        return fetched


@contextmanager
def open_ledger(path: Path, scale: int) -> Iterator[Ledger]:
    db = Database(sqlite_url(path))
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield Ledger(db, raw, scale)
    finally:
        raw.close()
        db.dispose()


# --- figures ----------------------------------------------------------------------------------


def _paired_query(ledger: Ledger, query: BusinessQuery) -> tuple[float, float]:
    sql = ledger.record(query)
    return _paired(lambda: ledger.app_first_page(query), lambda: ledger.replay(sql), REPEAT)


def first_page(ledger: Ledger) -> Figure:
    ms, base = _paired_query(ledger, BusinessQuery())
    return Figure("ledger.first_page", ms, base, GOAL_FIRST_PAGE_MS, ledger.scale,
                  extra={"runs": REPEAT})


def sort_figure(ledger: Ledger, key: str) -> Figure:
    results = []
    for descending in (False, True):
        ms, base = _paired_query(ledger, BusinessQuery(sort=key, descending=descending))
        results.append((ms, base, "desc" if descending else "asc"))
    ms, base, worst = max(results)
    return Figure(f"ledger.sort.{key}", ms, base, GOAL_SORT_MS, ledger.scale,
                  extra={"runs": REPEAT, "direction": worst})


def search_terms(raw: sqlite3.Connection, kind: str, n: int = SEARCH_QUERIES) -> list[str]:
    """`n` varied, realistic search-box inputs of one kind, drawn from the ledger itself."""
    rng = random.Random(f"{BENCH_SEED}:{kind}")
    rows = raw.execute(
        "SELECT name, initials, credit_code FROM business WHERE active = 1 AND credit_code IS NOT NULL"
        " ORDER BY id LIMIT 5000").fetchall()
    picked = rng.sample(rows, min(n, len(rows)))
    terms = []
    for i, (name, keys, code) in enumerate(picked):
        if kind == "name_substring":
            han = "".join(ch for ch in name if "\u4e00" <= ch <= "\u9fff")
            size = min(len(han), 2 + i % 4)  # 2–5 characters: a brand, a trade, or both
            start = rng.randrange(len(han) - size + 1)
            terms.append(han[start:start + size])
        elif kind == "pinyin_initials":
            size = min(len(keys), 3 + i % 3)
            start = rng.randrange(len(keys) - size + 1)
            terms.append(keys[start:start + size])
        else:
            # Mostly whole codes pasted in; some typed tails, as on a licence photo.
            terms.append(code if i % 3 else code[-8:])
    return terms


def search_figure(ledger: Ledger, kind: str) -> Figure:
    terms = search_terms(ledger.raw, kind)
    queries = [BusinessQuery(text=t) for t in terms]
    recorded = [ledger.record(q) for q in queries]  # also the warm-up
    for sql in recorded:
        ledger.replay(sql)
    app_ms, raw_ms, hits = [], [], []
    for q, sql in zip(queries, recorded, strict=True):
        app_ms.append(_ms(lambda q=q: ledger.app_first_page(q)))
        raw_ms.append(_ms(lambda sql=sql: ledger.replay(sql)))
        hits.append(ledger.app_first_page(q)[0])
    return Figure(f"search.p95.{kind}", p95(app_ms), p95(raw_ms), GOAL_SEARCH_P95_MS,
                  ledger.scale, extra={"queries": len(queries),
                                       "p50_ms": round(statistics.median(app_ms), 2),
                                       "median_hits": statistics.median(hits)})


# --- app start ---------------------------------------------------------------------------------


class SkipFigure(Exception):
    """The figure cannot be measured here; the reason goes into the report."""


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _start_env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "STREETLEDGER_QUIT_AFTER_MS": QUIT_AFTER_MS,
        ENV_DB: str(db_path),
        # Window geometry and settings of the timed runs stay out of the clerk's own folder.
        ENV_DATA_DIR: str(bench_folder() / "app-start-data"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_project_root()), os.environ.get("PYTHONPATH")])),
    })
    return env


def _run_process(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=_project_root(), capture_output=True, text=True,
                          timeout=120, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SkipFigure(f"exit code {done.returncode}: {last}")
    return elapsed


def app_start(progress: Progress) -> Figure:
    if not (_project_root() / "desktop" / "app.py").exists():
        raise SkipFigure("desktop/app.py does not exist yet")
    env = _start_env(ensure_bench_db(APP_START_SCALE, progress))
    app_args = [sys.executable, "-m", "desktop"]
    bare_args = [sys.executable, "-c", BARE_QT]
    _run_process(app_args, env)
    _run_process(bare_args, env)  # warm the OS file cache for both
    ms, base = [], []
    for _ in range(APP_START_RUNS):
        ms.append(_run_process(app_args, env))
        base.append(_run_process(bare_args, env))
    return Figure("app.start", statistics.median(ms), statistics.median(base),
                  GOAL_APP_START_DELTA_MS, APP_START_SCALE, goal_kind="delta_ms",
                  extra={"runs": APP_START_RUNS})


# --- the suite ---------------------------------------------------------------------------------

SEARCH_KINDS = ("name_substring", "pinyin_initials", "credit_code")


def area_figures() -> dict[str, Callable[[Ledger], Figure]]:
    """Figures the areas add, each measured on the same demo ledger."""
    from . import bench_agreements, bench_export, bench_import, bench_notices, bench_sorting

    return {**bench_agreements.FIGURES, **bench_notices.FIGURES, **bench_import.FIGURES,
            **bench_export.FIGURES, **bench_sorting.FIGURES}


def figure_names() -> list[str]:
    return (["ledger.first_page"] + [f"search.p95.{k}" for k in SEARCH_KINDS]
            + [f"ledger.sort.{k}" for k in businesses.SORT_KEYS] + list(area_figures())
            + ["app.start"])


def run_bench(scale: int = 200_000, only: str = "", progress: Progress | None = None) -> dict[str, Any]:
    """Run the selected figures (`only` is a substring of their names) and return them."""
    say = progress or (lambda _text: None)
    selected = [name for name in figure_names() if only in name]
    ledger_jobs: list[tuple[str, Callable[[Ledger], Figure]]] = []
    for name in selected:
        if name == "ledger.first_page":
            ledger_jobs.append((name, first_page))
        elif name.startswith("search.p95."):
            ledger_jobs.append((name, partial(search_figure, kind=name.rsplit(".", 1)[1])))
        elif name.startswith("ledger.sort."):
            ledger_jobs.append((name, partial(sort_figure, key=name.rsplit(".", 1)[1])))
        elif name in area_figures():
            ledger_jobs.append((name, area_figures()[name]))

    figures: list[Figure] = []
    skipped: list[dict[str, str]] = []
    if ledger_jobs:
        path = ensure_bench_db(scale, say)
        with open_ledger(path, scale) as ledger:
            for name, job in ledger_jobs:
                say(f"测量 {name} …")
                figure = job(ledger)
                say(_line(figure))
                figures.append(figure)
    if "app.start" in selected:
        say("测量 app.start …")
        try:
            figure = app_start(say)
        except (SkipFigure, subprocess.TimeoutExpired) as exc:
            say(f"app.start 跳过：{exc}")
            skipped.append({"name": "app.start", "reason": str(exc)})
        else:
            say(_line(figure))
            figures.append(figure)
    payload: dict[str, Any] = {"figures": [f.as_json() for f in figures]}
    if skipped:
        payload["skipped"] = skipped
    return payload


def _line(f: Figure) -> str:
    verdict = "达标" if f.met else "未达标"
    return (f"  {f.name}: {f.ms:.1f} ms（基线 {f.baseline_ms:.1f} ms，比值 {f.ratio:.2f}，"
            f"目标 {f.goal:g} {f.goal_kind}）{verdict}")
