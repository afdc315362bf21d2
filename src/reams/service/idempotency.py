"""Idempotent creates: the same ``Idempotency-Key`` with the same request returns the first
response again instead of creating a second object.

Keys are scoped per project and kept in the store (they survive restarts) for
:data:`KEY_TTL`. The first request with a key claims it, runs, and records its response
(2xx only: a request that failed created nothing, so its key is released and may be used
again). A duplicate that arrives while the first still runs waits for it and returns its
response; a key used with a different request (another body, path or query) is refused.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from reams.domain.errors import Conflict, InvalidField
from reams.store.db import utcnow
from reams.store.protocols import Catalog

KEY_TTL: Final = timedelta(hours=24)
# A first request still "running" after this long died with its process: the key is freed.
ABANDONED_AFTER: Final = timedelta(minutes=10)
WAIT_S: Final = 60.0  # how long a concurrent duplicate waits for the first request
POLL_S: Final = 0.05
SWEEP_EVERY: Final = timedelta(minutes=10)
MAX_KEY_LENGTH: Final = 255


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: Any


def request_hash(
    *,
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    body: Any,
) -> str:
    """The sha256 of a request's canonical form: method, path, sorted query, and the body as
    canonical JSON (parsed JSON, or form fields with each file as its name and sha256)."""
    canonical = {
        "method": method.upper(),
        "path": path,
        "query": sorted(query),
        "body": body,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidField(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters")
    return key


class Idempotency:
    """Runs create requests at most once per (project, key)."""

    def __init__(self, *, catalog: Catalog, wait_s: float = WAIT_S) -> None:
        self._catalog = catalog
        self._wait_s = wait_s
        self._next_sweep = 0.0  # monotonic: expired keys are deleted at most every SWEEP_EVERY

    def sweep(self, *, force: bool = False) -> int:
        """Delete expired keys (a key past its TTL is reusable anyway; this bounds the table).
        Runs from :meth:`begin` at most once per :data:`SWEEP_EVERY` in a process."""
        if not force and time.monotonic() < self._next_sweep:
            return 0
        self._next_sweep = time.monotonic() + SWEEP_EVERY.total_seconds()
        return self._catalog.sweep_idempotency_keys(created_before=utcnow() - KEY_TTL)

    def begin(self, *, project_id: str, key: str, fingerprint: str) -> StoredResponse | None:
        """Claim ``key`` for this request (None: run it, then :meth:`finish` or
        :meth:`release`), or the first request's response to send again.

        Raises InvalidField when the key was used for a different request, Conflict when
        the first request is still running after the wait.
        """
        check_key(key)
        self.sweep()
        deadline = time.monotonic() + self._wait_s
        while True:
            now = utcnow()
            found = self._catalog.claim_idempotency_key(
                project_id=project_id,
                key=key,
                request_hash=fingerprint,
                now=now,
                reusable_before=now - KEY_TTL,
                abandoned_before=now - ABANDONED_AFTER,
            )
            if found is None:
                return None
            if found.request_hash != fingerprint:
                raise InvalidField(
                    f"Idempotency-Key {key!r} was already used with a different request "
                    "(another body, path or query); use a new key for a new request"
                )
            if found.done:
                assert found.status_code is not None
                return StoredResponse(found.status_code, found.response)
            if time.monotonic() >= deadline:
                raise Conflict(
                    f"a request with Idempotency-Key {key!r} is still in progress; try again later"
                )
            time.sleep(POLL_S)

    def finish(self, *, project_id: str, key: str, status_code: int, body: Any) -> None:
        self._catalog.finish_idempotency_key(
            project_id=project_id, key=key, status_code=status_code, response=body, now=utcnow()
        )

    def release(self, *, project_id: str, key: str) -> None:
        self._catalog.release_idempotency_key(project_id=project_id, key=key)
