"""Webhooks: which event a job's state change is, what a delivery carries, how it is signed,
and when a failed delivery is tried again. Pure: the store writes the events, the
application layer's sender delivers them.

Events are named ``<family>.<what>``: the family is ``batch`` for a v2 batch and the job type
(``parse``, ``classify``, ``extract``) otherwise; ``what`` follows the job's status
(``pending`` at create, ``running`` when its first item starts, then ``success``,
``partial_success`` (some items failed, some did not), ``error`` (every item failed, or the
orchestration failed) or ``cancelled``). Only the events the spec's enums name are sent: there
is no ``extract.running`` and no ``batch.partial_success`` (a v2 batch whose files were all
dealt with is a ``batch.success``, whatever each file's outcome; its status says the counts).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from reams.domain.records import Job, JobApi
from reams.domain.states import V2_JOB_STATUS, JobStatus

# The events the spec names (WebhookEventV1 ∪ WebhookEventV2, the families reams has).
EVENTS: Final = frozenset(
    {
        "batch.pending",
        "batch.running",
        "batch.success",
        "batch.error",
        "batch.cancelled",
        "parse.pending",
        "parse.running",
        "parse.success",
        "parse.partial_success",
        "parse.error",
        "parse.cancelled",
        "classify.pending",
        "classify.running",
        "classify.success",
        "classify.partial_success",
        "classify.error",
        "classify.cancelled",
        "extract.pending",
        "extract.success",
        "extract.partial_success",
        "extract.error",
        "extract.cancelled",
    }
)
# Accepted in a subscription (the enums have them) though reams never sends them.
KNOWN_EVENTS: Final = EVENTS | {
    "unmapped_event",
    *(f"sheets.{w}" for w in ("cancelled", "error", "partial_success", "pending", "success")),
    *(f"split.{w}" for w in ("cancelled", "error", "pending", "processing", "success")),
    *(f"verify.{w}" for w in ("cancelled", "error", "pending", "running", "success")),
}

OUTPUT_FORMATS: Final = ("string", "json")
SIGNATURE_HEADER: Final = "LC-Signature"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due at next_attempt_at
    SENDING = "sending"  # leased to a sender
    DELIVERED = "delivered"  # the receiver answered 2xx
    STOPPED = "stopped"  # the receiver answered 410 Gone: never again
    FAILED = "failed"  # gave up: the retry window passed


OPEN_DELIVERY: Final = frozenset({DeliveryStatus.PENDING, DeliveryStatus.SENDING})


@dataclass(frozen=True)
class WebhookTarget:
    """One endpoint a job notifies, resolved at create (inline, or from a saved config)."""

    url: str
    events: tuple[str, ...] | None = None  # None: every event
    headers: Mapping[str, str] = field(default_factory=dict)
    output_format: str = "string"
    signing_secret: str | None = None
    config_id: str | None = None  # the saved webhook config it came from

    def admits(self, event: str) -> bool:
        return self.events is None or event in self.events


def family(job: Job) -> str:
    if job.origin is not None and job.origin.api == JobApi.V2_BATCH:
        return "batch"
    return job.job_type.value


def job_event(job: Job) -> str | None:
    """The event a job's current status is, or None when it is not one (dispatched) or the
    spec has no name for it."""
    fam = family(job)
    status = job.status
    what: str | None
    if status == JobStatus.PENDING:
        what = "pending"
    elif status == JobStatus.RUNNING:
        what = "running"
    elif status == JobStatus.CANCELLED:
        what = "cancelled"
    elif status == JobStatus.FAILED:
        what = "error"
    elif status == JobStatus.COMPLETED:
        what = _completed(job, fam)
    else:
        what = None
    event = f"{fam}.{what}" if what else None
    return event if event in EVENTS else None


def _completed(job: Job, fam: str) -> str:
    counts = job.counts
    if fam == "batch" or counts.failed == 0:
        return "success"
    if counts.completed or counts.skipped:
        return "partial_success"
    return "error"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def status_snapshot(job: Job) -> dict[str, Any]:
    """The job's status object as the event saw it: a consumer needs no second call."""
    counts = job.counts
    v2 = job.origin is not None and job.origin.api in (JobApi.V2_BATCH, JobApi.PRODUCT)
    terminal = counts.terminal
    return {
        "job_id": job.id,
        "project_id": job.project_id,
        "job_type": job.job_type.value,
        "status": V2_JOB_STATUS[job.status] if v2 else job.status.value,
        "total_items": counts.total,
        "completed_items": counts.completed,
        "failed_items": counts.failed,
        "skipped_items": counts.skipped,
        "cancelled_items": counts.cancelled,
        "pending_items": counts.pending,
        "processing_items": counts.processing,
        "progress_percentage": round(100.0 * terminal / counts.total, 2) if counts.total else 0.0,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "completed_at": _iso(job.completed_at),
        "error_message": job.error_message,
    }


