"""An issued notice is frozen in the database itself: raw SQL cannot edit, delete or un-void it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.unit.domain.test_notices import issue, new_finding, setup_ledger


@pytest.fixture
def notice_id(any_db) -> int:
    ledger = setup_ledger(any_db)
    return issue(any_db, [new_finding(any_db, ledger).id]).id


def _run(db, sql: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), {"id": params.pop("id"), **params})


EDITS = (
    "UPDATE notice SET party = '别人' WHERE id = :id",
    "UPDATE notice SET deadline = NULL WHERE id = :id",
    "UPDATE notice SET number = number || 'X' WHERE id = :id",
    "UPDATE notice SET legal_basis_text = '' WHERE id = :id",
    "UPDATE notice SET officer2_cert = '0' WHERE id = :id",
    "UPDATE notice SET id = id + 100 WHERE id = :id",
    "DELETE FROM notice WHERE id = :id",
    "DELETE FROM notice_finding WHERE notice_id = :id",
    "UPDATE notice_finding SET finding_id = finding_id WHERE notice_id = :id",
)


def test_raw_edits_are_refused(any_db, notice_id):
    for sql in EDITS:
        with pytest.raises(IntegrityError, match="不能"):
            _run(any_db, sql, id=notice_id)
    with any_db.engine.connect() as conn:
        party, links = conn.execute(text(
            "SELECT party, (SELECT count(*) FROM notice_finding WHERE notice_id = n.id) "
            "FROM notice n WHERE id = :id"), {"id": notice_id}).one()
    assert party == "老王火锅店" and links == 1


def test_voiding_is_the_one_change_and_it_is_final(any_db, notice_id):
    at = dt.datetime(2026, 3, 6, 9, 0)
    with pytest.raises(IntegrityError, match="原因"):
        _run(any_db, "UPDATE notice SET voided_at = :at WHERE id = :id", id=notice_id, at=at)
    _run(any_db, "UPDATE notice SET voided_at = :at, void_reason = '填写错误' WHERE id = :id",
         id=notice_id, at=at)
    for sql in ("UPDATE notice SET voided_at = NULL WHERE id = :id",
                "UPDATE notice SET void_reason = '换个原因' WHERE id = :id"):
        with pytest.raises(IntegrityError, match="已作废"):
            _run(any_db, sql, id=notice_id)
    with any_db.engine.connect() as conn:
        reason = conn.execute(text("SELECT void_reason FROM notice WHERE id = :id"),
                              {"id": notice_id}).scalar_one()
    assert reason == "填写错误"
