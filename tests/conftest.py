"""Shared fixtures: temporary ledgers on SQLite and on the PostgreSQL server CI starts."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.engine import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("STREETLEDGER_TEST_PG", "")


def pg_available() -> bool:
    return bool(PG_URL)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may touch the clerk's real ledger.
    monkeypatch.setenv("STREETLEDGER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("STREETLEDGER_DB", raising=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    # A folder name with Chinese characters and a space, as on a clerk's PC.
    folder = tmp_path / "台账 数据"
    folder.mkdir()
    return str(folder / "ledger.sqlite3")


def _pg_schema_url(schema: str) -> str:
    url = make_url(PG_URL)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server; dropped afterwards."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("STREETLEDGER_TEST_PG is not set: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set STREETLEDGER_TEST_PG)")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            # A test that leaks an open transaction must fail, not hang the run.
            conn.execute(text("SET lock_timeout = '20s'"))
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.dispose()


@pytest.fixture
def any_db(any_url: str) -> Iterator[Database]:
    database = Database(any_url)
    yield database
    database.dispose()
