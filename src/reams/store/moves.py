"""The one primitive of the engine's side of the store: a compare-and-set item move.

Every transition is ``UPDATE items SET status = :to WHERE ... AND status = :from`` plus, in the
same transaction, the job row's counters moved by the number of rows that changed. Zero rows
changed means someone else won the race; callers treat that as "not mine", never as an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    case,
    select,
    update,
)

from reams.domain.records import Item
from reams.domain.states import (
    COUNTER_COLUMN,
    TERMINAL_ITEM,
    ItemStatus,
    JobStatus,
    item_sources,
    job_sources,
)
from reams.store import tables as t
from reams.store.db import utcnow
from reams.store.jobs import JobStore
from reams.store.webhooks import emit

ETA_WINDOW = timedelta(seconds=10)
TERMINAL_COLUMNS = ("n_completed", "n_failed", "n_skipped", "n_cancelled")


@dataclass(frozen=True)
class Completion:
    """A finished item's result row values (written only if the item's CAS wins)."""

    result_id: str
    job_type: str
    job_config: dict[str, Any]
    parameters_hash: str
    output_sha256: str
    output_metadata: dict[str, Any] | None
    cacheable: bool
    duration_s: float


@dataclass(frozen=True)
class Settlement:
    """An in-flight item's terminal outcome, recorded with others by ``settle``: completed
    with its result (``completion``), or failed with ``error`` = (code, message). ``at`` is
    when the outcome was known (the item's ``completed_at``), which may be a moment before
    the batch it travels in is written."""

    item: Item
    completion: Completion | None = None
    error: tuple[str, str] | None = None
    at: datetime = field(default_factory=utcnow)

    @property
    def to(self) -> ItemStatus:
        return ItemStatus.COMPLETED if self.completion is not None else ItemStatus.FAILED


class TransitionStore(JobStore):
    """Claims, outcomes, retries, skips, cancellation, lease recovery and job finalization."""

    def _cancel_if_job_ended(self, conn: Connection, job_id: str, *, item_id: str) -> None:
        """An item back to ``pending`` in a job cancelled (or failed) meanwhile ends
        ``cancelled``, in the same transaction: such a job never keeps a pending item."""
        status = conn.execute(select(t.jobs.c.status).where(t.jobs.c.id == job_id)).scalar()
        if status in (JobStatus.CANCELLED, JobStatus.FAILED):
            now = utcnow()
            self._move(
                conn,
                job_id=job_id,
                frm=ItemStatus.PENDING,
                to=ItemStatus.CANCELLED,
                where=[t.items.c.id == item_id],
                values={"completed_at": now},
                now=now,
            )

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
            .values(status=to.value, updated_at=now, **unleased(to, values or {}))
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
        values = unleased(to, values)
        key = ("mine", frm, to, tuple(sorted(values)))
        stmt = self.statement(key, partial(mine_statement, frm, to, key[3]))
        now = utcnow()
        params = {"m_id": item.id, "m_owner": owner, "m_now": now}
        params.update({f"v_{k}": v for k, v in values.items()})
        if not conn.execute(stmt, params).rowcount:
            return False
        self._count(conn, job_id=item.job_id, frm=frm, to=to, n=1, now=now)
        return True

    def _finalize(self, conn: Connection, job_id: str, now: datetime) -> bool:
        """Complete the job if none of its items is pending or in flight (one guarded UPDATE)."""
        params = {"f_job": job_id, "f_now": now}
        done = bool(conn.execute(self.statement("finalize", _finalize_statement), params).rowcount)
        if done:
            emit(conn, job_id, now)  # *.success, *.partial_success or *.error
        return done

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


def unleased(to: ItemStatus, values: dict[str, Any]) -> dict[str, Any]:
    """Only an item in flight holds a lease: every other move clears it (a completed item
    keeps no owner), unless the caller sets it itself."""
    if to is ItemStatus.PROCESSING:
        return values
    return {"lease_owner": None, "lease_expires_at": None} | values


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


def mine_statement(frm: ItemStatus, to: ItemStatus, keys: tuple[str, ...]) -> Any:
    c = t.items.c
    return (
        update(t.items)
        .where(c.id == bindparam("m_id"), c.lease_owner == bindparam("m_owner"))
        .where(c.status == frm.value)
        .values(
            status=to.value, updated_at=bindparam("m_now"), **{k: bindparam(f"v_{k}") for k in keys}
        )
    )


def _finalize_statement() -> Any:
    jc = t.jobs.c
    now: Any = bindparam("f_now")
    return (
        update(t.jobs)
        .where(jc.id == bindparam("f_job"), jc.n_pending == 0, jc.n_processing == 0)
        .where(jc.status.in_([s.value for s in job_sources(JobStatus.COMPLETED)]))
        # A job that completed was orchestrated: a start attempt that failed late (while
        # another had succeeded) leaves no "could not start" behind on it.
        .values(
            status=JobStatus.COMPLETED.value,
            completed_at=now,
            updated_at=now,
            dispatch_error=None,
            dispatch_error_at=None,
        )
    )
