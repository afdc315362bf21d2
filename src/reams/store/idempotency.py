"""Idempotency keys: claim a key for a create request, record its response, replay it.

One row per (project, key), made unique by its primary key: a concurrent duplicate's insert
fails and it reads the row instead. A row without a status is a request still running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from reams.store import tables as t
from reams.store.base import StoreBase
from reams.store.db import aware


@dataclass(frozen=True)
class IdempotencyRecord:
    """A stored key: the hash of the request that claimed it and, once it ended, its response."""

    request_hash: str
    status_code: int | None
    response: Any
    created_at: datetime

    @property
    def done(self) -> bool:
        return self.status_code is not None


class IdempotencyStore(StoreBase):
    """Idempotency keys, scoped per project."""

    def claim_idempotency_key(
        self,
        *,
        project_id: str,
        key: str,
        request_hash: str,
        now: datetime,
        reusable_before: datetime,
        abandoned_before: datetime,
    ) -> IdempotencyRecord | None:
        """Claim ``key`` for a request (None: it is ours now) or return the row that holds it.

        A row created before ``reusable_before`` (expired) or still running since before
        ``abandoned_before`` (its process died) is taken over, compare-and-set on its
        creation time, so two takers never both win.
        """
        for _ in range(3):
            try:
                with self.tx() as conn:
                    conn.execute(
                        insert(t.idempotency_keys).values(
                            project_id=project_id,
                            key=key,
                            request_hash=request_hash,
                            created_at=now,
                        )
                    )
                return None
            except IntegrityError:
                pass
            found = self.get_idempotency_key(project_id=project_id, key=key)
            if found is None:
                continue  # released meanwhile: try again
            stale = found.created_at < reusable_before or (
                not found.done and found.created_at < abandoned_before
            )
            if not stale:
                return found
            c = t.idempotency_keys.c
            with self.tx() as conn:
                conn.execute(
                    delete(t.idempotency_keys).where(
                        c.project_id == project_id,
                        c.key == key,
                        c.created_at == found.created_at,
                    )
                )
        found = self.get_idempotency_key(project_id=project_id, key=key)
        if found is None:  # pragma: no cover - three lost races in a row
            raise RuntimeError(f"could not claim idempotency key {key!r}")
        return found

    def get_idempotency_key(self, *, project_id: str, key: str) -> IdempotencyRecord | None:
        c = t.idempotency_keys.c
        with self.read() as conn:
            row = conn.execute(
                select(c.request_hash, c.status_code, c.response, c.created_at).where(
                    c.project_id == project_id, c.key == key
                )
            ).first()
        if row is None:
            return None
        created = aware(row.created_at)
        assert created is not None
        return IdempotencyRecord(row.request_hash, row.status_code, row.response, created)

    def finish_idempotency_key(
        self, *, project_id: str, key: str, status_code: int, response: Any, now: datetime
    ) -> None:
        """Record the response of the request that holds ``key``."""
        c = t.idempotency_keys.c
        with self.tx() as conn:
            conn.execute(
                update(t.idempotency_keys)
                .where(c.project_id == project_id, c.key == key, c.status_code.is_(None))
                .values(status_code=status_code, response=response, completed_at=now)
            )

    def release_idempotency_key(self, *, project_id: str, key: str) -> None:
        """Forget a key whose request failed (nothing was created): it may be used again."""
        c = t.idempotency_keys.c
        with self.tx() as conn:
            conn.execute(
                delete(t.idempotency_keys).where(
                    c.project_id == project_id, c.key == key, c.status_code.is_(None)
                )
            )

    def sweep_idempotency_keys(self, *, created_before: datetime) -> int:
        """Delete keys older than their time to live (any project); returns how many."""
        c = t.idempotency_keys.c
        with self.tx() as conn:
            return int(
                conn.execute(
                    delete(t.idempotency_keys).where(c.created_at < created_before)
                ).rowcount
            )
