"""Idempotency keys in the store and the service: the same on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from reams.domain.errors import Conflict, InvalidField
from reams.service.idempotency import Idempotency, request_hash
from reams.store.db import utcnow
from reams.store.transitions import Store


def _project(store: Store) -> str:
    return store.ensure_project(f"p-{uuid.uuid4().hex[:8]}").id


def _claim(store: Store, project_id: str, key: str, digest: str, *, ttl_s: float = 86400) -> object:
    now = utcnow()
    return store.claim_idempotency_key(
        project_id=project_id,
        key=key,
        request_hash=digest,
        now=now,
        reusable_before=now - timedelta(seconds=ttl_s),
        abandoned_before=now - timedelta(minutes=10),
    )


def test_a_key_is_claimed_once_then_replayed(store: Store) -> None:
    project = _project(store)
    assert _claim(store, project, "k", "h1") is None
    running = store.get_idempotency_key(project_id=project, key="k")
    assert running is not None and not running.done
    store.finish_idempotency_key(
        project_id=project, key="k", status_code=200, response={"id": "x"}, now=utcnow()
    )
    found = _claim(store, project, "k", "h1")
    assert found is not None
    assert (found.status_code, found.response, found.request_hash) == (200, {"id": "x"}, "h1")


def test_keys_are_scoped_per_project_and_released_keys_are_reused(store: Store) -> None:
    one, two = _project(store), _project(store)
    assert _claim(store, one, "k", "h1") is None
    assert _claim(store, two, "k", "h2") is None  # another project: no collision
    store.release_idempotency_key(project_id=one, key="k")
    assert _claim(store, one, "k", "h3") is None


def test_expired_keys_are_taken_over(store: Store) -> None:
    project = _project(store)
    assert _claim(store, project, "k", "h1") is None
    store.finish_idempotency_key(
        project_id=project, key="k", status_code=200, response={}, now=utcnow()
    )
    assert _claim(store, project, "k", "h2", ttl_s=-1) is None  # everything counts as expired
    found = store.get_idempotency_key(project_id=project, key="k")
    assert found is not None and found.request_hash == "h2" and not found.done


def test_expired_keys_are_swept(store: Store) -> None:
    project = _project(store)
    assert _claim(store, project, "old", "h1") is None
    assert store.sweep_idempotency_keys(created_before=utcnow() - timedelta(hours=1)) == 0
    assert store.get_idempotency_key(project_id=project, key="old") is not None
    later = utcnow() + timedelta(seconds=1)
    assert store.sweep_idempotency_keys(created_before=later) >= 1
    assert store.get_idempotency_key(project_id=project, key="old") is None
    service = Idempotency(catalog=store)
    assert service.begin(project_id=project, key="new", fingerprint="h") is None
    assert service.sweep() == 0  # begin swept just now: the next sweep waits its turn
    assert store.get_idempotency_key(project_id=project, key="new") is not None


def test_service_refuses_another_request_and_waits_for_a_running_one(store: Store) -> None:
    project = _project(store)
    idem = Idempotency(catalog=store, wait_s=10)
    digest = request_hash(method="POST", path="/x", query=[], body={"a": 1})
    assert idem.begin(project_id=project, key="k", fingerprint=digest) is None
    other = request_hash(method="POST", path="/x", query=[], body={"a": 2})
    with pytest.raises(InvalidField, match="'k' was already used with a different request"):
        idem.begin(project_id=project, key="k", fingerprint=other)
    answers: list[object] = []
    waiter = threading.Thread(
        target=lambda: answers.append(idem.begin(project_id=project, key="k", fingerprint=digest))
    )
    waiter.start()
    idem.finish(project_id=project, key="k", status_code=200, body={"id": "first"})
    waiter.join(10)
    assert [(a.status_code, a.body) for a in answers] == [(200, {"id": "first"})]  # type: ignore[attr-defined]
    impatient = Idempotency(catalog=store, wait_s=0)
    assert impatient.begin(project_id=project, key="k2", fingerprint=digest) is None
    with pytest.raises(Conflict, match="still in progress"):
        impatient.begin(project_id=project, key="k2", fingerprint=digest)


def test_request_hash_is_canonical() -> None:
    a = request_hash(
        method="post", path="/p", query=[("b", "2"), ("a", "1")], body={"x": 1, "y": [1]}
    )
    b = request_hash(
        method="POST", path="/p", query=[("a", "1"), ("b", "2")], body={"y": [1], "x": 1}
    )
    assert a == b
    assert a != request_hash(method="POST", path="/q", query=[], body={"x": 1, "y": [1]})
