"""Where things live: the per-user data folder, the database URL and bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from db.engine import normalize_url, sqlite_url

ENV_DB = "STREETLEDGER_DB"
ENV_DATA_DIR = "STREETLEDGER_DATA_DIR"
DB_FILE_NAME = "streetledger.sqlite3"


def data_dir() -> Path:
    """%LOCALAPPDATA%\\StreetLedger on Windows, the XDG data folder elsewhere."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "StreetLedger"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "StreetLedger"


def default_db_url() -> str:
    return sqlite_url(data_dir() / DB_FILE_NAME)


def resolve_db_url(arg: str | None) -> str:
    """--db beats the STREETLEDGER_DB variable, which beats the per-user SQLite file."""
    if arg:
        return normalize_url(arg)
    env = os.environ.get(ENV_DB)
    if env:
        return normalize_url(env)
    return default_db_url()


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
