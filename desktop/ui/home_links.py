"""Where each figure of 首页 leads: the page and filter of the list behind it.

One table of links serves the charts and the per-community table, so a bar and the cell
holding the same figure open the same list.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.dashboard import MonthFigures
from desktop.domain.stats import Period

Link = tuple[str, dict[str, Any]]  # page key, argument for Page.activate

# The figures a community has on 首页, and the list each opens.
BUSINESSES = "businesses"
REQUIRED = "required"
SIGNED = "signed"
SIGNING_RATE = "signing_rate"
CHECKS = "checks"
PASS_RATE = "pass_rate"
FOUND = "found"
RECTIFIED = "rectified"
OVERDUE = "overdue"
NOTICES = "notices"


def community_link(figure: str, community_id: int | None, period: Period) -> Link:
    """The list behind one community's figure this month (None: the whole street)."""
    if figure in (BUSINESSES, REQUIRED):
        return "ledger", {"community_id": community_id}
    if figure == SIGNED:
        return "agreements", {"state": "signed", "community_id": community_id}
    if figure == SIGNING_RATE:
        # What the rate lacks: the businesses still to sign.
        return "agreements", {"state": "unsigned", "community_id": community_id}
    if figure in (CHECKS, PASS_RATE):
        return "sorting", {"period": period.label, "community_id": community_id,
                           "check_state": ""}
    if figure == OVERDUE:
        return "findings", {"state": "overdue", "community_id": community_id}
    if figure in (FOUND, RECTIFIED, NOTICES):
        return "findings", {"community_id": community_id, "found_from": period.start,
                            "found_to": period.end}
    raise ValueError(figure)


def month_link(figure: str, month: MonthFigures) -> Link:
    """The list behind one month's figure of the trend."""
    if figure == SIGNING_RATE:
        return "agreements", {"state": "unsigned", "community_id": None, "at": month.at}
    if figure in (CHECKS, PASS_RATE):
        return "sorting", {"period": month.period.label, "community_id": None, "check_state": ""}
    return "findings", {"community_id": None, "found_from": month.period.start,
                        "found_to": month.period.end}
