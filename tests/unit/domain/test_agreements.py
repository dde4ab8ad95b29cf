"""门前三包 agreements: drafting rules, signing numbers, renewal, reminders and signing rates."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import agreements as A
from desktop.domain import businesses as B
from desktop.domain.errors import DomainError, ValidationError
from tests.factories import make_ledger

D = dt.date


def _draft(s, business_id, start=D(2026, 1, 1), end=None, **kw) -> A.AgreementRow:
    data = A.AgreementInput(business_id=business_id, area_east="至东侧消防栓",
                            area_west="至西侧花坛", area_text="店门前人行道至路缘石",
                            frontage_length_m=8.5, area_m2=30, duties=["sanitation", "appearance", "order"],
                            start_date=start, end_date=end, office_signatory="张科长",
                            business_signatory="王建国")
    data.__dict__.update(kw)
    return A.create_draft(s, data, user="clerk")


def _sign(s, row, day=D(2026, 1, 1)) -> A.AgreementRow:
    return A.sign(s, row.id, row.version, day, user="clerk", today=D(2026, 11, 25))


def test_default_term_and_number_on_signing(db):
    ledger = make_ledger(db)
    with db.transaction() as s:
        draft = _draft(s, ledger.businesses["老王火锅店"], start=D(2026, 3, 1))
        assert draft.end_date == D(2027, 2, 28) and draft.number == "" and draft.state == "draft"
        signed = _sign(s, draft, D(2026, 3, 1))
    assert signed.number == "X街门前三包〔2026〕第0001号"
    assert signed.status == "signed"
    with db.transaction() as s:
        second = _sign(s, _draft(s, ledger.businesses["重庆小面馆"]))
    assert second.number.endswith("第0002号")


def test_refusals(db):
    ledger = make_ledger(db)
    shop = ledger.businesses["鑫源五金店"]
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        _draft(s, shop, start=D(2026, 5, 1), end=D(2026, 4, 1))
    assert "结束日期" in err.value.fields["end_date"]
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        _draft(s, shop, area_east="", area_west="", area_text="")
    assert "责任区" in err.value.fields["area"]
    with pytest.raises(ValidationError), db.transaction() as s:
        _draft(s, shop, duties=[])
    with db.transaction() as s:
        _sign(s, _draft(s, shop))
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        _draft(s, shop, start=D(2026, 6, 1))
    assert "重叠" in err.value.fields["start_date"]
    with db.session() as s:
        row = B.get(s, ledger.businesses["好又多便利店"])
    with db.transaction() as s:
        B.set_active(s, row.id, row.version, False, reason="店铺关闭")
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        _draft(s, row.id)
    assert "移出台账" in err.value.fields["business_id"]


def test_signed_agreement_is_not_edited_and_not_signed_twice(db):
    ledger = make_ledger(db)
    with db.transaction() as s:
        signed = _sign(s, _draft(s, ledger.businesses["老王火锅店"]))
    with pytest.raises(DomainError, match="不能修改"), db.transaction() as s:
        A.update_draft(s, signed.id, signed.version, signed.as_input())
    with pytest.raises(DomainError, match="不能再次签订"), db.transaction() as s:
        _sign(s, signed)
    with pytest.raises(ValidationError, match="晚于今天"), db.transaction() as s:
        draft = _draft(s, ledger.businesses["重庆小面馆"])
        A.sign(s, draft.id, draft.version, D(2030, 1, 1), today=D(2026, 11, 25))


def test_renewal_links_and_continues_the_term(db):
    ledger = make_ledger(db)
    with db.transaction() as s:
        old = _sign(s, _draft(s, ledger.businesses["老王火锅店"], start=D(2025, 12, 1)))
        new = A.renew(s, old.id, user="clerk")
    assert new.previous_id == old.id and new.start_date == D(2026, 12, 1)
    assert new.end_date == D(2027, 11, 30) and new.duties == old.duties
    with pytest.raises(DomainError, match="已办理续签"), db.transaction() as s:
        A.renew(s, old.id)


def test_reminder_lists(db):
    ledger = make_ledger(db)
    today = D(2026, 11, 25)
    with db.transaction() as s:
        # expires in 10 days
        _sign(s, _draft(s, ledger.businesses["老王火锅店"], start=D(2025, 12, 6)), D(2025, 12, 6))
        # expired last month, not renewed
        _sign(s, _draft(s, ledger.businesses["重庆小面馆"], start=D(2025, 10, 1)), D(2025, 10, 1))
        # expired but renewed and the renewal signed: neither expired nor unsigned
        old = _sign(s, _draft(s, ledger.businesses["鑫源五金店"], start=D(2025, 9, 1)), D(2025, 9, 1))
        _sign(s, A.renew(s, old.id), D(2026, 8, 20))
    with db.session() as s:
        def names(state):
            return sorted(r.business for r in A.page(s, A.AgreementQuery(state=state, today=today)))
        assert names("expiring") == ["老王火锅店"]
        assert names("expired") == ["重庆小面馆"]
        total, rows = A.unsigned_businesses(s, today)
        assert sorted(r.name for r in rows) == ["好又多便利店", "川味火锅城", "重庆小面馆"]
        rem = A.reminders(s, today)
    assert (rem.expiring, rem.expired, rem.unsigned, rem.drafts) == (1, 1, 3, 0)


def test_signing_rate_per_grid_community_and_street_at_edge_dates(any_db):
    ledger = make_ledger(any_db)
    with any_db.transaction() as s:
        # valid exactly 2026-01-01 .. 2026-12-31
        _sign(s, _draft(s, ledger.businesses["老王火锅店"], start=D(2026, 1, 1), end=D(2026, 12, 31)))
        _sign(s, _draft(s, ledger.businesses["鑫源五金店"], start=D(2026, 6, 1), end=D(2026, 6, 30)), D(2026, 5, 20))
        terminated = _sign(s, _draft(s, ledger.businesses["川味火锅城"]))
        A.terminate(s, terminated.id, terminated.version, "店铺转让")
        _draft(s, ledger.businesses["重庆小面馆"])  # a draft does not count

    def rates(at):
        with any_db.session() as s:
            return {(r.level, r.name): (r.signed, r.required) for r in A.signing_rates(s, at)}

    assert rates(D(2025, 12, 31))[("street", "全街道")] == (0, 5)
    first_day = rates(D(2026, 1, 1))
    assert first_day[("street", "全街道")] == (1, 5)
    assert first_day[("community", "东湖社区")] == (1, 2)
    assert first_day[("grid", "东湖一网格")] == (1, 1)
    assert first_day[("grid", "东湖二网格")] == (0, 1)
    assert rates(D(2026, 6, 30))[("community", "西岭社区")] == (1, 3)
    assert rates(D(2026, 7, 1))[("community", "西岭社区")] == (0, 3)
    assert rates(D(2026, 12, 31))[("street", "全街道")] == (1, 5)
    assert rates(D(2027, 1, 1))[("street", "全街道")] == (0, 5)
    with any_db.session() as s:
        street = next(r for r in A.signing_rates(s, D(2026, 1, 1)) if r.level == "street")
    assert street.rate == 0.2
