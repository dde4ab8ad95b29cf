"""Figures of the sorting checks for a period: pass rates per community and site type, average
scores, the items most often failed and the sites failing twice in a row.

Each original check in the period yields one result: its own, or that of its latest recheck
(whenever the recheck took place: it concludes that check).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.models import ChecklistItem, Community, SortingCheck, SortingScore, SortingSite

from .sorting_sites import unchecked_count
from .sorting_templates import SITE_TYPES
from .stats import Period

TOP_ITEMS = 10
STATS_ITEMS = 5  # items most often failed, per community, in `stats`


@dataclass(frozen=True)
class Result:
    root_id: int
    site_id: int
    community_id: int
    site_type: str
    template_id: int
    check_date: dt.date
    first_total: float
    first_passed: bool
    total: float  # of the latest visit
    passed: bool
    rechecks: int


def period_results(session: Session, period: Period) -> list[Result]:
    c = SortingCheck
    in_period = (c.check_date >= period.start, c.check_date <= period.end, c.recheck_of_id.is_(None))
    roots = session.execute(
        select(c.id, c.site_id, SortingSite.community_id, SortingSite.site_type, c.template_id,
               c.check_date, c.total, c.passed)
        .join(SortingSite, SortingSite.id == c.site_id).where(*in_period)).all()
    o = aliased(SortingCheck)
    latest: dict[int, tuple[float, bool]] = {}
    counts: dict[int, int] = defaultdict(int)
    for root, total, passed in session.execute(
            select(c.recheck_of_id, c.total, c.passed)
            .join(o, o.id == c.recheck_of_id)
            .where(o.check_date >= period.start, o.check_date <= period.end)
            .order_by(c.id)):
        assert root is not None  # the join keeps rechecks only
        latest[root] = (total, bool(passed))
        counts[root] += 1
    out = []
    for rid, site, community, site_type, template, day, total, passed in roots:
        final_total, final_passed = latest.get(rid, (total, bool(passed)))
        out.append(Result(rid, site, community, site_type, template, day, total, bool(passed),
                          final_total, final_passed, counts.get(rid, 0)))
    return out


@dataclass(frozen=True)
class GroupFigures:
    key: str  # community id as text, a site type, or "" for the street
    name: str
    sites: int
    checks: int
    passed: int
    first_passed: int  # passed at the first visit, without a recheck
    rechecks: int
    average: float  # of the results

    @property
    def rate(self) -> float:
        return round(self.passed / self.checks, 4) if self.checks else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "rate": self.rate}


def _group(key: str, name: str, results: Iterable[Result]) -> GroupFigures:
    rows = list(results)
    checks = len(rows)
    return GroupFigures(
        key, name, len({r.site_id for r in rows}), checks, sum(r.passed for r in rows),
        sum(r.first_passed for r in rows), sum(r.rechecks for r in rows),
        round(sum(r.total for r in rows) / checks, 1) if checks else 0.0)


@dataclass(frozen=True)
class FailedItem:
    group: str
    text: str
    failures: int
    checks: int  # original checks scored on a checklist with this item

    @property
    def share(self) -> float:
        return round(self.failures / self.checks, 4) if self.checks else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "share": self.share}


def _failures(session: Session, period: Period, *group: Any) -> list[Any]:
    """(…group, item, failures) at the original checks (rechecks would count twice)."""
    c = SortingCheck
    stmt = (select(*group, SortingScore.item_id, func.count())
            .join(c, c.id == SortingScore.check_id)
            .where(c.check_date >= period.start, c.check_date <= period.end,
                   c.recheck_of_id.is_(None), SortingScore.failed.is_(True))
            .group_by(*group, SortingScore.item_id))
    if group:
        stmt = stmt.join(SortingSite, SortingSite.id == c.site_id)
    return list(session.execute(stmt))


def _items(session: Session, template_ids: Iterable[int]) -> list[Any]:
    return list(session.execute(
        select(ChecklistItem.id, ChecklistItem.template_id, ChecklistItem.group_name,
               ChecklistItem.text).where(ChecklistItem.template_id.in_(list(template_ids)))))


def _ranked(failures: dict[int, int], per_template: dict[int, int], items: list[Any],
            limit: int) -> list[FailedItem]:
    """Items matched by group and text, so a wording kept across checklist versions counts
    as one item; most failures first, then the larger share of the checks using the item."""
    merged: dict[tuple[str, str], list[int]] = {}
    for item_id, template_id, group, text in items:
        if template_id not in per_template:
            continue
        entry = merged.setdefault((group, text), [0, 0])
        entry[0] += failures.get(item_id, 0)
        entry[1] += per_template[template_id]
    ranked = sorted(((k, v) for k, v in merged.items() if v[0]),
                    key=lambda kv: (-kv[1][0], -kv[1][0] / kv[1][1], kv[0]))
    return [FailedItem(group, text, n, total) for (group, text), (n, total) in ranked[:limit]]


def failed_items(session: Session, period: Period, results: list[Result],
                 limit: int = TOP_ITEMS) -> list[FailedItem]:
    """The items most often failed at the original checks (rechecks would count twice)."""
    per_template: dict[int, int] = defaultdict(int)
    for r in results:
        per_template[r.template_id] += 1
    if not per_template:
        return []
    failures = {item: int(n) for item, n in _failures(session, period)}
    return _ranked(failures, per_template, _items(session, per_template), limit)


def failed_items_by_community(session: Session, period: Period, results: list[Result],
                              limit: int = TOP_ITEMS) -> tuple[dict[int, list[FailedItem]],
                                                               list[FailedItem]]:
    """failed_items per community and for the street, from one grouped query."""
    per_template: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    street_templates: dict[int, int] = defaultdict(int)
    for r in results:
        per_template[r.community_id][r.template_id] += 1
        street_templates[r.template_id] += 1
    if not results:
        return {}, []
    failures: dict[int, dict[int, int]] = defaultdict(dict)
    street: dict[int, int] = defaultdict(int)
    for community, item, n in _failures(session, period, SortingSite.community_id):
        failures[community][item] = int(n)
        street[item] += int(n)
    items = _items(session, street_templates)
    by_community = {cid: _ranked(failures.get(cid, {}), templates, items, limit)
                    for cid, templates in per_template.items()}
    return by_community, _ranked(street, street_templates, items, limit)


@dataclass(frozen=True)
class RepeatFailure:
    site_id: int
    site: str
    site_type: str
    community: str
    dates: tuple[dt.date, dt.date]  # the earlier and the later failed check

    def as_json(self) -> dict[str, Any]:
        return {"site_id": self.site_id, "site": self.site, "site_type": self.site_type,
                "community": self.community, "dates": [d.isoformat() for d in self.dates]}


def repeat_failures(session: Session, period: Period, results: list[Result]) -> list[RepeatFailure]:
    """Sites whose last check in the period failed, as did the check before it (even after
    rechecks: both results stand)."""
    last: dict[int, Result] = {}
    for r in sorted(results, key=lambda r: (r.check_date, r.root_id)):
        last[r.site_id] = r
    failing = {site: r for site, r in last.items() if not r.passed}
    if not failing:
        return []
    c = SortingCheck
    previous: dict[int, tuple[int, dt.date, bool]] = {}
    for rid, site, day, passed in session.execute(
            select(c.id, c.site_id, c.check_date, c.passed)
            .where(c.site_id.in_(list(failing)), c.recheck_of_id.is_(None),
                   c.check_date <= period.end)
            .order_by(c.site_id, c.check_date, c.id)):
        if rid == failing[site].root_id:
            continue
        if (day, rid) < (failing[site].check_date, failing[site].root_id):
            previous[site] = (rid, day, bool(passed))  # ordered: the last one before wins
    if not previous:
        return []
    final: dict[int, bool] = {rid: passed for rid, _day, passed in previous.values()}
    for root, passed in session.execute(
            select(c.recheck_of_id, c.passed).where(c.recheck_of_id.in_(list(final)))
            .order_by(c.id)):
        assert root is not None
        final[root] = bool(passed)
    repeated = [site for site, (rid, _day, _p) in previous.items() if not final[rid]]
    if not repeated:
        return []
    names = {sid: (name, site_type, community) for sid, name, site_type, community in session.execute(
        select(SortingSite.id, SortingSite.name, SortingSite.site_type, Community.name)
        .join(Community, Community.id == SortingSite.community_id)
        .where(SortingSite.id.in_(repeated)))}
    out = [RepeatFailure(site, *names[site], (previous[site][1], failing[site].check_date))
           for site in repeated]
    return sorted(out, key=lambda f: (f.community, f.site))


@dataclass(frozen=True)
class SortingFigures:
    period: str
    start: dt.date
    end: dt.date
    total: GroupFigures
    communities: list[GroupFigures]
    site_types: list[GroupFigures]
    failed_items: list[FailedItem]
    repeat_failures: list[RepeatFailure]
    active_sites: int
    unchecked_sites: int

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "total": self.total.as_json(),
            "communities": [g.as_json() for g in self.communities],
            "site_types": [g.as_json() for g in self.site_types],
            "failed_items": [i.as_json() for i in self.failed_items],
            "repeat_failures": [f.as_json() for f in self.repeat_failures],
            "active_sites": self.active_sites, "unchecked_sites": self.unchecked_sites,
        }


def period_figures(session: Session, period: Period) -> SortingFigures:
    results = period_results(session, period)
    communities = session.execute(select(Community.id, Community.name).order_by(
        Community.sort_order, Community.id)).all()
    by_community: dict[int, list[Result]] = defaultdict(list)
    by_type: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_community[r.community_id].append(r)
        by_type[r.site_type].append(r)
    active = int(session.scalar(select(func.count(SortingSite.id)).where(
        SortingSite.active.is_(True))) or 0)
    return SortingFigures(
        period.label, period.start, period.end, _group("", "全街道", results),
        [_group(str(cid), name, by_community[cid]) for cid, name in communities],
        [_group(t, t, by_type[t]) for t in SITE_TYPES],
        failed_items(session, period, results),
        repeat_failures(session, period, results),
        active, unchecked_count(session, period.start, period.end))


def community_counts(session: Session, period: Period,
                     results: list[Result] | None = None) -> dict[int, dict[str, Any]]:
    """The "sorting" part of `stats` per community; `score_sum` becomes the average there."""
    if results is None:
        results = period_results(session, period)
    repeated = {f.site_id for f in repeat_failures(session, period, results)}
    out: dict[int, dict[str, Any]] = {}
    sites: dict[int, set[int]] = defaultdict(set)
    for r in results:
        entry = out.setdefault(r.community_id, {
            "checks": 0, "passed": 0, "sites": 0, "first_passed": 0, "rechecks": 0,
            "repeat_failures": 0, "score_sum": 0.0})
        entry["checks"] += 1
        entry["passed"] += int(r.passed)
        entry["first_passed"] += int(r.first_passed)
        entry["rechecks"] += r.rechecks
        entry["score_sum"] += r.total
        sites[r.community_id].add(r.site_id)
    for cid, entry in out.items():
        entry["sites"] = len(sites[cid])
        entry["repeat_failures"] = len(sites[cid] & repeated)
    return out
