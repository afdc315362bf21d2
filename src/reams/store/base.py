"""Shared plumbing of the store: transactions, row mapping, page tokens."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Row
from sqlalchemy.exc import DataError

from reams.domain.errors import InvalidField, InvalidRequest
from reams.domain.paging import MAX_TOKEN_CHARS, checked_offset
from reams.store import tables
from reams.store.db import aware

R = TypeVar("R")


class StoreBase:
    """Owns the SQLAlchemy engine; every public method runs in one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        if self.dialect == "postgresql":
            tables.add_postgresql_options()
        self._statements: dict[Hashable, Any] = {}

    def statement(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """A statement built once and reused with bind parameters.

        Building SQLAlchemy expressions costs more Python time than SQLite takes to run them,
        so the per-item hot path (claim, record, count) reuses prebuilt statements.
        """
        stmt = self._statements.get(key)
        if stmt is None:
            stmt = self._statements[key] = build()
        return stmt

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        with _refused_values(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with (
            _refused_values(),
            self.engine.connect().execution_options(reams_read_only=True) as conn,
        ):
            yield conn


@contextmanager
def _refused_values() -> Iterator[None]:
    """A value the database refuses (PostgreSQL rejects NUL characters in text, for one) is
    the caller's mistake: a domain error naming it, never a driver exception upstairs."""
    try:
        yield
    except DataError:
        raise InvalidField(
            "a value in the request cannot be stored (for example it contains a NUL character)"
        ) from None


def to_record(cls: type[R], row: Row[Any] | Any, **extra: Any) -> R:
    """Build a frozen record from a row, taking the columns the record declares."""
    if extra or not isinstance(row, Row):
        return _to_record_slow(cls, row, extra)
    keys = row._fields
    plan = _PLANS.get((cls, keys))
    if plan is None:
        declared = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        plan = _PLANS[(cls, keys)] = [(k, i) for i, k in enumerate(keys) if k in declared]
    values: dict[str, Any] = {}
    for name, index in plan:
        value = row[index]
        if value.__class__ is datetime and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)  # SQLite hands datetimes back naive
        values[name] = value
    return cls(**values)


# Per record class and row shape: which row positions fill which fields. Reading a page of
# rows into records is on every list and on ``reams run``'s output path, so the field
# matching is done once per shape instead of once per row.
_PLANS: dict[tuple[type, tuple[str, ...]], list[tuple[str, int]]] = {}


def _to_record_slow(cls: type[R], row: Row[Any] | Any, extra: dict[str, Any]) -> R:
    data: Any = row._mapping if hasattr(row, "_mapping") else row
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in extra:
            values[f.name] = extra[f.name]
        elif f.name in data:
            value = data[f.name]
            values[f.name] = aware(value) if hasattr(value, "tzinfo") else value
    return cls(**values)


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_token(token: str | None) -> int:
    """The offset a token of :func:`encode_token` stands for; InvalidRequest (400) for any
    other string, including one whose offset is past :data:`MAX_OFFSET`."""
    if not token:
        return 0
    if len(token) > MAX_TOKEN_CHARS:
        raise InvalidRequest("page_token is not a token this server issued")
    try:
        padded = token + "=" * (-len(token) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded))["o"]
    except (ValueError, KeyError, TypeError):
        raise InvalidRequest("page_token is not a token this server issued") from None
    return checked_offset(offset)


def next_token(offset: int, page_size: int, fetched: int) -> str | None:
    """Pages fetch one row more than asked, so a full page knows whether another follows."""
    return encode_token(offset + page_size) if fetched > page_size else None
