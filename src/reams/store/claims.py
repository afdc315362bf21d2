"""Claiming due items under a lease, fairly between projects, and renewing leases.

Which job a claim serves first is :func:`reams.domain.fairness.fair_order`: projects take
turns by recent service (``projects.served``, moved by every claim), jobs within a project go
by priority then age. While several projects have work, a claim takes one item, so items
claimed ahead of time (a driver's lane) never hold a newcomer back by more than one. Page
parts of a huge document (``store.parts``) are claimed in their job's turn, before its items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    select,
    update,
)

from reams.domain.fairness import Candidate, Share, fair_order
from reams.domain.records import Item
from reams.domain.states import TERMINAL_JOB, ItemStatus, JobStatus, job_sources
from reams.store import tables as t
from reams.store.base import to_record
from reams.store.db import aware, utcnow
from reams.store.moves import TERMINAL_COLUMNS
from reams.store.parts import PART_PREFIX, PartStore
from reams.store.webhooks import emit

ACTIVE = (JobStatus.DISPATCHED.value, JobStatus.RUNNING.value)


@dataclass(frozen=True)
class _Active:
    """An active job with what fair scheduling reads of it and of its project."""

    candidate: Candidate
    n_pending: int
    n_processing: int
    pages_total: int = 0

    @property
    def has_parts(self) -> bool:
        """Whether page parts of the job may be due (an item of it was split, one is in
        flight): only then does a claim look for them."""
        return self.pages_total > 0 and self.n_processing > 0

    @property
    def job_id(self) -> str:
        return self.candidate.job_id

    @property
    def project_id(self) -> str:
        return self.candidate.project_id


@dataclass(frozen=True)
class _Plan:
    """A claim's jobs in fair order, and the projects' shares as read."""

    jobs: list[Candidate]
    shares: dict[str, Share]
    sliced: set[str]  # jobs whose page parts may be due

    def limit(self, wanted: int) -> int:
        """One item at a time while several projects compete, so they alternate finely."""
        return 1 if len({j.project_id for j in self.jobs}) > 1 else wanted


class ClaimStore(PartStore):
    """Claims: due pending items of active jobs, projects in turn, locked then moved."""

    # -- claiming ----------------------------------------------------------------------------
    def claim(
        self, *, owner: str, lease_s: float, limit: int = 1, job_ids: Sequence[str] | None = None
    ) -> list[Item]:
        """Take up to ``limit`` due pending items of active jobs, in fair order.

        One small query per job on (job_id, status, seq), so a claim costs the same on a
        100,000-item job as on a 10-item one; the chosen rows are locked (PostgreSQL: FOR
        UPDATE SKIP LOCKED; SQLite: the write lock), then moved with one statement.
        """
        now = utcnow()
        claimed: list[str] = []
        served: dict[str, int] = {}
        with self.tx() as conn:
            plan = self._plan(conn, job_ids, now)
            limit = plan.limit(limit)
            for job in plan.jobs:
                if job.job_id in plan.sliced and not claimed:
                    # A started huge document's page parts before the job's new items, one
                    # at a time, and in the job's turn among projects (counted as service).
                    part = self._claim_part(
                        conn, [job.job_id], owner=owner, now=now, lease_s=lease_s
                    )
                    if part is not None:
                        self._record_service(conn, {job.project_id: 1}, plan.shares, now)
                        return [part]
                due = self._due_items(conn, job.job_id, now, limit - len(claimed))
                if due:
                    self._claim_rows(conn, job.job_id, due, owner, now, lease_s)
                    claimed.extend(due)
                    served[job.project_id] = served.get(job.project_id, 0) + len(due)
                    self._start_job(conn, job.job_id, now)
                if len(claimed) >= limit:
                    break
            if not claimed:
                return []
            self._record_service(conn, served, plan.shares, now)
            rows = conn.execute(self.statement("items", _items_query), {"ids": claimed}).all()
        by_id = {r.id: r for r in rows}
        return [to_record(Item, by_id[i]) for i in claimed]

    def _active(self, conn: Connection) -> tuple[list[_Active], dict[str, Share]]:
        """Every active job (a handful of rows, by ``ix_jobs_status``) and its project's share."""
        active, shares = [], {}
        for row in conn.execute(self.statement("active", _active_jobs_query)):
            candidate = Candidate(row.id, row.project_id, row.priority, row.created_at)
            active.append(_Active(candidate, row.n_pending, row.n_processing, row.pages_total))
            shares[row.project_id] = Share(row.served, aware(row.served_at))
        return active, shares

    def _plan(self, conn: Connection, job_ids: Sequence[str] | None, now: datetime) -> _Plan:
        active, shares = self._active(conn)
        wanted = None if job_ids is None else set(job_ids)
        mine = [a for a in active if wanted is None or a.job_id in wanted]
        jobs = [a.candidate for a in mine if a.n_pending > 0 or a.has_parts]
        sliced = {a.job_id for a in mine if a.has_parts}
        return _Plan(fair_order(jobs, shares, now), shares, sliced)

    def _record_service(
        self, conn: Connection, served: dict[str, int], seen: dict[str, Share], now: datetime
    ) -> None:
        """Add the claimed items to their projects' recent service (in project id order, so
        concurrent claims lock project rows in one order). A compare-and-set on ``served_at``:
        if another claim moved it since we read it, read it again under a lock."""
        for project_id in sorted(served):
            share = seen.get(project_id, Share())
            moved = self._write_share(conn, project_id, share, share.after(served[project_id], now))
            if not moved:
                locked = self._locked_share(conn, project_id)
                self._write_share(conn, project_id, locked, locked.after(served[project_id], now))

    def _write_share(self, conn: Connection, project_id: str, old: Share, new: Share) -> bool:
        params = {
            "p_id": project_id,
            "p_seen": old.served_at,
            "p_served": new.served,
            "p_at": new.served_at,
        }
        return bool(conn.execute(self.statement("share", _share_statement), params).rowcount)

    def _locked_share(self, conn: Connection, project_id: str) -> Share:
        stmt = self.statement(("locked_share", self.dialect), partial(_share_query, self.dialect))
        row = conn.execute(stmt, {"p_id": project_id}).one()
        return Share(row.served, aware(row.served_at))

    # -- yielding (engines that claim one job's items: Temporal slices) ---------------------
    def should_yield(self, job_id: str) -> bool:
        """Whether a worker serving only ``job_id`` should let its slot go: another job ranks
        ahead of it in the fair order, has items due now and fewer items in flight (counted
        per project, or per job within the same project) than this one."""
        now = utcnow()
        with self.read() as conn:
            active, shares = self._active(conn)
            mine = next((a for a in active if a.job_id == job_id), None)
            if mine is None:
                return False
            by_id = {a.job_id: a for a in active}
            order = fair_order(
                [a.candidate for a in active if a.n_pending > 0 or a is mine], shares, now
            )
            for candidate in order:
                if candidate.job_id == job_id:
                    return False
                other = by_id[candidate.job_id]
                if _fewer_in_flight(other, mine, active) and self._has_due(conn, other, now):
                    return True
        return False

    def _has_due(self, conn: Connection, job: _Active, now: datetime) -> bool:
        stmt = self.statement("any_due", _any_due_query)
        return conn.execute(stmt, {"q_job": job.job_id, "q_now": now}).first() is not None

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
        until = utcnow() + timedelta(seconds=lease_s)
        with self.tx() as conn:
            renewed = conn.execute(
                update(t.items)
                .where(c.id.in_(list(item_row_ids)), c.lease_owner == owner)
                .where(c.status == ItemStatus.PROCESSING.value)
                .values(lease_expires_at=until)
            ).rowcount
            parts = [i for i in item_row_ids if i.startswith(f"{PART_PREFIX}-")]
            if parts:
                renewed += self.renew_part_leases(conn, owner=owner, ids_=parts, until=until)
            return int(renewed)


