"""What every page and dialog needs to reach the ledger: database, worker, hub, user."""

from __future__ import annotations

from dataclasses import dataclass

from db.engine import Database
from desktop.domain.permissions import Actor

from .hub import LedgerHub
from .worker import DbWorker


@dataclass(frozen=True)
class AppContext:
    """Passed explicitly to pages and dialogs; there is no global application object."""

    db: Database
    worker: DbWorker
    hub: LedgerHub
    user: str
    # Who logged in; None when the window runs without a login (tests, maintenance), which
    # the services treat as allowed to do everything.
    actor: Actor | None = None
