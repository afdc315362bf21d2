"""The migrations build exactly the schema the table definitions describe, on every store, and
a new database built at the head in one step (``migrate`` on an empty database) is the same
schema as one migrated revision by revision."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text

from reams.store import tables as t
from reams.store.db import _upgrade, at_head, make_engine, migrate, schema_head


def _diff(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), t.metadata))


def _shape(conn: Connection) -> dict[str, Any]:
    """Every table's columns (name, type, nullability, default), indexes and unique
    constraints, as the database itself reports them. Columns are compared as a set: a
    migration adds a column at the end of its table, the definitions may list it earlier."""
    inspector = inspect(conn)
    shape: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        columns = sorted(
            (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
            for c in inspector.get_columns(table)
        )
        indexes = sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
        )
        uniques = sorted(
            (u["name"] or "", tuple(u["column_names"]))
            for u in inspector.get_unique_constraints(table)
        )
        shape[table] = {"columns": columns, "indexes": indexes, "uniques": uniques}
    return shape


def test_migrations_match_the_table_definitions(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            _upgrade(conn)  # revision by revision, as an existing database is brought up
        assert at_head(engine)
        assert _diff(engine) == []
    finally:
        engine.dispose()


def test_a_new_database_built_at_head_equals_the_migrated_one(
    database_url: str, tmp_path: Any
) -> None:
    fresh = make_engine(database_url)
    migrated = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    try:
        migrate(fresh)  # empty: built at head in one step
        assert at_head(fresh)
        assert _diff(fresh) == []
        with fresh.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            assert [tuple(row) for row in version] == [(schema_head(),)]
        if fresh.dialect.name == "sqlite":  # the same dialect on both sides
            with migrated.begin() as conn:
                _upgrade(conn)
            with fresh.connect() as a, migrated.connect() as b:
                assert _shape(a) == _shape(b)
        migrate(fresh)  # at head: nothing to do
        assert at_head(fresh)
    finally:
        fresh.dispose()
        migrated.dispose()
