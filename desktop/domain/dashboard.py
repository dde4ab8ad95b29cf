"""首页's figures: this month's headline rates per community and a twelve-month trend.

The per-community figures are those of `stats` (one definition for the home page, the
summary workbook and the command line). The trend asks each month the same questions:

* 门前三包签约率 at the month's end (today for the running month): of the businesses on the
  ledger by then that must sign, how many held a valid agreement that day. A business
  counts from the day it entered the ledger; the ledger keeps no earlier trading status.
* 巡查: problems found in the month, and of them how many are rectified (复查合格 or 销号) now.
* 通知书: rectification notices issued in the month.
* 垃圾分类: checks in the month, passed with the site's latest recheck, as `stats` counts them.

Each trend series is one grouped scan (a CASE per month), not twelve queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from db.models import Business, Finding, FrontageAgreement, Notice

from .agreements import add_months
from .divisions import list_communities
from .sorting_figures import period_results
from .stats import Period, community_stats, needs_agreement_clause

MONTHS = 12
RECTIFIED = ("复查合格", "销号")


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


class _Rates:
    """The two headline rates, from the counts a figures class carries."""

    required: int
    signed: int
    checks: int
    passed: int

    @property
    def signing_rate(self) -> float:
        return _rate(self.signed, self.required)

    @property
    def pass_rate(self) -> float:
        return _rate(self.passed, self.checks)


@dataclass(frozen=True)
class CommunityRates(_Rates):
    """One community's figures this month (community_id None: the street)."""

    community_id: int | None
    name: str
    businesses: int
    required: int  # businesses that must sign 门前三包
    signed: int
    checks: int  # garbage-sorting checks this month
    passed: int
    found: int  # problems found this month
    rectified: int
    overdue: int  # open problems past their deadline, found at any time
    notices: int  # notices issued this month


@dataclass(frozen=True)
class MonthFigures(_Rates):
    period: Period  # the month
    at: dt.date  # the day the signing rate is taken: the month's end, or today
    required: int
    signed: int
    found: int
    rectified: int
    notices: int
    checks: int
    passed: int


@dataclass(frozen=True)
class Dashboard:
    period: Period  # the running month
    as_of: dt.date
    rows: list[CommunityRates]
    total: CommunityRates
    trend: list[MonthFigures]  # oldest first, ending with the running month


def months_to(today: dt.date, count: int = MONTHS) -> list[Period]:
    """The `count` months ending with today's, oldest first."""
    first = today.replace(day=1)
    return [Period.parse(f"{d.year}-{d.month:02d}")
            for d in (add_months(first, -n) for n in range(count - 1, -1, -1))]


def _community_rows(session: Session, period: Period, today: dt.date
                    ) -> tuple[dt.date, list[CommunityRates], CommunityRates]:
    stats = community_stats(session, period, today)
    ids = {c.name: c.id for c in list_communities(session, include_inactive=True)}

    def rates(cid: int | None, name: str, e: dict[str, Any]) -> CommunityRates:
        ag, so, fi = e["agreements"], e["sorting"], e["findings"]
        return CommunityRates(cid, name, e["businesses"], ag["required"], ag["signed"],
                              so["checks"], so["passed"], fi["found"], fi["rectified"],
                              fi["overdue"], e["notices"]["issued"])

    rows = [rates(ids.get(e["community"]), e["community"], e) for e in stats["communities"]]
    return (dt.date.fromisoformat(stats["as_of"]), rows,
            rates(None, "全街道", stats["total"]))


def _per_month(session: Session, column: Any, months: Sequence[Period], *extra: Any,
               where: Sequence[Any] = ()) -> list[list[int]]:
    """For each month, the count of rows whose datetime `column` falls in it, and for each
    condition in `extra` the count of those rows meeting it too: [[n, n_extra…] per month]."""
    bounds = [(dt.datetime.combine(p.start, dt.time()), dt.datetime.combine(p.end_exclusive, dt.time()))
              for p in months]
    sums = []
    for start, end in bounds:
        in_month = and_(column >= start, column < end)
        sums.append(func.sum(case((in_month, 1), else_=0)))
        sums.extend(func.sum(case((and_(in_month, cond), 1), else_=0)) for cond in extra)
    row = session.execute(select(*sums).where(column >= bounds[0][0], column < bounds[-1][1],
                                              *where)).one()
    width = 1 + len(extra)
    values = [int(v or 0) for v in row]
    return [values[i:i + width] for i in range(0, len(values), width)]


def _signing(session: Session, days: Sequence[dt.date]) -> list[tuple[int, int]]:
    """(must sign, signed) on each day.

    Signed counts businesses, not agreements: the agreements are first folded per business
    (a streaming GROUP BY over the covering index), one flag per day, then summed over the
    businesses that must sign.
    """
    entered = [Business.created_at < dt.datetime.combine(d + dt.timedelta(days=1), dt.time())
               for d in days]
    required = session.execute(
        select(*(func.sum(case((e, 1), else_=0)) for e in entered))
        .where(needs_agreement_clause())).one()
    fa = FrontageAgreement
    held = (select(fa.business_id, *(
        func.max(case((and_(fa.start_date <= d, fa.end_date >= d), 1), else_=0)).label(f"d{i}")
        for i, d in enumerate(days)))
        .where(fa.status.in_(("signed", "expired")), fa.start_date <= days[-1],
               fa.end_date >= days[0])
        .group_by(fa.business_id).subquery())
    signed = session.execute(
        select(*(func.sum(case((e, held.c[f"d{i}"]), else_=0)) for i, e in enumerate(entered)))
        .select_from(held).join(Business, Business.id == held.c.business_id)
        .where(needs_agreement_clause())).one()
    return [(int(r or 0), int(s or 0)) for r, s in zip(required, signed, strict=True)]


def _sorting(session: Session, months: Sequence[Period]) -> list[tuple[int, int]]:
    span = Period("", months[0].start, months[-1].end)
    counts = {p.label: [0, 0] for p in months}
    for r in period_results(session, span):
        entry = counts[f"{r.check_date.year}-{r.check_date.month:02d}"]
        entry[0] += 1
        entry[1] += int(r.passed)
    return [(counts[p.label][0], counts[p.label][1]) for p in months]


def trend(session: Session, today: dt.date, count: int = MONTHS) -> list[MonthFigures]:
    months = months_to(today, count)
    days = [min(p.end, today) for p in months]
    signing = _signing(session, days)
    findings = _per_month(session, Finding.found_at, months, Finding.status.in_(RECTIFIED))
    notices = _per_month(session, Notice.issued_at, months, where=(Notice.kind == "notice",))
    sorting = _sorting(session, months)
    return [MonthFigures(p, d, req, sig, found, rect, issued, checks, passed)
            for p, d, (req, sig), (found, rect), (issued,), (checks, passed)
            in zip(months, days, signing, findings, notices, sorting, strict=True)]


def dashboard(session: Session, today: dt.date | None = None, months: int = MONTHS) -> Dashboard:
    today = today or dt.date.today()
    period = Period.parse(None, today)
    as_of, rows, total = _community_rows(session, period, today)
    return Dashboard(period, as_of, rows, total, trend(session, today, months))
