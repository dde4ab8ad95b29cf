"""Headline figures per community: periods, and notices placed by their findings."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain.errors import ValidationError
from desktop.domain.stats import Period, community_stats
from tests.unit.domain.test_notices import NOW, issue, new_finding, setup_ledger


def test_periods():
    assert Period.parse("2026-02") == Period("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert Period.parse("2024-q1").end == dt.date(2024, 3, 31)
    assert Period.parse("2026-Q4") == Period("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert Period.parse(None, today=dt.date(2026, 11, 25)).label == "2026-11"
    running = Period.parse("2026-11")
    assert running.reference_date(dt.date(2026, 11, 25)) == dt.date(2026, 11, 25)
    assert running.reference_date(dt.date(2027, 1, 3)) == dt.date(2026, 11, 30)
    for bad in ("2026-13", "2026/10", "Q3", "2026-Q5"):
        with pytest.raises(ValidationError):
            Period.parse(bad)


def test_a_street_vendors_notice_counts_in_the_community_of_the_finding(any_db):
    ledger = setup_ledger(any_db)
    vendor = new_finding(any_db, ledger, shop=None, category="乱摆摊点", person="流动摊贩张某",
                         community_id=ledger.communities["西岭社区"], place="中山路口")
    shop = new_finding(any_db, ledger)  # 老王火锅店, 东湖社区
    issue(any_db, [vendor.id], party="流动摊贩张某")
    issue(any_db, [shop.id])
    with any_db.session() as s:
        stats = community_stats(s, Period.parse("2026-03"), today=dt.date(2026, 3, 31))
    by_name = {c["community"]: c for c in stats["communities"]}
    assert by_name["西岭社区"]["notices"]["issued"] == 1
    assert by_name["东湖社区"]["notices"]["issued"] == 1
    assert by_name["西岭社区"]["findings"]["found"] == 1
    assert stats["total"]["notices"]["issued"] == 2
    with any_db.session() as s:
        before = community_stats(s, Period.parse("2026-02"), today=dt.date(2026, 3, 31))
    assert before["total"]["notices"]["issued"] == 0
    assert NOW.month == 3
