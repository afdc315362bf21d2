"""Alembic environment: runs on the connection the store hands over (see store.db.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from reams.store.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` command line: REAMS_DATABASE_URL or sqlalchemy.url
        url = config.get_main_option("sqlalchemy.url")
        with create_engine(url or "sqlite://").connect() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
