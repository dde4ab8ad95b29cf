"""Benchmark figures of the 门前三包 area: the signing rate and batch printing."""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable
from sqlalchemy import select

from db.models import FrontageAgreement

from .bench import Figure, Ledger, _paired
from .bench_print import print_figure
from .domain import agreements
from .domain.office import get_office
from .pdf import layout
from .pdf.agreement import agreement_story

GOAL_RATE_MS = 300.0
GOAL_PRINT_RATIO = 1.5
PRINT_COUNT = 500
PRINT_RUNS = 3


def signing_rate(ledger: Ledger) -> Figure:
    today = dt.date.today()

    def app() -> object:
        with ledger.db.session() as s:
            return agreements.signing_rates(s, today)

    sql = ledger.record_calls(app)
    ms, base = _paired(app, lambda: ledger.replay(sql), 5)
    return Figure("agreements.signing_rate", ms, base, GOAL_RATE_MS, ledger.scale,
                  extra={"runs": 5})


def batch_print(ledger: Ledger) -> Figure:
    """500 agreements into one PDF, against bare reportlab setting the same text."""
    with ledger.db.session() as s:
        ids = list(s.scalars(select(FrontageAgreement.id).where(
            FrontageAgreement.status == "signed").order_by(FrontageAgreement.id).limit(PRINT_COUNT)))
        rows = [agreements.get(s, i) for i in ids]
        office = get_office(s)
        duties = agreements.duty_items(s)

    def stories(st: layout.Styles) -> list[list[Flowable]]:
        return [agreement_story(r, office, duties, st) for r in rows]

    return print_figure("agreements.print_500", stories, ledger.scale)


FIGURES = {
    "agreements.signing_rate": signing_rate,
    "agreements.print_500": batch_print,
}
