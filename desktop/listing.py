"""What `list KIND` prints: one function per kind, all with the same shape of answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from .domain import agreements, businesses, findings, notices
from .domain.permit_queries import list_permits
from .domain.sorting_listing import list_checks as list_sorting_checks

Listing = dict[str, Any]  # {"total": n, "rows": [{english field: value}]}
Lister = Callable[[Session, str, int, bool], Listing]


def list_businesses(session: Session, text: str, limit: int, include_inactive: bool) -> Listing:
    query = businesses.BusinessQuery(text=text, include_inactive=include_inactive)
    return {"total": businesses.count(session, query),
            "rows": [r.as_json() for r in businesses.page(session, query, 0, limit)]}


# `--filter` words that pick a reminder list rather than search text.
AGREEMENT_STATES = {
    "draft": "draft", "草稿": "draft", "signed": "signed", "有效": "signed",
    "expiring": "expiring", "即将到期": "expiring", "expired": "expired", "已到期": "expired",
    "terminated": "terminated", "已终止": "terminated", "unsigned": "unsigned", "未签约": "unsigned",
}


def list_agreements(session: Session, text: str, limit: int, include_inactive: bool) -> Listing:
    state = AGREEMENT_STATES.get(text.strip().lower(), "")
    if state == "unsigned":
        total, shops = agreements.unsigned_businesses(session, dt.date.today(), limit=limit)
        return {"total": total, "rows": [
            {**r.as_json(), "state": "unsigned", "state_label": "未签约"} for r in shops]}
    query = agreements.AgreementQuery(text="" if state else text, state=state)
    return {"total": agreements.count(session, query),
            "rows": [r.as_json() for r in agreements.page(session, query, 0, limit)]}


FINDING_STATES = {
    "overdue": "overdue", "逾期": "overdue", "open": "open", "未结": "open", "closed": "closed",
    "已结": "closed", "referred": "移交执法", "closed-out": "销号",
    **{s: s for s in findings.STATUSES},
}


# Headline fields first: the text output shows the first eight.
FINDING_COLUMNS = ("id", "status", "category", "found_at", "place", "party", "community",
                   "deadline", "notice", "business")


def list_findings(session: Session, text: str, limit: int, include_inactive: bool) -> Listing:
    """`--filter overdue` (逾期), open, closed, repeat, a status (发现…销号), or search text."""
    word = text.strip().lower()
    if word in ("repeat", "屡查屡犯"):
        repeats = findings.repeat_offenders(session)
        return {"total": len(repeats), "rows": [r.as_json() for r in repeats[:limit]]}
    state = FINDING_STATES.get(word, "")
    query = findings.FindingQuery(text="" if state else text, state=state)
    rows = []
    for r in findings.page(session, query, 0, limit):
        data = r.as_json()
        rows.append({key: data[key] for key in FINDING_COLUMNS} | data)
    return {"total": findings.count(session, query), "rows": rows}


NOTICE_STATES = {
    "voided": "voided", "作废": "voided", "已作废": "voided", "issued": "issued", "有效": "issued",
    "undelivered": "undelivered", "未送达": "undelivered",
}


def list_notices(session: Session, text: str, limit: int, include_inactive: bool) -> Listing:
    """`--filter voided` (作废), issued (有效), undelivered (未送达), or search text."""
    state = NOTICE_STATES.get(text.strip().lower(), "")
    query = notices.NoticeQuery(text="" if state else text, state=state)
    rows = []
    for r in notices.page(session, query, 0, limit):
        data = r.as_json()
        # The list shows the headline fields first; the full texts stay in the JSON.
        rows.append({key: data[key] for key in (
            "number", "party", "issued_at", "deadline", "status", "status_label", "order_label",
            "business", "community", "categories", "officer1", "officer2", "delivered_at",
            "voided_at", "void_reason", "party_address", "facts", "correction", "id")})
    return {"total": notices.count(session, query), "rows": rows}


LIST_KINDS: dict[str, Lister] = {
    "businesses": list_businesses,
    "agreements": list_agreements,
    "findings": list_findings,
    "notices": list_notices,
    "permits": list_permits,
    "sorting-checks": list_sorting_checks,
}
