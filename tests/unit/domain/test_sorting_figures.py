"""Period figures of the sorting checks on hand-made data: a site's result is its recheck's."""

from __future__ import annotations

import datetime as dt
import json

from desktop.cli import run_cli
from desktop.domain.sorting_figures import period_figures
from desktop.domain.sorting_listing import list_checks
from desktop.domain.stats import Period, community_stats

from .sorting_helpers import TODAY, check, make_sites, recheck

MARCH = Period.parse("2026-03")


def _street(db) -> dict[str, int]:
    """March: 东湖花园 passes; 东湖新村 fails and passes its recheck; 老王火锅店 fails twice
    (check and recheck); 西岭家园 fails on a 否决项, as it failed in February; 西岭公园 waits."""
    _ledger, sites = make_sites(db)
    check(db, sites["东湖花园"], dt.date(2026, 3, 5), {4: 4})  # 96
    bad = check(db, sites["东湖新村"], dt.date(2026, 3, 6), {4: 8, 10: 12, 15: 6})  # 74
    recheck(db, bad.id, dt.date(2026, 3, 12), {4: 4, 10: 12})  # 84, passes
    check(db, sites["西岭家园"], dt.date(2026, 2, 10), {4: 8, 10: 12, 11: 8, 22: 2})  # 70
    check(db, sites["西岭家园"], dt.date(2026, 3, 8), {20: 5})  # 95 but vetoed
    shop = check(db, sites["老王火锅店"], dt.date(2026, 3, 9), {7: 12, 8: 8, 9: 6},
                 site_type="商户")  # 74
    recheck(db, shop.id, dt.date(2026, 3, 20), {7: 12, 8: 8, 9: 3})  # 77, fails again
    return sites


def test_period_figures_count_each_sites_result(any_db):
    _street(any_db)
    with any_db.session() as s:
        figures = period_figures(s, MARCH)
    total = figures.total
    assert (total.checks, total.passed, total.sites, total.first_passed, total.rechecks) == (4, 2, 4, 1, 2)
    assert total.rate == 0.5 and total.average == round((96 + 84 + 95 + 77) / 4, 1)
    east, west = figures.communities
    assert (east.name, east.checks, east.passed, east.rechecks, east.average) == (
        "东湖社区", 3, 2, 2, round((96 + 84 + 77) / 3, 1))
    assert (west.name, west.checks, west.passed, west.rate) == ("西岭社区", 1, 0, 0.0)
    by_type = {g.name: g for g in figures.site_types}
    assert list(by_type) == ["小区", "城中村", "单位", "商户", "公共场所"]
    assert (by_type["小区"].checks, by_type["小区"].passed) == (3, 2)
    assert (by_type["商户"].checks, by_type["商户"].passed, by_type["公共场所"].checks) == (1, 0, 0)
    top = figures.failed_items[0]
    assert top.text.startswith("投放点四分类桶") and (top.failures, top.checks) == (2, 3)
    # Counted at the original checks only, and one wording is one item across checklists:
    # 厨余垃圾分类准确率 failed at 东湖新村 and at the shop.
    kitchen = next(i for i in figures.failed_items if i.text == "厨余垃圾分类准确率")
    assert (kitchen.failures, kitchen.checks, kitchen.share) == (2, 4, 0.5)
    shop_only = [i for i in figures.failed_items if i.checks == 1]
    assert len(shop_only) == 2 and all(i.failures == 1 for i in shop_only)
    [repeat] = figures.repeat_failures
    assert repeat.site == "西岭家园" and repeat.dates == (dt.date(2026, 2, 10), dt.date(2026, 3, 8))
    assert (figures.active_sites, figures.unchecked_sites) == (5, 1)
    json.dumps(figures.as_json(), ensure_ascii=False)

    with any_db.session() as s:
        quarter = period_figures(s, Period.parse("2026-Q1"))
        february = period_figures(s, Period.parse("2026-02"))
    assert (quarter.total.checks, quarter.total.passed, quarter.total.sites) == (5, 2, 4)
    assert quarter.repeat_failures[0].site == "西岭家园"
    assert (february.total.checks, february.total.passed, february.repeat_failures) == (1, 0, [])
    assert february.unchecked_sites == 4


def test_stats_count_the_recheck_result_and_add_keys(any_db):
    _street(any_db)
    with any_db.session() as s:
        stats = community_stats(s, MARCH, today=TODAY)
    by_name = {c["community"]: c["sorting"] for c in stats["communities"]}
    east = by_name["东湖社区"]
    assert (east["checks"], east["passed"], east["rate"]) == (3, 2, 0.6667)
    assert (east["sites"], east["first_passed"], east["rechecks"], east["average"]) == (3, 1, 2, 85.7)
    assert "score_sum" not in east
    assert by_name["西岭社区"]["repeat_failures"] == 1
    total = stats["total"]["sorting"]
    assert (total["checks"], total["passed"], total["rate"], total["average"]) == (4, 2, 0.5, 88.0)


def test_list_sorting_checks_rows_and_filters(db, capsys):
    sites = _street(db)
    with db.session() as s:
        everything = list_checks(s, "", 100, False)
        pending = list_checks(s, "待复查", 100, False)
        february = list_checks(s, "2026-02 不合格", 100, False)
        by_name = list_checks(s, "火锅", 100, False)
    assert everything["total"] == 7
    first = everything["rows"][0]
    assert list(first)[:10] == ["site", "site_type", "community", "grid", "check_date", "total",
                                "passed", "inspectors", "template_version", "recheck_of"]
    assert first["site"] == "老王火锅店" and first["recheck_of"] is not None
    assert {r["site"] for r in pending["rows"]} == {"西岭家园", "老王火锅店"}
    assert [r["check_date"] for r in february["rows"]] == ["2026-02-10"]
    assert by_name["total"] == 2 and sites
    assert run_cli(["list", "sorting-checks", "--db", db.url, "--filter", "复查", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 2 and all(r["recheck_of"] for r in listed["rows"])
    assert run_cli(["stats", "--period", "2026-03", "--db", db.url, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert set(stats["total"]["sorting"]) >= {"checks", "passed", "rate", "sites", "average",
                                              "rechecks", "first_passed", "repeat_failures"}
