"""Sign permits in lists and figures: expiring, unsafe, 一店多牌, `list permits`, stats, demo."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from sqlalchemy import select

from db.models import SignPermit
from desktop.cli import run_cli
from desktop.demo import generate
from desktop.domain import permit_queries as Q
from desktop.domain import permits as P
from desktop.domain.stats import Period, community_stats
from tests.unit.domain.test_permits import (
    NOW,
    TODAY,
    apply,
    granted,
    setup_ledger,
    step,
)


def _numbers(db, state: str, today: dt.date = TODAY) -> list[str]:
    with db.session() as s:
        return [r.business for r in Q.page(s, Q.PermitQuery(state=state, today=today))]


def _ledger_with_permits(db):
    ledger = setup_ledger(db)
    granted(db, ledger, "老王火锅店")  # ends 2029-03-07
    granted(db, ledger, "老王火锅店", sign_type="灯箱", width_m=0.8, height_m=1.5,
            exemption_reason="临街两面均为店面")
    short = granted(db, ledger, "重庆小面馆", term_months=1)  # ends 2026-04-07
    step(db, P.record_installation, short, P.InstallationInput(TODAY, "王五"))
    apply(db, ledger, "鑫源五金店")
    return ledger, short


def test_filters_reminders_and_figures(any_db):
    db = any_db
    _ledger, short = _ledger_with_permits(db)
    assert _numbers(db, "pending") == ["鑫源五金店"]
    assert _numbers(db, "expiring") == ["重庆小面馆"]  # 28 days left
    assert _numbers(db, "expiring30") == ["重庆小面馆"]
    assert _numbers(db, "expiring", TODAY - dt.timedelta(days=10)) == ["重庆小面馆"]
    assert _numbers(db, "expiring30", TODAY - dt.timedelta(days=10)) == []  # 38 days: the 60-day list
    assert sorted(_numbers(db, "multi-sign")) == ["老王火锅店", "老王火锅店"]
    later = dt.date(2026, 4, 20)
    assert _numbers(db, "到期", later) == ["重庆小面馆"] and _numbers(db, "已设置", later) == []
    with db.session() as s:
        row = P.get(s, short.id, later)
        assert row.state == "到期" and row.state_label == "到期（未登记）" and row.lapsed
        assert P.get(s, short.id, TODAY).reminder == 30
        assert P.get(s, short.id, TODAY - dt.timedelta(days=10)).reminder == 60
        reminders = Q.reminders(s, TODAY)
        assert (reminders.pending, reminders.expiring60, reminders.expiring30,
                reminders.multi_sign, reminders.unsafe) == (1, 1, 1, 1, 0)
        shops = Q.multi_sign_businesses(s)
        assert [(m.business, m.signs) for m in shops] == [("老王火锅店", 2)]
        figures = community_stats(s, Period.parse("2026-03"), today=TODAY)
    east = figures["communities"][0]["permits"]
    assert figures["communities"][0]["community"] == "东湖社区"
    assert east == {"applications": 3, "approved": 3, "refused": 0, "valid": 3, "expiring": 1,
                    "unsafe": 0, "multi_sign": 1, "removed": 0}
    assert figures["total"]["permits"]["applications"] == 4
    with db.transaction() as s:
        P.record_safety_check(s, short.id, P.SafetyCheckInput(NOW, False, ["破损"], "", "王五"),
                              now=NOW)
    assert _numbers(db, "unsafe") == ["重庆小面馆"]


def test_list_permits_on_the_command_line(db, capsys):
    _ledger_with_permits(db)

    def listed(*args: str) -> dict:
        assert run_cli(["list", "permits", *args, "--db", db.url, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    everything = listed()
    assert everything["total"] == 4
    first = everything["rows"][0]
    assert list(first)[:10] == ["number", "business", "sign_type", "location", "width_m",
                                "height_m", "area_m2", "status", "start_date", "end_date"]
    assert listed("--filter", "multi-sign")["total"] == 2
    assert listed("--filter", "一店多牌")["total"] == 2
    assert listed("--filter", "申请")["rows"][0]["business"] == "鑫源五金店"
    assert listed("--filter", "重庆")["rows"][0]["area_m2"] == 7.2
    # The command line lists as of today: the one-month permit (ended 2026-04-07) has lapsed.
    assert run_cli(["list", "permits", "--filter", "到期", "--db", db.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["number", "business", "sign_type", "location", "width_m",
                                    "height_m", "area_m2", "status"]
    assert "重庆小面馆" in lines[1] and lines[-1] == "共 1 条，显示 1 条"


def test_demo_makes_permits_in_every_state(db):
    summary = generate(db, businesses=300, seed=11, today=TODAY)
    assert summary["permits"] >= 40 and summary["sign_findings"] >= 0
    with db.session() as s:
        states = Counter(s.scalars(select(SignPermit.status)))
        assert set(states) == set(P.STATUSES)
        rows = Q.page(s, Q.PermitQuery(), 0, 1000)
        for row in rows:
            docs = P.documents_of(s, row.id)
            expected = {"申请": 0, "不予受理": 0}.get(row.status, 2 if row.decision_number else 1)
            assert len(docs) == expected, row
            events = P.timeline(s, row.id)
            assert events[0].step == "申请"
            if row.status in P.GRANTED or row.status in ("到期", "已拆除"):
                assert row.end_date and row.start_date and row.decision_number
                assert all(e.at.date() <= TODAY for e in events)
        assert Q.count(s, Q.PermitQuery(state="expiring", today=TODAY)) > 0
        assert Q.count(s, Q.PermitQuery(state="multi-sign", today=TODAY)) >= 0
    again = generate(db, businesses=300, seed=11, today=TODAY)
    assert again["already_present"]
