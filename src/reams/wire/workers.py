"""`reams worker` processes from their heartbeat rows (reams extension)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from reams.wire.common import WireModel


class Worker(WireModel):
    """One `reams worker` process (Temporal engine), as its heartbeat row says."""

    id: str = Field(description="Worker id (`wkr-<uuid>`), new at each start.")
    hostname: str
    pid: int
    task_queue: str
    namespace: str = Field(description="The Temporal namespace it polls.")
    slots: int = Field(description="Activity slots: isolated child processes.")
    items_done: int = Field(description="Items it settled (completed, failed or skipped).")
    heartbeat_s: float = Field(description="Seconds between its heartbeats.")
    started_at: datetime
    last_seen_at: datetime = Field(description="Its last heartbeat.")
    stopped_at: datetime | None = Field(description="When it shut down gracefully.")
    state: Literal["alive", "stale", "stopped"] = Field(
        description="`alive`: seen within three heartbeat intervals; `stale`: not since (killed, "
        "hung or cut off from the database); `stopped`: shut down gracefully."
    )
