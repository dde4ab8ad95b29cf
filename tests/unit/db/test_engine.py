"""Opening ledgers: pragmas, migrations on both databases, and files that must be refused."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

import db.engine as engine_mod
from db.engine import Database, DatabaseOpenError, DatabaseTooNewError, head_revision, open_database
from db.models import Base, include_in_schema_compare


def test_sqlite_is_opened_safely(db):
    with db.session() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(db):
    from db.models import Grid
    with pytest.raises(Exception, match="FOREIGN KEY"), db.transaction() as s:
        s.add(Grid(community_id=999, name="孤儿网格"))


def test_migrations_match_the_models(any_db):
    """The migrated schema is exactly what the models declare, on SQLite and PostgreSQL."""
    with any_db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": include_in_schema_compare})
        assert ctx.get_current_revision() == head_revision()
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_schema_head_constant_is_alembics_head():
    assert engine_mod.SCHEMA_HEAD == head_revision()


def test_downgrade_and_upgrade_again(any_url):
    from alembic import command
    database = Database(any_url)
    cfg = engine_mod.alembic_config()
    with database.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert database.current_revision() is None
    database.migrate()
    assert database.current_revision() == head_revision()
    database.dispose()


def test_upgrade_keeps_a_copy_of_the_old_file(sqlite_url, tmp_path, monkeypatch):
    database = Database(sqlite_url)
    with database.transaction() as s:
        s.execute(text("INSERT INTO community (name, code, sort_order, active, version, created_at,"
                       " updated_at, updated_by) VALUES ('东湖社区', '', 1, 1, 1, '2026-01-01',"
                       " '2026-01-01', '')"))
    database.dispose()
    # A newer program: the same migrations plus one more revision.
    newer = tmp_path / "migrations"
    shutil.copytree(engine_mod.MIGRATIONS, newer)
    old_head = head_revision()
    (newer / "versions" / "9999_add_note.py").write_text(
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '9999'\ndown_revision = '{old_head}'\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('community') as b:\n"
        "        b.add_column(sa.Column('note', sa.String(20), nullable=True))\n"
        "def downgrade():\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(engine_mod, "MIGRATIONS", newer)
    monkeypatch.setattr(engine_mod, "SCHEMA_HEAD", "9999")
    upgraded = Database(sqlite_url)
    assert upgraded.current_revision() == "9999"
    upgraded.dispose()
    copies = list((Path(sqlite_url).parent / "backups").glob("*.sqlite3"))
    assert len(copies) == 1 and old_head in copies[0].name
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old_head
        assert conn.execute("SELECT name FROM community").fetchall() == [("东湖社区",)]


def test_database_from_a_newer_program_is_refused_untouched(sqlite_url):
    Database(sqlite_url).dispose()
    with sqlite3.connect(sqlite_url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    before = Path(sqlite_url).read_bytes()
    with pytest.raises(DatabaseTooNewError, match="更新版本"):
        open_database(sqlite_url)
    assert Path(sqlite_url).read_bytes() == before


def test_garbage_file_is_refused_untouched(tmp_path):
    bad = tmp_path / "坏文件.sqlite3"
    bad.write_bytes(b"PK\x03\x04 this is a zip, not a ledger" * 10)
    with pytest.raises(DatabaseOpenError, match="不是台账数据库"):
        open_database(str(bad))
    assert bad.read_bytes().startswith(b"PK\x03\x04")


def test_truncated_database_is_refused(db, tmp_path):
    src = Path(db.path)
    db.dispose()
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(src.read_bytes()[:5000])
    with pytest.raises(DatabaseOpenError):
        open_database(str(cut))


def test_other_programs_database_is_refused(tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseOpenError, match="不是台账数据库"):
        open_database(str(other))


def test_read_only_file_is_refused(sqlite_url):
    Database(sqlite_url).dispose()
    path = Path(sqlite_url)
    path.chmod(stat.S_IREAD)
    try:
        with pytest.raises(DatabaseOpenError, match="只读"):
            open_database(sqlite_url)
    finally:
        path.chmod(stat.S_IREAD | stat.S_IWRITE)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(DatabaseOpenError, match="文件夹"):
        open_database(str(tmp_path))


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(DatabaseOpenError, match="数据库"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
