"""StreetLedger (街道城管台账): the city-management ledger of a street office."""

from importlib import metadata

try:
    __version__ = metadata.version("streetledger")
except metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.1.0"

APP_NAME = "StreetLedger"
APP_TITLE = "街道城管台账"
