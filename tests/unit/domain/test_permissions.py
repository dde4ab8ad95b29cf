"""Every table a role may not change is refused in the flush itself, whatever service writes."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy.exc import SAWarning, SQLAlchemyError

from db.engine import Database
from db.models import Base
from desktop.domain.errors import PermissionDeniedError
from desktop.domain.permissions import ROLES, WRITERS, Actor

MODELS = {mapper.class_.__table__.name: mapper.class_ for mapper in Base.registry.mappers}


@pytest.fixture(scope="module")
def ledger_db(tmp_path_factory):
    database = Database(str(tmp_path_factory.mktemp("roles") / "roles.sqlite3"))
    yield database
    database.dispose()


@pytest.mark.parametrize("table", sorted(WRITERS))
@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_on_each_table(ledger_db, table, role):
    db = ledger_db
    db.actor = Actor("someone", "某人", role)
    allowed = role in WRITERS[table]
    warnings.simplefilter("ignore", SAWarning)  # empty rows are the point here
    try:
        with db.transaction() as s:
            s.add(MODELS[table]())  # an empty row: the role check comes before any constraint
            s.flush()
    except PermissionDeniedError as exc:
        assert not allowed, f"{role} may write {table}"
        assert "无权修改" in exc.message
    except SQLAlchemyError:
        assert allowed, f"{role} may not write {table}, yet got past the role check"
    else:
        assert allowed


def test_viewer_may_write_nothing():
    assert not any("viewer" in roles for roles in WRITERS.values())
    assert set(MODELS) - set(WRITERS) <= {"number_sequence", "audit_entry", "reported_period"}
