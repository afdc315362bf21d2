"""The webhook outbox: endpoints written with their job, deliveries written in the
transaction of the job change they report, claimed by senders with a lease (as items are)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, insert, or_, select, update

from reams.domain import ids
from reams.domain.errors import Conflict, NotFound
from reams.domain.webhooks import (
    OPEN_DELIVERY,
    ClaimedDelivery,
    Delivery,
    DeliveryStatus,
    WebhookTarget,
    job_event,
    status_snapshot,
)
from reams.store import tables as t
from reams.store.base import StoreBase
from reams.store.db import aware, utcnow
from reams.store.job_rows import job_record

_OPEN = [s.value for s in OPEN_DELIVERY]


def add_webhooks(conn: Connection, job_id: str, targets: Sequence[WebhookTarget]) -> None:
    """The job's endpoints, in the job's creating transaction."""
    if not targets:
        return
    conn.execute(
        insert(t.job_webhooks),
        [
            {
                "id": ids.new_id(ids.JOB_WEBHOOK),
                "job_id": job_id,
                "config_id": target.config_id,
                "url": target.url,
                "events": list(target.events) if target.events is not None else None,
                "headers": dict(target.headers) or None,
                "output_format": target.output_format,
                "signing_secret": target.signing_secret,
            }
            for target in targets
        ],
    )


def emit(conn: Connection, job_id: str, now: datetime) -> int:
    """Write the deliveries of the event the job's status now is, in the caller's transaction
    (so an event exists exactly when its change committed). Returns how many were written."""
    w = t.job_webhooks.c
    hooks = conn.execute(
        select(t.job_webhooks).where(w.job_id == job_id, w.stopped_at.is_(None))
    ).all()
    if not hooks:
        return 0
    job = job_record(conn.execute(select(t.jobs).where(t.jobs.c.id == job_id)).one())
    event = job_event(job)
    if event is None:
        return 0
    snapshot = status_snapshot(job)
    rows = [
        {
            "id": ids.new_id(ids.WEBHOOK_DELIVERY),
            "job_id": job_id,
            "webhook_id": hook.id,
            "event": event,
            "snapshot": snapshot,
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for hook in hooks
        if hook.events is None or event in hook.events
    ]
    if rows:
        conn.execute(insert(t.webhook_deliveries), rows)
    return len(rows)


def forget_webhooks(conn: Connection, job_id: str) -> None:
    """A deleted job's deliveries and endpoints (before the job row)."""
    conn.execute(delete(t.webhook_deliveries).where(t.webhook_deliveries.c.job_id == job_id))
    conn.execute(delete(t.job_webhooks).where(t.job_webhooks.c.job_id == job_id))


def _target(row: Any) -> WebhookTarget:
    return WebhookTarget(
        url=row.url,
        events=tuple(row.events) if row.events is not None else None,
        headers=dict(row.headers or {}),
        output_format=row.output_format,
        signing_secret=row.signing_secret,
        config_id=row.config_id,
    )


