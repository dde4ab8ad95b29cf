"""`list sorting-checks`: the checks as rows keyed by English names, filtered by plain words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy.orm import Session

from .sorting import CheckQuery, check_page, count_checks
from .stats import Period

# `--filter` words that pick a state rather than search text.
CHECK_STATES = {
    "passed": "passed", "合格": "passed", "failed": "failed", "不合格": "failed",
    "pending": "pending", "待复查": "pending", "overdue": "overdue", "逾期": "overdue",
    "逾期未复查": "overdue", "rechecks": "rechecks", "复查": "rechecks",
}
_PERIOD = re.compile(r"\d{4}-(\d{1,2}|[qQ][1-4])")


def parse_filter(text: str, today: dt.date | None = None) -> CheckQuery:
    """Words of `--filter`: a state (待复查, 不合格 …), a period (2026-10, 2026-Q3), else text."""
    state, start, end, words = "", None, None, []
    for word in text.split():
        if word.lower() in CHECK_STATES:
            state = CHECK_STATES[word.lower()]
        elif _PERIOD.fullmatch(word):
            period = Period.parse(word)
            start, end = period.start, period.end
        else:
            words.append(word)
    return CheckQuery(text=" ".join(words), state=state, start=start, end=end, today=today)


def list_checks(session: Session, text: str, limit: int, include_inactive: bool) -> dict[str, Any]:
    query = parse_filter(text)
    return {"total": count_checks(session, query),
            "rows": [r.as_json() for r in check_page(session, query, 0, limit)]}
