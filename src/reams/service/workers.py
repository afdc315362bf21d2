"""Which ``reams worker`` processes run, from their heartbeat rows (``reams workers``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reams.domain.workers import WorkerRecord, WorkerState
from reams.store.db import utcnow
from reams.store.protocols import Heartbeats


@dataclass(frozen=True)
class WorkerView:
    """One worker and what its row says now."""

    worker: WorkerRecord
    state: WorkerState
    seen_ago_s: float


class WorkerDirectory:
    """Reads the heartbeat rows; writes nothing (workers write and sweep their own)."""

    def __init__(self, heartbeats: Heartbeats) -> None:
        self.heartbeats = heartbeats

    def list(
        self, *, task_queue: str | None = None, now: datetime | None = None
    ) -> list[WorkerView]:
        """Every worker still on record (stopped or unseen for a day are swept), the most
        recently seen first."""
        now = now or utcnow()
        return [
            WorkerView(
                worker=row,
                state=row.state(now),
                seen_ago_s=max(0.0, (now - row.last_seen_at).total_seconds()),
            )
            for row in self.heartbeats.list_workers(task_queue=task_queue)
        ]
