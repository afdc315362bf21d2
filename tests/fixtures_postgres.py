"""PostgreSQL fixtures, imported by the conftest of each tier that needs them (contract,
acceptance): a fresh schema of the ``test`` database per test, or a skip with the reason.

Tests that use them are marked ``postgres`` (``-m "not postgres"`` leaves them out).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: skip with the reason
        return f"PostgreSQL at 127.0.0.1:5432/test did not answer: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return _postgres_available()


@pytest.fixture
def pg_schema_url(request: pytest.FixtureRequest, postgres_reason: str | None) -> Iterator[str]:
    """A URL into a fresh schema of the `test` database (one per test), dropped afterwards."""
    if request.node.get_closest_marker("postgres") is None:
        pytest.fail(f"{request.node.nodeid} uses PostgreSQL: mark it postgres", pytrace=False)
    if postgres_reason:
        pytest.skip(postgres_reason)
    schema = f"reams_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
