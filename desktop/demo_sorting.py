"""Demo 垃圾分类 data: sites of every type and a year of monthly checks with rechecks."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.models import (
    Business,
    Community,
    Grid,
    ReportedPeriod,
    SortingCheck,
    SortingScore,
    SortingSite,
)

from .domain.agreements import add_months
from .domain.sorting import DEFAULT_RECTIFY_DAYS
from .domain.sorting_templates import (
    ItemRow,
    TemplateRow,
    current_templates,
    ensure_templates,
    score_sheet,
)

DEMO_USER = "演示数据"
CHUNK = 5_000
MONTHS = 12
MAX_SHOP_SITES = 150
ESTATE_HEADS = ("锦绣", "阳光", "翠苑", "金色", "碧水", "和平", "幸福", "康乐", "景园", "怡景", "紫荆",
                "丽都", "春晖", "华庭", "书香", "绿洲")
ESTATE_TAILS = ("花园", "小区", "家园", "新村", "公寓", "苑", "名邸", "雅居")
VILLAGES = ("王家村", "李家庄", "陈家湾", "前街村", "后营村", "东坝村")
UNITS = ("小学", "中学", "幼儿园", "社区卫生服务中心", "派出所", "供电所", "图书馆", "社区居委会")
PUBLIC = ("公园", "广场", "农贸市场", "公交首末站", "口袋公园", "体育场")
SHOP_CATEGORIES = ("餐饮", "农贸水果", "便利店", "宾馆住宿")
INSPECTORS = ("张建华", "李卫东", "王秀兰", "陈国强", "刘海燕", "赵志刚", "周丽娟", "孙明辉")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林"
GIVEN = ("建国", "秀英", "志强", "桂英", "海燕", "卫东", "丽华", "德明", "红梅", "国强")
PROBLEM_NOTES = ("桶边无人值守", "厨余桶内混有塑料袋", "宣传栏破损", "台账记录不全", "桶体满溢未清运",
                 "有害垃圾桶缺失", "标识脱落")


@dataclass
class _Site:
    id: int
    site_type: str
    quality: float  # chance that an item gets full marks
    stubborn: bool = False  # puts right little after a failed check


@dataclass
class _Visit:
    site: _Site
    template: TemplateRow
    day: dt.date
    earned: dict[int, float]
    inspectors: str
    previous: _Visit | None = None  # the visit a recheck follows
    carried: set[int] = field(default_factory=set)
    id: int = 0

    @property
    def root(self) -> _Visit:
        visit = self
        while visit.previous is not None:
            visit = visit.previous
        return visit


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "186", "189")) + f"{rng.randrange(10**8):08d}"


def _site_rows(session: Session, rng: random.Random) -> list[dict[str, Any]]:
    grids: dict[int, list[int]] = {}
    for gid, cid in session.execute(select(Grid.id, Grid.community_id).order_by(Grid.id)):
        grids.setdefault(cid, []).append(gid)
    rows: list[dict[str, Any]] = []

    def add(name: str, site_type: str, cid: int, address: str, **extra: Any) -> None:
        rows.append({"name": name, "site_type": site_type, "community_id": cid,
                     "grid_id": rng.choice(grids[cid]) if grids.get(cid) else None,
                     "address": address, "responsible": _person(rng), "contact": _mobile(rng),
                     "collection_points": rng.randint(2, 12) if site_type == "小区" else rng.randint(1, 4),
                     "business_id": None, "active": True, "version": 1, "updated_by": DEMO_USER,
                     **extra})

    communities = session.execute(select(Community.id, Community.name).order_by(Community.sort_order)).all()
    for n, (cid, cname) in enumerate(communities):
        short = cname.removesuffix("社区")
        for name in rng.sample([h + t for h in ESTATE_HEADS for t in ESTATE_TAILS], rng.randint(3, 5)):
            add(name, "小区", cid, f"{short}路{rng.randint(1, 300)}号")
        if n % 2 == 0:
            add(VILLAGES[n // 2 % len(VILLAGES)], "城中村", cid, f"{short}街道{VILLAGES[n // 2 % len(VILLAGES)]}")
        for unit in rng.sample(UNITS, rng.randint(1, 3)):
            add(short + unit, "单位", cid, f"{short}路{rng.randint(1, 300)}号")
        for place in rng.sample(PUBLIC, rng.randint(1, 2)):
            add(short + place, "公共场所", cid, f"{short}路与中山路交叉口")
    shops = session.execute(
        select(Business.id, Business.name, Business.community_id, Business.grid_id,
               Business.address, Business.operator, Business.phone)
        .where(Business.active.is_(True), Business.status == "营业",
               Business.category.in_(SHOP_CATEGORIES)).order_by(Business.id)).all()
    count = min(MAX_SHOP_SITES, max(5, len(shops) // 12), len(shops))
    for bid, name, shop_community, shop_grid, address, operator, phone in rng.sample(shops, count):
        rows.append({"name": name, "site_type": "商户", "community_id": shop_community,
                     "grid_id": shop_grid,
                     "address": address, "responsible": operator, "contact": phone,
                     "collection_points": 1, "business_id": bid, "active": True, "version": 1,
                     "updated_by": DEMO_USER})
    return rows


def _earned(rng: random.Random, item: ItemRow, quality: float) -> float:
    if item.veto:  # mixing the bins at collection is rare, and fails the check outright
        return 0.0 if rng.random() < (1 - quality) * 0.06 else item.max_score
    if rng.random() < quality:
        return item.max_score
    if not item.deduct:  # the tiered 准确率 items: 2/3, 1/3 or nothing
        return float(rng.choices((round(item.max_score * 2 / 3), round(item.max_score / 3), 0),
                                 (6, 3, 1))[0])
    step = 1.0 if item.max_score <= 4 else rng.choice((1.0, 2.0))
    return max(0.0, item.max_score - step * rng.choice((1, 1, 1, 2, 3)))


def _visits(rng: random.Random, sites: list[_Site], templates: dict[str, TemplateRow],
            today: dt.date) -> list[list[_Visit]]:
    """Visits by generation: the monthly checks, then first and second rechecks."""
    first_month = add_months(today.replace(day=1), -(MONTHS - 1))
    roots: list[_Visit] = []
    for site in sites:
        template = templates[site.site_type]
        for m in range(MONTHS):
            month = add_months(first_month, m)
            day = month + dt.timedelta(days=rng.randint(0, 27))
            if day > today or rng.random() < 0.04:
                continue  # not visited yet this month, or missed
            quality = min(0.99, site.quality + 0.004 * m)  # sites improve as the year goes on
            earned = {i.id: _earned(rng, i, quality) for i in template.items}
            roots.append(_Visit(site, template, day, earned, _pair(rng)))
    generations = [roots]
    for _ in range(2):
        nxt = []
        for visit in generations[-1]:
            sheet = score_sheet(visit.template, visit.earned)
            day = visit.day + dt.timedelta(days=rng.randint(3, DEFAULT_RECTIFY_DAYS + 3))
            if sheet.passed or day > today or rng.random() > (0.6 if visit.site.stubborn else 0.85):
                continue
            earned = dict(visit.earned)
            fixes = 0.3 if visit.site.stubborn else 0.8
            for item_id in sheet.failed_items:
                item = visit.template.item(item_id)
                earned[item_id] = item.max_score if rng.random() < fixes else max(
                    earned[item_id], _earned(rng, item, visit.site.quality))
            nxt.append(_Visit(visit.site, visit.template, day, earned, _pair(rng), visit,
                              set(visit.earned) - set(sheet.failed_items)))
        generations.append(nxt)
    return generations


def _pair(rng: random.Random) -> str:
    return "、".join(rng.sample(INSPECTORS, 2))


def _check_row(rng: random.Random, visit: _Visit) -> dict[str, Any]:
    sheet = score_sheet(visit.template, visit.earned)
    at = dt.datetime.combine(visit.day, dt.time(rng.randint(9, 16), rng.randint(0, 59)))
    notes = "" if sheet.passed else "、".join(rng.sample(PROBLEM_NOTES, rng.randint(1, 2)))
    return {
        "site_id": visit.site.id, "template_id": visit.template.id, "check_date": visit.day,
        "inspectors": visit.inspectors, "total": sheet.total, "passed": bool(sheet.passed),
        "vetoed": sheet.vetoed,
        "deadline": None if sheet.passed else visit.day + dt.timedelta(days=DEFAULT_RECTIFY_DAYS),
        "recheck_of_id": visit.root.id if visit.previous is not None else None, "notes": notes,
        "finding_id": None, "version": 1, "created_at": at, "updated_at": at,
        "updated_by": DEMO_USER,
    }


def generate_sorting(session: Session, rng: random.Random, today: dt.date,
                     say: Callable[[str], None]) -> dict[str, int]:
    """Sites of every type in every community, checked monthly for a year, with rechecks;
    the months before this one are marked as reported to the district."""
    year_ago = dt.datetime.combine(add_months(today.replace(day=1), -MONTHS), dt.time(9))
    ensure_templates(session, user=DEMO_USER, created_at=year_ago, record=False)
    templates = current_templates(session)
    site_rows = _site_rows(session, rng)
    ids = session.scalars(insert(SortingSite).returning(SortingSite.id, sort_by_parameter_order=True),
                          site_rows).all()
    sites = [_Site(sid, row["site_type"], rng.uniform(0.3, 0.9), rng.random() < 0.08)
             for sid, row in zip(ids, site_rows, strict=True)]
    for site in sites:
        if site.stubborn:
            site.quality = min(site.quality, 0.4)
    checks = 0
    for generation in _visits(rng, sites, templates, today):
        for start in range(0, len(generation), CHUNK):
            part = generation[start:start + CHUNK]
            new_ids = session.scalars(
                insert(SortingCheck).returning(SortingCheck.id, sort_by_parameter_order=True),
                [_check_row(rng, v) for v in part]).all()
            scores = []
            for visit, check_id in zip(part, new_ids, strict=True):
                visit.id = check_id
                failed = score_sheet(visit.template, visit.earned).failed_items
                for item_id, earned in visit.earned.items():
                    scores.append({"check_id": check_id, "item_id": item_id, "score": earned,
                                   "failed": item_id in failed, "carried": item_id in visit.carried,
                                   "note": ""})
            session.execute(insert(SortingScore), scores)
            checks += len(part)
    for m in range(1, MONTHS):
        first = add_months(today.replace(day=1), -m)
        end = add_months(first, 1) - dt.timedelta(days=1)
        session.add(ReportedPeriod(label=f"{first.year}-{first.month:02d}", start_date=first,
                                   end_date=end, reported_by=DEMO_USER,
                                   reported_at=dt.datetime.combine(end + dt.timedelta(days=5),
                                                                   dt.time(10))))
    session.flush()
    say(f"已生成 {len(sites)} 个垃圾分类检查点位、{checks} 次检查（含复查）")
    return {"sorting_sites": len(sites), "sorting_checks": checks}
