"""Patrol findings: recording, the status machine and its refusals, overdue and repeat lists."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from PIL import Image
from sqlalchemy import func, select

from db.models import Attachment, Finding
from desktop.domain import findings as F
from desktop.domain.attachments import PhotoInput
from desktop.domain.errors import DomainError, ValidationError
from desktop.listing import LIST_KINDS
from tests.unit.domain.test_notices import NOW, issue, new_finding, recheck, setup_ledger


def _jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


def test_a_finding_takes_its_division_from_the_business(db):
    ledger = setup_ledger(db)
    row = new_finding(db, ledger, shop="鑫源五金店", place="")
    assert row.community == "西岭社区" and row.grid == "西岭一网格"
    assert row.place == "建设路88号" and row.party == "鑫源五金店" and row.status == "发现"
    # A street vendor: a person and a chosen community.
    vendor = new_finding(db, ledger, shop=None, category="乱摆摊点", person="无名摊贩",
                         place="地铁站出口", community_id=ledger.communities["东湖社区"],
                         grid_id=ledger.grids["东湖二网格"])
    assert vendor.party == "无名摊贩" and vendor.community == "东湖社区"
    # An office-defined category is accepted and offered afterwards.
    own = new_finding(db, ledger, category="违规张挂横幅")
    with db.session() as s:
        assert F.categories(s)[:len(F.CATEGORIES)] == list(F.CATEGORIES)
        assert own.category in F.categories(s)


def test_bad_findings_are_refused_with_the_field_named(db):
    ledger = setup_ledger(db)
    for changes, field, words in [
        ({"category": ""}, "category", "类别"),
        ({"description": ""}, "description", "描述"),
        ({"inspectors": ""}, "inspectors", "巡查人员"),
        ({"found_at": None}, "found_at", "发现时间"),
        ({"found_at": NOW + dt.timedelta(days=1)}, "found_at", "晚于现在"),
        ({"business_id": None, "person": ""}, "business_id", "当事人"),
        ({"business_id": None, "person": "某人", "place": "路口"}, "community_id", "社区"),
        ({"business_id": None, "person": "某人", "place": "路口",
          "community_id": ledger.communities["东湖社区"],
          "grid_id": ledger.grids["西岭一网格"]}, "grid_id", "不属于"),
        ({"deadline": dt.date(2026, 1, 1)}, "deadline", "早于"),
    ]:
        data = F.FindingInput(category="店外经营", found_at=NOW,
                              business_id=ledger.businesses["老王火锅店"],
                              description="摆放桌椅", inspectors="张三")
        data.__dict__.update(changes)
        with pytest.raises(ValidationError) as err, db.transaction() as s:
            F.record_finding(s, data, now=NOW)
        assert words in err.value.fields[field], (changes, err.value.fields)


def test_a_bad_photo_refuses_the_whole_finding(db):
    ledger = setup_ledger(db)
    data = F.FindingInput(category="店外经营", found_at=NOW, business_id=ledger.businesses["老王火锅店"],
                          description="摆放桌椅", inspectors="张三")
    photos = [PhotoInput("现场1.jpg", _jpeg()), PhotoInput("说明.txt", "不是图片".encode())]
    with pytest.raises(ValidationError, match="说明.txt.*不是图片"), db.transaction() as s:
        F.record_finding(s, data, photos=photos, now=NOW)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Finding)) == 0
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
    with db.transaction() as s:
        row = F.record_finding(s, data, photos=photos[:1], now=NOW)
        F.add_photo(s, row.id, "现场2.jpg", _jpeg((80, 60)))
    with db.session() as s:
        assert F.get(s, row.id).photos == 2


def test_every_illegal_move_is_refused_in_chinese():
    allowed = {(old, new) for old, news in F.TRANSITIONS.items() for new in news}
    assert allowed == {
        ("发现", "已告知"), ("发现", "销号"), ("已告知", "整改中"), ("已告知", "复查合格"),
        ("已告知", "复查不合格"), ("整改中", "复查合格"), ("整改中", "复查不合格"),
        ("复查合格", "销号"), ("复查不合格", "移交执法"), ("复查不合格", "已告知")}
    for old, new in itertools.product(F.STATUSES, F.STATUSES):
        if (old, new) in allowed:
            F.check_move(old, new)
            continue
        with pytest.raises(DomainError) as err:
            F.check_move(old, new)
        assert f"“{new}”" in err.value.message and f"“{old}”" in err.value.message
    with pytest.raises(DomainError, match="未知的问题状态"):
        F.check_move("发现", "处理中")


def test_the_whole_path_through_the_services(db):
    ledger = setup_ledger(db)
    finding = new_finding(db, ledger)
    with db.transaction() as s:
        # Moves that need a document point the clerk to the action that makes it.
        with pytest.raises(DomainError, match="签发责令改正通知书"):
            F.change_status(s, finding.id, finding.version, "已告知")
        with pytest.raises(DomainError, match="不能变更为“移交执法”"):
            F.change_status(s, finding.id, finding.version, "移交执法")
        with pytest.raises(ValidationError, match="当场改正"):
            F.close(s, finding.id, finding.version)
    issue(db, [finding.id])
    with db.transaction() as s:
        row = F.get(s, finding.id)
        with pytest.raises(DomainError, match="不能再修改"):
            F.update_finding(s, row.id, row.version, F.FindingInput(category="乱堆乱放"))
        with pytest.raises(DomainError, match="登记复查"):
            F.change_status(s, row.id, row.version, "复查合格")
        moving = F.change_status(s, row.id, row.version, "整改中", user="clerk")
        assert moving.status == "整改中"
        with pytest.raises(DomainError):
            F.change_status(s, row.id, row.version, "整改中")  # stale version
    recheck(db, finding.id, True, dt.datetime(2026, 3, 9, 9), close=False)
    with db.transaction() as s:
        row = F.get(s, finding.id)
        assert row.status == "复查合格" and row.closed_at is None
        with pytest.raises(DomainError, match="不能变更为“移交执法”"):
            F.refer(s, row.id, row.version, referred_on=dt.date(2026, 3, 10), receiving_unit="执法大队")
        closed = F.close(s, row.id, row.version, user="clerk", now=dt.datetime(2026, 3, 10, 9))
    assert closed.status == "销号" and closed.closed_at == dt.datetime(2026, 3, 10, 9)
    with db.transaction() as s:
        with pytest.raises(DomainError, match="已“销号”"):
            F.change_status(s, closed.id, closed.version, "发现")
        labels = [h.summary for h in F.history(s, finding.id)]
    assert any("整改中" in text for text in labels) and any("复查" in text for text in labels)
    # Corrected on the spot: closed at once with a note.
    spot = new_finding(db, ledger, shop="好又多便利店")
    with db.transaction() as s:
        done = F.close(s, spot.id, spot.version, note="当场改正", now=NOW + dt.timedelta(hours=1))
    assert done.status == "销号"


def test_overdue_and_repeat_offenders(db):
    ledger = setup_ledger(db)
    late = new_finding(db, ledger)
    issue(db, [late.id])  # due 2026-03-08 18:00
    on_time = new_finding(db, ledger, shop="重庆小面馆")
    issue(db, [on_time.id], deadline=dt.datetime(2026, 3, 20, 18))
    with db.session() as s:
        assert [r.id for r in F.overdue(s, dt.date(2026, 3, 9))] == [late.id]
        assert F.get(s, late.id).is_overdue(dt.date(2026, 3, 9))
        assert F.overdue(s, dt.date(2026, 3, 8)) == []
    # The same shop three times and the same corner twice within 90 days; one long ago.
    for day in (20, 21, -200):
        new_finding(db, ledger, at=NOW + dt.timedelta(days=day))
    for day in (1, 30):
        new_finding(db, ledger, shop=None, person="流动摊贩", place=" 地铁站出口 ",
                    community_id=ledger.communities["东湖社区"], at=NOW + dt.timedelta(days=day))
    with db.session() as s:
        repeats = F.repeat_offenders(s, dt.date(2026, 4, 10))
    assert [(r.key, r.name, r.findings) for r in repeats] == [
        ("business", "老王火锅店", 3), ("place", "地铁站出口", 2)]


def test_list_findings_filters(db):
    ledger = setup_ledger(db)
    a = new_finding(db, ledger)
    b = new_finding(db, ledger, shop="川味火锅城", category="露天烧烤", description="店外露天烧烤")
    issue(db, [a.id])
    with db.session() as s:
        everything = LIST_KINDS["findings"](s, "", 10, False)
        assert everything["total"] == 2
        assert list(everything["rows"][0])[:8] == ["id", "status", "category", "found_at", "place",
                                                   "party", "community", "deadline"]
        assert LIST_KINDS["findings"](s, "发现", 10, False)["rows"][0]["id"] == b.id
        assert LIST_KINDS["findings"](s, "烧烤", 10, False)["rows"][0]["id"] == b.id
        assert LIST_KINDS["findings"](s, "open", 10, False)["total"] == 2
        assert LIST_KINDS["findings"](s, "closed", 10, False)["total"] == 0
        told = LIST_KINDS["findings"](s, "已告知", 10, False)["rows"][0]
        assert told["notice"].startswith("X城管责改") and told["party"] == "老王火锅店"
        # overdue is relative to today; the notice's deadline lies in the past
        assert LIST_KINDS["findings"](s, "overdue", 10, False)["rows"][0]["id"] == a.id
