"""What `list KIND` prints: one function per kind, all with the same shape of answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from .domain import agreements, businesses

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


LIST_KINDS: dict[str, Lister] = {
    "businesses": list_businesses,
    "agreements": list_agreements,
}
