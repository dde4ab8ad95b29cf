"""Headline figures per community: periods, notices placed by their findings, every figure
of a hand-made month, and what counts as rectified on time."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop.domain import findings as F
from desktop.domain.errors import ValidationError
from desktop.domain.stats import Period, community_stats
from tests.unit.domain.test_notices import NOW, issue, new_finding, recheck, setup_ledger
from tests.unit.io.district_data import PERIOD, TODAY
from tests.unit.io.district_full import (
    EAST_TOP,
    FAILED_ITEMS,
    KITCHEN,
    SHOP_MIXED,
    SHOP_PAPER,
    VETO,
    build_full,
)


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


def _items(*rows: tuple[str, str, int, int, float]) -> list[dict]:
    return [{"group": g, "text": t, "failures": n, "checks": c, "share": r}
            for g, t, n, c, r in rows]


def test_every_figure_of_a_hand_made_month(any_db):
    """The `stats --json` object of district_full's March, every key worked out by hand."""
    build_full(any_db)
    with any_db.session() as s:
        stats = community_stats(s, PERIOD, today=TODAY)
    assert (stats["period"], stats["as_of"]) == ("2026-03", "2026-03-31")
    east, west = stats["communities"]
    assert east == {
        "community": "东湖社区", "businesses": 4,
        "agreements": {"required": 4, "signed": 1, "new_unsigned": 1, "rate": 0.25},
        "permits": {"applications": 1, "approved": 1, "refused": 0, "valid": 2, "expiring": 0,
                    "unsafe": 1, "multi_sign": 0, "removed": 0},
        "sorting": {"checks": 3, "passed": 2, "sites": 3, "first_passed": 1, "rechecks": 2,
                    "repeat_failures": 0, "rate": 0.6667, "average": 85.7,
                    "failed_items": _items(("设施设置", EAST_TOP, 2, 2, 1.0),
                                           ("分类质量", KITCHEN, 2, 3, 0.6667),
                                           ("分类质量", SHOP_MIXED, 1, 1, 1.0),
                                           ("分类质量", SHOP_PAPER, 1, 1, 1.0),
                                           ("日常管理", "督导员（桶边值守）在规定投放时段在岗指导", 1, 2, 0.5))},
        "findings": {"found": 5, "rectified": 3, "overdue": 2, "referred": 0, "on_time": 1,
                     "by_category": {"占道经营": 1, "店外经营": 3, "乱贴乱画": 1}},
        "notices": {"issued": 3, "voided": 1, "rechecks": 3},
    }
    assert west == {
        "community": "西岭社区", "businesses": 6,
        "agreements": {"required": 4, "signed": 3, "new_unsigned": 1, "rate": 0.75},
        "permits": {"applications": 1, "approved": 0, "refused": 1, "valid": 1, "expiring": 1,
                    "unsafe": 0, "multi_sign": 0, "removed": 1},
        "sorting": {"checks": 1, "passed": 0, "sites": 1, "first_passed": 0, "rechecks": 0,
                    "repeat_failures": 1, "rate": 0.0, "average": 95.0,
                    "failed_items": _items(("收运衔接", VETO, 1, 1, 1.0))},
        "findings": {"found": 3, "rectified": 1, "overdue": 1, "referred": 1, "on_time": 1,
                     "by_category": {"店外经营": 1, "乱堆乱放": 1, "其他": 1}},
        "notices": {"issued": 2, "voided": 0, "rechecks": 2},
    }
    assert stats["total"] == {
        "businesses": 10,
        "agreements": {"required": 8, "signed": 4, "new_unsigned": 2, "rate": 0.5},
        "permits": {"applications": 2, "approved": 1, "refused": 1, "valid": 3, "expiring": 1,
                    "unsafe": 1, "multi_sign": 0, "removed": 1},
        "sorting": {"checks": 4, "passed": 2, "sites": 4, "first_passed": 1, "rechecks": 2,
                    "repeat_failures": 1, "rate": 0.5, "average": 88.0,
                    "failed_items": _items(*FAILED_ITEMS)},
        "findings": {"found": 8, "rectified": 4, "overdue": 3, "referred": 1, "on_time": 2,
                     "by_category": {"占道经营": 1, "店外经营": 4, "乱堆乱放": 1, "乱贴乱画": 1,
                                     "其他": 1}},
        "notices": {"issued": 5, "voided": 1, "rechecks": 5},
    }
    # Category counts keep the catalogue's order, the office's own categories last as 其他.
    assert list(stats["total"]["findings"]["by_category"]) == ["占道经营", "店外经营", "乱堆乱放",
                                                               "乱贴乱画", "其他"]
    json.dumps(stats, ensure_ascii=False)
    with any_db.session() as s:
        february = community_stats(s, Period.parse("2026-02"), today=TODAY)["total"]
    assert february["permits"]["removed"] == 1  # 老王火锅店's 灯箱, 02-27
    assert february["notices"]["rechecks"] == 1  # g6, 02-24
    assert february["findings"]["by_category"] == {"店外经营": 3, "招牌安全隐患": 1}
    assert february["agreements"]["new_unsigned"] == 0


def test_rectified_on_time_is_judged_by_the_day_of_the_deadline(any_db):
    """Due 3-8 (the notice's 18:00 hour does not matter): a pass rechecked on the evening of
    3-8 is in time, one on 3-9 is late; a 复查合格 left open counts by its recheck; one put
    right on the spot has no deadline and is in time; a referral is not rectified."""
    ledger = setup_ledger(any_db)
    evening, late, kept_open, spot, referred = (new_finding(any_db, ledger) for _ in range(5))
    for f in (evening, late, kept_open, referred):
        issue(any_db, [f.id])  # 3-5 11:00, due 3-8 18:00
    recheck(any_db, evening.id, True, dt.datetime(2026, 3, 8, 20, 30))
    recheck(any_db, late.id, True, dt.datetime(2026, 3, 9, 9))
    recheck(any_db, kept_open.id, True, dt.datetime(2026, 3, 7, 9), close=False)
    recheck(any_db, referred.id, False, dt.datetime(2026, 3, 7, 10))
    with any_db.transaction() as s:
        F.close(s, spot.id, F.get(s, spot.id).version, user="clerk", note="当场改正",
                now=NOW + dt.timedelta(minutes=30))
        F.refer(s, referred.id, F.get(s, referred.id).version, referred_on=dt.date(2026, 3, 8),
                receiving_unit="区综合行政执法局", user="clerk", now=dt.datetime(2026, 3, 8, 9))
    with any_db.session() as s:
        stats = community_stats(s, Period.parse("2026-03"), today=dt.date(2026, 3, 31))
        assert F.get(s, kept_open.id).status == "复查合格" and F.get(s, kept_open.id).closed_at is None
    found = stats["total"]["findings"]
    assert (found["found"], found["rectified"], found["on_time"], found["referred"]) == (5, 4, 3, 1)
    assert stats["total"]["notices"]["rechecks"] == 4
