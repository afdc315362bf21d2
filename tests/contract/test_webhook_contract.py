"""Webhooks: events written in the transaction of the change they report, claimed like items,
on SQLite and PostgreSQL; delivered by the sender from jobs run by the local and Temporal
engines (a real receiver on loopback)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_engine_contract import engine_name, make_services, wait
from test_store_contract import _job_with_files, _outcome

from docgen import make_pdf
from reams.bootstrap import Services
from reams.domain import webhooks
from reams.domain.records import Job, JobApi, JobOrigin
from reams.domain.webhooks import DeliveryStatus, RetryPolicy, WebhookTarget
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest
from reams.service.webhooks import Guard, Sender, WebhookLoop
from reams.store.db import utcnow
from reams.store.transitions import Store
from webhook_receiver import webhook_receiver

__all__ = ["engine_name", "make_services"]


def _job(
    store: Store, n: int, targets: list[WebhookTarget], origin: JobOrigin | None = None
) -> Job:
    return _job_with_files(store, n, origin=origin, webhooks=targets)


def _events(store: Store, job_id: str) -> list[tuple[str, str]]:
    return [(d.url, d.event) for d in store.list_deliveries(job_id, project_id=None)]


A, B = "https://a.example/hook", "https://b.example/hook"


def test_each_job_change_writes_its_event_for_each_endpoint(store: Store) -> None:
    job = _job(store, 3, [WebhookTarget(url=A), WebhookTarget(url=B, events=("parse.success",))])
    assert _events(store, job.id) == [(A, "parse.pending")]
    store.mark_dispatched(job.id)  # not an event
    items = store.claim(owner="w", lease_s=30, limit=2)
    store.claim(owner="w", lease_s=30, limit=1)  # the job was running already: no second event
    assert _events(store, job.id) == [(A, "parse.pending"), (A, "parse.running")]
    for item in items:
        assert store.complete(item, owner="w", completion=_outcome(job))
    assert len(_events(store, job.id)) == 2  # one item still in flight
    (last,) = [i for i in store.list_items(job.id, project_id=None, limit=9, offset=0)[0]
               if i.status == "processing"]  # fmt: skip
    assert store.fail(last, owner="w", code="timeout", message="slow")
    assert _events(store, job.id)[2:] == [(A, "parse.partial_success")]  # B wants success only


def test_the_status_object_is_the_one_at_the_event(store: Store) -> None:
    job = _job(store, 2, [WebhookTarget(url=A)])
    store.mark_dispatched(job.id)
    for item in store.claim(owner="w", lease_s=30, limit=2):
        assert store.complete(item, owner="w", completion=_outcome(job))
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(3):  # one at a time per endpoint, in order
        claimed = store.claim_deliveries(owner="s", lease_s=30, limit=10)
        assert len(claimed) == 1
        seen[claimed[0].event] = dict(claimed[0].snapshot)
        assert store.settle_delivery(
            claimed[0].seq, owner="s", status=DeliveryStatus.DELIVERED, status_code=200, error=None
        )
    assert list(seen) == ["parse.pending", "parse.running", "parse.success"]
    assert seen["parse.pending"]["pending_items"] == 2
    assert seen["parse.success"]["completed_items"] == 2
    assert seen["parse.success"]["status"] == "completed"
    assert seen["parse.success"]["progress_percentage"] == 100.0


def test_outcomes_name_the_event(store: Store) -> None:
    every_fails = _job(store, 2, [WebhookTarget(url=A)])
    store.mark_dispatched(every_fails.id)
    for item in store.claim(owner="w", lease_s=30, limit=2):
        assert store.fail(item, owner="w", code="corrupt_document", message="bad")
    assert _events(store, every_fails.id)[-1] == (A, "parse.error")

    cancelled = _job(store, 2, [WebhookTarget(url=A)])
    store.cancel_job(cancelled.id, reason="user")
    store.cancel_job(cancelled.id, reason="again")  # no second event
    assert _events(store, cancelled.id) == [(A, "parse.pending"), (A, "parse.cancelled")]

    failed = _job(store, 1, [WebhookTarget(url=A)])
    assert store.fail_job(failed.id, "orchestration failed")
    assert _events(store, failed.id)[-1] == (A, "parse.error")

    batch = _job(store, 1, [WebhookTarget(url=A)], origin=JobOrigin(api=JobApi.V2_BATCH))
    store.mark_dispatched(batch.id)
    (item,) = store.claim(owner="w", lease_s=30, limit=1)
    assert store.fail(item, owner="w", code="timeout", message="slow")
    assert [e for _, e in _events(store, batch.id)] == [
        "batch.pending",
        "batch.running",
        "batch.success",  # a v2 batch dealt with every file; its status has the counts
    ]


def test_a_retry_reports_running_and_the_new_end(store: Store) -> None:
    job = _job(store, 2, [WebhookTarget(url=A)])
    store.mark_dispatched(job.id)
    a, b = store.claim(owner="w", lease_s=30, limit=2)
    assert store.complete(a, owner="w", completion=_outcome(job))
    assert store.fail(b, owner="w", code="timeout", message="slow")
    store.retry_failed(job.id, project_id=job.project_id)
    (again,) = store.claim(owner="w", lease_s=30, limit=1)
    assert store.complete(again, owner="w", completion=_outcome(job))
    assert [e for _, e in _events(store, job.id)] == [
        "parse.pending",
        "parse.running",
        "parse.partial_success",
        "parse.running",
        "parse.success",
    ]


def test_claims_keep_order_per_endpoint_and_leases_expire(store: Store) -> None:
    job = _job(store, 1, [WebhookTarget(url=A), WebhookTarget(url=B)])
    store.cancel_job(job.id, reason="x")  # pending + cancelled, to A and to B
    first = store.claim_deliveries(owner="s1", lease_s=30, limit=10)
    assert sorted((c.target.url, c.event) for c in first) == [
        (A, "parse.pending"),
        (B, "parse.pending"),
    ]  # the later event to each endpoint waits for the earlier one
    assert store.claim_deliveries(owner="s2", lease_s=30, limit=10) == []
    # A sender that died: its leases expire, another claims the same deliveries.
    later = utcnow() + timedelta(seconds=31)
    again = store.claim_deliveries(owner="s2", lease_s=30, limit=10, now=later)
    assert sorted(c.id for c in again) == sorted(c.id for c in first)
    assert all(c.attempts == 2 for c in again)
    # The dead sender's late report is not recorded (its lease is gone).
    assert not store.settle_delivery(
        first[0].seq, owner="s1", status=DeliveryStatus.DELIVERED, status_code=200, error=None
    )
    for c in again:
        assert store.settle_delivery(
            c.seq, owner="s2", status=DeliveryStatus.DELIVERED, status_code=204, error=None
        )
    rest = store.claim_deliveries(owner="s3", lease_s=30, limit=10)
    assert sorted((c.target.url, c.event) for c in rest) == [
        (A, "parse.cancelled"),
        (B, "parse.cancelled"),
    ]


def test_retry_waits_and_resend_reopens(store: Store) -> None:
    job = _job(store, 1, [WebhookTarget(url=A)])
    (c,) = store.claim_deliveries(owner="s", lease_s=30, limit=10)
    soon = utcnow() + timedelta(seconds=60)
    assert store.settle_delivery(
        c.seq, owner="s", status=DeliveryStatus.PENDING, status_code=500, error="HTTP 500",
        next_attempt_at=soon,
    )  # fmt: skip
    assert store.claim_deliveries(owner="s", lease_s=30, limit=10) == []  # not due yet
    (d,) = store.list_deliveries(job.id, project_id=None)
    assert (d.status, d.attempts, d.last_status_code, d.last_error) == (
        "pending",
        1,
        500,
        "HTTP 500",
    )
    assert d.next_attempt_at is not None
    (c,) = store.claim_deliveries(owner="s", lease_s=30, limit=10, now=soon)
    assert store.settle_delivery(
        c.seq, owner="s", status=DeliveryStatus.FAILED, status_code=500, error="gave up"
    )
    (d,) = store.list_deliveries(job.id, project_id=None)
    assert (d.status, d.next_attempt_at) == ("failed", None)
    resent = store.resend_delivery(job.id, d.id, project_id=job.project_id)
    assert resent.status == "pending"
    (c,) = store.claim_deliveries(owner="s", lease_s=30, limit=10)
    assert c.id == d.id and c.attempts == 3
    with pytest.raises(Exception, match="not settled"):
        store.resend_delivery(job.id, d.id, project_id=job.project_id)


def test_deleting_a_job_deletes_its_webhooks(store: Store) -> None:
    job = _job(store, 1, [WebhookTarget(url=A)])
    store.cancel_job(job.id, reason="x")
    store.delete_job(job.id, project_id=job.project_id)
    assert store.claim_deliveries(owner="s", lease_s=30, limit=10) == []


# -- delivered from real jobs, on both engines -------------------------------------------------
def test_a_real_job_is_reported_to_a_real_receiver(
    make_services: Callable[..., Services], tmp_path: Path
) -> None:
    services = make_services(webhook_allow_private=True)
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "a.pdf", ["first page"])
    (folder / "b.md").write_text("# Title\n\nbody\n")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    server_secret = services.settings.webhook_server_secret()
    with webhook_receiver() as receiver:
        project = services.catalog.ensure_project("default")
        directory_id = mirror_folder(
            services.catalog, services.blobs, project_id=project.id, root=folder
        )
        services.start()
        hooks = [{"webhook_url": receiver.url(), "webhook_signing_secret": "s3cret",
                  "webhook_output_format": "json"}]  # fmt: skip
        job = services.jobs.submit(
            JobRequest(
                project_id=project.id,
                job_config={"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}},
                directory_id=directory_id,
                webhooks=hooks,
            )
        )
        policy = RetryPolicy(base_s=0.05)
        loop = WebhookLoop(
            services.store,
            Sender(server_secret=server_secret, guard=Guard(allow_private=True), policy=policy),
            policy=policy,
            poll_s=0.05,
        )
        loop.start()
        try:
            assert wait(services, job.id).status == "completed"
            receiver.wait_for(event="parse.partial_success")
            got = receiver.at()
        finally:
            loop.stop()
    events = [r.event for r in got]
    assert events == ["parse.pending", "parse.running", "parse.partial_success"]
    final = got[-1]
    assert final.json()["data"]["failed_items"] == 1
    assert final.json()["data"]["completed_items"] == 2
    assert final.headers["LC-Signature"] == webhooks.lc_signature("s3cret", final.body)
    assert final.headers["webhook-signature"] == webhooks.standard_signature(
        server_secret,
        msg_id=final.headers["webhook-id"],
        timestamp=int(final.headers["webhook-timestamp"]),
        raw=final.body,
    )
    assert abs(int(final.headers["webhook-timestamp"]) - time.time()) < 120
    assert json.loads(final.body)["job_id"] == job.id
    log = services.catalog.list_deliveries(job.id, project_id=None)
    assert [d.status for d in log] == ["delivered"] * 3
