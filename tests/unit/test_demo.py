"""Demo data: valid codes, consistent divisions, searchable names, reproducible, never over real data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db.engine import Database
from db.models import AuditEntry, Base, Business, Community, Grid, NumberingPattern, OfficeProfile
from desktop import demo
from desktop.demo import generate, legacy_check_digit
from desktop.domain import audit, businesses, divisions
from desktop.domain.codes import normalize_phone, parse_credit_code
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.textkeys import initials, name_sort, search_text

N = 300


@pytest.fixture
def demo_db(db: Database) -> Database:
    summary = generate(db, businesses=N, seed=7)
    assert summary["businesses"] == N
    assert summary["communities"] == 6
    assert summary["grids"] == 20
    assert isinstance(summary["seconds"], float)
    return db


def _all(db: Database) -> list[Business]:
    with db.session() as s:
        rows = list(s.scalars(select(Business).order_by(Business.id)))
        s.expunge_all()  # keep the loaded values past the read session's rollback
        return rows


def _names(url: str, seed: int) -> list[str]:
    database = Database(url)
    try:
        generate(database, businesses=50, seed=seed)
        with database.session() as s:
            return list(s.scalars(select(Business.name).order_by(Business.id)))
    finally:
        database.dispose()


def test_credit_codes_are_valid_and_unique(demo_db: Database) -> None:
    rows = _all(demo_db)
    codes = [b.credit_code for b in rows if b.credit_code is not None]
    assert len(codes) == len(set(codes))
    assert len(codes) > N * 0.8
    for b in rows:
        if b.credit_code is None:
            assert not b.legacy_code
            continue
        parsed = parse_credit_code(b.credit_code)
        assert parsed.value == b.credit_code
        assert parsed.legacy == b.legacy_code
    assert any(b.legacy_code for b in rows)  # a few old 15-digit numbers, flagged


def test_legacy_check_digit_matches_the_validator() -> None:
    number = "32010400000001"
    assert parse_credit_code(number + legacy_check_digit(number)).legacy


def test_rows_look_like_a_real_ledger(demo_db: Database) -> None:
    rows = _all(demo_db)
    with demo_db.session() as s:
        grid_community = dict(s.execute(select(Grid.id, Grid.community_id)).all())
        community_count = s.scalar(select(func.count()).select_from(Community))
    assert community_count == 6
    for b in rows:
        assert b.name and any("\u4e00" <= ch <= "\u9fff" for ch in b.name)
        assert b.category in businesses.CATEGORIES
        assert b.status in businesses.STATUSES
        assert b.grid_id is not None and grid_community[b.grid_id] == b.community_id
        assert b.active == (b.status != "注销")
        if b.status == "无照":
            assert b.credit_code is None and not b.licence_displayed
        if b.phone:
            assert normalize_phone(b.phone) == b.phone
        assert b.address and ("号" in b.address or "商铺" in b.address)
    statuses = Counter(b.status for b in rows)
    assert statuses["营业"] > N * 0.6
    assert len({b.category for b in rows}) >= 10
    assert len({b.community_id for b in rows}) == 6


def test_search_keys_match_the_ledger_service(demo_db: Database) -> None:
    for b in _all(demo_db):
        assert b.initials == initials(b.name)
        assert b.name_sort == name_sort(b.name)
        assert b.search_text == search_text(b.name, b.initials, b.credit_code, b.address,
                                             b.operator, b.phone.replace("-", ""))


def test_a_generated_name_is_found_by_its_initials(demo_db: Database) -> None:
    target = next(b for b in _all(demo_db) if b.active and len(b.initials) >= 3)
    with demo_db.session() as s:
        total, rows = businesses.search(s, target.initials.upper(), limit=N)
    assert total >= 1
    assert target.id in {r.id for r in rows}


def _fts_triggers(db: Database) -> dict[str, str]:
    with db.session() as s:
        return dict(s.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'business'"
            " AND name LIKE 'business_fts%'")).all())


def _migrated_triggers(tmp_path: Path) -> dict[str, str]:
    fresh = Database(str(tmp_path / "fresh.sqlite3"))
    try:
        return _fts_triggers(fresh)
    finally:
        fresh.dispose()


def _index_is_intact(db: Database) -> None:
    # With rank 1, FTS5 also checks the index against every row of the business table.
    with db.transaction() as s:
        s.execute(text("INSERT INTO business_fts(business_fts, rank) VALUES ('integrity-check', 1)"))


def test_the_search_index_holds_every_demo_business(demo_db: Database, tmp_path: Path) -> None:
    # The demo builds the index once after the last row instead of row by row.
    _index_is_intact(demo_db)
    rows = _all(demo_db)
    with demo_db.session() as s:
        for target in (rows[0], rows[len(rows) // 2], rows[-1]):
            found = businesses.page(s, businesses.BusinessQuery(text=target.name, include_inactive=True),
                                    0, N)
            assert target.id in {r.id for r in found}, target.name
            # a three-character piece of the name, as a clerk types it
            piece = target.name[-3:]
            _, found = businesses.search(s, piece, limit=N, include_inactive=True)
            assert target.id in {r.id for r in found}, piece
    # ... and it leaves the triggers exactly as the migration made them.
    assert _fts_triggers(demo_db) == _migrated_triggers(tmp_path)
    assert set(_fts_triggers(demo_db)) == {"business_fts_ai", "business_fts_au", "business_fts_ad"}


def test_shops_added_after_the_demo_are_searchable(demo_db: Database) -> None:
    with demo_db.session() as s:
        community_id, grid_id = s.execute(select(Grid.community_id, Grid.id).limit(1)).one()
        assert businesses.search(s, "蓝鲸咖啡")[0] == 0
    with demo_db.transaction() as s:
        added = businesses.create(s, businesses.BusinessInput(
            name="蓝鲸咖啡馆", category="餐饮", address="人民路1号", community_id=community_id,
            grid_id=grid_id))
    with demo_db.session() as s:
        assert [r.id for r in businesses.search(s, "蓝鲸咖啡")[1]] == [added.id]
        assert [r.id for r in businesses.search(s, "ljkf")[1]] == [added.id]
    with demo_db.transaction() as s:
        businesses.update(s, added.id, added.version, businesses.BusinessInput(
            **{**added.as_input().__dict__, "name": "白鹭茶社"}))
    with demo_db.session() as s:
        assert businesses.search(s, "蓝鲸咖啡")[0] == 0
        assert [r.id for r in businesses.search(s, "白鹭茶")[1]] == [added.id]
    with demo_db.transaction() as s:
        s.execute(text("DELETE FROM business WHERE id = :id"), {"id": added.id})
    with demo_db.session() as s:
        assert businesses.search(s, "白鹭茶")[0] == 0
    _index_is_intact(demo_db)


def test_a_failed_demo_leaves_the_index_as_it_was(db: Database, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kw: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "generate_agreements", broken)
    with pytest.raises(RuntimeError):
        generate(db, businesses=50)
    assert _all(db) == []
    assert _fts_triggers(db) == _migrated_triggers(tmp_path)
    from tests.factories import make_ledger

    make_ledger(db)
    with db.session() as s:
        assert [r.name for r in businesses.search(s, "火锅店")[1]] == ["老王火锅店"]
    _index_is_intact(db)


def test_on_postgresql_the_id_sequences_move_past_the_demo_rows(pg_url: str) -> None:
    # Some demo rows are written with their ids given; the next row a clerk saves must
    # still get a fresh id from the sequence.
    database = Database(pg_url)
    try:
        generate(database, businesses=50, seed=3)
        with database.session() as s:
            checked = 0
            for name, table in sorted(Base.metadata.tables.items()):
                if "id" not in table.c:
                    continue
                top = s.scalar(text(f'SELECT max(id) FROM "{name}"'))
                sequence = s.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name})
                if top is None or sequence is None:
                    continue
                assert s.scalar(text("SELECT nextval(:s)"), {"s": sequence}) > top, name
                checked += 1
            assert checked >= 10
    finally:
        database.dispose()


def test_office_patterns_and_one_audit_entry(demo_db: Database) -> None:
    with demo_db.session() as s:
        office = s.scalars(select(OfficeProfile)).one()
        assert office.name.endswith("街道办事处") and office.phone
        assert s.scalar(select(func.count()).select_from(NumberingPattern)) >= 6
        entries = list(s.scalars(select(AuditEntry)))
        # one entry for the whole demo, none per generated shop or agreement
        assert [e.entity for e in entries].count("demo") == 1
        assert not {e.entity for e in entries} & {"business", "agreement", "finding", "notice"}
        assert audit.verify_chain(s).broken_at is None


def test_same_seed_same_data(tmp_path: Path) -> None:
    first = _names(str(tmp_path / "a.sqlite3"), 11)
    again = _names(str(tmp_path / "b.sqlite3"), 11)
    other = _names(str(tmp_path / "c.sqlite3"), 12)
    assert first == again
    assert first != other


def test_running_demo_twice_changes_nothing(demo_db: Database) -> None:
    again = generate(demo_db, businesses=10)
    assert again["already_present"] is True and again["businesses"] == N
    assert len(_all(demo_db)) == N


def test_refuses_a_ledger_that_has_businesses(db: Database) -> None:
    from tests.factories import make_ledger

    make_ledger(db)
    with pytest.raises(DomainError, match="已有台账数据"):
        generate(db, businesses=10)
    assert len(_all(db)) == 5


def test_refuses_a_ledger_that_has_communities(db: Database) -> None:
    with db.transaction() as s:
        divisions.create_community(s, "真实社区")
    with pytest.raises(DomainError):
        generate(db, businesses=10)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Community)) == 1


def test_rejects_a_negative_count(db: Database) -> None:
    with pytest.raises(ValidationError):
        generate(db, businesses=-1)
