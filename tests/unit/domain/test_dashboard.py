"""首页's figures: this month per community, and the twelve-month trend, against hand-made data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from db.models import Business
from desktop.domain import agreements as A
from desktop.domain.dashboard import dashboard, months_to
from tests.unit.domain.sorting_helpers import check, make_sites, recheck
from tests.unit.domain.test_notices import issue, new_finding
from tests.unit.domain.test_notices import recheck as recheck_finding

D = dt.date
TODAY = D(2026, 3, 20)


def _agreement(s, business_id: int, start: dt.date, end: dt.date | None = None) -> None:
    row = A.create_draft(s, A.AgreementInput(
        business_id=business_id, area_east="至东侧消防栓", area_west="至西侧花坛",
        area_text="店门前人行道", frontage_length_m=8, area_m2=20,
        duties=["sanitation", "appearance", "order"], start_date=start, end_date=end,
        office_signatory="张科长", business_signatory="店主"), user="clerk")
    A.sign(s, row.id, row.version, start, user="clerk", today=TODAY)


def _data(db):
    from desktop.domain import legal as L

    ledger, sites = make_sites(db)
    shops = ledger.businesses
    with db.transaction() as s:
        L.seed_legal_basis(s, confirmed=True)
        s.execute(update(Business).values(created_at=dt.datetime(2025, 6, 1, 9)))
        # 川味火锅城 entered the ledger in February: it counts from then on.
        s.execute(update(Business).where(Business.id == shops["川味火锅城"])
                  .values(created_at=dt.datetime(2026, 2, 15, 9)))
        _agreement(s, shops["老王火锅店"], D(2025, 12, 10))
        _agreement(s, shops["重庆小面馆"], D(2026, 1, 1), D(2026, 2, 28))
        _agreement(s, shops["鑫源五金店"], D(2026, 3, 1))
    # January: one problem, a notice, rectified on recheck. March: two problems, one notice.
    january = new_finding(db, ledger, at=dt.datetime(2026, 1, 10, 9))
    issue(db, [january.id], now=dt.datetime(2026, 1, 10, 10))
    recheck_finding(db, january.id, True, dt.datetime(2026, 1, 20, 10))
    march = new_finding(db, ledger, at=dt.datetime(2026, 3, 5, 9))
    new_finding(db, ledger, shop="鑫源五金店", at=dt.datetime(2026, 3, 6, 9))
    issue(db, [march.id], now=dt.datetime(2026, 3, 5, 10))
    # Sorting: February one pass; March one pass and one fail put right on recheck, one fail.
    check(db, sites["东湖花园"], D(2026, 2, 10), today=TODAY)
    check(db, sites["东湖花园"], D(2026, 3, 2), today=TODAY)
    failed = check(db, sites["东湖新村"], D(2026, 3, 3), {4: 8, 10: 12, 15: 6}, today=TODAY)
    recheck(db, failed.id, D(2026, 3, 10))
    check(db, sites["西岭家园"], D(2026, 3, 4), {4: 8, 10: 12, 15: 6}, today=TODAY)
    return ledger


def test_months_run_to_the_current_one():
    months = months_to(D(2026, 3, 20))
    assert [m.label for m in months][:2] == ["2025-04", "2025-05"]
    assert months[-1].label == "2026-03" and len(months) == 12
    assert [m.label for m in months_to(D(2026, 1, 31), 3)] == ["2025-11", "2025-12", "2026-01"]


def test_trend_per_month(any_db):
    _data(any_db)
    with any_db.session() as s:
        board = dashboard(s, today=TODAY)
    by_month = {m.period.label: m for m in board.trend}
    assert len(board.trend) == 12 and board.trend[-1].period.label == "2026-03"
    # Signing at each month's end (today for March), of the businesses on the ledger by then.
    assert [(m.at, m.required, m.signed) for m in board.trend[-5:]] == [
        (D(2025, 11, 30), 4, 0), (D(2025, 12, 31), 4, 1), (D(2026, 1, 31), 4, 2),
        (D(2026, 2, 28), 5, 2), (D(2026, 3, 20), 5, 2)]
    assert by_month["2026-02"].signing_rate == 0.4
    assert by_month["2025-06"].required == 4 and by_month["2025-05"].required == 0
    assert by_month["2025-05"].signing_rate == 0.0
    # Findings found in the month, of them rectified now, and notices issued.
    assert (by_month["2026-01"].found, by_month["2026-01"].rectified,
            by_month["2026-01"].notices) == (1, 1, 1)
    assert (by_month["2026-03"].found, by_month["2026-03"].rectified,
            by_month["2026-03"].notices) == (2, 0, 1)
    assert by_month["2026-02"].found == by_month["2026-02"].notices == 0
    # Sorting checks with the result of their latest recheck.
    assert (by_month["2026-02"].checks, by_month["2026-02"].passed) == (1, 1)
    assert (by_month["2026-03"].checks, by_month["2026-03"].passed) == (3, 2)
    assert by_month["2026-03"].pass_rate == 0.6667


def test_this_month_per_community(any_db):
    ledger = _data(any_db)
    with any_db.session() as s:
        board = dashboard(s, today=TODAY)
    assert board.period.label == "2026-03" and board.as_of == TODAY
    rows = {r.name: r for r in board.rows}
    east, west = rows["东湖社区"], rows["西岭社区"]
    assert east.community_id == ledger.communities["东湖社区"]
    assert (east.businesses, east.required, east.signed) == (2, 2, 1)
    assert (west.businesses, west.required, west.signed) == (3, 3, 1)
    assert (east.checks, east.passed, west.checks, west.passed) == (2, 2, 1, 0)
    assert (east.found, east.notices, west.found, west.notices) == (1, 1, 1, 0)
    assert board.total.community_id is None
    assert (board.total.required, board.total.signed, board.total.found) == (5, 2, 2)
    assert board.total.signing_rate == 0.4 and board.total.pass_rate == 0.6667
