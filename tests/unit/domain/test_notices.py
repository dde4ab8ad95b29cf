"""责令改正通知书: issuing with a number, refusals, frozen after issue, voiding, delivery, recheck."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Notice, NumberSequence
from desktop.domain import findings as F
from desktop.domain import legal as L
from desktop.domain import notices as N
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.stats import Period, community_stats
from desktop.listing import LIST_KINDS
from tests.factories import Ledger, make_ledger

NOW = dt.datetime(2026, 3, 5, 10, 0)
OFFICERS = {"officer1": "张三", "officer1_cert": "32010001",
            "officer2": "李四", "officer2_cert": "32010002"}


def setup_ledger(db) -> Ledger:
    """The test ledger with the shipped legal basis, confirmed."""
    ledger = make_ledger(db)
    with db.transaction() as s:
        L.seed_legal_basis(s, confirmed=True)
    return ledger


def new_finding(db, ledger: Ledger, shop: str | None = "老王火锅店", category: str = "店外经营",
                at: dt.datetime = NOW, **kw) -> F.FindingRow:
    data = F.FindingInput(category=category, found_at=at,
                          business_id=ledger.businesses[shop] if shop else None,
                          description="在店门外人行道摆放桌椅4张经营", inspectors="张三、李四")
    data.__dict__.update(kw)
    with db.transaction() as s:
        return F.record_finding(s, data, user="inspector", now=at + dt.timedelta(minutes=5))


def issue(db, ids: list[int], now: dt.datetime = NOW + dt.timedelta(hours=1),
          **changes) -> N.NoticeRow:
    with db.transaction() as s:
        data = N.draft_notice(s, ids, now=now)
        data.__dict__.update({**OFFICERS, **changes})
        return N.issue_notice(s, data, user="clerk", now=now)


def recheck(db, finding_id: int, passed: bool, at: dt.datetime, **kw) -> N.RecheckRow:
    with db.transaction() as s:
        version = F.get(s, finding_id).version
        data = N.RecheckInput(checked_at=at, passed=passed, **OFFICERS)
        data.__dict__.update(kw)
        return N.record_recheck(s, finding_id, version, data, user="inspector", now=at)


def _sequence(db, kind: str = "notice") -> int:
    with db.session() as s:
        return int(s.scalar(select(func.coalesce(func.max(NumberSequence.last), 0))
                            .where(NumberSequence.kind == kind)) or 0)


def test_issue_numbers_snapshots_and_tells_the_findings(any_db):
    ledger = setup_ledger(any_db)
    first = new_finding(any_db, ledger)
    second = new_finding(any_db, ledger, category="乱堆乱放", description="在店门外堆放纸箱")
    notice = issue(any_db, [first.id, second.id])
    assert notice.number == "X城管责改〔2026〕第0001号"
    assert notice.party == "老王火锅店" and notice.business == "老王火锅店"
    assert notice.community == "东湖社区" and notice.finding_ids == [first.id, second.id]
    assert notice.order_kind == "限期" and notice.deadline == dt.datetime(2026, 3, 8, 18, 0)
    assert "（一）" in notice.facts and "（二）" in notice.facts
    assert "第十四条" in notice.legal_basis_text and notice.legal_basis[0]["penalty_article"]
    assert notice.consequences.startswith("逾期不改正的")
    assert notice.office_name == "X街道办事处"
    with any_db.session() as s:
        for f in (first, second):
            row = F.get(s, f.id)
            assert row.status == "已告知" and row.deadline == dt.date(2026, 3, 8)
            assert row.notice == notice.number
    # 立即改正: no deadline on the notice; the finding is due the same day.
    third = new_finding(any_db, ledger, shop="重庆小面馆")
    at_once = issue(any_db, [third.id], order_kind="立即")
    assert at_once.number.endswith("第0002号") and at_once.deadline is None
    with any_db.session() as s:
        assert F.get(s, third.id).deadline == (NOW + dt.timedelta(hours=1)).date()


def test_bad_notices_are_refused_and_leave_nothing(db):
    ledger = setup_ledger(db)
    finding = new_finding(db, ledger)
    cases = [
        ({"officer2": "", "officer2_cert": ""}, "officer2", "两名执法人员"),
        ({"officer2": "张三", "officer2_cert": "32010009"}, "officer2", "同一人"),
        ({"officer2_cert": "32010001"}, "officer2_cert", "不能相同"),
        ({"party": "  "}, "party", "当事人"),
        ({"deadline": NOW - dt.timedelta(days=1)}, "deadline", "已过"),
        ({"deadline": None}, "deadline", "改正期限"),
        ({"order_kind": "明天"}, "order_kind", "立即改正"),
        ({"legal_basis_ids": []}, "legal_basis_ids", "至少一条"),
        ({"correction": ""}, "correction", "改正内容"),
        ({"finding_ids": []}, "finding_ids", "问题"),
    ]
    for changes, field, words in cases:
        with pytest.raises(ValidationError) as err:
            issue(db, [finding.id], **changes)
        assert words in err.value.fields[field], (changes, err.value.fields)
    # An unconfirmed entry cannot be cited.
    with db.transaction() as s:
        basis = L.create(s, L.LegalBasisInput(law="某市市容条例", article="第九条", text="……",
                                              categories=["店外经营"]))
    with pytest.raises(ValidationError) as err:
        issue(db, [finding.id], legal_basis_ids=[basis.id])
    assert "尚未经管理员确认" in err.value.fields["legal_basis_ids"]
    # Nothing was saved: no notice, no number used, the finding untouched.
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Notice)) == 0
        assert F.get(s, finding.id).status == "发现"
    assert _sequence(db) == 0
    assert issue(db, [finding.id]).number.endswith("第0001号")
    # A finding already told cannot get a second notice while the first stands.
    with pytest.raises(ValidationError) as err:
        issue(db, [finding.id])
    assert "已告知" in err.value.fields["finding_ids"]


def test_an_issued_notice_is_frozen_in_the_service(db):
    ledger = setup_ledger(db)
    notice = issue(db, [new_finding(db, ledger).id])
    with pytest.raises(N.FrozenNoticeError, match="不能修改"), db.transaction() as s:
        N.edit_notice(s, notice.id, party="别人")
    with pytest.raises(N.FrozenNoticeError), db.transaction() as s:
        N.delete_notice(s, notice.id)
    # Even code that reaches the row directly is stopped before the database is asked.
    with pytest.raises(N.FrozenNoticeError, match="不能修改"), db.transaction() as s:
        s.get(Notice, notice.id).correction = "改了"
    with pytest.raises(N.FrozenNoticeError), db.transaction() as s:
        s.delete(s.get(Notice, notice.id))
    with db.session() as s:
        assert N.get(s, notice.id) == notice


def test_void_keeps_the_number_and_puts_the_findings_back(db):
    ledger = setup_ledger(db)
    finding = new_finding(db, ledger)
    notice = issue(db, [finding.id])
    with pytest.raises(ValidationError, match="作废原因"), db.transaction() as s:
        N.void_notice(s, notice.id, " ")
    with db.transaction() as s:
        voided = N.void_notice(s, notice.id, "当事人名称填写错误", user="clerk",
                               now=NOW + dt.timedelta(hours=2))
    assert voided.status == "voided" and voided.status_label == "已作废"
    assert voided.void_reason == "当事人名称填写错误"
    with db.session() as s:
        row = F.get(s, finding.id)
        assert row.status == "发现" and row.deadline is None and row.notice == ""
    with pytest.raises(DomainError, match="已于"), db.transaction() as s:
        N.void_notice(s, notice.id, "再作废一次")
    with pytest.raises(N.FrozenNoticeError, match="不能恢复"), db.transaction() as s:
        s.get(Notice, notice.id).voided_at = None
    # The number stays used: the next notice takes the one after it.
    again = issue(db, [finding.id], now=NOW + dt.timedelta(hours=3))
    assert again.number.endswith("第0002号")
    with db.session() as s:
        listed = LIST_KINDS["notices"](s, "voided", 10, False)
        assert listed["total"] == 1 and listed["rows"][0]["number"] == notice.number
        assert LIST_KINDS["notices"](s, "有效", 10, False)["rows"][0]["number"] == again.number
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "notice", AuditEntry.action == "void")) == 1


def test_delivery_rules_and_rectification(db):
    ledger = setup_ledger(db)
    finding = new_finding(db, ledger)
    notice = issue(db, [finding.id])
    when = NOW + dt.timedelta(hours=2)

    def deliver(**kw):
        data = N.DeliveryInput(method="直接", recipient="王建国", delivered_at=when,
                               deliverer="张三、李四")
        data.__dict__.update(kw)
        with db.transaction() as s:
            return N.record_delivery(s, notice.id, data, user="clerk", now=when)

    for changes, field, words in [
        ({"method": "留置", "witness": ""}, "witness", "见证人"),
        ({"refused": True}, "method", "留置送达"),
        ({"recipient": ""}, "recipient", "受送达人"),
        ({"method": "邮寄", "place": ""}, "place", "邮寄地址"),
        ({"method": "飞鸽"}, "method", "送达方式"),
        ({"delivered_at": NOW}, "delivered_at", "早于"),
        ({"deliverer": ""}, "deliverer", "送达人"),
    ]:
        with pytest.raises(ValidationError) as err:
            deliver(**changes)
        assert words in err.value.fields[field], (changes, err.value.fields)
    row = deliver(method="留置", witness="赵某", place="解放路12号店内")
    assert row.refused and "拒绝签收" in row.remarks and "赵某" in row.remarks
    with pytest.raises(DomainError, match="已登记送达"):
        deliver()
    with db.session() as s:
        assert F.get(s, finding.id).status == "整改中"
        assert N.delivery_for(s, notice.id) == row
        assert N.get(s, notice.id).delivered_at == when
        assert LIST_KINDS["notices"](s, "undelivered", 10, False)["total"] == 0


def test_recheck_closes_or_leads_to_referral_or_a_second_notice(db):
    ledger = setup_ledger(db)
    ok, bad, again = (new_finding(db, ledger, shop=name) for name in ("老王火锅店", "重庆小面馆",
                                                                   "鑫源五金店"))
    notices = {f.id: issue(db, [f.id]) for f in (ok, bad, again)}
    after = dt.datetime(2026, 3, 9, 10, 0)
    passed = recheck(db, ok.id, True, after)
    assert passed.number == "X城管复查〔2026〕第0001号" and passed.passed
    assert passed.notice_number == notices[ok.id].number and passed.party == "老王火锅店"
    failed = recheck(db, bad.id, False, after, opinion="店外仍摆放桌椅")
    assert failed.number.endswith("第0002号") and failed.opinion == "店外仍摆放桌椅"
    recheck(db, again.id, False, after)
    with db.session() as s:
        assert F.get(s, ok.id).status == "销号" and F.get(s, ok.id).closed_at == after
        assert F.get(s, bad.id).status == "复查不合格"
    # A second recheck of a closed finding is refused by the status machine.
    with pytest.raises(DomainError, match="销号"):
        recheck(db, ok.id, True, after)
    with db.transaction() as s:
        row = F.get(s, bad.id)
        referred = F.refer(s, bad.id, row.version, referred_on=dt.date(2026, 3, 10),
                           receiving_unit="X区城市管理综合行政执法大队", user="clerk",
                           now=dt.datetime(2026, 3, 10, 9))
    assert referred.status == "移交执法" and referred.closed_at is not None
    second = issue(db, [again.id], now=dt.datetime(2026, 3, 9, 11))
    assert second.related_notice_id == notices[again.id].id
    with db.session() as s:
        assert F.get(s, again.id).status == "已告知"
        stats = community_stats(s, Period.parse("2026-03"), today=dt.date(2026, 3, 31))
    dong = next(c for c in stats["communities"] if c["community"] == "东湖社区")
    # Rechecked on 3-9, after the deadline of 3-8: rectified, but not on time.
    assert dong["findings"] == {"found": 2, "rectified": 1, "overdue": 0, "referred": 1,
                                "on_time": 0, "by_category": {"店外经营": 2}}
    assert stats["total"]["notices"]["issued"] == 4


def test_the_notice_keeps_the_text_it_cited(db):
    ledger = setup_ledger(db)
    notice = issue(db, [new_finding(db, ledger).id])
    cited = notice.legal_basis[0]
    with db.transaction() as s:
        entry = L.get(s, cited["id"])
        L.update(s, entry.id, entry.version, L.LegalBasisInput(
            law=entry.law, article=entry.article, text="改写后的条文", penalty=entry.penalty,
            categories=entry.categories))
    with db.session() as s:
        kept = N.get(s, notice.id)
    assert kept.legal_basis[0]["text"] == cited["text"] != "改写后的条文"
    assert "改写后的条文" not in kept.legal_basis_text
