"""Upkeep of the business search index (搜索索引) around bulk writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.orm import Session

# What migration 0004 made: on SQLite an FTS5 table kept in step with business.search_text
# by triggers, on PostgreSQL a pg_trgm GIN index.
FTS_TABLE = "business_fts"
FTS_TRIGGERS = ("business_fts_ai", "business_fts_ad", "business_fts_au")
PG_INDEX = "ix_business_search_trgm"


@contextmanager
def deferred_index(session: Session) -> Iterator[None]:
    """Bulk-insert businesses inside this block; the search index is built once at the end.

    Keeping the index up to date row by row costs more than the insert itself (on SQLite
    ≈13 s of 18 s for 200,000 shops). So, in the caller's transaction, the upkeep is taken
    away, the block runs, and the index is built in one pass from the table: on SQLite the
    triggers are dropped, the FTS index rebuilt and the triggers created again; on
    PostgreSQL the GIN index is dropped and created again. Each is re-created from the very
    SQL the database holds for it, so the schema ends up exactly as the migrations left it.

    Everything happens in the one transaction: if the block raises, nothing is restored
    here and the caller must roll back (Database.transaction does), which brings back the
    old triggers and index unchanged. Meant for a ledger nobody else is writing to (the
    demo): on PostgreSQL dropping the index locks the table until the commit.
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        with _sqlite_deferred(conn):
            yield
    elif conn.dialect.name == "postgresql":
        with _postgresql_deferred(conn):
            yield
    else:
        yield


@contextmanager
def _sqlite_deferred(conn: Connection) -> Iterator[None]:
    placeholders = ", ".join(f"'{name}'" for name in FTS_TRIGGERS)
    triggers = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'business' "
        f"AND name IN ({placeholders}) ORDER BY name").all()
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)


@contextmanager
def _postgresql_deferred(conn: Connection) -> Iterator[None]:
    # The business table the search_path finds, as every ledger query does.
    found = conn.exec_driver_sql(
        "SELECT n.nspname, pg_get_indexdef(c.oid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE i.indrelid = 'business'::regclass AND c.relname = '{PG_INDEX}'").first()
    if found is None:
        yield
        return
    schema, definition = found
    conn.exec_driver_sql(f'DROP INDEX "{schema}"."{PG_INDEX}"')
    yield
    conn.exec_driver_sql(definition)
