"""Webhook events, bodies, signatures and backoff; and the verification example in
docs/webhooks.md run against a real signed delivery."""

from __future__ import annotations

import hmac
import json
import random
import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reams.domain import webhooks
from reams.domain.jobconfig import resolve
from reams.domain.records import Counts, Job, JobApi, JobOrigin
from reams.domain.states import JobStatus

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # a base64 key


def _job(
    status: JobStatus, counts: Counts, *, api: JobApi = JobApi.V1_BATCH, kind: str = "parse"
) -> Job:
    config = {"parameters": {"type": "parse"}} if kind == "parse" else {
        "rules": [{"type": "a", "description": "a"}]}  # fmt: skip
    return Job(
        id="bjb-1", project_id="prj-1", job_type=kind, status=status, directory_id=None,
        workflow_id="w", job_config=config, parameters_hash="h", total_items=counts.total,
        counts=counts, created_at=NOW, updated_at=NOW, started_at=None, completed_at=None,
        error_message=None, cancel_reason=None, namespace=None, settings=resolve(config),
        origin=JobOrigin(api=api),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "counts", "api", "kind", "event"),
    [
        (JobStatus.PENDING, Counts(pending=2), JobApi.V1_BATCH, "parse", "parse.pending"),
        (JobStatus.DISPATCHED, Counts(pending=2), JobApi.V1_BATCH, "parse", None),
        (
            JobStatus.RUNNING,
            Counts(pending=1, processing=1),
            JobApi.V1_BATCH,
            "parse",
            "parse.running",
        ),
        (JobStatus.COMPLETED, Counts(completed=2), JobApi.V1_BATCH, "parse", "parse.success"),
        (
            JobStatus.COMPLETED,
            Counts(skipped=1, failed=1),
            JobApi.V1_BATCH,
            "parse",
            "parse.partial_success",
        ),
        (JobStatus.COMPLETED, Counts(failed=2), JobApi.V1_BATCH, "parse", "parse.error"),
        (JobStatus.FAILED, Counts(cancelled=2), JobApi.V1_BATCH, "parse", "parse.error"),
        (JobStatus.CANCELLED, Counts(cancelled=2), JobApi.V1_BATCH, "parse", "parse.cancelled"),
        (
            JobStatus.RUNNING,
            Counts(processing=1),
            JobApi.CLASSIFIER,
            "classify",
            "classify.running",
        ),
        (JobStatus.COMPLETED, Counts(failed=2), JobApi.V2_BATCH, "parse", "batch.success"),
        (JobStatus.RUNNING, Counts(processing=1), JobApi.V2_BATCH, "parse", "batch.running"),
    ],
)
def test_job_event(
    status: JobStatus, counts: Counts, api: JobApi, kind: str, event: str | None
) -> None:
    assert webhooks.job_event(_job(status, counts, api=api, kind=kind)) == event


def test_extract_has_no_running_event() -> None:
    job = _job(JobStatus.RUNNING, Counts(processing=1))
    assert webhooks.job_event(replace(job, job_type="extract")) is None


def test_snapshot_uses_the_view_vocabulary() -> None:
    done = _job(JobStatus.COMPLETED, Counts(completed=3, failed=1))
    snap = webhooks.status_snapshot(done)
    assert (snap["status"], snap["progress_percentage"], snap["failed_items"]) == (
        "completed",
        100.0,
        1,
    )
    v2 = webhooks.status_snapshot(
        _job(JobStatus.RUNNING, Counts(pending=1, completed=1), api=JobApi.PRODUCT)
    )
    assert (v2["status"], v2["progress_percentage"]) == ("RUNNING", 50.0)


def test_body_formats() -> None:
    snap = {"job_id": "bjb-1", "status": "completed"}
    as_string = json.loads(
        webhooks.body(
            delivery_id="whd-1", event="parse.success", created_at=NOW, snapshot=snap, fmt="string"
        )
    )
    as_json = json.loads(
        webhooks.body(
            delivery_id="whd-1", event="parse.success", created_at=NOW, snapshot=snap, fmt="json"
        )
    )
    assert json.loads(as_string["data"]) == as_json["data"] == snap
    assert as_json["event_id"] == "whd-1" and as_json["job_id"] == "bjb-1"


def test_headers_sign_and_the_docs_example_verifies_them() -> None:
    raw = b'{"event":"parse.success"}'
    headers = webhooks.headers(
        {"X-A": "1", "webhook-id": "spoofed"},
        raw=raw,
        msg_id="whd-9",
        timestamp=1_764_748_800,
        server_secret=SECRET,
        signing_secret="k",
    )
    assert headers["X-A"] == "1" and headers["webhook-id"] == "whd-9"  # ours win
    assert headers["LC-Signature"] == "sha256=" + hmac.new(b"k", raw, "sha256").hexdigest()
    doc = (Path(__file__).parents[3] / "docs" / "webhooks.md").read_text()
    (example,) = re.findall(r"```python\n(.*?)```", doc, flags=re.S)
    namespace: dict[str, object] = {}
    exec(example, namespace)  # the documented verifier, as a reader would paste it
    verify = namespace["verify"]
    assert callable(verify)
    fresh = webhooks.headers(
        {},
        raw=raw,
        msg_id="whd-9",
        timestamp=int(time.time()),
        server_secret=SECRET,
        signing_secret=None,
    )
    assert verify(SECRET, fresh, raw)
    assert not verify(SECRET, fresh, raw + b" ")  # a changed body
    assert not verify(SECRET, headers, raw)  # an old timestamp: a replay


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    policy = webhooks.RetryPolicy(base_s=2, max_delay_s=60)
    rng = random.Random(1)
    for attempts, ceiling in ((1, 2), (2, 4), (3, 8), (10, 60)):
        for _ in range(50):
            assert ceiling / 2 <= policy.delay(attempts, rng) < ceiling


def test_check_events() -> None:
    assert webhooks.check_events(None) is None
    assert webhooks.check_events(["parse.success", "parse.success", "batch.error"]) == (
        "parse.success",
        "batch.error",
    )
    with pytest.raises(ValueError, match="empty list"):
        webhooks.check_events([])
    with pytest.raises(ValueError, match=r"parse\.done"):
        webhooks.check_events(["parse.done"])
