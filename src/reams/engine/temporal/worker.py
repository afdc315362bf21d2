"""``reams worker``: a Temporal worker for batch workflows and their activities.

One process runs ``config.workers`` activity slots, each driving one isolated child process,
plus the workflow tasks of any job. Start as many as you like, on as many machines: they share
the task queue, and the store arbitrates every item. Shutdown is graceful: the worker stops
polling, each slice finishes the item it is on and gives back what it claimed, then the
process exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker

from reams.engine.base import EngineConfig
from reams.engine.temporal.activities import BatchActivities
from reams.engine.temporal.config import TemporalConfig
from reams.engine.temporal.connect import connect
from reams.engine.temporal.heartbeat import HeartbeatWriter, worker_info
from reams.engine.temporal.workflow.batch import BatchWorkflow
from reams.store.blobs import BlobStore
from reams.store.transitions import Store

log = logging.getLogger(__name__)

CONNECT_RETRY_S = 2.0
# Threads for local activities (bookkeeping: a job's plan, state, cancel) beside the slots'
# threads, so a job's workflow is planned or cancelled while every slot runs slices.
LOCAL_ACTIVITY_THREADS = 2


class WorkerHost:
    """Connects to Temporal and runs the worker until ``stop`` is set."""

    def __init__(
        self, *, store: Store, blobs: BlobStore, config: EngineConfig, temporal: TemporalConfig
    ) -> None:
        self.config = config
        self.temporal = temporal
        self.activities = BatchActivities(
            store=store, blobs=blobs, config=config, temporal=temporal
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until ``stop`` is set (then shut down gracefully) or the worker fails."""
        client = await self._connect(stop)
        if client is None:
            return
        # One slot per isolated child; bookkeeping runs as local activities beside them.
        slots = self.config.workers
        # The heartbeat row says this worker serves (``reams workers``, the API's /readyz).
        beats = HeartbeatWriter(
            self.activities.store,
            worker_info(self.temporal, slots=slots),
            items_done=lambda: self.activities.items_done,
        )
        # Each slot's child boots while the worker connects its pollers, not in a first slice.
        self.activities.children.warm(slots)
        with ThreadPoolExecutor(
            max_workers=slots + LOCAL_ACTIVITY_THREADS, thread_name_prefix="reams-activity"
        ) as pool:
            worker = self._worker(client, pool, slots)
            beats.start()
            try:
                await _until_stopped(worker, stop)
            finally:
                await beats.stopped()
                self.activities.close()

    def _worker(self, client: Client, pool: ThreadPoolExecutor, slots: int) -> Worker:
        return Worker(
            client,
            task_queue=self.temporal.task_queue,
            workflows=[BatchWorkflow],
            activities=self.activities.definitions(),
            activity_executor=pool,
            max_concurrent_activities=slots,
            max_concurrent_local_activities=LOCAL_ACTIVITY_THREADS,
            graceful_shutdown_timeout=timedelta(seconds=self.temporal.shutdown_grace_s),
            # Heartbeat answers carry cancellation: send them as often as the keeper calls.
            max_heartbeat_throttle_interval=timedelta(
                seconds=self.temporal.heartbeat_timeout_s / 3
            ),
        )

    async def _connect(self, stop: asyncio.Event) -> Client | None:
        """Connect, retrying while Temporal is not up yet; None if told to stop first."""
        while not stop.is_set():
            try:
                return await connect(self.temporal, serve_metrics=True)
            except RuntimeError as exc:  # the bridge reports connection errors this way
                log.warning("Temporal at %s: %s; retrying", self.temporal.address, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), CONNECT_RETRY_S)
        return None


async def _until_stopped(worker: Worker, stop: asyncio.Event) -> None:
    running = asyncio.create_task(worker.run())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not running.done():
        await worker.shutdown()
    await running  # re-raises a fatal worker error


def serve_until_signalled(host: WorkerHost) -> None:
    """Run ``host`` until SIGTERM or SIGINT, then shut it down gracefully."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await host.run(stop)

    asyncio.run(main())
