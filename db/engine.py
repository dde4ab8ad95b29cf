"""Opening the ledger database: engine set-up, safety pragmas, migrations and sessions."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration this program ships (a test keeps it equal to Alembic's head). Knowing
# it lets start-up skip importing Alembic when the database is already up to date.
SCHEMA_HEAD = "0009"
SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is for the clerk, in Chinese."""


class DatabaseTooNewError(DatabaseOpenError):
    pass


def sqlite_url(path: Path | str) -> str:
    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def normalize_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (which means a SQLite file)."""
    if "://" in url_or_path:
        return url_or_path
    return sqlite_url(Path(url_or_path).expanduser())


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _check_sqlite_file(path: Path) -> None:
    """Refuse files that are not SQLite databases before SQLAlchemy touches them."""
    if not path.exists():
        if not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        return
    if path.is_dir():
        raise DatabaseOpenError(f"数据库路径是一个文件夹，不是数据库文件：{path}")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except PermissionError as exc:
        raise DatabaseOpenError(f"没有权限读取数据库文件：{path}") from exc
    except OSError as exc:
        raise DatabaseOpenError(f"无法读取数据库文件：{path}（{exc.strerror}）") from exc
    if head and head != SQLITE_MAGIC:
        raise DatabaseOpenError(f"该文件不是台账数据库（可能已损坏或不是数据库文件）：{path}")
    # The owner write bit is what Windows' read-only attribute maps to; os.access would
    # say yes to an administrator even when the file is marked read-only.
    if not path.stat().st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise DatabaseOpenError(f"数据库文件是只读的，请取消文件的只读属性后再打开：{path}")


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below decide how transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 15000")
        mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()
        del mode

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock at BEGIN so two writers queue instead of deadlocking later.
        if conn.get_execution_options().get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def translate_operational(exc: BaseException, where: str) -> DatabaseOpenError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseOpenError(f"数据库正被其他程序占用（锁定），请稍后再试：{where}")
    if "readonly" in text or "read-only" in text:
        return DatabaseOpenError(f"数据库文件是只读的，无法写入：{where}")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseOpenError(f"数据库文件已损坏或不是数据库：{where}")
    if "unable to open" in text:
        return DatabaseOpenError(f"无法打开数据库文件：{where}")
    if "connection" in text or "could not" in text:
        return DatabaseOpenError(f"无法连接数据库服务器：{where}")
    return DatabaseOpenError(f"数据库错误：{exc}")


class Database:
    """One ledger database: a read engine and an immediate-write view of the same pool."""

    def __init__(self, url: str, *, migrate: bool = True, backup_dir: Path | None = None) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path: Path | None = None
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            self.path = Path(parsed.database)
            _check_sqlite_file(self.path)
        self.backup_dir = backup_dir
        # Who is working (a desktop.domain.permissions.Actor, set after login); every session
        # carries it so the services can refuse what the role may not do.
        self.actor: object | None = None
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _install_sqlite_pragmas(self.engine)
            self._write_engine = self.engine.execution_options(sqlite_immediate=True)
        else:
            self._write_engine = self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self._write_engine, expire_on_commit=False)
        if migrate:
            self.migrate()

    # --- sessions -----------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; anything it writes is rolled back."""
        with self._read() as s:
            s.info["actor"] = self.actor
            try:
                yield s
            finally:
                s.rollback()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self._write() as s, s.begin():
            s.info["actor"] = self.actor
            yield s

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    # --- schema -------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except sa_exc.OperationalError as exc:
            raise translate_operational(exc, self.describe()) from exc
        except sa_exc.DatabaseError as exc:
            raise translate_operational(exc, self.describe()) from exc

    def migrate(self) -> None:
        """Bring the schema to the newest revision, after keeping a copy of the old file."""
        current = self.current_revision()
        if current == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseTooNewError(
                f"该数据库由更新版本的程序创建（版本 {current}），请升级程序后再打开：{self.describe()}"
            )
        if current is None and self._has_foreign_tables():
            raise DatabaseOpenError(f"该数据库不是台账数据库（含有其他程序的数据表）：{self.describe()}")
        if current is not None and self.path is not None:
            self.backup_copy(f"before-migration-{current}")
        cfg = alembic_config()
        try:
            with self._write_engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except sa_exc.OperationalError as exc:
            raise translate_operational(exc, self.describe()) from exc

    def _has_foreign_tables(self) -> bool:
        with self.engine.connect() as conn:
            return bool(set(inspect(conn).get_table_names()) - {"alembic_version"})

    def backup_copy(self, label: str) -> Path:
        """A consistent copy of the SQLite file made with SQLite's online backup API."""
        assert self.path is not None
        folder = self.backup_dir or self.path.parent / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{self.path.stem}-{label}-{stamp}.sqlite3"
        src = sqlite3.connect(str(self.path))
        try:
            dst = sqlite3.connect(str(target))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        return target


def open_database(url: str, **kw: Any) -> Database:
    """Open (and migrate) a database, turning driver errors into a clerk-readable error."""
    try:
        return Database(url, **kw)
    except DatabaseOpenError:
        raise
    except sa_exc.OperationalError as exc:
        raise translate_operational(exc, url) from exc
    except sa_exc.DatabaseError as exc:
        raise translate_operational(exc, url) from exc
