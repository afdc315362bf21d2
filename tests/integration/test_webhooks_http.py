"""Webhooks over HTTP: a real app (store, local engine, sender thread) notifying a real
receiver on loopback: signatures, a 500 then 200 retried, 410 stops, redirects not followed,
the delivery log and resend, the private-address guard, and an API that died between the
state change and the delivery delivering after its restart."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from prom import samples as read_samples
from reams.api.app import create_app
from reams.domain import webhooks
from reams.domain.webhooks import ClaimedDelivery, RetryPolicy, WebhookTarget
from reams.service.webhooks import Guard, Resolver, Sender
from reams.settings import Settings
from servers import start_server
from webhook_receiver import Receiver, webhook_receiver

API = "/api/v1/beta"
BATCH = f"{API}/batch-processing"
FAST = {"webhook_allow_private": True, "webhook_retry_base_s": 0.05, "webhook_poll_s": 0.05}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as running:
        yield running


def _app(tmp_path: Path, **overrides: Any) -> TestClient:
    settings = Settings(
        data_dir=tmp_path / "data", workers=1, poll_interval_s=0.1, **(FAST | overrides)
    )
    return TestClient(create_app(settings), raise_server_exceptions=False)


def _directory(client: TestClient | httpx.Client, files: dict[str, bytes]) -> str:
    directory = client.post(f"{API}/directories", json={"name": "hooks"}).json()["id"]
    for name, data in files.items():
        response = client.post(
            f"{API}/directories/{directory}/files/upload", files={"upload_file": (name, data)}
        )
        assert response.status_code == 200, response.text
    return str(directory)


def _batch(client: TestClient | httpx.Client, directory: str, hooks: list[dict[str, Any]]) -> str:
    config = {"job_name": "parse_raw_file_job",
              "parameters": {"type": "parse", "webhook_configurations": hooks}}  # fmt: skip
    response = client.post(BATCH, json={"job_config": config, "directory_id": directory})
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def _deliveries(client: TestClient | httpx.Client, job_id: str) -> list[dict[str, Any]]:
    response = client.get(f"{BATCH}/{job_id}/webhook-deliveries")
    assert response.status_code == 200, response.text
    return list(response.json())


def _settled(client: TestClient | httpx.Client, job_id: str, n: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = _deliveries(client, job_id)
        if len(log) >= n and all(d["status"] not in ("pending", "sending") for d in log):
            return log
        time.sleep(0.05)
    raise AssertionError(f"deliveries not settled: {_deliveries(client, job_id)}")


def test_v1_batch_events_are_signed_and_logged(tmp_path: Path, receiver: Receiver) -> None:
    with _app(tmp_path) as client:
        directory = _directory(client, {"a.txt": b"hello", "b.pdf": b"%PDF-1.7 broken"})
        job_id = _batch(client, directory, [{"webhook_url": receiver.url(),
                                             "webhook_headers": {"X-Team": "docs"}}])  # fmt: skip
        got = receiver.wait_for(event="parse.partial_success")
        secret = client.app.state.services.settings.webhook_server_secret()  # type: ignore[attr-defined]
        log = _settled(client, job_id, 3)
        metrics = read_samples(client.get("/metrics").text)
    delivered = (
        "reams_webhook_deliveries_total",
        (("event", "parse.running"), ("outcome", "delivered")),
    )
    assert metrics[delivered] == 1
    assert metrics[("reams_webhook_outbox", (("status", "pending"),))] == 0
    assert [r.event for r in receiver.at()] == [
        "parse.pending",
        "parse.running",
        "parse.partial_success",
    ]
    final = got[-1]
    body = final.json()
    assert body["job_id"] == job_id and body["event"] == "parse.partial_success"
    data = json.loads(body["data"])  # "string" output format: the status object as a string
    assert (data["completed_items"], data["failed_items"], data["total_items"]) == (1, 1, 2)
    assert final.headers["X-Team"] == "docs"
    assert "LC-Signature" not in final.headers  # no per-endpoint secret
    assert final.headers["webhook-id"] == body["event_id"]
    assert final.headers["webhook-signature"] == webhooks.standard_signature(
        secret,
        msg_id=final.headers["webhook-id"],
        timestamp=int(final.headers["webhook-timestamp"]),
        raw=final.body,
    )
    assert [(d["event"], d["status"], d["attempts"], d["last_status_code"]) for d in log] == [
        ("parse.pending", "delivered", 1, 200),
        ("parse.running", "delivered", 1, 200),
        ("parse.partial_success", "delivered", 1, 200),
    ]


def test_v2_parse_with_a_signing_secret_and_json_output(tmp_path: Path, receiver: Receiver) -> None:
    with _app(tmp_path) as client:
        file_id = client.post(
            f"{API}/files", files={"file": ("n.md", b"# Note\n")}, data={"purpose": "parse"}
        ).json()["id"]
        hook = {"webhook_url": receiver.url("/v2"), "webhook_signing_secret": "topsecret",
                "webhook_output_format": "json", "webhook_events": ["parse.success"]}  # fmt: skip
        created = client.post(
            "/api/v2/parse",
            json={
                "file_id": file_id,
                "tier": "fast",
                "version": "latest",
                "webhook_configurations": [hook],
            },
        )
        assert created.status_code == 200, created.text
        (got,) = receiver.wait_for("/v2", event="parse.success")
    assert got.headers["LC-Signature"] == webhooks.lc_signature("topsecret", got.body)
    data = got.json()["data"]
    assert data["status"] == "COMPLETED" and data["completed_items"] == 1  # the v2 vocabulary
    assert [r.event for r in receiver.at("/v2")] == ["parse.success"]  # only what it asked for


def test_saved_webhook_config_is_used_by_reference(tmp_path: Path, receiver: Receiver) -> None:
    with _app(tmp_path) as client:
        saved = client.post(
            f"{API}/webhook-configs",
            json={"webhook_url": receiver.url("/saved"), "webhook_events": ["batch.success"]},
        )
        assert saved.status_code == 200, saved.text
        directory = _directory(client, {"a.md": b"# A\n"})
        created = client.post(
            "/api/v2/batches",
            json={
                "source_directory_id": directory,
                "config": {"job": {"type": "parse_v2", "configuration_id": "cfg-PARSE_AGENTIC"}},
                "webhook_configuration_ids": [saved.json()["id"]],
            },
        )
        assert created.status_code == 200, created.text
        (got,) = receiver.wait_for("/saved", event="batch.success")
    assert json.loads(got.json()["data"])["status"] == "COMPLETED"


def test_a_failing_endpoint_is_retried_and_410_stops(tmp_path: Path, receiver: Receiver) -> None:
    receiver.answer("/flaky", 500, 200)
    receiver.answer("/gone", 410)
    receiver.answer("/moved", 302)
    with _app(tmp_path) as client:
        directory = _directory(client, {"a.md": b"# A\n"})
        job_id = _batch(client, directory, [
            {"webhook_url": receiver.url("/flaky"), "webhook_events": ["parse.pending"]},
            {"webhook_url": receiver.url("/gone")},
            {"webhook_url": receiver.url("/moved"), "webhook_events": ["parse.pending"]},
        ])  # fmt: skip
        receiver.wait_for("/flaky", n=2)
        _wait_done(client, job_id)
        log = _settled_except(client, job_id, "/moved")
        moved = [d for d in _deliveries(client, job_id) if d["url"].endswith("/moved")]
        # A settled delivery can be sent again on request; an open one cannot.
        gone = next(d for d in log if d["url"].endswith("/gone"))
        receiver.answer("/gone", 204)
        again = client.post(f"{BATCH}/{job_id}/webhook-deliveries/{gone['id']}/resend")
        assert again.status_code == 200, again.text
        assert receiver.wait_for("/gone", n=2)[-1].headers["webhook-id"] == gone["id"]
        busy = client.post(f"{BATCH}/{job_id}/webhook-deliveries/{moved[0]['id']}/resend")
        unknown = client.post(f"{BATCH}/{job_id}/webhook-deliveries/whd-nope/resend")
        metrics = read_samples(client.get("/metrics").text)
    retried = ("reams_webhook_deliveries_total", (("event", "parse.pending"), ("outcome", "retry")))
    stopped = (
        "reams_webhook_deliveries_total",
        (("event", "parse.pending"), ("outcome", "stopped")),
    )
    assert metrics[retried] >= 2  # /flaky once, /moved at least once
    assert metrics[stopped] == 1
    flaky = next(d for d in log if d["url"].endswith("/flaky"))
    assert (flaky["status"], flaky["attempts"], flaky["last_status_code"]) == ("delivered", 2, 200)
    # 410 Gone: the first event stopped, and nothing else was ever sent to that endpoint.
    assert (gone["status"], gone["attempts"], gone["last_status_code"]) == ("stopped", 1, 410)
    assert len(receiver.at("/gone")) == 2  # the stopped one, then its resend
    # A redirect is an answer, not followed: retried later, its target never called.
    assert moved[0]["status"] in ("pending", "sending")
    assert moved[0]["last_status_code"] == 302 and "not followed" in moved[0]["last_error"]
    assert busy.status_code == 409 and "not settled" in busy.json()["detail"]
    assert unknown.status_code == 404


def _wait_done(client: TestClient | httpx.Client, job_id: str) -> None:
    deadline = time.monotonic() + 60
    while client.get(f"{BATCH}/{job_id}").json()["job"]["status"] != "completed":
        assert time.monotonic() < deadline, "the job did not complete"
        time.sleep(0.05)


def _settled_except(client: TestClient, job_id: str, path: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = [d for d in _deliveries(client, job_id) if not d["url"].endswith(path)]
        if log and all(d["status"] not in ("pending", "sending") for d in log):
            return log
        time.sleep(0.05)
    raise AssertionError(f"deliveries not settled: {_deliveries(client, job_id)}")


def test_private_targets_are_refused_unless_allowed(tmp_path: Path) -> None:
    with _app(tmp_path, webhook_allow_private=False) as client:
        refused_urls = (
            "http://127.0.0.1:9/x",
            "http://169.254.169.254/latest",
            "http://[::1]/x",
            "http://10.0.0.8/x",
            "ftp://example.com/x",
            "http://user:pw@example.com/x",
        )
        for url in refused_urls:
            saved = client.post(f"{API}/webhook-configs", json={"webhook_url": url})
            assert saved.status_code == 422, (url, saved.text)
        directory = _directory(client, {"a.md": b"# A\n"})
        config = {"parameters": {"webhook_configurations": [{"webhook_url": "http://127.0.0.1/"}]}}
        refused = client.post(BATCH, json={"job_config": config, "directory_id": directory})
        assert refused.status_code == 422
        assert "REAMS_WEBHOOK_ALLOW_PRIVATE" in refused.json()["detail"]
        assert "job_config.parameters.webhook_configurations[0]" in refused.json()["detail"]
        assert client.get(BATCH).json()["total_size"] == 0  # nothing was created
        bad_event = client.post(
            BATCH, json={"job_config": {"parameters": {"webhook_configurations": [
                {"webhook_url": "https://example.com/h", "webhook_events": ["parse.finished"]}]}},
                "directory_id": directory},
        )  # fmt: skip
        assert bad_event.status_code == 422 and "parse.finished" in bad_event.json()["detail"]


@pytest.mark.slow
def test_events_of_a_dead_api_are_delivered_after_its_restart(
    tmp_path: Path, receiver: Receiver
) -> None:
    data = tmp_path / "data"
    env = {"REAMS_WEBHOOK_ALLOW_PRIVATE": "1", "REAMS_WEBHOOK_POLL_S": "0.05"}
    # The first API process records the job's changes, but dies before sending anything.
    first = start_server(data, env=env | {"REAMS_WEBHOOK_SENDER": "0"})
    try:
        with httpx.Client(base_url=first.base_url, timeout=30) as http:
            directory = _directory(http, {"a.md": b"# A\n", "b.md": b"# B\n"})
            job_id = _batch(http, directory, [{"webhook_url": receiver.url()}])
            _wait_done(http, job_id)
    finally:
        first.kill()
    assert receiver.at() == []
    second = start_server(data, env=env)
    try:
        receiver.wait_for(event="parse.success")
        with httpx.Client(base_url=second.base_url, timeout=30) as http:
            log = _settled(http, job_id, 3)
    finally:
        second.stop()
    assert [r.event for r in receiver.at()] == ["parse.pending", "parse.running", "parse.success"]
    assert [d["status"] for d in log] == ["delivered"] * 3


def test_the_sender_tries_each_checked_address_and_keeps_the_host(receiver: Receiver) -> None:
    port = receiver.base_url.rsplit(":", 1)[1]
    # Both addresses are loopback (allowed here); nothing listens on the first one.
    guard = Guard(
        allow_private=True, resolver=Resolver(lookup=lambda h, p: ["127.0.0.2", "127.0.0.1"])
    )
    sender = Sender(server_secret="whsec_" + "a" * 44, guard=guard, policy=RetryPolicy())
    target = WebhookTarget(url=f"http://hooks.test:{port}/named")
    delivery = ClaimedDelivery(
        seq=1, id="whd-x", job_id="bjb-x", event="parse.success", snapshot={"job_id": "bjb-x"},
        attempts=1, created_at=datetime.now(UTC), target=target,
    )  # fmt: skip
    try:
        attempt = sender.send(delivery)
    finally:
        sender.close()
    assert attempt.status == "delivered", attempt
    (got,) = receiver.at("/named")
    assert got.headers["Host"] == f"hooks.test:{port}"  # the name, though the IP was dialled