def body(
    *, delivery_id: str, event: str, created_at: datetime, snapshot: Mapping[str, Any], fmt: str
) -> bytes:
    """The raw request body. ``json``: ``data`` is the status object; ``string`` (the
    default): ``data`` is that object serialised as a JSON string."""
    data: Any = dict(snapshot)
    if fmt != "json":
        data = json.dumps(data, separators=(",", ":"), sort_keys=True)
    envelope = {
        "event_id": delivery_id,
        "event": event,
        "created_at": created_at.isoformat(),
        "job_id": snapshot.get("job_id"),
        "data": data,
    }
    return json.dumps(envelope, separators=(",", ":")).encode()


def lc_signature(secret: str, raw: bytes) -> str:
    """``LC-Signature`` value: ``sha256=<hex HMAC-SHA256 of the raw body>``."""
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def standard_key(secret: str) -> bytes:
    """The key of a Standard Webhooks secret (``whsec_<base64>``)."""
    return base64.b64decode(secret.removeprefix("whsec_"))


def standard_signature(secret: str, *, msg_id: str, timestamp: int, raw: bytes) -> str:
    """``webhook-signature`` value (Standard Webhooks v1): HMAC-SHA256 over
    ``{id}.{timestamp}.{body}`` with the server secret, base64."""
    signed = f"{msg_id}.{timestamp}.".encode() + raw
    digest = hmac.new(standard_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(
    target_headers: Mapping[str, str],
    *,
    raw: bytes,
    msg_id: str,
    timestamp: int,
    server_secret: str,
    signing_secret: str | None,
) -> dict[str, str]:
    """Every header of one attempt: the target's own first, then ours (which win)."""
    out = {str(k): str(v) for k, v in target_headers.items()}
    out.update(
        {
            "Content-Type": "application/json",
            "User-Agent": "reams-webhooks/1",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": standard_signature(
                server_secret, msg_id=msg_id, timestamp=timestamp, raw=raw
            ),
        }
    )
    if signing_secret:
        out[SIGNATURE_HEADER] = lc_signature(signing_secret, raw)
    return out


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped, within a window from the event."""

    base_s: float = 2.0
    max_delay_s: float = 3600.0
    window_s: float = 86400.0
    timeout_s: float = 10.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        """Seconds before the next try after ``attempts`` failed ones (1, 2, ...)."""
        ceiling = min(self.max_delay_s, self.base_s * 2.0 ** max(0, attempts - 1))
        r: float = (rng or random).random()
        return ceiling / 2 + r * ceiling / 2  # jitter in [ceiling/2, ceiling)


def check_events(events: Sequence[str] | None) -> tuple[str, ...] | None:
    """None (every event), or the names, each one the spec knows; raises ValueError."""
    if events is None:
        return None
    if not events:
        raise ValueError("webhook_events: an empty list subscribes to nothing; send null for all")
    unknown = [e for e in events if e not in KNOWN_EVENTS]
    if unknown:
        raise ValueError(f"webhook_events: unknown event {unknown[0]!r}")
    return tuple(dict.fromkeys(events))


@dataclass(frozen=True)
class Delivery:
    """One event to one endpoint, as the delivery log shows it."""

    id: str
    job_id: str
    event: str
    url: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None  # None once it is settled for good
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery leased to a sender, with everything needed to send it."""

    seq: int
    id: str
    job_id: str
    event: str
    snapshot: Mapping[str, Any]
    attempts: int  # including this one
    created_at: datetime
    target: WebhookTarget
