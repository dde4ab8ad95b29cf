"""Bulk INSERTs for the demo generators: Core executemany, chunked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

CHUNK = 2_000


# Core on the model's table rather than the ORM's bulk insert: the ORM spends more time per
# row than SQLite does, and it leaves out each None, so rows with a None in different columns
# go in as many small INSERTs whose RETURNING results it splices together at a cost growing
# with the square of the batch. Core sends a None as NULL, so a batch of rows naming the same
# columns is one executemany. The demo leaves None only in nullable columns without a
# default, so both ways write the same rows.


def _batches(rows: Sequence[dict[str, Any]], chunk: int) -> Iterator[Sequence[dict[str, Any]]]:
    """Runs of consecutive rows that name the same columns, at most `chunk` long.

    Core takes a batch's columns from its first row, so a row naming other columns must
    start a new batch; a column a row leaves out gets its default, as with the ORM.
    """
    start, total = 0, len(rows)
    while start < total:
        keys = rows[start].keys()
        end, limit = start + 1, min(start + chunk, total)
        while end < limit and rows[end].keys() == keys:
            end += 1
        yield rows[start:end]
        start = end


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]],
                chunk: int = CHUNK) -> None:
    conn = session.connection()
    stmt = insert(model.__table__)
    for batch in _batches(rows, chunk):
        conn.execute(stmt, batch)


def insert_returning_ids(session: Session, model: Any, rows: Sequence[dict[str, Any]],
                         chunk: int = CHUNK) -> list[int]:
    """Insert the rows and return their new ids, in the order of `rows`."""
    conn = session.connection()
    table = model.__table__
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for batch in _batches(rows, chunk):
        ids.extend(conn.execute(stmt, batch).scalars())
    return ids
