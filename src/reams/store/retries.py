"""Retrying a job's failed items: the one way out of a terminal state (a user's request).

Failed items go back to ``pending`` and a completed job back to ``running`` in one
transaction with the counters, through the same compare-and-set primitive as every other
transition (the tables in ``domain.states`` allow exactly these reopenings).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from reams.domain.errors import Conflict
from reams.domain.records import Job
from reams.domain.states import RETRYABLE_JOB, ItemStatus, JobStatus
from reams.store import tables as t
from reams.store.db import utcnow
from reams.store.moves import TERMINAL_COLUMNS, TransitionStore
from reams.store.webhooks import emit


class RetryStore(TransitionStore):
    """Move a job's failed items back to pending (and reopen the job), atomically."""

    def retry_failed(
        self,
        job_id: str,
        *,
        project_id: str | None,
        error_codes: Sequence[str] = (),
        item_ids: Sequence[str] = (),
    ) -> tuple[Job, int]:
        """Failed items (those with one of ``error_codes`` and among ``item_ids``, when given)
        back to ``pending``; returns the job after and how many items moved.

        Kept: each item's last ``error_code`` / ``error_message`` (readable until its new
        attempt settles: cleared on success, replaced on failure). Reset: ``attempts`` (the
        item gets the full retry budget again), its lease, backoff and completion time. A
        completed job becomes ``running`` again (its ETA anchors restart now); a running job
        stays running. Cancelled or failed jobs, and a job with no matching failed item, are a
        Conflict and nothing moves. Unknown ids and other projects' ids are NotFound.
        """
        job = self.get_job(job_id, project_id=project_id)
        if job.status not in RETRYABLE_JOB:
            raise Conflict(
                f"batch job {job_id!r} is {job.status}; only running or completed jobs "
                "can retry their failed items"
            )
        c = t.items.c
        where: list[Any] = []
        if error_codes:
            where.append(c.error_code.in_(list(error_codes)))
        if item_ids:
            where.append(c.item_id.in_(list(item_ids)))
        now = utcnow()
        with self.tx() as conn:
            # Items before the job row: the lock order of every other transition.
            moved = self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.FAILED,
                to=ItemStatus.PENDING,
                where=where,
                now=now,
                values={
                    "attempts": 0,
                    "not_before": None,
                    "lease_owner": None,
                    "lease_expires_at": None,
                    "completed_at": None,
                },
            )
            status = conn.execute(select(t.jobs.c.status).where(t.jobs.c.id == job_id)).scalar()
            if not moved or status not in RETRYABLE_JOB:  # raising rolls the moves back
                if moved:  # it was cancelled or failed meanwhile
                    raise Conflict(f"batch job {job_id!r} is {status}; it cannot be retried")
                raise Conflict(_nothing_to_retry(job_id, error_codes, item_ids))
            if status == JobStatus.COMPLETED:
                jc = t.jobs.c
                done = sum(jc[n] for n in TERMINAL_COLUMNS)
                self._set_job(
                    conn,
                    job_id,
                    JobStatus.RUNNING,
                    completed_at=None,
                    updated_at=now,
                    eta_prev_at=now,
                    eta_anchor_at=now,
                    eta_prev_done=done,
                    eta_anchor_done=done,
                )
                emit(conn, job_id, now)  # *.running again; its end is reported again too
        return self.get_job(job_id, project_id=project_id), moved


def _nothing_to_retry(job_id: str, error_codes: Sequence[str], item_ids: Sequence[str]) -> str:
    which = "failed items"
    if error_codes:
        which += f" with error code {', '.join(error_codes)}"
    if item_ids:
        which += f" among the {len(item_ids)} item id(s) given"
    return f"batch job {job_id!r} has no {which}; nothing to retry"
