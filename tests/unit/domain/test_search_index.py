"""The trigram search index finds exactly what a plain substring scan finds."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import insert, select, text

from db.models import Business
from desktop.demo import generate
from desktop.domain import businesses as B
from desktop.domain.search_index import deferred_index
from desktop.domain.textkeys import initials, like_pattern, search_text


def test_index_agrees_with_a_full_scan(db):
    generate(db, businesses=600, seed=7)
    with db.session() as s:
        texts = list(s.scalars(select(Business.search_text)))
        rng = random.Random(3)
        terms = {"火锅", "店", "超市", "hg", "13", "路", "9", "x", "%", "号3"}
        for text in rng.sample(texts, 40):
            fields = [f for f in text.split("|") if f]
            field = rng.choice(fields)
            for size in (2, 3, 5):
                if len(field) >= size:
                    start = rng.randrange(len(field) - size + 1)
                    terms.add(field[start:start + size])
            terms.add(fields[-1][-2:])  # the last two characters of the text
        for term in sorted(terms):
            indexed = {r.id for r in B.page(s, B.BusinessQuery(text=term), 0, 10_000)}
            scanned = set(s.scalars(select(Business.id).where(
                Business.active.is_(True),
                Business.search_text.like(like_pattern(term.lower()), escape="\\"))))
            assert indexed == scanned, term
            assert B.count(s, B.BusinessQuery(text=term)) == len(scanned)


def test_index_follows_edits(db):
    from tests.factories import make_ledger
    ledger = make_ledger(db)
    bid = ledger.businesses["鑫源五金店"]
    with db.session() as s:
        row = B.get(s, bid)
    with db.transaction() as s:
        B.update(s, bid, row.version, B.BusinessInput(**{**row.as_input().__dict__, "name": "鑫源建材商行"}))
    with db.session() as s:
        assert [r.name for r in B.search(s, "建材商")[1]] == ["鑫源建材商行"]
        assert B.search(s, "五金店")[0] == 0
        assert [r.name for r in B.search(s, "jcsh")[1]] == ["鑫源建材商行"]


def _fts_triggers(s) -> dict[str, str]:
    """The SQL of what keeps the index in step: SQLite's triggers, PostgreSQL's GIN index."""
    if s.get_bind().dialect.name == "sqlite":
        return dict(s.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'business_fts%'")).all())
    return dict(s.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " AND indexname = 'ix_business_search_trgm'")).all())


def _shop_rows(ledger, names):
    community = next(iter(ledger.communities.values()))
    keys = [initials(n) for n in names]
    return [{"name": n, "initials": k, "search_text": search_text(n, k), "community_id": community,
             "updated_by": "t"} for n, k in zip(names, keys, strict=True)]


def test_rows_written_with_the_index_deferred_are_found(any_db):
    from tests.factories import make_ledger
    ledger = make_ledger(any_db)
    with any_db.session() as s:
        before = _fts_triggers(s)
    assert len(before) == (3 if any_db.is_sqlite else 1)
    with any_db.transaction() as s:
        with deferred_index(s):
            s.connection().execute(insert(Business.__table__),
                                   _shop_rows(ledger, ["蓝鲸咖啡馆", "白鹭茶社", "金鼎水果店"]))
            assert _fts_triggers(s) == {}  # no upkeep row by row until the block ends
        assert _fts_triggers(s) == before
        # rows written after the block go through the triggers again
        s.connection().execute(insert(Business.__table__), _shop_rows(ledger, ["青松书店"]))
    with any_db.session() as s:
        assert [r.name for r in B.search(s, "鲸咖啡")[1]] == ["蓝鲸咖啡馆"]
        assert [r.name for r in B.search(s, "blcs")[1]] == ["白鹭茶社"]
        assert [r.name for r in B.search(s, "火锅")[1]] == ["川味火锅城", "老王火锅店"]
        assert [r.name for r in B.search(s, "青松书")[1]] == ["青松书店"]
        assert B.count(s, B.BusinessQuery(text="水果店")) == 1


def test_the_triggers_come_back_exactly(db, tmp_path):
    with db.session() as s:
        before = _fts_triggers(s)
    assert set(before) == {"business_fts_ai", "business_fts_ad", "business_fts_au"}
    with db.transaction() as s, deferred_index(s):
        pass
    with db.session() as s:
        assert _fts_triggers(s) == before
        s.execute(text("INSERT INTO business_fts(business_fts, rank) VALUES ('integrity-check', 1)"))


def test_an_error_in_the_block_rolls_everything_back(db):
    from tests.factories import make_ledger
    ledger = make_ledger(db)
    with db.session() as s:
        before = _fts_triggers(s)
    with pytest.raises(RuntimeError), db.transaction() as s, deferred_index(s):
        s.connection().execute(insert(Business.__table__), _shop_rows(ledger, ["蓝鲸咖啡馆"]))
        raise RuntimeError("crash half-way")
    with db.session() as s:
        assert _fts_triggers(s) == before
        assert B.search(s, "蓝鲸")[0] == 0
    with db.transaction() as s:  # the triggers still index new rows
        s.connection().execute(insert(Business.__table__), _shop_rows(ledger, ["白鹭茶社"]))
    with db.session() as s:
        assert [r.name for r in B.search(s, "白鹭茶")[1]] == ["白鹭茶社"]
        s.execute(text("INSERT INTO business_fts(business_fts, rank) VALUES ('integrity-check', 1)"))
