"""``reams worker`` processes as the store sees them: one heartbeat row each.

A worker writes its row when it starts, moves ``last_seen_at`` every ``heartbeat_s`` seconds
and sets ``stopped_at`` when it shuts down gracefully. Its state is read from the times, never
stored: ``alive`` while it was seen within ``ALIVE_FACTOR`` heartbeats, ``stale`` after (it
was killed, hangs, or cannot reach the database), ``stopped`` once it said goodbye.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

# A worker is alive while its last heartbeat is at most this many intervals old: one missed
# beat (a slow database, a busy host) is not yet a dead worker.
ALIVE_FACTOR: Final = 3.0
# Rows of workers stopped or unseen this long are deleted by the workers themselves.
SWEEP_AFTER_S: Final = 24 * 3600.0


class WorkerState(StrEnum):
    ALIVE = "alive"
    STALE = "stale"
    STOPPED = "stopped"


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker says about itself when it starts (the fixed columns of its row)."""

    id: str
    hostname: str
    pid: int
    task_queue: str
    namespace: str
    slots: int
    heartbeat_s: float


@dataclass(frozen=True)
class WorkerRecord(WorkerInfo):
    """One worker's row: what it said at start, and what its heartbeats keep current."""

    items_done: int
    started_at: datetime
    last_seen_at: datetime
    stopped_at: datetime | None

    def alive_within_s(self) -> float:
        return ALIVE_FACTOR * self.heartbeat_s

    def state(self, now: datetime) -> WorkerState:
        if self.stopped_at is not None:
            return WorkerState.STOPPED
        if (now - self.last_seen_at).total_seconds() <= self.alive_within_s():
            return WorkerState.ALIVE
        return WorkerState.STALE
