"""The migrations build exactly the schema the table definitions describe, on every store."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from reams.store import tables as t
from reams.store.db import make_engine, migrate


def test_migrations_match_the_table_definitions(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    finally:
        engine.dispose()
    assert diff == [], diff
