"""Claiming due items under a lease, and renewing leases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    select,
    update,
)

from reams.domain.records import Item
from reams.domain.states import TERMINAL_JOB, ItemStatus, JobStatus, job_sources
from reams.store import tables as t
from reams.store.base import to_record
from reams.store.db import utcnow
from reams.store.moves import TERMINAL_COLUMNS, TransitionStore
from reams.store.webhooks import emit


class ClaimStore(TransitionStore):
    """Claims: due pending items of active jobs, oldest job first, locked then moved."""

    # -- claiming ----------------------------------------------------------------------------
    def claim(
        self, *, owner: str, lease_s: float, limit: int = 1, job_ids: Sequence[str] | None = None
    ) -> list[Item]:
        """Take up to ``limit`` due pending items of active jobs (oldest job first).

        One small query per job on (job_id, status, seq), so a claim costs the same on a
        100,000-item job as on a 10-item one; the chosen rows are locked (PostgreSQL: FOR
        UPDATE SKIP LOCKED; SQLite: the write lock), then moved with one statement.
        """
        now = utcnow()
        claimed: list[str] = []
        with self.tx() as conn:
            for job_id in self._claimable_jobs(conn, job_ids):
                due = self._due_items(conn, job_id, now, limit - len(claimed))
                if due:
                    self._claim_rows(conn, job_id, due, owner, now, lease_s)
                    claimed.extend(due)
                    self._start_job(conn, job_id, now)
                if len(claimed) >= limit:
                    break
            if not claimed:
                return []
            rows = conn.execute(self.statement("items", _items_query), {"ids": claimed}).all()
        by_id = {r.id: r for r in rows}
        return [to_record(Item, by_id[i]) for i in claimed]

    def _claimable_jobs(self, conn: Connection, job_ids: Sequence[str] | None) -> list[str]:
        found = list(conn.execute(self.statement("claimable", _claimable_jobs_query)).scalars())
        return found if job_ids is None else [j for j in found if j in set(job_ids)]

    def _due_items(self, conn: Connection, job_id: str, now: datetime, limit: int) -> list[str]:
        stmt = self.statement(("due", limit), partial(_due_items_query, self.dialect, limit))
        return list(conn.execute(stmt, {"q_job": job_id, "q_now": now}).scalars())

    def _claim_rows(
        self,
        conn: Connection,
        job_id: str,
        row_ids: list[str],
        owner: str,
        now: datetime,
        lease_s: float,
    ) -> None:
        params = {
            "ids": row_ids,
            "k_owner": owner,
            "k_now": now,
            "k_exp": now + timedelta(seconds=lease_s),
        }
        moved = conn.execute(self.statement("claim", _claim_statement), params).rowcount
        if moved != len(row_ids):  # the rows are locked for us: anything else is a bug
            raise RuntimeError(f"claimed {moved} of {len(row_ids)} locked items")
        self._count(
            conn,
            job_id=job_id,
            frm=ItemStatus.PENDING,
            to=ItemStatus.PROCESSING,
            n=moved,
            now=now,
        )

    def _start_job(self, conn: Connection, job_id: str, now: datetime) -> None:
        params = {"s_job": job_id, "s_now": now}
        if conn.execute(self.statement("start", _start_statement), params).rowcount:
            emit(conn, job_id, now)  # *.running, once

    def renew_leases(self, *, owner: str, item_row_ids: Sequence[str], lease_s: float) -> int:
        if not item_row_ids:
            return 0
        c = t.items.c
        with self.tx() as conn:
            return int(
                conn.execute(
                    update(t.items)
                    .where(c.id.in_(list(item_row_ids)), c.lease_owner == owner)
                    .where(c.status == ItemStatus.PROCESSING.value)
                    .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
                ).rowcount
            )


def _claimable_jobs_query() -> Any:
    jc = t.jobs.c
    active = [JobStatus.DISPATCHED.value, JobStatus.RUNNING.value]
    return select(jc.id).where(jc.status.in_(active), jc.n_pending > 0).order_by(jc.created_at)


def _due_items_query(dialect: str, limit: int) -> Any:
    c = t.items.c
    now: Any = bindparam("q_now")
    query = (
        select(c.id)
        .where(c.job_id == bindparam("q_job"), c.status == ItemStatus.PENDING.value)
        .where((c.not_before.is_(None)) | (c.not_before <= now))
        .order_by(c.seq)
        .limit(limit)
    )
    if dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


def _claim_statement() -> Any:
    c = t.items.c
    return (
        update(t.items)
        .where(c.id.in_(bindparam("ids", expanding=True)))
        .where(c.status == ItemStatus.PENDING.value)
        .values(
            status=ItemStatus.PROCESSING.value,
            updated_at=bindparam("k_now"),
            lease_owner=bindparam("k_owner"),
            lease_expires_at=bindparam("k_exp"),
            attempts=c.attempts + 1,
            started_at=bindparam("k_now"),
        )
    )


# A claim starts its job when the job may become running (the transition table says from what)
# and has not ended: only a retry of failed items reopens a completed job, never a claim.
_STARTABLE = sorted(s.value for s in job_sources(JobStatus.RUNNING) - TERMINAL_JOB)


def _start_statement() -> Any:
    jc = t.jobs.c
    done = sum(jc[n] for n in TERMINAL_COLUMNS)
    now: Any = bindparam("s_now")
    return (
        update(t.jobs)
        .where(jc.id == bindparam("s_job"), jc.status.in_(_STARTABLE))
        .values(
            status=JobStatus.RUNNING.value,
            started_at=now,
            eta_prev_at=now,
            eta_anchor_at=now,
            eta_prev_done=done,
            eta_anchor_done=done,
        )
    )


def _items_query() -> Any:
    return select(t.items).where(t.items.c.id.in_(bindparam("ids", expanding=True)))
