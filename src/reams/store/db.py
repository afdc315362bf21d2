"""Database engines (SQLite or PostgreSQL) and schema migration on start."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x7265616D73  # "reams": the advisory lock key that serializes migrations
PRIVATE_FILE_MODE = 0o600
# Connections kept open: the API's threadpool (40 threads), the reads its event loop makes,
# the engine's and the webhook sender's threads. A connection past the pool is closed after
# each use, and opening one (file, WAL index, PRAGMAs) cost more than the read it served.
SQLITE_POOL_SIZE = 64


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the API) run while a worker writes; NORMAL is durable across process
    # crashes in WAL mode, which is the failure reams must survive.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the write lock at BEGIN so two of them never deadlock upgrading read locks;
    # readers begin deferred so they never wait for a writer (WAL gives them a snapshot).
    if conn.get_execution_options().get("reams_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and immediate transactions."""
    if url.startswith("sqlite"):
        _, sep, rest = url.partition("///")
        path = rest.split("?", 1)[0]
        if sep and path and path != ":memory:" and not path.startswith("file:"):
            private_database_file(Path(path))
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=32,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy not emit its own BEGIN; ours is IMMEDIATE.
        event.listen(engine, "engine_connect", _disable_pysqlite_begin)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def private_database_file(path: Path) -> None:
    """Create the SQLite file owner-only (0600) before SQLite opens it; tighten an existing one.

    SQLite creates ``-wal`` and ``-shm`` with the database file's permissions, so they are
    0600 too. The database holds key hashes, webhook signing secrets and every result: like
    the signing secret, it is nobody else's to read.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
        return
    except FileExistsError:
        pass
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = name.stat().st_mode & 0o777
            if mode & 0o077:
                name.chmod(mode & PRIVATE_FILE_MODE)
        except OSError:  # absent, or not ours to change: SQLite reports what matters
            continue


def _disable_pysqlite_begin(conn: Any) -> None:
    conn.connection.driver_connection.isolation_level = None


def _create_at_head(conn: Connection) -> None:
    """The head schema in an empty database, stamped with the head revision."""
    from reams.store import tables

    if conn.dialect.name == "postgresql":
        tables.add_postgresql_options()
    tables.metadata.create_all(conn)
    version = MetaData()
    # Alembic's own version table, as ``alembic stamp`` would create it.
    table = Table(
        "alembic_version",
        version,
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    version.create_all(conn)
    conn.execute(table.insert().values(version_num=schema_head()))


def _upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def schema_head() -> str:
    """The newest migration's revision: revisions are the files' four-digit prefixes, in one
    line (``0009_job_priority.py`` is revision ``0009``, after ``0008``)."""
    names = (p.name for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return max(name[:4] for name in names)


def at_head(engine: Engine) -> bool:
    """Whether the schema is already at :func:`schema_head` (one query, no Alembic import)."""
    try:
        with engine.connect().execution_options(reams_read_only=True) as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:  # a new database: no version table yet
        return False
    return current == [schema_head()]


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision.

    A database already at the head is left alone without loading Alembic (a tenth of a second
    of every command's start-up). A new, empty database gets the head schema in one step, as
    Alembic's own recipe for a database built from scratch does (``create_all``, then stamp the
    head): running ten migrations one after the other cost most of a first ``reams run``'s
    start-up. ``tests/contract/test_migrations.py`` checks that both ways give one schema.
    """
    if at_head(engine):
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # API servers and workers all migrate on start: one at a time, the others then
            # find the schema at head. (SQLite's write lock, taken at BEGIN, does the same.)
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        if not inspect(conn).get_table_names():
            _create_at_head(conn)
        else:
            _upgrade(conn)
    log.debug("schema at head; tables: %s", sorted(inspect(engine).get_table_names()))
