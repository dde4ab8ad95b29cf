"""Qt-free services and rules of the ledger; importing it installs the role checks."""

from . import permissions as _permissions  # noqa: F401  (registers the write guard)
