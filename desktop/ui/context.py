"""What every page and dialog needs to reach the ledger: database, worker, hub, user."""

from __future__ import annotations

from dataclasses import dataclass

from db.engine import Database

from .hub import LedgerHub
from .worker import DbWorker


@dataclass(frozen=True)
class AppContext:
    """Passed explicitly to pages and dialogs; there is no global application object."""

    db: Database
    worker: DbWorker
    hub: LedgerHub
    user: str
