"""The trigram search index finds exactly what a plain substring scan finds."""

from __future__ import annotations

import random

from sqlalchemy import select

from db.models import Business
from desktop.demo import generate
from desktop.domain import businesses as B
from desktop.domain.textkeys import like_pattern


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
