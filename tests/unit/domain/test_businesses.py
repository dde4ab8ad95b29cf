"""The business ledger service: validation, search, paging, sorting, conflicts, history."""

from __future__ import annotations

import pytest

from desktop.domain import businesses as B
from desktop.domain.errors import ConflictError, ValidationError
from tests.factories import make_ledger


def _input(ledger, **kw) -> B.BusinessInput:
    base = dict(name="新开张面包房", community_id=ledger.communities["东湖社区"],
                grid_id=ledger.grids["东湖一网格"], category="餐饮")
    base.update(kw)
    return B.BusinessInput(**base)


def test_search_by_every_key(any_db):
    make_ledger(any_db)
    with any_db.session() as s:
        def names(text):
            return sorted(r.name for r in B.search(s, text)[1])
        assert names("hgd") == ["老王火锅店"]               # pinyin initials
        assert names("HG") == ["川味火锅城", "老王火锅店"]    # initials, any case
        assert names("火锅") == ["川味火锅城", "老王火锅店"]  # name substring
        assert names("91350100m000100y43") == ["老王火锅店"]  # credit code, lower-case typed
        assert names("解放路") == ["好又多便利店", "老王火锅店"]  # address
        assert names("李秀英") == ["重庆小面馆"]               # operator
        assert names("88886666") == ["重庆小面馆"]             # landline without the dash
        assert names("0571-88886666") == ["重庆小面馆"]        # ...or typed with it
        assert names("138-0013") == ["老王火锅店"]             # a mobile typed in groups
        assert names("1380013") == ["老王火锅店"]              # phone prefix
        assert names("50%") == []                               # LIKE wildcards are literal
        assert names("_") == []


def test_validation_reports_each_field_and_saves_nothing(db):
    ledger = make_ledger(db)
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        B.create(s, _input(ledger, name="  ", credit_code="91350100M000100Y44",
                           phone="12345", grid_id=ledger.grids["西岭一网格"]))
    fields = err.value.fields
    assert set(fields) == {"name", "credit_code", "phone", "grid_id"}
    assert "校验位" in fields["credit_code"]
    assert "东湖社区" in fields["grid_id"]
    with db.session() as s:
        assert B.count(s, B.BusinessQuery()) == 5


def test_duplicate_credit_code_names_the_holder(db):
    ledger = make_ledger(db)
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        B.create(s, _input(ledger, credit_code=" 91350100m000100y43 "))
    assert "老王火锅店" in err.value.fields["credit_code"]


def test_legacy_registration_number_is_flagged(db):
    ledger = make_ledger(db)
    with db.transaction() as s:
        row = B.create(s, _input(ledger, credit_code="110108000000016"))
    assert row.legacy_code and row.credit_code == "110108000000016"


def test_paging_and_sorting_in_sql(any_db):
    ledger = make_ledger(any_db)
    with any_db.session() as s:
        q = B.BusinessQuery(sort="name")
        everything = B.page(s, q, 0, 100)
        assert [r.name for r in B.page(s, q, 0, 2)] + [r.name for r in B.page(s, q, 2, 10)] == \
            [r.name for r in everything]
        by_phone = B.page(s, q.with_sort("phone", True), 0, 1)
        assert by_phone[0].phone == max(r.phone for r in everything)
        by_community = [r.community for r in B.page(s, q.with_sort("community", False), 0, 10)]
        assert by_community == ["东湖社区"] * 2 + ["西岭社区"] * 3
        only_west = B.BusinessQuery(community_id=ledger.communities["西岭社区"], category="餐饮")
        assert [r.name for r in B.page(s, only_west)] == ["川味火锅城"]
        with pytest.raises(ValueError):
            B.page(s, q.with_sort("id; drop table business", False))


def test_second_save_of_the_same_version_is_refused(any_db):
    ledger = make_ledger(any_db)
    bid = ledger.businesses["鑫源五金店"]
    with any_db.session() as s:
        first = B.get(s, bid)
        second = B.get(s, bid)
    with any_db.transaction() as s:
        B.update(s, bid, first.version, B.BusinessInput(**{**first.as_input().__dict__, "operator": "张三"}),
                 user="clerk-a")
    with pytest.raises(ConflictError) as err, any_db.transaction() as s:
        B.update(s, bid, second.version, B.BusinessInput(**{**second.as_input().__dict__, "phone": "13700000000"}),
                 user="clerk-b")
    assert "clerk-a" in err.value.message
    with any_db.session() as s:
        now = B.get(s, bid)
    assert (now.operator, now.phone) == ("张三", "13912345678")


def test_deactivate_keeps_the_row_and_the_history(db):
    ledger = make_ledger(db)
    bid = ledger.businesses["好又多便利店"]
    with db.session() as s:
        row = B.get(s, bid)
    with db.transaction() as s:
        B.set_active(s, bid, row.version, False, reason="店铺关闭", user="clerk")
    with db.session() as s:
        assert B.count(s, B.BusinessQuery()) == 4
        assert B.count(s, B.BusinessQuery(include_inactive=True)) == 5
        gone = B.get(s, bid)
        assert not gone.active and gone.status == "停业"
        items = B.history(s, bid)
    assert [h.action for h in items] == ["deactivate", "create"]
    assert ("在册", True, False) in items[0].changes

