"""Idempotent creates over HTTP: the same `Idempotency-Key` with the same request returns the
first response (one object, checked in the lists), a different request is a 422 naming the
key, keys are per project (keys mode), and they survive a server restart."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from llama_cloud import LlamaCloud

from servers import RunningServer, create_api_key, start_server

AUTH = {"Authorization": "Bearer test"}


def _key() -> str:
    return f"key-{uuid.uuid4()}"


def _post(server: RunningServer, path: str, key: str, **kwargs: object) -> httpx.Response:
    headers = {**AUTH, "Idempotency-Key": key, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    return httpx.post(f"{server.base_url}{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]


def test_same_key_and_body_create_one_directory(server: RunningServer, sdk: LlamaCloud) -> None:
    key, name = _key(), f"idem-{uuid.uuid4().hex[:8]}"
    first = _post(server, "/api/v1/beta/directories", key, json={"name": name})
    second = _post(server, "/api/v1/beta/directories", key, json={"name": name})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert [d.id for d in sdk.beta.directories.list(name=name)] == [first.json()["id"]]
    # Same JSON, other key order and spacing: the same request.
    third = _post(
        server,
        "/api/v1/beta/directories",
        key,
        content=f'{{ "name" : "{name}" }}',
        headers={"content-type": "application/json"},
    )
    assert third.json()["id"] == first.json()["id"]


def test_same_key_with_another_body_is_a_422_naming_the_key(server: RunningServer) -> None:
    key = _key()
    assert _post(server, "/api/v1/beta/directories", key, json={"name": "a"}).status_code == 200
    other = _post(server, "/api/v1/beta/directories", key, json={"name": "b"})
    assert other.status_code == 422
    assert key in other.json()["detail"]


def test_uploads_and_batches_are_created_once(server: RunningServer, sdk: LlamaCloud) -> None:
    directory = sdk.beta.directories.create(name=f"idem-up-{uuid.uuid4().hex[:6]}")
    path = f"/api/v1/beta/directories/{directory.id}/files/upload"
    key = _key()
    files = {"upload_file": ("a.md", b"# hello\n", "text/markdown")}
    # httpx picks a new multipart boundary per request: still the same request.
    first = _post(server, path, key, files=files)
    second = _post(server, path, key, files=files)
    assert first.status_code == 200, first.text
    assert first.json() == second.json()
    assert len(list(sdk.beta.directories.files.list(directory.id))) == 1
    batch_key = _key()
    body = {"job_config": {}, "directory_id": directory.id}
    job = _post(server, "/api/v1/beta/batch-processing", batch_key, json=body)
    again = _post(server, "/api/v1/beta/batch-processing", batch_key, json=body)
    assert job.status_code == 200 and job.json()["id"] == again.json()["id"]
    jobs = list(sdk.beta.batch.list(directory_id=directory.id))
    assert [j.id for j in jobs] == [job.json()["id"]]
    v2_key = _key()
    v2 = {
        "source_directory_id": directory.id,
        "config": {"job": {"type": "parse_v2", "configuration_id": "cfg-PARSE_AGENTIC"}},
    }
    b1 = _post(server, "/api/v2/batches", v2_key, json=v2)
    b2 = _post(server, "/api/v2/batches", v2_key, json=v2)
    assert b1.status_code == 200 and b1.json()["id"] == b2.json()["id"]
    assert [b.id for b in sdk.batches.list(source_directory_id=directory.id)] == [b1.json()["id"]]


def test_file_upload_and_v2_parse_create(server: RunningServer, sdk: LlamaCloud) -> None:
    key = _key()
    name = f"idem-{uuid.uuid4().hex[:6]}.md"
    files = {"file": (name, b"# parse me\n", "text/markdown")}
    first = _post(server, "/api/v1/beta/files", key, files=files, data={"purpose": "parse"})
    second = _post(server, "/api/v1/beta/files", key, files=files, data={"purpose": "parse"})
    assert first.status_code == 200, first.text
    assert first.json()["id"] == second.json()["id"]
    assert len(list(sdk.files.list(file_name=name))) == 1
    parse_key = _key()
    p1 = _post(
        server,
        "/api/v2/parse",
        parse_key,
        json={"file_id": first.json()["id"], "tier": "fast", "version": "latest"},
    )
    p2 = _post(
        server,
        "/api/v2/parse",
        parse_key,
        json={"file_id": first.json()["id"], "tier": "fast", "version": "latest"},
    )
    assert p1.status_code == 200, p1.text
    assert p1.json()["id"] == p2.json()["id"]


def test_a_failed_create_frees_its_key(server: RunningServer) -> None:
    key = _key()
    bad = _post(
        server,
        "/api/v1/beta/batch-processing",
        key,
        json={"job_config": {}, "directory_id": "dir-nope"},
    )
    assert bad.status_code == 404
    fine = _post(server, "/api/v1/beta/directories", key, json={"name": "after-a-failure"})
    assert fine.status_code == 200  # the key was not kept for the failed request


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("idem-keys"), env={"REAMS_AUTH_MODE": "keys"})
    yield running
    running.stop()


def test_keys_of_another_project_do_not_collide(keyed_server: RunningServer) -> None:
    alice, _ = create_api_key(keyed_server.data_dir, "alice")
    bob, _ = create_api_key(keyed_server.data_dir, "bob")
    key = _key()
    url = f"{keyed_server.base_url}/api/v1/beta/directories"
    a = httpx.post(
        url,
        json={"name": "a"},
        headers={"Authorization": f"Bearer {alice}", "Idempotency-Key": key},
    )
    b = httpx.post(
        url, json={"name": "b"}, headers={"Authorization": f"Bearer {bob}", "Idempotency-Key": key}
    )
    assert a.status_code == b.status_code == 200
    assert a.json()["id"] != b.json()["id"]
    assert a.json()["project_id"] != b.json()["project_id"]
    again = httpx.post(
        url,
        json={"name": "a"},
        headers={"Authorization": f"Bearer {alice}", "Idempotency-Key": key},
    )
    assert again.json()["id"] == a.json()["id"]


def test_keys_survive_a_restart(tmp_path: Path) -> None:
    first = start_server(tmp_path)
    key = _key()
    try:
        created = _post(first, "/api/v1/beta/directories", key, json={"name": "durable"})
    finally:
        first.stop()
    second = start_server(tmp_path)
    try:
        again = _post(second, "/api/v1/beta/directories", key, json={"name": "durable"})
        assert again.json()["id"] == created.json()["id"]
        listed = httpx.get(
            f"{second.base_url}/api/v1/beta/directories", params={"name": "durable"}, headers=AUTH
        )
        assert len(listed.json()["items"]) == 1
    finally:
        second.stop()


def test_classify_transaction_id_creates_once(server: RunningServer, sdk: LlamaCloud) -> None:
    name = f"idem-{uuid.uuid4().hex[:6]}.md"
    file_id = sdk.files.create(file=(name, b"Invoice INV-1 total 10 EUR\n"), purpose="classify").id
    rules = [{"type": "invoice", "description": "an invoice with a number and a total"}]
    body = {
        "file_input": file_id,
        "configuration": {"rules": rules},
        "transaction_id": f"tx-{uuid.uuid4()}",
    }
    url = f"{server.base_url}/api/v2/classify"
    first = httpx.post(url, json=body, headers=AUTH)
    second = httpx.post(url, json=body, headers=AUTH)
    assert first.status_code == 200, first.text
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["transaction_id"] == body["transaction_id"]
    other = httpx.post(url, json={**body, "configuration": {"rules": rules * 2}}, headers=AUTH)
    assert other.status_code == 422 and body["transaction_id"] in other.json()["detail"]
