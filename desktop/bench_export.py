"""Benchmark figures of the exports: the whole ledger to .xlsx, and the district summary."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from .bench import Figure, Ledger, Statements, _ms, _paired
from .domain.businesses import BusinessQuery
from .domain.dashboard import dashboard
from .domain.stats import Period
from .io.district_report import write_summary
from .io.excel_export import write_list
from .io.list_sources import business_source

GOAL_EXPORT_RATIO = 1.3
GOAL_SUMMARY_MS = 2000.0
GOAL_DASHBOARD_MS = 1500.0  # 首页's charts filled soon after opening, at most the summary's time
EXPORT_RUNS = 3
SUMMARY_RUNS = 5


def _export_app(ledger: Ledger, out: Path) -> int:
    with ledger.db.session() as s:
        return write_list(out, business_source(s, BusinessQuery(include_inactive=True))).rows


def _export_bare(ledger: Ledger, sql: Statements, out: Path) -> int:
    """The same SQL through bare sqlite3, the same rows through bare openpyxl write-only."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("商户台账")
    rows = 0
    for statement, parameters in sql:
        cursor = ledger.raw.execute(statement, parameters)
        if statement.lstrip().upper().startswith("SELECT COUNT"):
            cursor.fetchall()
            continue
        while batch := cursor.fetchmany(2000):
            for row in batch:
                ws.append(row)
            rows += len(batch)
    wb.save(out)
    return rows


def businesses_200k(ledger: Ledger) -> Figure:
    """Every business (inactive ones too) exported, against bare sqlite3 + bare openpyxl."""
    with tempfile.TemporaryDirectory(prefix="streetledger-bench-") as folder:
        app_out, bare_out = Path(folder) / "app.xlsx", Path(folder) / "bare.xlsx"
        sql = ledger.record_calls(lambda: _export_app(ledger, app_out))  # also the warm-up
        rows = _export_bare(ledger, sql, bare_out)
        app_ms, bare_ms = [], []
        for _ in range(EXPORT_RUNS):
            app_ms.append(_ms(lambda: _export_app(ledger, app_out)))
            bare_ms.append(_ms(lambda: _export_bare(ledger, sql, bare_out)))
        extra: dict[str, Any] = {"rows": rows, "runs": EXPORT_RUNS,
                                 "bytes": app_out.stat().st_size}
    return Figure("export.businesses_200k", statistics.median(app_ms), statistics.median(bare_ms),
                  GOAL_EXPORT_RATIO, ledger.scale, goal_kind="ratio", extra=extra)


def monthly_summary(ledger: Ledger) -> Figure:
    """The district summary workbook for last month; baseline: its SQL replayed bare."""
    today = dt.date.today()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    period = Period.parse(f"{last_month.year}-{last_month.month:02d}")
    with tempfile.TemporaryDirectory(prefix="streetledger-bench-") as folder:
        out = Path(folder) / "summary.xlsx"

        def app() -> object:
            with ledger.db.session() as s:
                return write_summary(s, period, out, prepared_by="bench", today=today)

        sql = ledger.record_calls(app)
        ms, base = _paired(app, lambda: ledger.replay(sql), SUMMARY_RUNS)
    return Figure("report.monthly_summary", ms, base, GOAL_SUMMARY_MS, ledger.scale,
                  extra={"runs": SUMMARY_RUNS, "period": period.label, "statements": len(sql)})


def home_dashboard(ledger: Ledger) -> Figure:
    """首页's figures: this month per community and the twelve-month trend; baseline: its SQL
    replayed bare."""

    def app() -> object:
        with ledger.db.session() as s:
            return dashboard(s)

    sql = ledger.record_calls(app)
    ms, base = _paired(app, lambda: ledger.replay(sql), SUMMARY_RUNS)
    return Figure("home.dashboard", ms, base, GOAL_DASHBOARD_MS, ledger.scale,
                  extra={"runs": SUMMARY_RUNS, "statements": len(sql)})


FIGURES = {
    "export.businesses_200k": businesses_200k,
    "report.monthly_summary": monthly_summary,
    "home.dashboard": home_dashboard,
}
