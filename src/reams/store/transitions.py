"""The engine's side of the store: compare-and-set item transitions with counters.

Every transition is ``UPDATE items SET status = :to WHERE ... AND status = :from`` plus, in the
same transaction, the job row's counters moved by the number of rows that changed. Zero rows
changed means someone else won the race; callers treat that as "not mine", never as an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    select,
    update,
)

from reams.domain.records import Item, Job
from reams.domain.states import (
    ACTIVE_JOB,
    COUNTER_COLUMN,
    TERMINAL_ITEM,
    TERMINAL_JOB,
    ItemStatus,
    JobStatus,
    SkipReason,
    item_sources,
    job_sources,
)
from reams.store import tables as t
from reams.store.base import to_record
from reams.store.db import aware, utcnow
from reams.store.jobs import JobStore

ETA_WINDOW = timedelta(seconds=10)
TERMINAL_COLUMNS = ("n_completed", "n_failed", "n_skipped", "n_cancelled")


@dataclass(frozen=True)
class Outcome:
    """A finished item's result row values (written only if the item's CAS wins)."""

    result_id: str
    job_type: str
    job_config: dict[str, Any]
    parameters_hash: str
    output_sha256: str
    output_metadata: dict[str, Any] | None
    cacheable: bool
    duration_s: float


class TransitionStore(JobStore):
    """Claims, outcomes, retries, skips, cancellation, lease recovery and job finalization."""

    # -- the one primitive -------------------------------------------------------------------
    def _move(
        self,
        conn: Connection,
        *,
        job_id: str,
        frm: ItemStatus,
        to: ItemStatus,
        where: Sequence[Any] = (),
        values: dict[str, Any] | None = None,
        now: datetime,
    ) -> int:
        if frm not in item_sources(to):
            raise ValueError(f"illegal item transition {frm} -> {to}")
        c = t.items.c
        changed = conn.execute(
            update(t.items)
            .where(c.job_id == job_id, c.status == frm.value, *where)
            .values(status=to.value, updated_at=now, **(values or {}))
        ).rowcount
        if changed:
            self._count(conn, job_id=job_id, frm=frm, to=to, n=changed, now=now)
        return int(changed)

    def _count(
        self,
        conn: Connection,
        *,
        job_id: str,
        frm: ItemStatus,
        to: ItemStatus,
        n: int,
        now: datetime,
    ) -> None:
        """Move the job's counters by ``n`` (and, for terminal moves, its ETA anchors)."""
        conn.execute(
            self.statement(("count", frm, to), partial(_count_statement, frm, to)),
            {"c_job": job_id, "c_n": n, "c_now": now, "c_cut": now - ETA_WINDOW},
        )

    def _move_mine(
        self,
        conn: Connection,
        item: Item,
        *,
        owner: str,
        frm: ItemStatus,
        to: ItemStatus,
        values: dict[str, Any],
    ) -> bool:
        """``_move`` for one item leased to ``owner``, with a reusable statement."""
        if frm not in item_sources(to):
            raise ValueError(f"illegal item transition {frm} -> {to}")
        key = ("mine", frm, to, tuple(sorted(values)))
        stmt = self.statement(key, partial(_mine_statement, frm, to, key[3]))
        now = utcnow()
        params = {"m_id": item.id, "m_owner": owner, "m_now": now}
        params.update({f"v_{k}": v for k, v in values.items()})
        if not conn.execute(stmt, params).rowcount:
            return False
        self._count(conn, job_id=item.job_id, frm=frm, to=to, n=1, now=now)
        return True

    def _set_job(self, conn: Connection, job_id: str, to: JobStatus, **values: Any) -> bool:
        jc = t.jobs.c
        allowed = [s.value for s in job_sources(to)]
        return bool(
            conn.execute(
                update(t.jobs)
                .where(jc.id == job_id, jc.status.in_(allowed))
                .values(status=to.value, **values)
            ).rowcount
        )

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

    def finalize_if_done(self, job_id: str) -> Job | None:
        """Complete a job whose items are all terminal; returns it if this call completed it."""
        job = self.get_job(job_id, project_id=None)
        # A read first: most calls find work left, and a read takes no write lock.
        if job.status in TERMINAL_JOB or job.counts.pending or job.counts.processing:
            return None
        with self.tx() as conn:
            done = conn.execute(
                self.statement("finalize", _finalize_statement),
                {"f_job": job_id, "f_now": utcnow()},
            ).rowcount
        return self.get_job(job_id, project_id=None) if done else None

    def fail_job(self, job_id: str, message: str) -> bool:
        now = utcnow()
        with self.tx() as conn:
            return self._set_job(
                conn,
                job_id,
                JobStatus.FAILED,
                error_message=message,
                completed_at=now,
                updated_at=now,
            )

    def cancel_job(self, job_id: str, *, reason: str | None) -> Job:
        """Cancel: the job ends as ``cancelled`` and its pending items become ``cancelled``.

        Items in flight finish and are recorded honestly. Cancelling a finished job is a no-op.
        Item rows are locked before the job row, the order every other transition uses, so
        cancel and claim never deadlock on PostgreSQL.
        """
        now = utcnow()
        job = self.get_job(job_id, project_id=None)
        if job.status in TERMINAL_JOB:
            return job
        with self.tx() as conn:
            self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PENDING,
                to=ItemStatus.CANCELLED,
                values={"completed_at": now},
                now=now,
            )
            if not self._set_job(
                conn,
                job_id,
                JobStatus.CANCELLED,
                cancel_reason=reason,
                completed_at=now,
                updated_at=now,
            ):
                conn.rollback()  # it finished meanwhile: nothing to cancel
        return self.get_job(job_id, project_id=None)

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
        conn.execute(self.statement("start", _start_statement), {"s_job": job_id, "s_now": now})

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

    # -- outcomes ----------------------------------------------------------------------------
    def _settle(self, item: Item, *, owner: str, to: ItemStatus, values: dict[str, Any]) -> bool:
        """Move one in-flight item leased to ``owner`` on, in its own transaction."""
        with self.tx() as conn:
            return self._move_mine(
                conn, item, owner=owner, frm=ItemStatus.PROCESSING, to=to, values=values
            )

    def complete(self, item: Item, *, owner: str, outcome: Outcome) -> bool:
        """Record a result and complete the item, atomically; False if the lease was lost."""
        now = utcnow()
        values = {
            "result_id": outcome.result_id,
            "completed_at": now,
            "error_code": None,
            "error_message": None,
            "lease_expires_at": None,
        }
        with self.tx() as conn:
            if not self._move_mine(
                conn,
                item,
                owner=owner,
                frm=ItemStatus.PROCESSING,
                to=ItemStatus.COMPLETED,
                values=values,
            ):
                return False
            conn.execute(
                self.statement("result", lambda: insert(t.results)), _result_row(item, outcome, now)
            )
        return True

    def fail(self, item: Item, *, owner: str, code: str, message: str) -> bool:
        values = {
            "error_code": code,
            "error_message": message,
            "completed_at": utcnow(),
            "lease_expires_at": None,
        }
        return self._settle(item, owner=owner, to=ItemStatus.FAILED, values=values)

    def retry_later(
        self, item: Item, *, owner: str, code: str, message: str, delay_s: float
    ) -> bool:
        values = {
            "error_code": code,
            "error_message": message,
            "lease_owner": None,
            "lease_expires_at": None,
            "not_before": utcnow() + timedelta(seconds=delay_s),
        }
        with self.tx() as conn:
            if not self._move_mine(
                conn, item, owner=owner, frm=ItemStatus.PROCESSING, to=ItemStatus.PENDING,
                values=values,
            ):  # fmt: skip
                return False
            self._cancel_if_job_cancelled(conn, item)
        return True

    def _cancel_if_job_cancelled(self, conn: Connection, item: Item) -> None:
        """An item back to ``pending`` in a job cancelled meanwhile ends ``cancelled``, in the
        same transaction: a cancelled job never keeps a pending item."""
        status = conn.execute(select(t.jobs.c.status).where(t.jobs.c.id == item.job_id)).scalar()
        if status == JobStatus.CANCELLED:
            now = utcnow()
            self._move(
                conn,
                job_id=item.job_id,
                frm=ItemStatus.PENDING,
                to=ItemStatus.CANCELLED,
                where=[t.items.c.id == item.id],
                values={"completed_at": now},
                now=now,
            )

    def skip(self, item: Item, *, owner: str, reason: str, result_id: str | None) -> bool:
        values = {
            "skip_reason": reason,
            "result_id": result_id,
            "completed_at": utcnow(),
            "lease_expires_at": None,
        }
        return self._settle(item, owner=owner, to=ItemStatus.SKIPPED, values=values)

    def release(self, item: Item, *, owner: str) -> bool:
        """Give an unfinished item back (engine shutting down); the attempt does not count."""
        now = utcnow()
        with self.tx() as conn:
            moved = self._move(
                conn,
                job_id=item.job_id,
                frm=ItemStatus.PROCESSING,
                to=ItemStatus.PENDING,
                where=[t.items.c.id == item.id, t.items.c.lease_owner == owner],
                now=now,
                values={
                    "lease_owner": None,
                    "lease_expires_at": None,
                    "attempts": t.items.c.attempts - 1,
                },
            )
            if moved:
                self._cancel_if_job_cancelled(conn, item)
        return bool(moved)

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
    def reclaim_expired(self, *, max_attempts: int) -> int:
        """Return items whose worker died (lease expired) to pending, or fail them for good."""
        now = utcnow()
        c = t.items.c
        query = select(c.id, c.job_id, c.attempts).where(
            c.status == ItemStatus.PROCESSING.value, c.lease_expires_at < now
        )
        moved = 0
        with self.tx() as conn:
            for row_id, job_id, attempts in conn.execute(query).all():
                moved += self._reclaim_one(conn, row_id, job_id, attempts >= max_attempts, now)
        return moved

    def _reclaim_one(
        self, conn: Connection, row_id: str, job_id: str, give_up: bool, now: datetime
    ) -> int:
        where = [t.items.c.id == row_id, t.items.c.lease_expires_at < now]
        if give_up:
            return self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PROCESSING,
                to=ItemStatus.FAILED,
                where=where,
                now=now,
                values={
                    "error_code": "worker_lost",
                    "completed_at": now,
                    "error_message": "The worker processing this item stopped "
                    "responding on every attempt.",
                    "lease_expires_at": None,
                },
            )
        return self._move(
            conn,
            job_id=job_id,
            frm=ItemStatus.PROCESSING,
            to=ItemStatus.PENDING,
            where=where,
            now=now,
            values={"lease_owner": None, "lease_expires_at": None},
        )

    def cancel_leftovers(self, job_id: str) -> int:
        """Cancel the pending items of a cancelled job.

        Items in flight when a job is cancelled may come back to ``pending`` afterwards (a
        retry, or a slice giving back what it had claimed); they must end ``cancelled`` too.
        """
        if self.get_job(job_id, project_id=None).status != JobStatus.CANCELLED:
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
        """When the job's next pending item is due (now, if one is), and when the first lease
        of its items in flight expires; None for either when there is no such item."""
        c = t.items.c
        now = utcnow()
        pending = (c.job_id == job_id, c.status == ItemStatus.PENDING.value)
        due_now = select(c.id).where(*pending).where(c.not_before.is_(None) | (c.not_before <= now))
        later = select(func.min(c.not_before)).where(*pending)
        leased = select(func.min(c.lease_expires_at)).where(
            c.job_id == job_id, c.status == ItemStatus.PROCESSING.value
        )
        with self.read() as conn:
            first_due = now if conn.execute(due_now.limit(1)).first() else None
            first_due = first_due or aware(conn.execute(later).scalar())
            return first_due, aware(conn.execute(leased).scalar())

    def lease_expiry(self, item_row_id: str) -> datetime | None:
        with self.read() as conn:
            value = conn.execute(
                select(t.items.c.lease_expires_at).where(t.items.c.id == item_row_id)
            ).scalar()
        return aware(value)


