"""``reams worker``'s heartbeat row: written when the worker is connected, moved every
``worker_heartbeat_s`` seconds, marked stopped after a graceful shutdown.

The row is how operators (``reams workers``) and the API's readiness (``/readyz``) know that
workers run: Temporal knows its pollers, but not which host, how many slots or how much work.
Every store call runs on a thread so a slow database never stalls the worker's event loop; a
failed write is logged and retried at the next beat (the worker keeps processing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable

from reams.domain.ids import WORKER, new_id
from reams.domain.workers import SWEEP_AFTER_S, WorkerInfo
from reams.engine.temporal.config import TemporalConfig
from reams.store.protocols import Heartbeats

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 3600.0  # old rows are deleted when a worker starts and then hourly


def worker_info(temporal: TemporalConfig, *, slots: int) -> WorkerInfo:
    """This process as a worker row."""
    return WorkerInfo(
        id=new_id(WORKER),
        hostname=socket.gethostname(),
        pid=os.getpid(),
        task_queue=temporal.task_queue,
        namespace=temporal.namespace,
        slots=slots,
        heartbeat_s=temporal.worker_heartbeat_s,
    )


class HeartbeatWriter:
    """Beats for one worker until cancelled; ``stopped`` then records the goodbye."""

    def __init__(
        self, store: Heartbeats, info: WorkerInfo, *, items_done: Callable[[], int]
    ) -> None:
        self.store = store
        self.info = info
        self.items_done = items_done
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="reams-worker-heartbeat")

    async def stopped(self) -> None:
        """Stop beating and mark the row stopped (best effort: the process is leaving)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            await asyncio.to_thread(
                self.store.worker_stopped, self.info.id, items_done=self.items_done()
            )
        except Exception as exc:  # it turns stale, then is swept
            log.warning("could not mark worker %s stopped: %s", self.info.id, exc)

    async def _run(self) -> None:
        since_sweep = SWEEP_EVERY_S  # sweep at the first beat
        while True:
            try:
                await asyncio.to_thread(
                    self.store.worker_heartbeat, self.info, items_done=self.items_done()
                )
                if since_sweep >= SWEEP_EVERY_S:
                    since_sweep = 0.0
                    await asyncio.to_thread(self.store.sweep_workers, older_than_s=SWEEP_AFTER_S)
            except Exception as exc:  # the database is away: the next beat tries again
                log.warning("worker heartbeat failed (%s); will retry", exc)
            await asyncio.sleep(self.info.heartbeat_s)
            since_sweep += self.info.heartbeat_s
