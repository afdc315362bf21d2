"""The local engine: worker threads, each driving one isolated child process, over the store.

Durable by construction: all state is in the store. On start it reclaims the leases its own
earlier run left (its instance, see engine.instance: at once, that process is gone) and any
expired ones, and resumes every unfinished job; while running it renews the leases of its
in-flight items, so another dead process's items come back after one lease period, and every
item is processed exactly once. A lost claim counts as a loss, not as one of the item's attempts.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from functools import partial

from reams.domain.records import Item, Job
from reams.domain.states import JobStatus, Outcome, PartKind
from reams.engine import instance
from reams.engine.base import EngineConfig
from reams.engine.dispatch import prepare_job
from reams.engine.drive import CLAIM_BATCH, Claim, DriveHooks, ItemDriver
from reams.engine.instance import EngineInstance
from reams.engine.isolation import IsolatedWorker, early_prefetching, yield_to_children
from reams.engine.steps import OutputRoute, RunContext
from reams.store.blobs import BlobStore
from reams.store.transitions import Store

log = logging.getLogger(__name__)

# How long the other workers wait for the first claim of the one holding ``reams run``'s early
# child (it waits for that child to finish the file it is parsing ahead: at most ~0.5 s).
LEAD_WAIT_S = 2.0


class LocalEngine:
    """Runs items of submitted jobs with ``config.workers`` isolated worker processes."""

    def __init__(self, *, store: Store, blobs: BlobStore, config: EngineConfig) -> None:
        self.store = store
        self.config = config
        # Until start() locks an instance slot: an owner nothing else has.
        self._instance = EngineInstance(None, uuid.uuid4().hex[:12])
        self.owner = self._instance.owner
        self.ctx = RunContext(store=store, blobs=blobs, config=config, owner=self.owner)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._inflight: dict[str, Item] = {}
        self._lock = threading.Lock()
        self._item_settled = threading.Event()
        # Set once the worker holding ``reams run``'s early child made its first claim (the
        # items that child parsed ahead); the other workers claim after it. None: no such child.
        self._lead: threading.Event | None = None
        self.on_item_done: Callable[[Item, Outcome], None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._threads:
            return
        self._take_instance()
        self.store.reclaim_expired(max_losses=self.config.max_losses)
        for job_id in self.store.active_job_ids():
            self._prepare(job_id)
        first = None
        if early_prefetching():  # ``reams run``'s early child: the first worker adopts it now
            first = self._new_worker()
            first.warm()
        self._lead = threading.Event() if first is not None and first.adopted_early else None
        for n in range(self.config.workers):
            self._spawn(partial(self._work_loop, first if n == 0 else None), f"reams-worker-{n}")
        self._spawn(self._housekeeping_loop, "reams-housekeeping")

    def _take_instance(self) -> None:
        """Lock this engine's instance slot and reclaim what its dead earlier run held."""
        self._instance.close()
        self._instance = instance.acquire(
            "local",
            store_key=str(self.store.engine.url),  # the password is masked
            directory=instance.lock_dir(self.config.data_dir),
        )
        self.owner = self.ctx.owner = self._instance.owner
        if self._instance.name is not None:
            orphans = self.store.reclaim_orphans(
                instance=self._instance.name, owner=self.owner, max_losses=self.config.max_losses
            )
            if orphans:
                log.info("reclaimed %d item(s) a previous run of this engine left", orphans)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, *, grace_s: float = 30.0) -> None:
        """Stop claiming; let in-flight items finish within ``grace_s``, then release them."""
        self._stopping.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(grace_s)
        self._threads.clear()
        with self._lock:
            leftover = list(self._inflight.values())
        for item in leftover:
            if item.part is not None and item.part.kind is PartKind.PAGES:
                self.store.release_part(item, owner=self.owner)
            else:
                self.store.release(item, owner=self.owner)
        self._instance.close()

    def health(self) -> str | None:
        """None while every worker thread and the housekeeping thread are alive."""
        if self._stopping.is_set():
            return "the local engine is stopping"
        if not self._threads:
            return "the local engine is not started"
        dead = [thread.name for thread in self._threads if not thread.is_alive()]
        if dead:
            return f"local engine threads stopped: {', '.join(dead)}"
        return None

    # -- jobs --------------------------------------------------------------------------------
    def submit(self, job_id: str) -> None:
        self._prepare(job_id)
        self._wake.set()

    def wake(self) -> None:
        """Let idle workers look for work now (a job was dispatched by another process)."""
        self._wake.set()

    def _prepare(self, job_id: str) -> None:
        """Dispatch a job: bulk-skip what planning can decide, then let workers claim the rest."""
        prepare_job(self.store, job_id, max_file_bytes=self.config.max_file_bytes)

    def cancel(self, job_id: str, *, reason: str | None) -> Job:
        job = self.store.cancel_job(job_id, reason=reason)
        if job.status == JobStatus.CANCELLED:
            self.ctx.ended.add(job_id)  # claimed items not yet begun end cancelled
        return job

    # -- threads -----------------------------------------------------------------------------
    def _new_worker(self) -> IsolatedWorker:
        return IsolatedWorker(
            memory_limit_mb=self.config.worker_memory_limit_mb,
            max_items=self.config.worker_max_items,
            max_rss_mb=self.config.worker_max_rss_mb,
            niceness=self.config.worker_niceness,
        )

    def _work_loop(self, worker: IsolatedWorker | None = None) -> None:
        """One worker's loop; ``worker``: the one that adopted ``reams run``'s early child."""
        yield_to_children()  # the child parses; this thread's bookkeeping takes its turn
        # The early child's worker lets the others claim once it has; they wait for that.
        leads, follows = (self._lead, None) if worker is not None else (None, self._lead)
        if worker is None:
            worker = self._new_worker()
            worker.warm()  # interpreter start-up and imports overlap what comes before a job
        hooks = DriveHooks(
            claim=self._claim if leads is None else self._leading_claim(leads),
            stopping=self._stopping.is_set,
            pause=self._stopping.wait,
            settled=self._settled,
        )
        driver = ItemDriver(ctx=self.ctx, worker=worker, hooks=hooks)
        try:
            if leads is not None:
                # Its first claim takes the items its child parsed ahead, at once.
                driver.lane.batch = max(driver.lane.batch, min(worker.ahead(), CLAIM_BATCH))
            elif follows is not None:
                follows.wait(LEAD_WAIT_S)
            while not self._stopping.is_set():
                if not driver.run():
                    self._wake.wait(self.config.poll_interval_s)
                    self._wake.clear()
        finally:
            if leads is not None:
                leads.set()  # never leave the others waiting on a worker that stopped
            worker.close()

    def _leading_claim(self, lead: threading.Event) -> Claim:
        """``_claim`` for the worker holding the early child: the others go on after its
        first claim (whatever it found)."""

        def claim(limit: int) -> list[Item]:
            try:
                return self._claim(limit)
            finally:
                lead.set()

        return claim

    def _claim(self, limit: int) -> list[Item]:
        claimed = self.store.claim(owner=self.owner, lease_s=self.config.lease_s, limit=limit)
        with self._lock:
            self._inflight.update((i.id, i) for i in claimed)
        return claimed

    def _settled(self, item: Item, state: Outcome) -> None:
        with self._lock:
            self._inflight.pop(item.id, None)
        if state is Outcome.PARTS:  # page parts are due: idle workers take them now
            self._wake.set()
        self._item_settled.set()
        if self.on_item_done is not None:
            self.on_item_done(item, state)

    def route_outputs(self, job_id: str, route: OutputRoute | None) -> bool:
        """Let the workers write the output files of ``job_id``'s large results themselves
        (those they store: ``isolation.keep_large``; ``steps.OutputRoute``; None: no more); whether
        they will.

        Only when the workers take every core: then this process's decoding and writing of
        each large result took CPU from them (a fifth of the run's on 20 PDFs of 300 pages,
        2 workers on 2 cores). With a core to spare, this process writes them beside the
        workers, off their critical path.
        """
        if route is None or not self.ctx.every_core:
            self.ctx.routes.pop(job_id, None)
            return False
        self.ctx.routes[job_id] = route
        return True

    def wait_settled(self, timeout_s: float) -> bool:
        """Wait until an item's outcome is recorded (or ``timeout_s`` passes); whether one was
        since the last call. A follower of a job in this process (``reams run``) reads the job
        again then: it sees the job end as its last item is recorded, not a poll later."""
        settled = self._item_settled.wait(timeout_s)
        self._item_settled.clear()
        return settled

    def _housekeeping_loop(self) -> None:
        yield_to_children()
        interval = max(0.2, self.config.lease_s / 3)
        while not self._stopping.wait(interval):
            try:
                self._housekeeping()
            except Exception:
                log.exception("housekeeping failed; will try again")

    def _housekeeping(self) -> None:
        with self._lock:
            inflight = list(self._inflight)
        self.store.renew_leases(
            owner=self.owner, item_row_ids=inflight, lease_s=self.config.lease_s
        )
        if self.store.reclaim_expired(max_losses=self.config.max_losses):
            self._wake.set()
        # Jobs another process created but never dispatched (it died in between).
        for job_id in self.store.active_job_ids(statuses=[JobStatus.PENDING]):
            self._prepare(job_id)
        for job_id in self.store.active_job_ids():
            self.store.finalize_if_done(job_id)