def _result_row(item: Item, outcome: Outcome, now: datetime) -> dict[str, Any]:
    return {
        "id": outcome.result_id,
        "project_id": item.project_id,
        "job_id": item.job_id,
        "item_row_id": item.id,
        "item_id": item.item_id,
        "file_name": item.item_name,
        "job_type": outcome.job_type,
        "job_config": outcome.job_config,
        "parameters_hash": outcome.parameters_hash,
        "sha256": item.sha256,
        "output_sha256": outcome.output_sha256,
        "output_metadata": outcome.output_metadata,
        "cacheable": outcome.cacheable,
        "duration_s": outcome.duration_s,
        "processed_at": now,
    }


class Store(TransitionStore):
    """The whole store: catalog, jobs, transitions. One instance per process."""


def _count_statement(frm: ItemStatus, to: ItemStatus) -> Any:
    jc = t.jobs.c
    src, dst = COUNTER_COLUMN[frm], COUNTER_COLUMN[to]
    n: Any = bindparam("c_n")
    now: Any = bindparam("c_now")
    values: dict[str, Any] = {src: jc[src] - n, dst: jc[dst] + n, "updated_at": now}
    if to in TERMINAL_ITEM:
        # Shift the ETA anchors once per window, in the same statement (right-hand sides
        # read the row as it was, so the new anchor counts this transition too).
        due = jc.eta_anchor_at < bindparam("c_cut")
        done = sum(jc[name] for name in TERMINAL_COLUMNS) + n
        values |= {
            "eta_prev_at": case((due, jc.eta_anchor_at), else_=jc.eta_prev_at),
            "eta_prev_done": case((due, jc.eta_anchor_done), else_=jc.eta_prev_done),
            "eta_anchor_at": case((due, now), else_=jc.eta_anchor_at),
            "eta_anchor_done": case((due, done), else_=jc.eta_anchor_done),
        }
    return update(t.jobs).where(jc.id == bindparam("c_job")).values(values)


def _mine_statement(frm: ItemStatus, to: ItemStatus, keys: tuple[str, ...]) -> Any:
    c = t.items.c
    return (
        update(t.items)
        .where(c.id == bindparam("m_id"), c.lease_owner == bindparam("m_owner"))
        .where(c.status == frm.value)
        .values(
            status=to.value, updated_at=bindparam("m_now"), **{k: bindparam(f"v_{k}") for k in keys}
        )
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


def _start_statement() -> Any:
    jc = t.jobs.c
    done = sum(jc[n] for n in TERMINAL_COLUMNS)
    now: Any = bindparam("s_now")
    return (
        update(t.jobs)
        .where(jc.id == bindparam("s_job"), jc.status.in_(["pending", "dispatched"]))
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


def _finalize_statement() -> Any:
    jc = t.jobs.c
    now: Any = bindparam("f_now")
    return (
        update(t.jobs)
        .where(jc.id == bindparam("f_job"), jc.n_pending == 0, jc.n_processing == 0)
        .where(jc.status.in_([s.value for s in job_sources(JobStatus.COMPLETED)]))
        .values(status=JobStatus.COMPLETED.value, completed_at=now, updated_at=now)
    )
