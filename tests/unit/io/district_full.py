"""district_data's March 2026 with every area filled in, and every figure worked out by hand.

On top of district_data.build (its story is told there):

Businesses: the five of make_ledger entered the ledger on 2025-06-01. New in March: 东湖
春风茶饮 (entered 03-01 00:00, never signed: new and unsigned); 西岭 阿香米线 (03-20, signed
03-25: new but signed), 旧书小铺 (03-05, 停业: need not sign), 路边修鞋 (03-15, 无照 but
trading: new and unsigned). 东湖 明亮眼镜 entered 04-01 00:00: after the month.

Sign permits: 东湖 P1 老王火锅店 up since 2025-12, failed its safety check on 2026-02-10
(unsafe; the check recorded a February finding); P2 重庆小面馆 applied 03-02, approved 03-06.
西岭 P3 鑫源五金店 applied 03-05, refused 03-09; P4 川味火锅城 up since 2025-05-15 for twelve
months (ends 2026-05-14: within 60 days); P5 好又多便利店 removed 03-20 (店铺关闭). 东湖 P6
老王火锅店's second sign (exempted) removed 02-27: not this month.

Sorting (the checks of test_sorting_figures): 东湖花园 96 passes; 东湖新村 74 fails and
passes its recheck at 84; the shop 老王火锅店 74 fails, rechecked 77 fails again; 西岭家园
95 but vetoed (it also failed in February); 西岭公园 not checked.

More findings: 东湖 g1 占道经营 03-12 corrected on the spot (销号, no deadline: on time);
g4 乱贴乱画 03-16, notice (due 03-19), passed recheck 03-23 (late). 西岭 g2 乱堆乱放 03-14,
notice (due 03-17), passed recheck 03-16 kept open as 复查合格 (on time); g3 a street vendor's
夜市噪声 (not a listed category: 其他) 03-15, still open without a deadline. 东湖 g5 店外经营
found 02-25, notice (due 02-28), failed recheck 03-03 (a March recheck, overdue); g6 found
02-20, rechecked and closed 02-24 (nothing in March).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from db.engine import Database
from db.models import Business
from desktop.domain import agreements as A
from desktop.domain import businesses as B
from desktop.domain import findings as F
from desktop.domain import legal as L
from desktop.domain import notices as N
from desktop.domain import permits as P
from desktop.domain import sorting_sites
from desktop.domain.sorting_sites import SiteInput
from tests.factories import Ledger
from tests.unit.domain.sorting_helpers import check, recheck

from .district_data import OFFICERS, TODAY, build

D = dt.date
T = dt.datetime

EAST_TOP = "投放点四分类桶（可回收物、有害垃圾、厨余垃圾、其他垃圾）配置齐全"
KITCHEN = "厨余垃圾分类准确率"
VETO = "分类收集、分类运输，无混装混运"
SHOP_MIXED = "其他垃圾中无明显混入厨余垃圾、可回收物"
SHOP_PAPER = "废纸箱等可回收物整理后交售，不随意堆放"


def _at(day: D) -> T:
    return T.combine(day, dt.time(17))


def _entered(db: Database, business_id: int, at: T) -> None:
    with db.transaction() as s:
        s.execute(update(Business).where(Business.id == business_id).values(created_at=at))


def _business(db: Database, ledger: Ledger, name: str, community: str, grid: str, at: T,
              status: str = "营业") -> int:
    with db.transaction() as s:
        row = B.create(s, B.BusinessInput(name=name, address=f"{community}{name}门面",
                                          category="餐饮", community_id=ledger.communities[community],
                                          grid_id=ledger.grids[grid], status=status), user="clerk")
    _entered(db, row.id, at)
    return row.id


def _businesses(db: Database, ledger: Ledger) -> None:
    for business_id in ledger.businesses.values():
        _entered(db, business_id, T(2025, 6, 1, 9))
    _business(db, ledger, "春风茶饮", "东湖社区", "东湖一网格", T(2026, 3, 1))
    _business(db, ledger, "明亮眼镜", "东湖社区", "东湖二网格", T(2026, 4, 1))
    noodles = _business(db, ledger, "阿香米线", "西岭社区", "西岭一网格", T(2026, 3, 20, 9))
    _business(db, ledger, "旧书小铺", "西岭社区", "西岭一网格", T(2026, 3, 5, 9), status="停业")
    _business(db, ledger, "路边修鞋", "西岭社区", "西岭一网格", T(2026, 3, 15, 9), status="无照")
    with db.transaction() as s:
        draft = A.create_draft(s, A.AgreementInput(
            business_id=noodles, area_text="店门前人行道", frontage_length_m=5, area_m2=12,
            duties=["sanitation", "appearance", "order"], start_date=D(2026, 3, 25),
            office_signatory="张科长", business_signatory="店主"), user="clerk")
        A.sign(s, draft.id, draft.version, D(2026, 3, 25), user="clerk", today=TODAY)


# --- sign permits --------------------------------------------------------------------------


def _applied(db: Database, business_id: int, day: D, **kw: object) -> int:
    data = P.PermitInput(
        business_id=business_id, sign_type="店招", location="临街门面", facade_position="一层门头上方",
        width_m=4, height_m=1, protrusion_m=0.2, material="铝塑板", lighting="无",
        install_height_m=3, term_months=36, applied_date=day)
    data.__dict__.update(kw)
    with db.transaction() as s:
        return P.apply(s, data, user="clerk", now=_at(day)).id


def _step(db: Database, permit_id: int, fn, day: D, *args, **kw) -> None:
    with db.transaction() as s:
        fn(s, permit_id, P.get(s, permit_id).version, *args, now=_at(day), **kw)


def _granted(db: Database, business_id: int, applied: D, *, term: int = 36,
             installed: D | None = None, **kw: object) -> int:
    pid = _applied(db, business_id, applied, term_months=term, **kw)
    _step(db, pid, P.accept, applied, accepted_on=applied, user="clerk")
    _step(db, pid, P.record_survey, applied + dt.timedelta(days=1), P.SurveyInput(
        _at(applied + dt.timedelta(days=1)), "张三、李四", "现场与申请相符"), user="clerk")
    decided = applied + dt.timedelta(days=4)
    _step(db, pid, P.approve, decided, P.ApprovalInput(decided_on=decided), role="head",
          user="科长")
    if installed:
        _step(db, pid, P.record_installation, installed, P.InstallationInput(installed, "王五"))
    return pid


def _permits(db: Database, ledger: Ledger) -> None:
    shops = ledger.businesses
    p1 = _granted(db, shops["老王火锅店"], D(2025, 12, 1), installed=D(2025, 12, 20))
    with db.transaction() as s:
        P.record_safety_check(s, p1, P.SafetyCheckInput(_at(D(2026, 2, 10)), False, ["松动"], "",
                                                        "王五"), user="inspector",
                              now=_at(D(2026, 2, 10)))
    _granted(db, shops["重庆小面馆"], D(2026, 3, 2))
    p3 = _applied(db, shops["鑫源五金店"], D(2026, 3, 5))
    _step(db, p3, P.accept, D(2026, 3, 6), accepted_on=D(2026, 3, 6), user="clerk")
    with db.session() as s:
        basis = [b.id for b in L.list_entries(s, category="招牌安全隐患")]
    _step(db, p3, P.refuse, D(2026, 3, 9), P.RefusalInput(D(2026, 3, 9), "设置于建筑屋顶", basis),
          role="head", user="科长")
    _granted(db, shops["川味火锅城"], D(2025, 5, 11), term=12, installed=D(2025, 5, 20))
    p5 = _granted(db, shops["好又多便利店"], D(2025, 1, 10), installed=D(2025, 1, 25))
    _step(db, p5, P.record_removal, D(2026, 3, 20), P.RemovalInput(D(2026, 3, 20), "店铺关闭"))
    p6 = _granted(db, shops["老王火锅店"], D(2025, 2, 1), installed=D(2025, 2, 10),
                  sign_type="灯箱", exemption_reason="临街两面均为店面")
    _step(db, p6, P.record_removal, D(2026, 2, 27), P.RemovalInput(D(2026, 2, 27), "违法设置"))


# --- sorting -------------------------------------------------------------------------------


def _sorting(db: Database, ledger: Ledger) -> None:
    east, west = ledger.communities["东湖社区"], ledger.communities["西岭社区"]
    specs = [("东湖花园", "小区", east, None), ("东湖新村", "小区", east, None),
             ("西岭家园", "小区", west, None), ("西岭公园", "公共场所", west, None),
             ("老王火锅店", "商户", east, ledger.businesses["老王火锅店"])]
    sites: dict[str, int] = {}
    with db.transaction() as s:
        for name, kind, community, business in specs:
            sites[name] = sorting_sites.create_site(s, SiteInput(
                name=name, site_type=kind, community_id=community, address=f"{name}门口",
                responsible="张三", contact="13800138000", collection_points=3,
                business_id=business), user="tester").id
    check(db, sites["东湖花园"], D(2026, 3, 5), {4: 4})  # 96
    bad = check(db, sites["东湖新村"], D(2026, 3, 6), {4: 8, 10: 12, 15: 6})  # 74
    recheck(db, bad.id, D(2026, 3, 12), {4: 4, 10: 12})  # 84, passes
    check(db, sites["西岭家园"], D(2026, 2, 10), {4: 8, 10: 12, 11: 8, 22: 2})  # 70
    check(db, sites["西岭家园"], D(2026, 3, 8), {20: 5})  # 95 but vetoed
    shop = check(db, sites["老王火锅店"], D(2026, 3, 9), {7: 12, 8: 8, 9: 6}, site_type="商户")
    recheck(db, shop.id, D(2026, 3, 20), {7: 12, 8: 8, 9: 3})  # 77, fails again


# --- findings, notices, rechecks ---------------------------------------------------------


def _finding(db: Database, ledger: Ledger, category: str, at: T, shop: str | None = None,
             **kw: object) -> int:
    data = F.FindingInput(category=category, found_at=at,
                          business_id=ledger.businesses[shop] if shop else None,
                          description="现场发现的问题", inspectors="张三、李四")
    data.__dict__.update(kw)
    with db.transaction() as s:
        return F.record_finding(s, data, user="inspector", now=at + dt.timedelta(minutes=5)).id


def _notice(db: Database, finding_id: int, now: T, **kw: object) -> None:
    with db.transaction() as s:
        data = N.draft_notice(s, [finding_id], now=now)  # due three days later, 18:00
        data.__dict__.update({**OFFICERS, **kw})
        N.issue_notice(s, data, user="clerk", now=now)


def _recheck(db: Database, finding_id: int, passed: bool, at: T, close: bool = True) -> None:
    with db.transaction() as s:
        version = F.get(s, finding_id).version
        N.record_recheck(s, finding_id, version, N.RecheckInput(
            checked_at=at, passed=passed, close=close, **OFFICERS), user="inspector", now=at)


def _findings(db: Database, ledger: Ledger) -> None:
    g1 = _finding(db, ledger, "占道经营", T(2026, 3, 12, 9), "重庆小面馆")
    with db.transaction() as s:
        F.close(s, g1, F.get(s, g1).version, user="clerk", note="当场改正",
                now=T(2026, 3, 12, 9, 30))
    g2 = _finding(db, ledger, "乱堆乱放", T(2026, 3, 14, 9), "川味火锅城")
    _notice(db, g2, T(2026, 3, 14, 10))
    _recheck(db, g2, True, T(2026, 3, 16, 10), close=False)
    _finding(db, ledger, "夜市噪声", T(2026, 3, 15, 21), person="流动摊贩张某",
             community_id=ledger.communities["西岭社区"], place="中山路口")
    g4 = _finding(db, ledger, "乱贴乱画", T(2026, 3, 16, 9), "老王火锅店")
    _notice(db, g4, T(2026, 3, 16, 10))
    _recheck(db, g4, True, T(2026, 3, 23, 10))
    g5 = _finding(db, ledger, "店外经营", T(2026, 2, 25, 9), "重庆小面馆")
    _notice(db, g5, T(2026, 2, 25, 10))
    _recheck(db, g5, False, T(2026, 3, 3, 10))
    g6 = _finding(db, ledger, "店外经营", T(2026, 2, 20, 9), "老王火锅店")
    _notice(db, g6, T(2026, 2, 20, 10))
    _recheck(db, g6, True, T(2026, 2, 24, 10))


def build_full(db: Database) -> Ledger:
    ledger = build(db)
    _businesses(db, ledger)
    _permits(db, ledger)
    _sorting(db, ledger)
    _findings(db, ledger)
    return ledger


# --- what the district summary must say ----------------------------------------------------

_CATEGORIES = ("占道经营", "店外经营", "乱堆乱放", "乱贴乱画", "乱搭乱建", "乱摆摊点", "露天烧烤",
               "门前三包不落实", "招牌安全隐患", "垃圾分类不达标", "无照经营", "其他")


def _found(**counts: int) -> dict[str, int]:
    return {f"巡查.发现.{c}": counts.get(c, 0) for c in _CATEGORIES}


EXPECTED: dict[str, dict[str, int | float | str]] = {
    "东湖社区": {
        "商户数": 4, "门前三包.应签": 4, "门前三包.已签": 1, "门前三包.签约率": 0.25,
        "门前三包.即将到期": 0, "门前三包.未签": 3, "门前三包.新开未签": 1,
        "招牌许可.申请": 1, "招牌许可.准予": 1, "招牌许可.不予许可": 0, "招牌许可.有效": 2,
        "招牌许可.即将到期": 0, "招牌许可.已拆除": 0, "招牌许可.安全隐患": 1,
        "垃圾分类.检查点位": 3, "垃圾分类.检查": 3, "垃圾分类.合格": 2, "垃圾分类.不合格": 1,
        "垃圾分类.合格率": 0.6667, "垃圾分类.平均分": 85.7,
        "垃圾分类.主要不合格项": f"{EAST_TOP}（2次）；{KITCHEN}（2次）",
        "巡查.发现": 5, "巡查.已整改": 3, "巡查.按期整改": 1, "巡查.逾期": 2, "巡查.移交执法": 0,
        **_found(店外经营=3, 占道经营=1, 乱贴乱画=1),
        "通知书.签发": 3, "通知书.作废": 1, "通知书.复查": 3,
    },
    "西岭社区": {
        "商户数": 6, "门前三包.应签": 4, "门前三包.已签": 3, "门前三包.签约率": 0.75,
        "门前三包.即将到期": 1, "门前三包.未签": 1, "门前三包.新开未签": 1,
        "招牌许可.申请": 1, "招牌许可.准予": 0, "招牌许可.不予许可": 1, "招牌许可.有效": 1,
        "招牌许可.即将到期": 1, "招牌许可.已拆除": 1, "招牌许可.安全隐患": 0,
        "垃圾分类.检查点位": 1, "垃圾分类.检查": 1, "垃圾分类.合格": 0, "垃圾分类.不合格": 1,
        "垃圾分类.合格率": 0.0, "垃圾分类.平均分": 95.0,
        "垃圾分类.主要不合格项": f"{VETO}（1次）",
        "巡查.发现": 3, "巡查.已整改": 1, "巡查.按期整改": 1, "巡查.逾期": 1, "巡查.移交执法": 1,
        **_found(店外经营=1, 乱堆乱放=1, 其他=1),
        "通知书.签发": 2, "通知书.作废": 0, "通知书.复查": 2,
    },
    "全街道": {
        "商户数": 10, "门前三包.应签": 8, "门前三包.已签": 4, "门前三包.签约率": 0.5,
        "门前三包.即将到期": 1, "门前三包.未签": 4, "门前三包.新开未签": 2,
        "招牌许可.申请": 2, "招牌许可.准予": 1, "招牌许可.不予许可": 1, "招牌许可.有效": 3,
        "招牌许可.即将到期": 1, "招牌许可.已拆除": 1, "招牌许可.安全隐患": 1,
        "垃圾分类.检查点位": 4, "垃圾分类.检查": 4, "垃圾分类.合格": 2, "垃圾分类.不合格": 2,
        "垃圾分类.合格率": 0.5, "垃圾分类.平均分": 88.0,
        "垃圾分类.主要不合格项": f"{EAST_TOP}（2次）；{KITCHEN}（2次）",
        "巡查.发现": 8, "巡查.已整改": 4, "巡查.按期整改": 2, "巡查.逾期": 3, "巡查.移交执法": 1,
        **_found(店外经营=4, 占道经营=1, 乱堆乱放=1, 乱贴乱画=1, 其他=1),
        "通知书.签发": 5, "通知书.作废": 1, "通知书.复查": 5,
    },
}

# The street's five sorting items most often failed: (group, text, failures, checks, share).
# Sixth, left off: 督导员（桶边值守）在规定投放时段在岗指导, once in three checks.
FAILED_ITEMS = [
    ("设施设置", EAST_TOP, 2, 3, 0.6667),
    ("分类质量", KITCHEN, 2, 4, 0.5),
    ("分类质量", SHOP_MIXED, 1, 1, 1.0),
    ("分类质量", SHOP_PAPER, 1, 1, 1.0),
    ("收运衔接", VETO, 1, 3, 0.3333),
]