def _fewer_in_flight(other: _Active, mine: _Active, active: list[_Active]) -> bool:
    """``other`` has fewer items processing than ``mine``: per project across projects, per
    job within one project."""
    if other.project_id == mine.project_id:
        return other.n_processing < mine.n_processing

    def project(p: str) -> int:
        return sum(a.n_processing for a in active if a.project_id == p)

    return project(other.project_id) < project(mine.project_id)


def _active_jobs_query() -> Any:
    jc, pc = t.jobs.c, t.projects.c
    return (
        select(
            jc.id,
            jc.project_id,
            jc.priority,
            jc.created_at,
            jc.n_pending,
            jc.n_processing,
            jc.pages_total,
            pc.served,
            pc.served_at,
        )
        .join(t.projects, pc.id == jc.project_id)
        .where(jc.status.in_(ACTIVE))
    )


def _share_statement() -> Any:
    pc = t.projects.c
    return (
        update(t.projects)
        .where(pc.id == bindparam("p_id"))
        .where(pc.served_at.is_not_distinct_from(bindparam("p_seen", type_=t.TS)))
        .values(served=bindparam("p_served"), served_at=bindparam("p_at"))
    )


def _share_query(dialect: str) -> Any:
    pc = t.projects.c
    query = select(pc.served, pc.served_at).where(pc.id == bindparam("p_id"))
    return query.with_for_update() if dialect == "postgresql" else query


def _due_where() -> list[Any]:
    c = t.items.c
    now: Any = bindparam("q_now")
    return [
        c.job_id == bindparam("q_job"),
        c.status == ItemStatus.PENDING.value,
        (c.not_before.is_(None)) | (c.not_before <= now),
    ]


def _due_items_query(dialect: str, limit: int) -> Any:
    c = t.items.c
    query = select(c.id).where(*_due_where()).order_by(c.seq).limit(limit)
    if dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


def _any_due_query() -> Any:
    return select(t.items.c.id).where(*_due_where()).order_by(t.items.c.seq).limit(1)


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