class WebhookStore(StoreBase):
    """Claim, settle, list and re-send deliveries."""

    def claim_deliveries(
        self, *, owner: str, lease_s: float, limit: int, now: datetime | None = None
    ) -> list[ClaimedDelivery]:
        """Due deliveries (pending and due, or leased and expired), oldest first, at most one
        per endpoint at a time: a later event to an endpoint waits for the earlier ones."""
        now = now or utcnow()
        d = t.webhook_deliveries.c
        earlier = t.webhook_deliveries.alias("earlier")
        due = (
            select(d.seq)
            .where(
                or_(
                    and_(d.status == DeliveryStatus.PENDING.value, d.next_attempt_at <= now),
                    and_(d.status == DeliveryStatus.SENDING.value, d.lease_expires_at < now),
                )
            )
            .where(
                ~exists().where(
                    earlier.c.webhook_id == d.webhook_id,
                    earlier.c.seq < d.seq,
                    earlier.c.status.in_(_OPEN),
                )
            )
            .order_by(d.seq)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            due = due.with_for_update(skip_locked=True)
        with self.tx() as conn:
            seqs = list(conn.execute(due).scalars())
            if not seqs:
                return []
            conn.execute(
                update(t.webhook_deliveries)
                .where(d.seq.in_(seqs))
                .values(
                    status=DeliveryStatus.SENDING.value,
                    lease_owner=owner,
                    lease_expires_at=now + timedelta(seconds=lease_s),
                    attempts=d.attempts + 1,
                    updated_at=now,
                )
            )
            w = t.job_webhooks.c
            rows = conn.execute(
                select(t.webhook_deliveries, w.url, w.events, w.headers)
                .add_columns(w.output_format, w.signing_secret, w.config_id)
                .join(t.job_webhooks, w.id == d.webhook_id)
                .where(d.seq.in_(seqs))
                .order_by(d.seq)
            ).all()
        return [
            ClaimedDelivery(
                seq=r.seq,
                id=r.id,
                job_id=r.job_id,
                event=r.event,
                snapshot=r.snapshot,
                attempts=r.attempts,
                created_at=aware(r.created_at) or now,
                target=_target(r),
            )
            for r in rows
        ]

    def settle_delivery(
        self,
        seq: int,
        *,
        owner: str,
        status: DeliveryStatus,
        status_code: int | None,
        error: str | None,
        next_attempt_at: datetime | None = None,
    ) -> bool:
        """Record one attempt's outcome; False when the lease was lost meanwhile."""
        now = utcnow()
        d = t.webhook_deliveries.c
        values: dict[str, Any] = {
            "status": status.value,
            "last_status_code": status_code,
            "last_error": error,
            "lease_owner": None,
            "lease_expires_at": None,
            "updated_at": now,
        }
        if status == DeliveryStatus.DELIVERED:
            values["delivered_at"] = now
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        with self.tx() as conn:
            changed = conn.execute(
                update(t.webhook_deliveries)
                .where(d.seq == seq, d.lease_owner == owner)
                .where(d.status == DeliveryStatus.SENDING.value)
                .values(values)
            ).rowcount
            if changed and status == DeliveryStatus.STOPPED:
                self._stop_endpoint(conn, seq, now)
        return bool(changed)

    def _stop_endpoint(self, conn: Connection, seq: int, now: datetime) -> None:
        """410 Gone: the endpoint gets nothing more about this job (its open deliveries
        stop too, and later events write none for it) until a resend reopens it."""
        d = t.webhook_deliveries.c
        hook = select(d.webhook_id).where(d.seq == seq).scalar_subquery()
        conn.execute(
            update(t.job_webhooks).where(t.job_webhooks.c.id == hook).values(stopped_at=now)
        )
        conn.execute(
            update(t.webhook_deliveries)
            .where(d.webhook_id == hook, d.status == DeliveryStatus.PENDING.value)
            .values(
                status=DeliveryStatus.STOPPED.value,
                updated_at=now,
                last_error="not sent: the endpoint answered 410 Gone earlier",
            )
        )

    def list_deliveries(self, job_id: str, *, project_id: str | None) -> list[Delivery]:
        """A job's deliveries, oldest first (NotFound for an unknown job)."""
        self._require_job(job_id, project_id)
        d, w = t.webhook_deliveries.c, t.job_webhooks.c
        with self.read() as conn:
            rows = conn.execute(
                select(t.webhook_deliveries, w.url)
                .join(t.job_webhooks, w.id == d.webhook_id)
                .where(d.job_id == job_id)
                .order_by(d.seq)
            ).all()
        return [_delivery(r) for r in rows]

    def resend_delivery(self, job_id: str, delivery_id: str, *, project_id: str | None) -> Delivery:
        """A settled delivery (failed, stopped or delivered) goes out again now."""
        self._require_job(job_id, project_id)
        d = t.webhook_deliveries.c
        now = utcnow()
        with self.tx() as conn:
            row = conn.execute(
                select(d.status, d.webhook_id).where(d.id == delivery_id, d.job_id == job_id)
            ).first()
            if row is None:
                raise NotFound("webhook delivery", delivery_id)
            if row.status in _OPEN:
                raise Conflict(f"webhook delivery {delivery_id!r} is {row.status}: not settled yet")
            conn.execute(
                update(t.webhook_deliveries)
                .where(d.id == delivery_id)
                .values(
                    status=DeliveryStatus.PENDING.value,
                    next_attempt_at=now,
                    lease_owner=None,
                    lease_expires_at=None,
                    updated_at=now,
                )
            )
            conn.execute(  # a resend reopens an endpoint that had answered 410
                update(t.job_webhooks)
                .where(t.job_webhooks.c.id == row.webhook_id)
                .values(stopped_at=None)
            )
        return next(
            x for x in self.list_deliveries(job_id, project_id=project_id) if x.id == delivery_id
        )

    def _require_job(self, job_id: str, project_id: str | None) -> None:
        query = select(t.jobs.c.id).where(t.jobs.c.id == job_id)
        if project_id is not None:
            query = query.where(t.jobs.c.project_id == project_id)
        with self.read() as conn:
            if conn.execute(query).first() is None:
                raise NotFound("batch job", job_id)


def _delivery(r: Any) -> Delivery:
    status = DeliveryStatus(r.status)
    return Delivery(
        id=r.id,
        job_id=r.job_id,
        event=r.event,
        url=r.url,
        status=status,
        attempts=r.attempts,
        last_status_code=r.last_status_code,
        last_error=r.last_error,
        next_attempt_at=aware(r.next_attempt_at) if status in OPEN_DELIVERY else None,
        created_at=aware(r.created_at) or utcnow(),
        delivered_at=aware(r.delivered_at),
    )
