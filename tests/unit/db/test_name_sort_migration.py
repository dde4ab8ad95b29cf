"""Migration 0009 keys the businesses a ledger already had by pinyin, in batches."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, select, text

import db.engine as engine_mod
from db.engine import Database, head_revision
from db.models import Business
from desktop.domain import businesses as B
from desktop.domain.textkeys import name_sort

NAMES = ["张记面馆", "重庆小面馆", "7-11便利店", "阿强理发店", "百味餐厅", "陈氏修车行"]
FILLER = 10_003  # more than two of the migration's batches of 5,000


def _ledger_at_0008(url: str) -> Database:
    database = Database(url, migrate=False)
    cfg = engine_mod.alembic_config()
    with database.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    stamp = dt.datetime(2026, 1, 5, 9, 0)
    common = {"legacy_code": False, "operator": "", "phone": "", "address": "", "category": "其他",
              "status": "营业", "licence_displayed": True, "initials": "", "search_text": "|",
              "remarks": "", "active": True, "version": 1, "created_at": stamp,
              "updated_at": stamp, "updated_by": ""}
    with database.engine.begin() as conn:
        cid = conn.execute(text(
            "INSERT INTO community (name, code, sort_order, active, version, created_at,"
            " updated_at, updated_by) VALUES ('东湖社区', '', 1, :t, 1, :at, :at, '')"
            " RETURNING id"), {"t": True, "at": stamp}).scalar_one()
        columns = ", ".join(["name", "community_id", *common])
        values = ", ".join([":name", ":community_id", *(f":{c}" for c in common)])
        names = NAMES + [f"{'东西南北'[i % 4]}城{i}号店" for i in range(FILLER)]
        conn.execute(text(f"INSERT INTO business ({columns}) VALUES ({values})"),
                     [{"name": n, "community_id": cid, **common} for n in names])
    return database


def test_0009_keys_the_rows_made_at_0008(any_url):
    database = _ledger_at_0008(any_url)
    assert database.current_revision() == "0008"
    database.migrate()
    assert database.current_revision() == head_revision()
    with database.session() as s:
        rows = s.execute(select(Business.name, Business.name_sort)).all()
        assert len(rows) == len(NAMES) + FILLER
        assert all(key == name_sort(name) for name, key in rows)
        first = [r.name for r in B.page(s, B.BusinessQuery(sort="name"), 0, 4)]
        assert first[:3] == ["7-11便利店", "阿强理发店", "百味餐厅"]
        assert first[3].startswith("北城")  # bai, then bei
    found = inspect(database.engine)
    assert "ix_business_name_sort" in {ix["name"] for ix in found.get_indexes("business")}
    if not database.is_sqlite:  # byte order whatever the database's locale
        column = next(c for c in found.get_columns("business") if c["name"] == "name_sort")
        assert column["type"].collation == "C"
    database.dispose()
