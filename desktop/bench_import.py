"""Benchmark figure of the ledger import: a 100,000-row .xlsx against calamine + executemany.

The file is written once from the demo ledger, laid out as clerks keep it (a title, the
header on row 3, the community only on the first row of its group, 门前三包 columns). The
app imports it into an empty ledger; the baseline reads it with bare python-calamine and
inserts the very rows the app stored with bare sqlite3 executemany, in the same run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from db.engine import Database, sqlite_url

from .bench import Figure, Ledger, bench_folder
from .domain.textkeys import initials

IMPORT_ROWS = 100_000
GOAL_RATIO = 2.0
FILE_VERSION = 1
HEADER = ["序号", "社区", "网格", "店铺名称", "统一社会信用代码", "经营者", "联系电话", "经营地址",
          "行业类别", "经营状态", "门前三包签订日期", "责任书编号", "备注"]


def import_rows() -> int:
    """Rows of the benchmark file; STREETLEDGER_BENCH_IMPORT_ROWS makes it smaller for tests."""
    return int(os.environ.get("STREETLEDGER_BENCH_IMPORT_ROWS", IMPORT_ROWS))


def ledger_file(ledger: Ledger, rows: int) -> Path:
    """The benchmark workbook of `rows` rows, written once and reused."""
    path = bench_folder() / f"import-{rows}-s{ledger.scale}-v{FILE_VERSION}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    source = ledger.raw.execute(
        "SELECT c.name, g.name, b.name, b.credit_code, b.operator, b.phone, b.address, b.category,"
        " b.status, a.signed_date, a.number, b.remarks FROM business b"
        " JOIN community c ON c.id = b.community_id LEFT JOIN grid g ON g.id = b.grid_id"
        " LEFT JOIN frontage_agreement a ON a.business_id = b.id AND a.status = 'signed'"
        "  AND a.previous_id IS NULL"
        " GROUP BY b.id ORDER BY c.sort_order, g.sort_order, b.id").fetchall()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("商户台账")
    sheet.append(["XX街道沿街商户台账"])
    sheet.append(["填报单位：XX街道城管科", None, None, None, None, None, None, None, None, None,
                  None, None, "单位：户"])
    sheet.append(HEADER)
    last_community = None
    for n in range(rows):
        community, grid, name, code, operator, phone, address, category, status, signed, \
            number, remarks = source[n % len(source)]
        lap = n // len(source)
        if lap:  # the demo is smaller than the file: later laps are other shops
            name, address, code, number = f"{name}{lap}分店", f"{address}{lap}号楼", None, None
        sheet.append([n + 1, community if community != last_community else None, grid, name,
                      code, operator, phone, address, category, status, signed, number, remarks])
        last_community = community
    sheet.append(["合计", None, None, f"{rows}户"])
    building = path.with_name(path.name + ".building")
    book.save(building)
    building.replace(path)
    return path


def _bare_read(path: Path) -> int:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return sum(1 for _ in book.get_sheet_by_index(0).iter_rows())
    finally:
        book.close()


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _copy_table(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> None:
    rows = src.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - fixed names
    if rows:
        marks = ",".join("?" * len(rows[0]))
        dst.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608


def _bare_insert(stored: Path, target: Path) -> tuple[float, int]:
    """Insert the rows the app stored into an empty ledger with bare executemany."""
    src = sqlite3.connect(str(stored))
    dst = _connect(target)
    try:
        dst.execute("BEGIN")
        for table in ("community", "grid", "import_batch"):
            _copy_table(src, dst, table)
        dst.execute("COMMIT")
        business = src.execute("SELECT * FROM business").fetchall()
        agreements = src.execute("SELECT * FROM frontage_agreement").fetchall()
        start = time.perf_counter()
        dst.execute("BEGIN IMMEDIATE")
        dst.executemany(f"INSERT INTO business VALUES ({','.join('?' * len(business[0]))})",
                        business)
        if agreements:
            dst.executemany("INSERT INTO frontage_agreement VALUES "
                            f"({','.join('?' * len(agreements[0]))})", agreements)
        dst.execute("COMMIT")
        return (time.perf_counter() - start) * 1000, len(business)
    finally:
        src.close()
        dst.close()


class _RssSampler:
    """The peak resident memory while the import runs, sampled from /proc (Linux only)."""

    def __init__(self) -> None:
        self._statm = Path("/proc/self/statm")
        self.start_mb = self._now()
        self.peak_mb = self.start_mb
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _now(self) -> float | None:
        try:
            pages = int(self._statm.read_text().split()[1])
        except (OSError, ValueError, IndexError):
            return None
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            now = self._now()
            if now is not None and self.peak_mb is not None:
                self.peak_mb = max(self.peak_mb, now)

    def __enter__(self) -> _RssSampler:
        if self.start_mb is not None:
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def growth_mb(self) -> float | None:
        if self.start_mb is None or self.peak_mb is None:
            return None
        return round(self.peak_mb - self.start_mb, 1)


def _fresh(template: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)


def import_xlsx(ledger: Ledger) -> Figure:
    from .io.excel_import import ImportOptions, import_file

    rows = import_rows()
    path = ledger_file(ledger, rows)
    work = bench_folder() / "import-run"
    work.mkdir(parents=True, exist_ok=True)
    template = work / "empty.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(template) + suffix).unlink(missing_ok=True)
    Database(sqlite_url(template)).dispose()  # migrated once, copied for each side
    app_path, base_path = work / "app.sqlite3", work / "bare.sqlite3"
    _fresh(template, app_path)
    _fresh(template, base_path)
    _bare_read(path)  # warm the OS file cache for both sides

    # pypinyin's phrase dictionary (~70 MB) loads once per process, whatever uses it first.
    initials("预热")
    db = Database(sqlite_url(app_path))
    try:
        with _RssSampler() as memory:
            start = time.perf_counter()
            result = import_file(db, path, ImportOptions(user="bench", remember=False))
            app_ms = (time.perf_counter() - start) * 1000
    finally:
        db.dispose()

    start = time.perf_counter()
    read_rows = _bare_read(path)
    read_ms = (time.perf_counter() - start) * 1000
    insert_ms, inserted = _bare_insert(app_path, base_path)
    extra: dict[str, Any] = {
        "rows": rows, "imported": result.imported, "skipped": result.skipped,
        "agreements": result.agreements, "read_ms": round(read_ms, 1),
        "insert_ms": round(insert_ms, 1), "read_rows": read_rows, "inserted": inserted,
        "runs": 1,
    }
    growth = memory.growth_mb()
    if growth is not None:
        # The whole sheet sits in calamine's memory; the Python side stays a chunk wide.
        extra["peak_rss_growth_mb"] = growth
        extra["file_mb"] = round(path.stat().st_size / (1024 * 1024), 1)
    return Figure("import.xlsx", app_ms, read_ms + insert_ms, GOAL_RATIO, ledger.scale,
                  goal_kind="ratio", extra=extra)


FIGURES = {"import.xlsx": import_xlsx}
