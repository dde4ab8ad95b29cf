"""Document numbers: gapless per kind and year, taken inside the issuing transaction."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import NumberSequence

from .office import format_number, number_pattern


def next_seq(session: Session, kind: str, year: int) -> int:
    """Bump and return the sequence; the row lock holds other issuers until we commit.

    A rolled-back transaction gives its number back, so numbers stay gapless.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(NumberSequence).values(kind=kind, year=year, last=0).on_conflict_do_nothing()
    )
    return int(
        session.execute(
            update(NumberSequence)
            .where(NumberSequence.kind == kind, NumberSequence.year == year)
            .values(last=NumberSequence.last + 1)
            .returning(NumberSequence.last)
        ).scalar_one()
    )


def allocate(session: Session, kind: str, year: int) -> tuple[int, str]:
    """The next sequence number and the formatted document number for it."""
    seq = next_seq(session, kind, year)
    return seq, format_number(number_pattern(session, kind), year, seq)
