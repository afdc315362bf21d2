"""Worker heartbeats: one row per ``reams worker`` process (see :mod:`reams.domain.workers`).

A heartbeat is one UPDATE by primary key; only when there is no row yet (the first beat, or
swept while the worker was cut off from the database for a day) is it inserted.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update

from reams.domain.workers import WorkerInfo, WorkerRecord
from reams.store import tables as t
from reams.store.base import StoreBase, to_record
from reams.store.db import utcnow

MAX_LISTED = 1000


class WorkerStore(StoreBase):
    """Write and read worker heartbeat rows."""

    def worker_heartbeat(self, info: WorkerInfo, *, items_done: int) -> None:
        """The worker is alive now, having settled ``items_done`` items since it started; its
        first beat writes the row."""
        now = utcnow()
        stmt = self.statement("worker_beat", _beat_statement)
        with self.tx() as conn:
            moved = conn.execute(stmt, {"w_id": info.id, "w_now": now, "w_done": items_done})
            if not moved.rowcount:  # the first beat (or swept meanwhile): write the row
                conn.execute(
                    insert(t.workers).values(
                        **_fixed(info), items_done=items_done, started_at=now, last_seen_at=now
                    )
                )

    def worker_stopped(self, worker_id: str, *, items_done: int) -> None:
        """The worker shut down gracefully."""
        now = utcnow()
        with self.tx() as conn:
            conn.execute(
                update(t.workers)
                .where(t.workers.c.id == worker_id)
                .values(last_seen_at=now, stopped_at=now, items_done=items_done)
            )

    def sweep_workers(self, *, older_than_s: float) -> int:
        """Delete the rows of workers stopped, or not seen, more than ``older_than_s`` ago."""
        cut = utcnow() - timedelta(seconds=older_than_s)
        w = t.workers.c
        with self.tx() as conn:
            gone = conn.execute(
                delete(t.workers).where(
                    or_(
                        and_(w.stopped_at.is_not(None), w.stopped_at < cut),
                        w.last_seen_at < cut,
                    )
                )
            )
        return int(gone.rowcount or 0)

    def list_workers(
        self, *, task_queue: str | None = None, running_only: bool = False
    ) -> list[WorkerRecord]:
        """Workers, the most recently seen first (at most ``MAX_LISTED``); ``running_only``:
        not stopped (alive or stale)."""
        w = t.workers.c
        query = select(t.workers).order_by(w.last_seen_at.desc(), w.id).limit(MAX_LISTED)
        if task_queue is not None:
            query = query.where(w.task_queue == task_queue)
        if running_only:
            query = query.where(w.stopped_at.is_(None))
        with self.read() as conn:
            return [to_record(WorkerRecord, row) for row in conn.execute(query)]


def _fixed(info: WorkerInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "hostname": info.hostname[:255],
        "pid": info.pid,
        "task_queue": info.task_queue,
        "namespace": info.namespace,
        "slots": info.slots,
        "heartbeat_s": info.heartbeat_s,
    }


def _beat_statement() -> Any:
    w = t.workers.c
    return (
        update(t.workers)
        .where(w.id == bindparam("w_id"))
        .values(last_seen_at=bindparam("w_now"), items_done=bindparam("w_done"))
    )
