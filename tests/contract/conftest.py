"""Fixtures for the contract tier: every test here runs over SQLite and PostgreSQL (the
PostgreSQL runs are marked ``postgres``); the engine contract also runs on Temporal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures_postgres import pg_schema_url, postgres_reason
from fixtures_servers import temporal_server
from reams.store.db import make_engine, migrate
from reams.store.transitions import Store

__all__ = ["pg_schema_url", "postgres_reason", "temporal_server"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reams.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    engine = make_engine(database_url)
    migrate(engine)
    yield Store(engine)
    engine.dispose()
