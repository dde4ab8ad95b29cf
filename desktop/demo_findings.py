"""Demo data for 巡查与通知: a year of findings in every state, with their documents."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Business,
    Community,
    Delivery,
    Finding,
    Grid,
    Notice,
    NoticeFinding,
    NumberSequence,
    Recheck,
    Referral,
)

from .demo_bulk import insert_returning_ids, insert_rows
from .domain import legal
from .domain.findings import FindingRow
from .domain.notices import (
    CORRECTIONS,
    KIND,
    RECHECK_KIND,
    basis_text,
    default_consequences,
    facts_text,
)
from .domain.office import format_number, get_office, number_pattern

Progress = Callable[[str], None]

DEMO_USER = "演示数据"
CHUNK = 2_000
# Findings a year per business on the ledger, and the bounds of the total.
PER_BUSINESS = 0.5
MIN_FINDINGS = 150
MAX_FINDINGS = 40_000

CATEGORY_WEIGHTS = {
    "占道经营": 16, "店外经营": 22, "乱堆乱放": 12, "乱贴乱画": 8, "乱搭乱建": 4, "乱摆摊点": 10,
    "露天烧烤": 5, "门前三包不落实": 9, "招牌安全隐患": 4, "垃圾分类不达标": 7, "无照经营": 3,
}
# Street vendors are people, not ledger businesses.
PERSON_CATEGORIES = ("占道经营", "乱摆摊点", "露天烧烤")
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "占道经营": ("在人行道上摆放货架销售商品", "占用人行道摆放水果摊经营", "在店门前道路摆放桌椅经营"),
    "店外经营": ("在店门外人行道摆放桌椅{n}张经营", "将商品堆放于店门外销售", "在店外设置操作台加工食品"),
    "乱堆乱放": ("在店门外堆放纸箱、杂物", "在人行道堆放建筑材料", "在绿化带旁堆放废旧物品"),
    "乱贴乱画": ("在电线杆、墙面张贴小广告{n}处", "在店外墙面涂写广告", "在公交站亭张贴宣传单"),
    "乱搭乱建": ("在店门前搭建雨棚约{n}平方米", "在屋顶搭建彩钢板房", "擅自在门前搭建遮阳棚"),
    "乱摆摊点": ("在路口流动摆摊销售小吃", "在小区门口摆摊销售蔬菜", "在人行天桥下摆摊"),
    "露天烧烤": ("在店门外露天烧烤食品", "在人行道设置烧烤炉经营", "夜间在路边露天烧烤"),
    "门前三包不落实": ("门前责任区地面垃圾未及时清扫", "门前责任区车辆乱停放未劝阻", "门前污水横流未清理"),
    "招牌安全隐患": ("店招牌固定件松动，存在坠落隐患", "招牌面板破损", "灯箱招牌线路裸露"),
    "垃圾分类不达标": ("厨余垃圾与其他垃圾混投", "未按规定设置分类垃圾桶", "可回收物未分类投放"),
    "无照经营": ("未取得营业执照从事经营活动", "营业执照已注销仍在经营"),
}
VOID_REASONS = ("当事人名称填写错误", "违法事实表述有误，重新签发", "引用条款有误，重新签发")
INSPECTOR_SURNAMES = "王李张刘陈杨赵黄周吴徐孙"
INSPECTOR_GIVEN = ("强", "伟", "敏", "磊", "军", "勇", "杰", "涛", "明", "超", "建华", "志强", "海峰")


@dataclass
class _Officer:
    name: str
    cert: str


@dataclass
class _Plan:
    """One finding and everything that happens to it, built before anything is written."""

    finding: dict[str, Any]
    row: FindingRow
    notices: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)  # index into notices
    rechecks: list[dict[str, Any]] = field(default_factory=list)
    referral: dict[str, Any] | None = None


def _officers(rng: random.Random) -> list[_Officer]:
    names: list[str] = []
    while len(names) < 8:
        name = rng.choice(INSPECTOR_SURNAMES) + rng.choice(INSPECTOR_GIVEN)
        if name not in names:
            names.append(name)
    return [_Officer(n, f"3201{rng.randrange(10**6):06d}") for n in names]


def _businesses(session: Session, rng: random.Random, wanted: int) -> list[Any]:
    """A random sample of trading businesses, found by id so a big ledger is not loaded whole."""
    low, high = session.execute(select(func.min(Business.id), func.max(Business.id))).one()
    if low is None:
        return []
    pool = max(wanted * 3, 50)
    ids = {rng.randint(low, high) for _ in range(pool)}
    found: list[Any] = []
    id_list = sorted(ids)
    for start in range(0, len(id_list), 900):
        found.extend(session.execute(
            select(Business.id, Business.name, Business.operator, Business.address,
                   Business.community_id, Business.grid_id)
            .where(Business.id.in_(id_list[start:start + 900]), Business.active.is_(True),
                   Business.status.in_(("营业", "无照")))))
    found.sort(key=lambda r: r.id)
    return found


def generate_findings(session: Session, rng: random.Random, today: dt.date,
                      progress: Progress | None = None, *, count: int | None = None) -> dict[str, Any]:
    """Findings over the year before `today` in every state, with notices (some voided),
    deliveries, rechecks and referrals, numbered gaplessly; plus the confirmed legal basis."""
    say = progress or (lambda _text: None)
    basis_added = legal.seed_legal_basis(session, user=DEMO_USER, confirmed=True)
    trading = int(session.scalar(select(func.count()).select_from(Business).where(
        Business.active.is_(True))) or 0)
    total = count if count is not None else max(MIN_FINDINGS, min(MAX_FINDINGS, int(trading * PER_BUSINESS)))
    communities = list(session.execute(select(Community.id, Community.name).order_by(Community.id)))
    if total <= 0 or not communities:
        return {"findings": 0, "notices": 0, "legal_basis": basis_added}
    grids: dict[int, list[int]] = {}
    for gid, cid in session.execute(select(Grid.id, Grid.community_id)):
        grids.setdefault(cid, []).append(gid)
    shops = _businesses(session, rng, int(total * 0.8))
    office = get_office(session)
    ctx = _Context(rng, today, _officers(rng), office.name, office.phone, office.address,
                   f"{office.district}城市管理综合行政执法大队",
                   {c: legal.suggested(session, [c]) for c in CATEGORY_WEIGHTS})
    plans = [ctx.plan(shops, communities, grids) for _ in range(total)]
    say(f"已生成巡查问题 {len(plans):,} 条，正在写入…")
    summary = _write(session, plans, say)
    summary["legal_basis"] = basis_added
    return summary


class _Context:
    def __init__(self, rng: random.Random, today: dt.date, officers: list[_Officer],
                 office: str, phone: str, address: str, referral_unit: str,
                 basis: dict[str, list[legal.LegalBasisRow]]) -> None:
        self.rng = rng
        self.start = dt.datetime.combine(today - dt.timedelta(days=365), dt.time())
        # Everything happens before today began, so no record lies in the future.
        self.end = dt.datetime.combine(today, dt.time())
        self.officers = officers
        self.office = {"name": office, "phone": phone, "address": address}
        self.referral_unit = referral_unit
        self.basis = basis
        self.recent: list[Any] = []  # businesses found lately: some are found again

    def _pair(self) -> tuple[_Officer, _Officer]:
        a, b = self.rng.sample(self.officers, 2)
        return a, b

    def _found_at(self) -> dt.datetime:
        rng = self.rng
        day = self.start + dt.timedelta(days=rng.randrange(365))
        return day + dt.timedelta(hours=rng.randint(8, 20), minutes=rng.randrange(0, 60, 5))

    def plan(self, shops: list[Any], communities: list[Any], grids: dict[int, list[int]]) -> _Plan:
        rng = self.rng
        categories = list(CATEGORY_WEIGHTS)
        category = rng.choices(categories, list(CATEGORY_WEIGHTS.values()))[0]
        found_at = self._found_at()
        officers = self._pair()
        description = rng.choice(DESCRIPTIONS[category]).format(n=rng.randint(2, 12))
        shop = None
        if shops and not (category in PERSON_CATEGORIES and rng.random() < 0.6):
            shop = rng.choice(self.recent) if self.recent and rng.random() < 0.12 else rng.choice(shops)
            self.recent = [*self.recent[-40:], shop]
        if shop is not None:
            community_id, grid_id, place = shop.community_id, shop.grid_id, shop.address
            party, person, address = shop.name, "", shop.address
        else:
            community_id = rng.choice(communities).id
            grid_id = rng.choice(grids[community_id]) if grids.get(community_id) else None
            person = rng.choice(INSPECTOR_SURNAMES) + rng.choice(("某", "某某"))
            place = rng.choice(("菜场路口", "地铁站出口", "学校门口", "公园东门", "小区北门")) + "附近"
            party, address = person, place
        finding = {
            "category": category, "found_at": found_at, "place": place,
            "business_id": shop.id if shop else None, "person": person,
            "community_id": community_id, "grid_id": grid_id, "description": description,
            "inspectors": f"{officers[0].name}、{officers[1].name}", "deadline": None,
            "status": "发现", "closed_at": None, "source": rng.choice(("巡查",) * 6 + ("群众举报", "12345热线")),
            "updated_by": DEMO_USER, "version": 1,
        }
        row = FindingRow(0, category, found_at, place, finding["business_id"], party if shop else "",
                         person, community_id, "", grid_id, "", description, finding["inspectors"],
                         None, "发现", None, "巡查", "", 0, 1)
        plan = _Plan(finding, row)
        self._life(plan, party, address, officers)
        return plan

    def _life(self, plan: _Plan, party: str, address: str,
              officers: tuple[_Officer, _Officer]) -> None:
        """Walk the finding through the status machine until it reaches today."""
        rng, f = self.rng, plan.finding
        at = f["found_at"]
        if rng.random() < 0.08:  # corrected on the spot
            f["status"], f["closed_at"] = "销号", at + dt.timedelta(minutes=30)
            return
        if at >= self.end - dt.timedelta(days=10) and rng.random() < 0.3:
            return  # found lately, the notice is still to be written
        for round_no in range(2):
            issued = at + dt.timedelta(minutes=rng.randrange(10, 120, 5))
            order_now = rng.random() < 0.3
            deadline = None if order_now else (issued + dt.timedelta(days=rng.randint(1, 7))).replace(
                hour=18, minute=0)
            if issued + dt.timedelta(minutes=20) >= self.end:
                return
            if rng.random() < 0.02:  # a notice issued in error, voided and issued again
                self._notice(plan, party, address, officers, issued, deadline=deadline, voided=True)
                issued += dt.timedelta(minutes=20)
            self._notice(plan, party, address, officers, issued, deadline=deadline)
            f["status"], f["deadline"] = "已告知", (deadline or issued).date()
            delivered = issued + dt.timedelta(minutes=rng.randrange(5, 60, 5))
            if delivered >= self.end or rng.random() < 0.01:
                return
            self._delivery(plan, party, address, officers, delivered)
            f["status"] = "整改中"
            checked = dt.datetime.combine(f["deadline"], dt.time(9)) + dt.timedelta(
                days=rng.randint(1, 3), hours=rng.randint(0, 8))
            if checked >= self.end or rng.random() < 0.01:  # not rechecked yet: overdue
                return
            passed = rng.random() < (0.85 if round_no == 0 else 0.95)
            self._recheck(plan, officers, checked, passed)
            if passed:
                keep_open = rng.random() < 0.05
                f["status"] = "复查合格" if keep_open else "销号"
                f["closed_at"] = None if keep_open else checked
                return
            f["status"] = "复查不合格"
            roll = rng.random()
            if roll < 0.5:
                referred_on = (checked + dt.timedelta(days=rng.randint(1, 5))).date()
                if referred_on < self.end.date():
                    plan.referral = {"referred_on": referred_on, "receiving_unit": self.referral_unit,
                                     "notes": "复查仍未改正，移交立案查处"}
                    f["status"] = "移交执法"
                    f["closed_at"] = dt.datetime.combine(referred_on, dt.time(10))
                return
            if roll < 0.8:
                at = checked  # a second notice follows
                continue
            return

    def _notice(self, plan: _Plan, party: str, address: str, officers: tuple[_Officer, _Officer],
                issued: dt.datetime, *, deadline: dt.datetime | None = None,
                voided: bool = False) -> None:
        category = plan.finding["category"]
        snapshots = [b.snapshot() for b in self.basis.get(category, [])]
        prior = plan.finding["status"], plan.finding["deadline"]
        plan.notices.append({
            "kind": KIND, "issued_at": issued, "business_id": plan.finding["business_id"],
            "party": party, "party_address": address, "facts": facts_text([plan.row]),
            "legal_basis_text": basis_text(snapshots), "order_kind": "立即" if deadline is None else "限期",
            "deadline": deadline, "correction": CORRECTIONS.get(category, "按要求改正"),
            "officer1": officers[0].name, "officer1_cert": officers[0].cert,
            "officer2": officers[1].name, "officer2_cert": officers[1].cert,
            "body": {"legal_basis": snapshots, "consequences": default_consequences(snapshots)
                     if snapshots else "逾期不改正的，本机关将依法作出行政处罚决定。",
                     "office": self.office,
                     "finding_status_before": {"0": [prior[0], prior[1].isoformat() if prior[1] else None]}},
            "voided_at": issued + dt.timedelta(minutes=15) if voided else None,
            "void_reason": self.rng.choice(VOID_REASONS) if voided else "",
            "_related": len([n for n in plan.notices if n["voided_at"] is None]) > 0,
        })

    def _delivery(self, plan: _Plan, party: str, address: str,
                  officers: tuple[_Officer, _Officer], at: dt.datetime) -> None:
        rng = self.rng
        roll = rng.random()
        method = "直接" if roll < 0.85 else "留置" if roll < 0.95 else "邮寄"
        witness = rng.choice(INSPECTOR_SURNAMES) + "某" if method == "留置" else ""
        remarks = (f"受送达人拒绝签收，送达人将文书留置于{address}，见证人{witness}在场。"
                   if method == "留置" else "")
        plan.deliveries.append({
            "_notice": len(plan.notices) - 1, "method": method, "recipient": party,
            "relation": "本人", "place": address, "delivered_at": at, "refused": method == "留置",
            "witness": witness, "deliverer": f"{officers[0].name}、{officers[1].name}",
            "remarks": remarks,
        })

    def _recheck(self, plan: _Plan, officers: tuple[_Officer, _Officer], at: dt.datetime,
                 passed: bool) -> None:
        plan.rechecks.append({
            "_notice": len(plan.notices) - 1, "checked_at": at, "passed": passed,
            "opinion": "经复查，当事人已按要求完成整改，予以销号。" if passed
            else "经复查，当事人未按要求完成整改。",
            "officers": f"{officers[0].name}、{officers[1].name}",
            "officer1": officers[0].name, "officer1_cert": officers[0].cert,
            "officer2": officers[1].name, "officer2_cert": officers[1].cert,
        })


def _numbers(session: Session, kind: str, stamped: list[tuple[dt.datetime, dict[str, Any]]]) -> None:
    """Give each record the next number of its year, in time order, after any already used."""
    stamped.sort(key=lambda item: item[0])
    last: dict[int, int] = {year: n for year, n in session.execute(
        select(NumberSequence.year, NumberSequence.last).where(NumberSequence.kind == kind))}
    pattern = number_pattern(session, kind)
    for moment, record in stamped:
        seq = last.get(moment.year, 0) + 1
        last[moment.year] = seq
        record["number"] = format_number(pattern, moment.year, seq)
        if kind == KIND:
            record["year"], record["seq"] = moment.year, seq
    for year, n in last.items():
        row = session.get(NumberSequence, (kind, year))
        if row is None:
            session.add(NumberSequence(kind=kind, year=year, last=n))
        else:
            row.last = n
    session.flush()


def _write(session: Session, plans: list[_Plan], say: Progress) -> dict[str, Any]:
    _numbers(session, KIND, [(n["issued_at"], n) for p in plans for n in p.notices])
    _numbers(session, RECHECK_KIND, [(r["checked_at"], r) for p in plans for r in p.rechecks])
    finding_ids = insert_returning_ids(session, Finding, [p.finding for p in plans], CHUNK)
    say(f"已写入巡查问题 {len(finding_ids):,} 条")
    notice_ids: dict[tuple[int, int], int] = {}
    # Issued notices are frozen, so a second notice's link to the first is known before its
    # insert: first-round notices go in first, second-round ones after.
    for second_round in (False, True):
        keys: list[tuple[int, int]] = []
        rows: list[dict[str, Any]] = []
        for i, (plan, finding_id) in enumerate(zip(plans, finding_ids, strict=True)):
            for j, n in enumerate(plan.notices):
                if n["_related"] != second_round:
                    continue
                row = {k: v for k, v in n.items() if not k.startswith("_")}
                body = dict(row["body"])
                body["finding_status_before"] = {str(finding_id): body["finding_status_before"]["0"]}
                row["body"] = body
                if second_round:
                    row["related_notice_id"] = max(
                        notice_ids[(i, k)] for k, m in enumerate(plan.notices[:j])
                        if m["voided_at"] is None)
                keys.append((i, j))
                rows.append(row)
        notice_ids.update(zip(keys, insert_returning_ids(session, Notice, rows, CHUNK), strict=True))
    links, deliveries, rechecks, referrals = [], [], [], []
    for i, (plan, finding_id) in enumerate(zip(plans, finding_ids, strict=True)):
        for j in range(len(plan.notices)):
            links.append({"notice_id": notice_ids[(i, j)], "finding_id": finding_id})
        for d in plan.deliveries:
            deliveries.append({**{k: v for k, v in d.items() if k != "_notice"},
                               "notice_id": notice_ids[(i, d["_notice"])]})
        for r in plan.rechecks:
            rechecks.append({**{k: v for k, v in r.items() if k != "_notice"},
                             "notice_id": notice_ids[(i, r["_notice"])], "finding_id": finding_id})
        if plan.referral:
            referrals.append({**plan.referral, "finding_id": finding_id})
    for model, batch in ((NoticeFinding, links), (Delivery, deliveries), (Recheck, rechecks),
                         (Referral, referrals)):
        insert_rows(session, model, batch, CHUNK)
    say(f"已写入通知书 {len(notice_ids):,} 份、复查 {len(rechecks):,} 次、移交 {len(referrals):,} 件")
    states: dict[str, int] = {}
    for p in plans:
        states[p.finding["status"]] = states.get(p.finding["status"], 0) + 1
    notices = [n for p in plans for n in p.notices]
    return {"findings": len(plans), "notices": len(notices),
            "voided_notices": sum(1 for n in notices if n["voided_at"]),
            "deliveries": len(deliveries), "rechecks": len(rechecks), "referrals": len(referrals),
            "finding_states": states}
