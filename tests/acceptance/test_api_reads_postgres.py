"""The API's short reads on each store: on the event loop for SQLite (a WAL reader never waits
for the writer), in the threadpool for PostgreSQL (a server may be slow to answer). A real
server on PostgreSQL answers status, items pages and keys-mode auth through that path."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from reams.bootstrap import build
from reams.domain.apikeys import hash_api_key, key_prefix, new_api_key
from reams.settings import Settings
from servers import start_server

BATCH = "/api/v1/beta/batch-processing"


def test_reads_run_inline_on_sqlite_only(tmp_path: Path) -> None:
    services = build(Settings(data_dir=tmp_path))
    try:
        assert services.inline_reads
    finally:
        services.close()


@pytest.mark.postgres
def test_a_server_on_postgresql_reads_through_the_threadpool(
    tmp_path: Path, pg_schema_url: str
) -> None:
    services = build(Settings(data_dir=tmp_path / "data", database_url=pg_schema_url))
    try:
        assert not services.inline_reads
        project_id = services.catalog.ensure_project("default").id
        key = new_api_key()
        services.store.create_api_key(
            project_id=project_id, key_hash=hash_api_key(key), prefix=key_prefix(key)
        )
    finally:
        services.close()
    env = {"REAMS_DATABASE_URL": pg_schema_url, "REAMS_AUTH_MODE": "keys"}
    server = start_server(tmp_path / "data", env=env)
    try:
        with httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
        ) as client:
            job_id = _job(client)
            status = _completed(client, job_id)
            assert status["job"]["processed_items"] == 3
            page = client.get(f"{BATCH}/{job_id}/items", params={"limit": 2, "offset": 1})
            assert page.status_code == 200, page.text
            assert page.json()["total_size"] == 3 and len(page.json()["items"]) == 2
            wrong = client.get(f"{BATCH}/{job_id}", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401 and wrong.json()["detail"] == "invalid API key"
            missing = client.get(f"{BATCH}/bjb-unknown")
            assert missing.status_code == 404
    finally:
        server.stop()


def _job(client: httpx.Client) -> str:
    directory = client.post("/api/v1/beta/directories", json={"name": "d"}).json()["id"]
    for n in range(3):
        uploaded = client.post(
            f"/api/v1/beta/directories/{directory}/files/upload",
            files={"upload_file": (f"n{n}.txt", f"note {n}".encode())},
        )
        assert uploaded.status_code == 200, uploaded.text
    created = client.post(BATCH, json={"job_config": {}, "directory_id": directory})
    assert created.status_code == 200, created.text
    return str(created.json()["id"])


def _completed(client: httpx.Client, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body: dict[str, object] = client.get(f"{BATCH}/{job_id}").json()
        if body["job"]["status"] == "completed":  # type: ignore[index]
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} not completed")
