"""A hand-made March 2026 for the district exports, with every expected figure worked out.

东湖社区: 老王火锅店 (signed, valid), 重庆小面馆 (never signed).
西岭社区: 鑫源五金店 (signed, runs out 2026-04-15: expiring), 川味火锅城 (signed, valid),
          好又多便利店 (停业: need not sign).
Findings found in March: 东湖 f1 open past its deadline, f2 rechecked and closed, f5 whose
notice was voided; 西岭 f3 failed its recheck and was referred. 西岭 f4 was found in
February and is still open past its deadline (overdue, but not found this period).
No sign permits and no sorting checks: those figures must be real zeros.
"""

from __future__ import annotations

import datetime as dt

from db.engine import Database
from desktop.domain import agreements as A
from desktop.domain import businesses as B
from desktop.domain import findings as F
from desktop.domain import legal as L
from desktop.domain import notices as N
from desktop.domain.stats import Period
from tests.factories import Ledger, make_ledger

D = dt.date
T = dt.datetime
PERIOD = Period.parse("2026-03")
TODAY = D(2026, 4, 2)  # the report is made after the month: figures as at 2026-03-31
OFFICERS = {"officer1": "张三", "officer1_cert": "32010001",
            "officer2": "李四", "officer2_cert": "32010002"}


def _agreement(s, business_id: int, start: D, end: D | None = None) -> None:
    draft = A.create_draft(s, A.AgreementInput(
        business_id=business_id, area_text="店门前人行道至路缘石", frontage_length_m=8.5,
        area_m2=30, duties=["sanitation", "appearance", "order"], start_date=start,
        end_date=end, office_signatory="张科长", business_signatory="店主"), user="clerk")
    A.sign(s, draft.id, draft.version, start, user="clerk", today=TODAY)


def _finding(db: Database, ledger: Ledger, shop: str, at: T, deadline: D | None) -> int:
    with db.transaction() as s:
        row = F.record_finding(s, F.FindingInput(
            category="店外经营", found_at=at, business_id=ledger.businesses[shop],
            description="在店门外人行道摆放桌椅经营", inspectors="张三、李四", deadline=deadline),
            user="inspector", now=at + dt.timedelta(minutes=5))
    return row.id


def _notice(db: Database, finding_id: int, now: T) -> N.NoticeRow:
    with db.transaction() as s:
        data = N.draft_notice(s, [finding_id], now=now)
        data.__dict__.update(OFFICERS)
        return N.issue_notice(s, data, user="clerk", now=now)


def _recheck(db: Database, finding_id: int, passed: bool, at: T) -> None:
    with db.transaction() as s:
        version = F.get(s, finding_id).version
        N.record_recheck(s, finding_id, version, N.RecheckInput(checked_at=at, passed=passed,
                                                                **OFFICERS), user="inspector", now=at)


def build(db: Database) -> Ledger:
    ledger = make_ledger(db)
    shops = ledger.businesses
    with db.transaction() as s:
        L.seed_legal_basis(s, confirmed=True)
        row = B.get(s, shops["好又多便利店"])
        data = row.as_input()
        data.status = "停业"
        B.update(s, row.id, row.version, data, user="clerk")
        _agreement(s, shops["老王火锅店"], D(2026, 1, 1))
        _agreement(s, shops["鑫源五金店"], D(2025, 4, 16), D(2026, 4, 15))
        _agreement(s, shops["川味火锅城"], D(2026, 2, 1))
    f1 = _finding(db, ledger, "老王火锅店", T(2026, 3, 5, 9), D(2026, 3, 10))
    f2 = _finding(db, ledger, "重庆小面馆", T(2026, 3, 6, 9), None)
    _notice(db, f2, T(2026, 3, 6, 10))
    _recheck(db, f2, True, T(2026, 3, 20, 10))
    f3 = _finding(db, ledger, "鑫源五金店", T(2026, 3, 7, 9), None)
    _notice(db, f3, T(2026, 3, 7, 10))
    _recheck(db, f3, False, T(2026, 3, 21, 10))
    with db.transaction() as s:
        version = F.get(s, f3).version
        F.refer(s, f3, version, referred_on=D(2026, 3, 25), receiving_unit="区综合行政执法局",
                user="clerk", now=T(2026, 3, 25, 9))
    f5 = _finding(db, ledger, "老王火锅店", T(2026, 3, 8, 9), D(2026, 4, 30))
    voided = _notice(db, f5, T(2026, 3, 8, 10))
    with db.transaction() as s:
        N.void_notice(s, voided.id, "当事人名称写错", user="clerk", now=T(2026, 3, 9, 9))
    _finding(db, ledger, "川味火锅城", T(2026, 2, 20, 9), D(2026, 3, 1))
    assert f1
    return ledger


ZERO_PERMITS = {"招牌许可.申请": 0, "招牌许可.准予": 0, "招牌许可.不予许可": 0, "招牌许可.有效": 0,
                "招牌许可.即将到期": 0}
ZERO_SORTING = {"垃圾分类.检查": 0, "垃圾分类.合格": 0, "垃圾分类.不合格": 0, "垃圾分类.合格率": 0.0}

EXPECTED: dict[str, dict[str, int | float]] = {
    "东湖社区": {
        "商户数": 2, "门前三包.应签": 2, "门前三包.已签": 1, "门前三包.签约率": 0.5,
        "门前三包.即将到期": 0, "门前三包.未签": 1, **ZERO_PERMITS, **ZERO_SORTING,
        "巡查.发现": 3, "巡查.已整改": 1, "巡查.逾期": 1, "巡查.移交执法": 0,
        "通知书.签发": 2, "通知书.作废": 1,
    },
    "西岭社区": {
        "商户数": 3, "门前三包.应签": 2, "门前三包.已签": 2, "门前三包.签约率": 1.0,
        "门前三包.即将到期": 1, "门前三包.未签": 0, **ZERO_PERMITS, **ZERO_SORTING,
        "巡查.发现": 1, "巡查.已整改": 0, "巡查.逾期": 1, "巡查.移交执法": 1,
        "通知书.签发": 1, "通知书.作废": 0,
    },
    "全街道": {
        "商户数": 5, "门前三包.应签": 4, "门前三包.已签": 3, "门前三包.签约率": 0.75,
        "门前三包.即将到期": 1, "门前三包.未签": 1, **ZERO_PERMITS, **ZERO_SORTING,
        "巡查.发现": 4, "巡查.已整改": 1, "巡查.逾期": 2, "巡查.移交执法": 1,
        "通知书.签发": 3, "通知书.作废": 1,
    },
}
