"""Demo 户外广告/招牌 permits in every state, with their events, documents and safety checks."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.models import (
    Business,
    Finding,
    Notice,
    NumberSequence,
    PermitEvent,
    SignPermit,
    SignSafetyCheck,
)

from .demo_bulk import insert_returning_ids, insert_rows
from .domain import legal
from .domain import permits as P
from .domain.agreements import add_months
from .domain.notices import basis_text
from .domain.office import format_number, get_office, number_pattern

Progress = Callable[[str], None]

DEMO_USER = "演示数据"
HEAD = "张建华"  # the head of section who signs the decisions
CHUNK = 2_000
PER_BUSINESS = 0.06
MIN_PERMITS = 40
MAX_PERMITS = 12_000
# Target state → weight; "lapsed" is 已设置 past its end date, "expiring" ends within 60 days.
STATE_WEIGHTS = {
    P.APPLIED: 5, P.ACCEPTED: 4, P.NOT_ACCEPTED: 2, P.SURVEYED: 4, P.APPROVED: 6, P.REFUSED: 4,
    P.INSTALLED: 44, "expiring": 7, "lapsed": 3, P.EXPIRED: 7, P.REMOVED: 8,
}
SIZES = {  # sign type → (width range, height range, protrusion range), metres
    "店招": ((3.0, 12.0), (0.8, 1.6), (0.0, 0.5)),
    "广告牌": ((2.0, 6.0), (1.5, 3.5), (0.0, 0.6)),
    "灯箱": ((0.6, 1.2), (0.8, 2.0), (0.4, 1.1)),
    "LED屏": ((2.0, 5.0), (1.0, 3.0), (0.0, 0.4)),
    "条幅": ((5.0, 12.0), (0.6, 1.0), (0.0, 0.0)),
    "墙体广告": ((3.0, 8.0), (2.0, 3.5), (0.0, 0.0)),
}
TYPE_WEIGHTS = {"店招": 70, "灯箱": 10, "广告牌": 6, "LED屏": 5, "条幅": 4, "墙体广告": 5}
LIGHTING_OF = {"店招": ("无", "内置光源", "外置光源"), "灯箱": ("内置光源",), "广告牌": ("无", "外置光源"),
               "LED屏": ("LED显示屏",), "条幅": ("无",), "墙体广告": ("无", "外置光源")}
MATERIALS_OF = {"店招": ("铝塑板", "不锈钢字", "亚克力发光字", "镀锌钢板", "防腐木"),
                "灯箱": ("亚克力面板", "铝型材边框灯箱"), "广告牌": ("镀锌钢架喷绘布", "铝塑板"),
                "LED屏": ("LED模组、钢结构框架",), "条幅": ("喷绘布", "布"), "墙体广告": ("外墙涂料", "喷绘布")}
POSITIONS = ("临街正立面一层门头上方", "一层门头上方", "二层窗间墙", "侧立面一层", "临街转角处门头",
             "一层门楣")
NOT_ACCEPTED_REASONS = ("申请材料不全，未提交设计效果图和房屋产权证明，经告知后未补正",
                        "申请设置地点不在本街道辖区，不属于本机关受理范围")
REFUSAL_REASONS = (
    "申请设置的招牌面积{area}平方米，超过本街道规定的上限，且与建筑立面不协调",
    "申请设置的招牌外挑{protrusion}米，超过本街道规定的上限，影响人行道通行安全",
)
REMOVAL_NOTES = {"违法设置": "擅自加大招牌尺寸，经责令改正后拆除", "安全隐患": "台风后固定件严重松动，当事人自行拆除",
                 "店铺关闭": "店铺已停业转让", "到期": "许可期满未续办，已自行拆除"}
EXEMPTIONS = ("临街两面均为店面，经现场勘验同意增设", "连锁门店统一形象，经科室会商同意")
INSPECTORS = ("王强", "李伟", "张敏", "刘磊", "陈军", "杨涛", "赵明", "黄超")
CHECK_FAIL_NOTES = ("固定螺栓松动", "面板边角破损", "支架锈蚀严重", "灯箱线路裸露")


@dataclass
class _Plan:
    business: Any
    values: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))


class _Builder:
    def __init__(self, session: Session, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        office = get_office(session)
        self.max_area = office.sign_max_area_m2
        self.max_protrusion = office.sign_max_protrusion_m
        self.office = P.office_snapshot(session)
        self.basis = [b.snapshot() for b in legal.suggested(session, ["招牌安全隐患"])]
        self.types, self.type_w = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
        self.states, self.state_w = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())

    def _sign(self, b: Any, oversize: str) -> dict[str, Any]:
        rng = self.rng
        kind = rng.choices(self.types, self.type_w)[0]
        (w0, w1), (h0, h1), (p0, p1) = SIZES[kind]
        width, height = round(rng.uniform(w0, w1), 1), round(rng.uniform(h0, h1), 1)
        protrusion = round(rng.uniform(p0, p1), 2)
        if oversize == "area":
            width, height = round(self.max_area / 3 + rng.uniform(2, 6), 1), 3.5
        elif oversize == "protrusion":
            protrusion = round(self.max_protrusion + rng.uniform(0.2, 0.8), 2)
        while width * height > self.max_area and not oversize:
            width = round(width * 0.8, 1)
        return {"sign_type": kind, "location": b.address, "facade_position": rng.choice(POSITIONS),
                "width_m": width, "height_m": height, "protrusion_m": protrusion,
                "material": rng.choice(MATERIALS_OF[kind]), "lighting": rng.choice(LIGHTING_OF[kind]),
                "install_height_m": round(rng.uniform(2.5, 4.5), 1)}

    def plan(self, b: Any, state: str, exemption: str = "") -> _Plan:
        rng, today = self.rng, self.today
        term = rng.choices((36, 24, 12), (80, 12, 8))[0]
        decided: dt.date | None = None
        if state in ("expiring", "lapsed", P.EXPIRED):
            end = (today + dt.timedelta(days=rng.randint(0, 60)) if state == "expiring"
                   else today - dt.timedelta(days=rng.randint(1, 45) if state == "lapsed"
                                             else rng.randint(30, 300)))
            decided = add_months(end + dt.timedelta(days=1), -term)
        elif state in (P.INSTALLED, P.REMOVED):
            decided = today - dt.timedelta(days=rng.randint(40, max(41, term * 30 - 80)))
            if state == P.REMOVED:
                decided = today - dt.timedelta(days=rng.randint(200, 1200))
        elif state in (P.APPROVED, P.REFUSED):
            decided = today - dt.timedelta(days=rng.randint(1, 25 if state == P.APPROVED else 600))
        if decided is not None:
            surveyed = decided - dt.timedelta(days=rng.randint(1, 6))
            accepted = surveyed - dt.timedelta(days=rng.randint(1, 5))
            applied = accepted - dt.timedelta(days=rng.randint(1, 3))
        else:
            applied = today - dt.timedelta(days=rng.randint(0, 30 if state != P.NOT_ACCEPTED else 500))
            accepted = min(today, applied + dt.timedelta(days=rng.randint(1, 3)))
            surveyed = min(today, accepted + dt.timedelta(days=rng.randint(1, 5)))
        oversize = rng.choice(("area", "protrusion")) if state == P.REFUSED else ""
        values = {"business_id": b.id, "term_months": term, "applied_date": applied,
                  "status": state if state in P.STATUSES else P.INSTALLED,
                  "exemption_reason": exemption, **self._sign(b, oversize)}
        plan = _Plan(b, values)
        self._event(plan, P.STEP_APPLY, _at(applied, rng), DEMO_USER,
                    f"申请设置{values['sign_type']}：{values['location']}（{values['facade_position']}）")
        if state == P.APPLIED:
            return plan
        if state == P.NOT_ACCEPTED:
            reason = rng.choice(NOT_ACCEPTED_REASONS)
            values["decision_reason"] = reason
            self._event(plan, P.STEP_NOT_ACCEPT, _at(accepted, rng), DEMO_USER, f"不予受理：{reason}")
            return plan
        self._document(plan, P.ACCEPTANCE_KIND, accepted, {"accepted_on": accepted.isoformat()},
                       f"招牌设置申请 {'{application}'}")
        self._event(plan, P.STEP_ACCEPT, _at(accepted, rng), DEMO_USER, "予以受理，受理通知书 {acceptance}")
        if state == P.ACCEPTED:
            return plan
        team = "、".join(rng.sample(INSPECTORS, 2))
        self._event(plan, P.STEP_SURVEY, _at(surveyed, rng), team,
                    "现场与申请相符，墙体结构牢固，设置位置不影响通行和消防" if state != P.REFUSED
                    else "现场核对申请内容，测量尺寸与申请一致")
        if state == P.SURVEYED:
            return plan
        assert decided is not None
        common = {"decided_on": decided.isoformat(), "accepted_on": accepted.isoformat(),
                  "surveyed_on": surveyed.isoformat()}
        if state == P.REFUSED:
            reason = REFUSAL_REASONS[oversize == "protrusion"].format(
                area=P.metres(P.area_of(values["width_m"], values["height_m"])),
                protrusion=P.metres(values["protrusion_m"]))
            values.update(decision_reason=reason, legal_basis_text=basis_text(self.basis))
            self._document(plan, P.DECISION_KIND, decided,
                           {"decision": P.REFUSED, "reason": reason, "legal_basis": self.basis,
                            **common}, reason, basis_text(self.basis))
            self._event(plan, P.STEP_REFUSE, _at(decided, rng), HEAD,
                        f"不予许可（科长审批），不予许可决定书 {'{decision}'}：{reason}")
            return plan
        start, end = decided, P.end_of_term(decided, term)
        values.update(start_date=start, end_date=end, conditions=P.DEFAULT_CONDITIONS)
        self._document(plan, P.DECISION_KIND, decided,
                       {"decision": P.APPROVED, "term_months": term, "start_date": start.isoformat(),
                        "end_date": end.isoformat(), "conditions": P.DEFAULT_CONDITIONS,
                        "supervision": P.SUPERVISION, "legal_basis": [], **common},
                       f"准予设置{values['sign_type']}")
        self._event(plan, P.STEP_APPROVE, _at(decided, rng), HEAD,
                    f"准予许可（科长审批），准予许可决定书 {'{decision}'}，期限{start}至{end}")
        if state == P.APPROVED:
            return plan
        installed = min(today, decided + dt.timedelta(days=rng.randint(5, 30)), end)
        self._event(plan, P.STEP_INSTALL, _at(installed, rng), rng.choice(INSPECTORS),
                    "经现场验收，招牌按许可内容设置。")
        last_day = today
        if state == P.REMOVED:
            removed = min(today, installed + dt.timedelta(days=rng.randint(60, 1100)))
            reason = "到期" if removed > end else rng.choice(("违法设置", "安全隐患", "店铺关闭"))
            values["removal_reason"] = reason
            last_day = removed
        elif state == P.EXPIRED:
            last_day = min(today, end + dt.timedelta(days=rng.randint(1, 20)))
        self._checks(plan, installed, last_day, fail_last=state in (P.INSTALLED, "expiring")
                     and rng.random() < 0.12)
        if state == P.EXPIRED:
            self._event(plan, P.STEP_EXPIRE, _at(last_day, rng), DEMO_USER, f"许可期限已于{end}届满")
        if state == P.REMOVED:
            note = REMOVAL_NOTES[values["removal_reason"]]
            self._event(plan, P.STEP_REMOVE, _at(last_day, rng), DEMO_USER,
                        f"拆除原因：{values['removal_reason']}；{note}")
        return plan

    def _checks(self, plan: _Plan, installed: dt.date, last: dt.date, fail_last: bool) -> None:
        rng = self.rng
        day = installed + dt.timedelta(days=rng.randint(150, 250))
        days: list[dt.date] = []
        while day < last:
            days.append(day)
            day += dt.timedelta(days=rng.randint(150, 250))
        for n, day in enumerate(days):
            failed = fail_last and n == len(days) - 1
            hazards = rng.sample(P.HAZARDS, rng.randint(1, 2)) if failed else []
            notes = rng.choice(CHECK_FAIL_NOTES) if failed else ""
            inspector = rng.choice(INSPECTORS)
            plan.checks.append({"check_date": day, "passed": not failed, "hazards": hazards,
                                "notes": notes, "inspector": inspector})
            result = "合格" if not failed else f"不合格（{'、'.join(hazards)}）"
            if failed:
                b, v = plan.business, plan.values
                plan.findings.append({
                    "category": "招牌安全隐患", "found_at": _at(day, rng),
                    "place": f"{v['location']}（{v['facade_position']}）"[:200], "business_id": b.id,
                    "person": "", "community_id": b.community_id, "grid_id": b.grid_id,
                    "description": f"招牌（{v['sign_type']}）安全检查不合格：发现{'、'.join(hazards)}"
                                   f"隐患；{notes}",
                    "inspectors": inspector, "status": "发现", "source": "巡查", "version": 1,
                    "updated_by": DEMO_USER})
                result += "；已登记巡查问题（招牌安全隐患，第{finding}号）"
            self._event(plan, P.STEP_CHECK, _at(day, rng), inspector, result)

    def _event(self, plan: _Plan, step: str, at: dt.datetime, by: str, notes: str) -> None:
        plan.events.append({"step": step, "at": min(at, dt.datetime.combine(
            self.today, dt.time())), "by": by, "notes": notes})

    def _document(self, plan: _Plan, kind: str, day: dt.date, details: dict[str, Any],
                  facts: str, legal_text: str = "") -> None:
        b, v = plan.business, plan.values
        plan.documents.append({
            "kind": kind, "issued_at": _at(day, self.rng), "business_id": b.id, "party": b.name,
            "party_address": b.address, "facts": facts, "legal_basis_text": legal_text,
            "_body": (P.applicant_snapshot(b.name, b.credit_code, b.operator, b.phone, b.address),
                      P.sign_snapshot(v), self.office, details)})


def _shops(session: Session, rng: random.Random, wanted: int) -> list[Any]:
    ids = list(session.scalars(select(Business.id).where(
        Business.active.is_(True), Business.status.in_(("营业", "无照"))).order_by(Business.id)))
    chosen = sorted(rng.sample(ids, min(wanted, len(ids))))
    found: list[Any] = []
    for start in range(0, len(chosen), 900):
        found.extend(session.execute(
            select(Business.id, Business.name, Business.credit_code, Business.operator,
                   Business.phone, Business.address, Business.community_id, Business.grid_id)
            .where(Business.id.in_(chosen[start:start + 900]))))
    found.sort(key=lambda r: r.id)
    return found


def _number(session: Session, kind: str, dated: list[tuple[dt.datetime, dict[str, Any]]],
            key: str = "number") -> None:
    """Gapless numbers per year in time order; the sequences continue from them."""
    pattern = number_pattern(session, kind)
    last: dict[int, int] = {}
    for moment, record in sorted(dated, key=lambda item: item[0]):
        seq = last.get(moment.year, 0) + 1
        last[moment.year] = seq
        record[key] = format_number(pattern, moment.year, seq)
        record["_year_seq"] = (moment.year, seq)
    for year, n in last.items():
        session.execute(insert(NumberSequence).values(kind=kind, year=year, last=n))


def generate_permits(session: Session, rng: random.Random, today: dt.date,
                     progress: Progress | None = None, *, count: int | None = None) -> dict[str, Any]:
    """Permits in every state with their events, documents, checks and the findings of
    failed checks; a few shops hold a second sign under a recorded exemption."""
    say = progress or (lambda _text: None)
    trading = int(session.scalar(select(func.count()).select_from(Business).where(
        Business.active.is_(True))) or 0)
    total = count if count is not None else max(MIN_PERMITS, min(MAX_PERMITS, int(trading * PER_BUSINESS)))
    builder = _Builder(session, rng, today)
    shops = _shops(session, rng, total)
    plans: list[_Plan] = []
    for n, shop in enumerate(shops):
        # The first states in turn, so even a small demo has every one; then by weight.
        state = builder.states[n] if n < len(builder.states) else rng.choices(
            builder.states, builder.state_w)[0]
        plans.append(builder.plan(shop, state))
        if state in (P.INSTALLED, "expiring") and rng.random() < 0.04:
            plans.append(builder.plan(shop, P.INSTALLED, rng.choice(EXEMPTIONS)))
    _write(session, plans)
    states: dict[str, int] = {}
    for plan in plans:
        states[plan.values["status"]] = states.get(plan.values["status"], 0) + 1
    say(f"已生成招牌设置许可 {len(plans):,} 件")
    return {"permits": len(plans), "permit_states": states,
            "sign_checks": sum(len(p.checks) for p in plans),
            "sign_findings": sum(len(p.findings) for p in plans)}


def _write(session: Session, plans: list[_Plan]) -> None:
    _number(session, P.APPLICATION_KIND, [(p.events[0]["at"], p.values) for p in plans])
    documents = [(d["issued_at"], d) for p in plans for d in p.documents]
    for kind in P.DOCUMENT_KINDS:
        _number(session, kind, [(at, d) for at, d in documents if d["kind"] == kind])
    for p in plans:
        del p.values["_year_seq"]
        for d in p.documents:
            if d["kind"] == P.DECISION_KIND:
                p.values["decision_number"] = d["number"]
    base = {"version": 1, "updated_by": DEMO_USER}
    ids = insert_returning_ids(session, SignPermit, [{**base, **p.values} for p in plans], CHUNK)
    # Findings of failed checks come in the same order as the check events that name them.
    finding_ids = iter(insert_returning_ids(session, Finding, [f for p in plans for f in p.findings],
                                            CHUNK))
    notices: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    for p, permit_id in zip(plans, ids, strict=True):
        application = p.values["number"]
        numbers = {d["kind"]: d["number"] for d in p.documents}
        for d in p.documents:
            applicant, sign, office, details = d.pop("_body")
            year, seq = d.pop("_year_seq")
            notices.append({**d, "year": year, "seq": seq,
                            "facts": d["facts"].replace("{application}", application),
                            "body": P.document_body(permit_id, application,
                                                    p.values["applied_date"], applicant, sign,
                                                    office, **details)})
        for e in p.events:
            notes = e["notes"].replace("{acceptance}", numbers.get(P.ACCEPTANCE_KIND, ""))
            notes = notes.replace("{decision}", numbers.get(P.DECISION_KIND, ""))
            if "{finding}" in notes:
                notes = notes.replace("{finding}", str(next(finding_ids)))
            events.append({**e, "notes": notes, "permit_id": permit_id})
        checks.extend({**c, "permit_id": permit_id} for c in p.checks)
    for model, batch in ((Notice, notices), (PermitEvent, events), (SignSafetyCheck, checks)):
        insert_rows(session, model, batch, CHUNK)
