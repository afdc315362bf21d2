"""The Temporal engine's API side: dispatch jobs, start their workflows, cancel them.

API servers never run items; ``reams worker`` processes do. A job's workflow has the id the
API reports (``reams-batch-<job_id>``) and runs in the job's namespace (the create call's
``temporal-namespace`` header) or the configured default. Starting is idempotent: a workflow
already running is left alone, so every API replica may re-submit every unfinished job, on
start and then periodically, and nothing is lost when Temporal was away when a job was made.
Meanwhile the job says why its workflow could not be started (``Job.dispatch_error``, on the
status object and in ``reams status``), so it does not look like a job waiting for workers;
the first successful start clears it.

The API's routes are synchronous, so the engine keeps a private asyncio loop in a background
thread for the Temporal client and waits on it with a timeout.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from datetime import timedelta
from typing import Any, TypeVar

from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.service import RPCError, RPCStatusCode

from reams.domain.records import Job
from reams.domain.states import TERMINAL_JOB, JobStatus
from reams.domain.workers import ALIVE_FACTOR, WorkerState
from reams.engine.base import EngineConfig
from reams.engine.dispatch import prepare_job
from reams.engine.temporal.config import TemporalConfig
from reams.engine.temporal.connect import connect
from reams.engine.temporal.planning import make_plan
from reams.engine.temporal.workflow import contracts as c
from reams.store.db import utcnow
from reams.store.transitions import Store

log = logging.getLogger(__name__)

T = TypeVar("T")

HEALTH_TIMEOUT_S = 2.0  # /readyz asks Temporal this long at most
BACKSTOP_S = 5.0  # a caller waits this much longer than the call's own bound before giving up


class TemporalEngine:
    """Implements the Engine protocol by starting and cancelling batch workflows."""

    def __init__(self, *, store: Store, config: EngineConfig, temporal: TemporalConfig) -> None:
        self.store = store
        self.config = config
        self.temporal = temporal
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._clients: dict[str, Client] = {}
        self._stopping = threading.Event()
        self._sweeper: threading.Thread | None = None
        self._connecting: asyncio.Lock | None = None  # made on the loop, by its first user

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the loop and the sweeper, which re-submits every unfinished job at once and
        then every ``resubmit_interval_s`` (Temporal may be down now; the API still serves)."""
        if self._loop is not None:
            return
        self._stopping.clear()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="reams-temporal-client", daemon=True
        )
        self._thread.start()
        self._sweeper = threading.Thread(target=self._sweep, name="reams-resubmit", daemon=True)
        self._sweeper.start()
        self._background(self._connect_early(), f"connect to Temporal at {self.temporal.address}")

    def stop(self, *, grace_s: float = 30.0) -> None:
        """Stop re-submitting and close the client loop; workers keep running the jobs."""
        self._stopping.set()
        if self._sweeper is not None:
            self._sweeper.join(grace_s)
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        self._clients.clear()  # the bridge closes a connection when its client is dropped
        self._connecting = None  # bound to the loop that is closing
        loop.call_soon_threadsafe(loop.stop)
        thread.join(grace_s)
        loop.close()

    def health(self) -> str | None:
        """None when the Temporal frontend answers a health check within ``HEALTH_TIMEOUT_S``."""
        if self._loop is None:
            return "the Temporal engine is not started"
        try:
            self._schedule(self._check_health()).result(HEALTH_TIMEOUT_S + 1)
        except Exception as exc:
            reason = str(exc) or type(exc).__name__
            return f"Temporal at {self.temporal.address} does not answer: {reason}"
        return None

    def workers_health(self) -> str | None:
        """None when a ``reams worker`` on this task queue and namespace sent a heartbeat
        recently (within three of its intervals); otherwise what /readyz warns about."""
        queue, namespace = self.temporal.task_queue, self.temporal.namespace
        now = utcnow()
        rows = self.store.list_workers(task_queue=queue, running_only=True)
        if any(r.namespace == namespace and r.state(now) == WorkerState.ALIVE for r in rows):
            return None
        window = ALIVE_FACTOR * self.temporal.worker_heartbeat_s
        return (
            f"no worker heartbeat in the last {window:g} s on task queue {queue!r} "
            f"(namespace {namespace!r}): jobs wait until a `reams worker` runs"
        )

    async def _check_health(self) -> None:
        client = await self._client(self.temporal.namespace)
        await client.service_client.check_health(timeout=timedelta(seconds=HEALTH_TIMEOUT_S))

    # -- jobs --------------------------------------------------------------------------------
    def submit(self, job_id: str) -> None:
        """Dispatch the job, then start its workflow in the background: the API answers at
        once even when Temporal is slow or away (then the sweeper starts it later)."""
        job = prepare_job(self.store, job_id, max_file_bytes=self.config.max_file_bytes)
        if job.status not in TERMINAL_JOB:  # a job whose items were all skipped needs none
            self._background(self._start(job), f"start the workflow of {job_id}")

    def cancel(self, job_id: str, *, reason: str | None) -> Job:
        """Cancel in the store (pending items at once), then the workflow: its activities hear
        of it at their next heartbeat and finish the item they are on. The workflow also
        ends by itself when it next finds the job cancelled in the store."""
        job = self.store.cancel_job(job_id, reason=reason)
        if job.status == JobStatus.CANCELLED:  # not one that had finished already
            self._background(self._cancel(job), f"cancel workflow {job.workflow_id}")
        return job

    def _ensure(self, job: Job) -> None:
        """Give the job a running workflow, dispatching it first if nobody has yet."""
        if job.status == JobStatus.PENDING:
            job = prepare_job(self.store, job.id, max_file_bytes=self.config.max_file_bytes)
        if job.status not in TERMINAL_JOB:
            self._call(self._start(job))

    # -- Temporal calls (on the loop thread) -------------------------------------------------
    @property
    def _call_bound_s(self) -> float:
        """How long one call to Temporal may take: connecting, then the call itself."""
        return self.temporal.rpc_timeout_s * 2

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the loop and wait for it (the sweeper: one job at a time). Calls
        bound themselves (``_within``); past that, this gives up and cancels the call, so
        nothing waits forever on the loop."""
        future = self._schedule(coro)
        try:
            return future.result(self._call_bound_s + BACKSTOP_S)
        except TimeoutError:
            if future.done():  # the call's own bound, with what it was doing
                raise
            future.cancel()
            raise TimeoutError(f"Temporal at {self.temporal.address} did not answer") from None

    def _background(self, coro: Coroutine[Any, Any, None], what: str) -> None:
        """Run ``coro`` on the loop without waiting; a failure is logged (and healed by the
        sweeper, which re-submits every unfinished job)."""

        def report(future: Future[None]) -> None:
            error = None if future.cancelled() else future.exception()
            if error is not None:
                log.warning("could not %s now (%s); will retry", what, _reason(error))

        try:
            self._schedule(coro).add_done_callback(report)
        except RuntimeError as exc:
            log.warning("could not %s: %s", what, exc)

    def _schedule(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        if self._loop is None:
            coro.close()
            raise RuntimeError("the Temporal engine is not started")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _connect_early(self) -> None:
        """Connect at start, so the first job's workflow starts without waiting for the
        connection (a few hundred ms under load: a fifth of a 1,000-item job of small files).
        Bounded like any call; if it fails, the first call connects as before."""
        await _within(self._client(self.temporal.namespace), self._call_bound_s)

    async def _client(self, namespace: str) -> Client:
        client = self._clients.get(namespace)
        if client is not None:
            return client
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:  # one connection, even while start and a job race
            client = self._clients.get(namespace)
            if client is None:
                base = next(iter(self._clients.values()), None)
                if base is None:
                    client = await connect(self.temporal, namespace=namespace)
                else:  # one connection serves every namespace
                    client = Client(base.service_client, namespace=namespace)
                self._clients[namespace] = client
        return client

    def _namespace(self, job: Job) -> str:
        return job.namespace or self.temporal.namespace

    async def _start(self, job: Job) -> None:
        """Start the job's workflow (or find it running). While that fails, the job says why
        (``dispatch_error``); the first success clears it."""
        try:
            await _within(self._start_workflow(job), self._call_bound_s)
        except Exception as exc:
            self.store.record_dispatch_error(
                job.id,
                f"Temporal at {self.temporal.address} did not start the workflow: {_reason(exc)}",
            )
            raise
        # Not only when this snapshot of the job held an error: another attempt (the API's
        # own start, still retrying, while the sweeper's succeeds) may have recorded one since.
        if self.store.clear_dispatch_error(job.id):
            log.info("started the workflow of job %s (it could not be started before)", job.id)

    async def _start_workflow(self, job: Job) -> None:
        client = await self._client(self._namespace(job))
        try:
            await client.start_workflow(
                c.WORKFLOW,
                c.BatchInput(job.id, plan=make_plan(job, self.config, self.temporal)),
                id=job.workflow_id,
                task_queue=self.temporal.task_queue,
                # Running: leave it. Closed while the job is not: it stopped early, run again.
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
                rpc_timeout=timedelta(seconds=self.temporal.rpc_timeout_s),
            )
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            # No such namespace: the orchestration cannot start, ever. Say so on the job.
            message = f"Temporal namespace {self._namespace(job)!r} does not exist: {exc}"
            self.store.fail_job(job.id, message)

    async def _cancel(self, job: Job) -> None:
        await _within(self._cancel_workflow(job), self._call_bound_s)

    async def _cancel_workflow(self, job: Job) -> None:
        client = await self._client(self._namespace(job))
        handle = client.get_workflow_handle(job.workflow_id)
        try:
            await handle.cancel(rpc_timeout=timedelta(seconds=self.temporal.rpc_timeout_s))
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:  # not found: already closed, or none
                raise

    # -- self-healing ------------------------------------------------------------------------
    def _sweep(self) -> None:
        """Every ``resubmit_interval_s`` until stopped, give each unfinished job a workflow.
        A round that fails (Temporal or the database away) is logged and the next one tries
        again: only ``stop`` ends this loop."""
        interval = self.temporal.resubmit_interval_s
        while not self._stopping.is_set():
            try:
                self._resubmit()
            except Exception as exc:
                log.warning(
                    "re-submitting unfinished jobs to Temporal at %s failed (%s); "
                    "trying again in %g s",
                    self.temporal.address,
                    _reason(exc),
                    interval,
                )
            self._stopping.wait(interval)

    def _resubmit(self) -> None:
        for job_id in self.store.active_job_ids():
            if self._stopping.is_set():
                return
            self._ensure(self.store.get_job(job_id, project_id=None))


async def _within(coro: Coroutine[Any, Any, Any], seconds: float) -> None:
    """Await ``coro`` for ``seconds`` at most. Connecting has no bound of its own short of
    the SDK's 30 s (longer while the network drops packets), so a Temporal that accepts
    connections but does not answer would otherwise hold the call, and leave the job
    without a ``dispatch_error``, for that long."""
    try:
        await asyncio.wait_for(coro, seconds)
    except TimeoutError:
        raise TimeoutError(f"no answer within {seconds:g} s") from None


def _reason(exc: BaseException) -> str:
    """What went wrong, for a log line or a job's ``dispatch_error`` (never empty)."""
    return str(exc).strip() or type(exc).__name__
