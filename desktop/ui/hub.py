"""The app-wide change signal: which kinds of ledger entities an operation changed."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

BUSINESS = "business"
COMMUNITY = "community"
GRID = "grid"
OFFICE = "office"
NUMBERING = "numbering"
BACKUP = "backup"


class LedgerHub(QObject):
    """Operations announce changes here; every view decides for itself whether it cares."""

    ledger_changed = Signal(object)  # frozenset[str] of the kinds above

    def announce(self, kinds: Iterable[str]) -> None:
        self.ledger_changed.emit(frozenset(kinds))
