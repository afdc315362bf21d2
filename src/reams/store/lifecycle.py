"""Job-level transitions, planning-time skips and lease recovery."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    exists,
    func,
    select,
    update,
)

from reams.domain.records import Job
from reams.domain.states import (
    ACTIVE_JOB,
    TERMINAL_JOB,
    ItemStatus,
    JobStatus,
    PartStatus,
    SkipReason,
)
from reams.store import tables as t
from reams.store.db import aware, utcnow
from reams.store.parts import PartStore
from reams.store.webhooks import emit

# Jobs whose pending items will never run.
ENDED_EARLY = frozenset({JobStatus.CANCELLED, JobStatus.FAILED})


class LifecycleStore(PartStore):
    """Dispatch, finalize, fail and cancel jobs; bulk skips; reclaim expired leases."""

    # -- job level ---------------------------------------------------------------------------
    def active_job_ids(self, *, statuses: Sequence[JobStatus] = tuple(ACTIVE_JOB)) -> list[str]:
        jc = t.jobs.c
        query = select(jc.id).where(jc.status.in_([s.value for s in statuses]))
        with self.read() as conn:
            return list(conn.execute(query.order_by(jc.created_at)).scalars())

    def mark_dispatched(self, job_id: str) -> bool:
        now = utcnow()
        with self.tx() as conn:
            return self._set_job(conn, job_id, JobStatus.DISPATCHED, updated_at=now)

    def record_dispatch_error(self, job_id: str, message: str) -> None:
        """The job's orchestration could not be started (yet): say why on the job, keeping
        when it first failed. Only active jobs; ``updated_at`` (the ETA's clock) stays."""
        jc = t.jobs.c
        with self.tx() as conn:
            conn.execute(
                update(t.jobs)
                .where(jc.id == job_id, jc.status.in_([s.value for s in ACTIVE_JOB]))
                .values(
                    dispatch_error=message[:2000],
                    dispatch_error_at=func.coalesce(jc.dispatch_error_at, utcnow()),
                )
            )

    def clear_dispatch_error(self, job_id: str) -> bool:
        """The orchestration started: forget why it could not before (True if there was).
        Callers need not know whether the job holds an error (another attempt may have
        recorded one meanwhile): a read first, so the usual answer takes no write lock."""
        jc = t.jobs.c
        with self.read() as conn:
            held = conn.execute(select(jc.dispatch_error).where(jc.id == job_id)).scalar()
        if held is None:
            return False
        with self.tx() as conn:
            cleared = conn.execute(
                update(t.jobs)
                .where(jc.id == job_id, jc.dispatch_error.is_not(None))
                .values(dispatch_error=None, dispatch_error_at=None)
            )
        return bool(cleared.rowcount)

    def finalize_if_done(self, job_id: str) -> Job | None:
        """Complete a job whose items are all terminal; returns it if this call completed it."""
        job = self.get_job(job_id, project_id=None)
        # A read first: most calls find work left, and a read takes no write lock.
        if job.status in TERMINAL_JOB or job.counts.pending or job.counts.processing:
            return None
        with self.tx() as conn:
            done = self._finalize(conn, job_id, utcnow())
        return self.get_job(job_id, project_id=None) if done else None

    def fail_job(self, job_id: str, message: str) -> bool:
        """The orchestration failed: the job ends ``failed`` and its pending items, which
        nothing will run now, end ``cancelled`` in the same transaction (the counters add up).
        Items in flight finish and are recorded; any that come back to pending later are
        cancelled by :meth:`cancel_leftovers`."""
        return self._end_early(job_id, JobStatus.FAILED, error_message=message)

    def cancel_job(self, job_id: str, *, reason: str | None) -> Job:
        """Cancel: the job ends as ``cancelled`` and its pending items become ``cancelled``.

        Items in flight finish and are recorded honestly. Cancelling a finished job is a no-op.
        """
        job = self.get_job(job_id, project_id=None)
        if job.status in TERMINAL_JOB:
            return job
        self._end_early(job_id, JobStatus.CANCELLED, cancel_reason=reason)
        return self.get_job(job_id, project_id=None)

    def _end_early(self, job_id: str, status: JobStatus, **values: str | None) -> bool:
        """End a job before its items (cancelled or failed), its pending items cancelled in the
        same transaction; False (and nothing moved) when the job had ended already. Item rows
        are locked before the job row, the order every other transition uses, so this and a
        claim never deadlock on PostgreSQL."""
        now = utcnow()
        with self.tx() as conn:
            self._unsplit_for_cancel(conn, job_id, now)  # items waiting on page parts too
            self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PENDING,
                to=ItemStatus.CANCELLED,
                values={"completed_at": now},
                now=now,
            )
            ended = self._set_job(conn, job_id, status, completed_at=now, updated_at=now, **values)
            if not ended:
                conn.rollback()  # it ended meanwhile: its items stay as they were
            else:
                emit(conn, job_id, now)  # *.cancelled or *.error
            return ended

    # -- bulk planning skips -----------------------------------------------------------------
    def skip_already_processed(self, job_id: str, *, project_id: str, parameters_hash: str) -> int:
        """Skip every pending item whose content was processed with the same configuration."""
        c, r = t.items.c, t.results.c
        match = and_(
            r.project_id == project_id,
            r.sha256 == c.sha256,
            r.parameters_hash == parameters_hash,
            r.cacheable.is_(True),
        )
        earliest = select(r.id).where(match).order_by(r.processed_at).limit(1).scalar_subquery()
        now = utcnow()
        with self.tx() as conn:
            return self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PENDING,
                to=ItemStatus.SKIPPED,
                where=[exists().where(match)],
                now=now,
                values={
                    "skip_reason": SkipReason.ALREADY_PROCESSED.value,
                    "result_id": earliest,
                    "completed_at": now,
                },
            )

    def skip_too_large(self, job_id: str, *, max_bytes: int) -> int:
        now = utcnow()
        with self.tx() as conn:
            return self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PENDING,
                to=ItemStatus.SKIPPED,
                where=[t.items.c.size > max_bytes],
                now=now,
                values={"skip_reason": SkipReason.SIZE_LIMIT_EXCEEDED.value, "completed_at": now},
            )

    # -- recovery ----------------------------------------------------------------------------
    def reclaim_expired(self, *, max_losses: int) -> int:
        """Items whose lease expired (the process holding them died or stopped renewing) back
        to pending, or failed for good (``worker_lost``) once lost ``max_losses`` times.

        A lost claim is not the item's fault: it counts in ``losses``, not in ``attempts``
        (the claim's attempt is given back), so killing a server never uses up the attempts
        that retryable errors of the document itself are allowed.
        """
        now = utcnow()
        c = t.items.c
        query = select(c.id, c.job_id, c.losses).where(
            c.status == ItemStatus.PROCESSING.value, c.lease_expires_at < now
        )
        moved = 0
        with self.tx() as conn:
            for row_id, job_id, losses in conn.execute(query).all():
                guard = c.lease_expires_at < now
                moved += self._reclaim_one(conn, row_id, job_id, guard, losses + 1 >= max_losses)
        return moved + self.reclaim_parts(max_losses=max_losses, expired_before=now)

    def reclaim_orphans(self, *, instance: str, owner: str, max_losses: int) -> int:
        """Items leased to an earlier run of this engine instance, at once (no lease to wait
        for): owners are ``<instance>:<boot>``, and only one live process holds an instance
        (engine.instance), so any boot but ``owner``'s own is dead. Counted as losses, as in
        :meth:`reclaim_expired`."""
        c = t.items.c
        query = select(c.id, c.job_id, c.losses, c.lease_owner).where(
            c.status == ItemStatus.PROCESSING.value,
            c.lease_owner.startswith(f"{instance}:", autoescape=True),
            c.lease_owner != owner,
        )
        moved = 0
        with self.tx() as conn:
            for row_id, job_id, losses, dead in conn.execute(query).all():
                guard = c.lease_owner == dead
                moved += self._reclaim_one(conn, row_id, job_id, guard, losses + 1 >= max_losses)
        parts = self.reclaim_parts(
            max_losses=max_losses, expired_before=None, instance=instance, owner=owner
        )
        return moved + parts

    def _reclaim_one(
        self, conn: Connection, row_id: str, job_id: str, guard: Any, give_up: bool
    ) -> int:
        """One lost claim back to pending (or failed); ``guard``: it is still lost."""
        c = t.items.c
        now = utcnow()
        where = [c.id == row_id, guard]
        lost = {"losses": c.losses + 1, "attempts": c.attempts - 1}
        if give_up:  # the last item of its job completes the job, as any outcome does
            failed = self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PROCESSING,
                to=ItemStatus.FAILED,
                where=where,
                now=now,
                values=lost
                | {
                    "error_code": "worker_lost",
                    "completed_at": now,
                    "error_message": "The process running this item stopped (killed or "
                    "crashed) every time it was claimed.",
                },
            )
            if failed:
                self._finalize(conn, job_id, now)
            return failed
        moved = self._move(
            conn,
            job_id=job_id,
            frm=ItemStatus.PROCESSING,
            to=ItemStatus.PENDING,
            where=where,
            now=now,
            values=lost
            | {
                "error_code": "worker_lost",
                "error_message": "The process running this item stopped (killed or crashed); "
                "it runs again, and this does not count as an attempt.",
            },
        )
        if moved:  # nothing will run it if its job was cancelled or failed meanwhile
            self._cancel_if_job_ended(conn, job_id, item_id=row_id)
        return moved

    def cancel_leftovers(self, job_id: str) -> int:
        """Cancel the pending items of a cancelled or failed job.

        Items in flight when a job is cancelled (or its orchestration fails) may come back to
        ``pending`` afterwards (a retry, a slice or driver giving back what it had claimed);
        nothing will run them, so they end ``cancelled`` too.
        """
        if self.get_job(job_id, project_id=None).status not in ENDED_EARLY:
            return 0
        now = utcnow()
        with self.tx() as conn:
            return self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PENDING,
                to=ItemStatus.CANCELLED,
                now=now,
                values={"completed_at": now},
            )

    def next_times(self, job_id: str) -> tuple[datetime | None, datetime | None]:
        """When the job's next pending item or page part is due (now, if one is), and when
        the first lease of its items or parts in flight expires; None for either when there
        is no such row. (An item split into page parts is in flight without a lease of its
        own: its parts carry them.)"""
        now = utcnow()
        due: list[datetime] = []
        leases: list[datetime] = []
        kinds = (
            (t.items.c, ItemStatus.PENDING.value, ItemStatus.PROCESSING.value),
            (t.item_parts.c, PartStatus.PENDING.value, PartStatus.PROCESSING.value),
        )
        with self.read() as conn:
            for c, pending_value, processing_value in kinds:
                pending = (c.job_id == job_id, c.status == pending_value)
                due_now = select(c.id).where(*pending)
                due_now = due_now.where(c.not_before.is_(None) | (c.not_before <= now))
                later = select(func.min(c.not_before)).where(*pending)
                leased = select(func.min(c.lease_expires_at)).where(
                    c.job_id == job_id, c.status == processing_value
                )
                first = now if conn.execute(due_now.limit(1)).first() else None
                first = first or aware(conn.execute(later).scalar())
                expiry = aware(conn.execute(leased).scalar())
                due += [first] if first is not None else []
                leases += [expiry] if expiry is not None else []
        return min(due, default=None), min(leases, default=None)

    def lease_expiry(self, item_row_id: str) -> datetime | None:
        with self.read() as conn:
            value = conn.execute(
                select(t.items.c.lease_expires_at).where(t.items.c.id == item_row_id)
            ).scalar()
        return aware(value)
