"""Hand-made sorting sites and score sheets for the sorting tests."""

from __future__ import annotations

import datetime as dt

from db.engine import Database
from desktop.domain import sorting, sorting_sites
from desktop.domain.sorting import CheckInput, CheckRow, RecheckInput, ScoreInput
from desktop.domain.sorting_sites import SiteInput
from desktop.domain.sorting_templates import TemplateRow, current_template
from tests.factories import Ledger, make_ledger

TODAY = dt.date(2026, 3, 31)


def make_sites(db: Database) -> tuple[Ledger, dict[str, int]]:
    """Two communities' sites: three 小区, a 公共场所 and a 商户 linked to 老王火锅店."""
    ledger = make_ledger(db)
    east, west = ledger.communities["东湖社区"], ledger.communities["西岭社区"]
    specs = [
        ("东湖花园", "小区", east, ledger.grids["东湖一网格"], None),
        ("东湖新村", "小区", east, ledger.grids["东湖二网格"], None),
        ("西岭家园", "小区", west, ledger.grids["西岭一网格"], None),
        ("西岭公园", "公共场所", west, None, None),
        ("老王火锅店", "商户", east, None, ledger.businesses["老王火锅店"]),
    ]
    sites: dict[str, int] = {}
    with db.transaction() as s:
        for name, kind, community, grid, business in specs:
            sites[name] = sorting_sites.create_site(s, SiteInput(
                name=name, site_type=kind, community_id=community, grid_id=grid,
                address=f"{name}门口", responsible="张三", contact="13800138000",
                collection_points=3, business_id=business), user="tester").id
    return ledger, sites


def template_of(db: Database, site_type: str) -> TemplateRow:
    with db.transaction() as s:
        return current_template(s, site_type)


def sheet(template: TemplateRow, lose: dict[int, float] | None = None,
          only: tuple[int, ...] | None = None) -> list[ScoreInput]:
    """What the clerk types: full marks except the points lost on the items at `lose`
    (1-based positions); a 扣分 item is typed as its deduction."""
    lose = lose or {}
    out = []
    for item in template.items:
        if only is not None and item.id not in only:
            continue
        lost = lose.get(item.position, 0.0)
        out.append(ScoreInput(item.id, lost if item.deduct else item.max_score - lost))
    return out


def check(db: Database, site_id: int, day: dt.date, lose: dict[int, float] | None = None, *,
          site_type: str = "小区", make_finding: bool = False, today: dt.date = TODAY) -> CheckRow:
    template = template_of(db, site_type)
    with db.transaction() as s:
        return sorting.record_check(s, CheckInput(
            site_id=site_id, template_id=template.id, check_date=day, inspectors="李四、王五",
            scores=sheet(template, lose)), user="tester", today=today, make_finding=make_finding)


def recheck(db: Database, check_id: int, day: dt.date, lose: dict[int, float] | None = None) -> CheckRow:
    with db.transaction() as s:
        form = sorting.recheck_form(s, check_id)
        return sorting.record_recheck(s, check_id, RecheckInput(
            check_date=day, inspectors="李四", scores=sheet(form.template, lose, form.recheck_items)),
            user="tester", today=TODAY)
