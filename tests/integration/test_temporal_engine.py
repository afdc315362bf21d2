"""The Temporal engine against a real dev server: workflow ids, namespaces, continue-as-new,
cancellation both ways, and leases of dead workers. The worker runs in this process (the same
`WorkerHost` that `reams worker` runs); the store is SQLite (PostgreSQL: contract tier)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from docgen import make_corpus, make_pdf
from reams import processors
from reams.api.present import batch_status_model
from reams.bootstrap import Services, build
from reams.domain.jobconfig import resolve
from reams.domain.records import Job
from reams.engine.base import EngineConfig
from reams.engine.temporal.slices import ChildPool
from reams.service.folders import mirror_folder
from reams.settings import Settings
from temporal_servers import (
    InProcessWorker,
    TemporalServer,
    start_temporal,
    wait_for_workflow,
    workflow_runs,
)

TERMINAL = ("completed", "failed", "cancelled")
PARSE = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


class Cluster:
    """An API-side Temporal engine and a worker on one store and one task queue."""

    def __init__(self, server: TemporalServer, tmp: Path, **overrides: Any) -> None:
        self.server = server
        self.settings = Settings(
            data_dir=tmp / "data",
            engine="temporal",
            workers=2,
            lease_s=2,
            poll_interval_s=0.05,
            retry_backoff_s=0.05,
            temporal_address=server.address,
            temporal_task_queue=f"it-{uuid.uuid4().hex[:12]}",
            temporal_heartbeat_timeout_s=4,
            temporal_slice_size=10,
            temporal_fan_out=4,
            **overrides,
        )
        self.services: Services = build(self.settings)
        self.services.engine.start()
        self.workers: list[InProcessWorker] = []

    def add_worker(self, **overrides: Any) -> InProcessWorker:
        worker = InProcessWorker(self.settings.model_copy(update=overrides))
        worker.start()
        self.workers.append(worker)
        return worker

    def create(self, folder: Path, **job: Any) -> Job:
        store = self.services.store
        project = store.ensure_project("default")
        directory = mirror_folder(store, self.services.blobs, project_id=project.id, root=folder)
        created = store.create_job(
            project_id=project.id,
            settings=resolve(PARSE),
            job_config=PARSE,
            directory_id=directory,
            item_ids=None,
            **job,
        )
        self.services.engine.submit(created.id)
        return created

    def job(self, job_id: str) -> Job:
        return self.services.store.get_job(job_id, project_id=None)

    def wait(self, job_id: str, *, until: Callable[[Job], bool], timeout: float = 90) -> Job:
        deadline = time.monotonic() + timeout
        while not until(job := self.job(job_id)):
            assert time.monotonic() < deadline, job
            time.sleep(0.05)
        return job

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.services.close()


@pytest.fixture
def cluster(temporal_server: TemporalServer, tmp_path: Path) -> Iterator[Callable[..., Cluster]]:
    made: list[Cluster] = []

    def make(**overrides: Any) -> Cluster:
        made.append(Cluster(temporal_server, tmp_path / f"c{len(made)}", **overrides))
        return made[-1]

    yield make
    for one in made:
        one.close()


def done(job: Job) -> bool:
    return job.status in TERMINAL


def workflow_result(c: Cluster, workflow_id: str) -> Any:
    """The finished workflow's ``BatchOutcome`` (following its continue-as-new runs)."""
    from temporalio.client import Client

    from reams.engine.temporal.workflow import contracts as wc

    async def main() -> Any:
        client = await Client.connect(c.server.address, namespace="default")
        handle = client.get_workflow_handle(workflow_id, result_type=wc.BatchOutcome)
        return await handle.result()

    return asyncio.run(asyncio.wait_for(main(), 60))


def test_workflow_runs_the_job_under_the_reported_id(cluster: Any, tmp_path: Path) -> None:
    c = cluster()
    c.add_worker()
    make_corpus(tmp_path / "docs", 30, kinds=("md", "txt"))
    job = c.wait(c.create(tmp_path / "docs").id, until=done)
    assert (job.status, job.counts.completed) == ("completed", 30)
    assert job.workflow_id == f"reams-batch-{job.id}"
    run = wait_for_workflow(c.server.address, "default", job.workflow_id, status="COMPLETED")
    assert run.task_queue == c.settings.temporal_task_queue


def _first_run_events(c: Cluster, workflow_id: str) -> list[Any]:
    from temporalio.client import Client

    async def main() -> list[Any]:
        client = await Client.connect(c.server.address, namespace="default")
        runs = [r async for r in client.list_workflows(f"WorkflowId = '{workflow_id}'")]
        first = min(runs, key=lambda r: r.start_time)
        handle = client.get_workflow_handle(workflow_id, run_id=first.run_id)
        return list((await handle.fetch_history()).events)

    return asyncio.run(asyncio.wait_for(main(), 60))


def test_the_api_sends_the_plan_with_the_workflows_start(cluster: Any, tmp_path: Path) -> None:
    """The API dispatched the job and has it in hand: the plan rides in the workflow's input,
    so the first workflow task schedules slices without a plan activity before them."""
    from temporalio.converter import DataConverter

    from reams.engine.temporal.planning import make_plan
    from reams.engine.temporal.workflow import contracts as wc

    c = cluster()
    c.add_worker()
    make_corpus(tmp_path / "docs", 12, kinds=("md",))
    job = c.wait(c.create(tmp_path / "docs", page_size=4).id, until=done)
    assert (job.status, job.counts.completed) == ("completed", 12)
    wait_for_workflow(c.server.address, "default", job.workflow_id, status="COMPLETED")
    events = _first_run_events(c, job.workflow_id)
    started = events[0].workflow_execution_started_event_attributes
    converter = DataConverter.default
    batch = converter.payload_converter.from_payloads(started.input.payloads, [wc.BatchInput])[0]
    engine: Any = c.services.engine
    assert batch == wc.BatchInput(job.id, plan=make_plan(job, engine.config, engine.temporal))
    assert batch.plan is not None and batch.plan.slice_size == 4
    # No plan activity, local (a marker naming it) or not, anywhere in the run.
    assert not any(
        e.activity_task_scheduled_event_attributes.activity_type.name == wc.PLAN for e in events
    )
    markers = [
        e.marker_recorded_event_attributes
        for e in events
        if e.HasField("marker_recorded_event_attributes")
    ]
    assert not any(wc.PLAN.encode() in m.SerializeToString() for m in markers)
    assert any(
        e.activity_task_scheduled_event_attributes.activity_type.name == wc.PROCESS_SLICE
        for e in events
    )


@pytest.mark.slow
def test_continue_as_new_keeps_every_run_small(cluster: Any, tmp_path: Path) -> None:
    c = cluster()
    c.add_worker()
    make_corpus(tmp_path / "docs", 120, kinds=("md",))
    created = c.create(tmp_path / "docs", page_size=5, continue_as_new_threshold=30)
    job = c.wait(created.id, until=done)
    assert (job.status, job.counts.completed) == ("completed", 120)
    wait_for_workflow(c.server.address, "default", job.workflow_id, status="COMPLETED")
    runs = workflow_runs(c.server.address, "default", job.workflow_id)
    statuses = sorted(r.status.name for r in runs)
    assert statuses.count("CONTINUED_AS_NEW") >= 3, statuses  # 120 items / 30 per run
    # 30 items in slices of 5: a handful of activities, so a bounded history per run.
    assert max(r.history_length for r in runs) < 120, [r.history_length for r in runs]


def test_cancel_through_the_api_ends_the_workflow(cluster: Any, tmp_path: Path) -> None:
    c = cluster()
    c.add_worker()
    make_corpus(tmp_path / "docs", 60, kinds=("pdf", "docx"))
    created = c.create(tmp_path / "docs")
    c.wait(created.id, until=lambda j: j.counts.terminal >= 3)
    cancelled = c.services.engine.cancel(created.id, reason="enough")
    assert cancelled.status == "cancelled" and cancelled.counts.pending == 0
    wait_for_workflow(c.server.address, "default", created.workflow_id, status="CANCELED")
    final = c.wait(created.id, until=lambda j: j.counts.processing == 0, timeout=30)
    assert final.status == "cancelled" and final.cancel_reason == "enough"
    assert final.counts.pending == 0
    assert final.counts.cancelled > 0 and final.counts.total == 60


def test_cancel_in_temporal_cancels_the_job(cluster: Any, tmp_path: Path) -> None:
    import asyncio

    from temporalio.client import Client

    c = cluster()
    c.add_worker()
    make_corpus(tmp_path / "docs", 60, kinds=("pdf", "docx"))
    created = c.create(tmp_path / "docs")
    c.wait(created.id, until=lambda j: j.counts.terminal >= 3)

    async def cancel() -> None:  # what the Temporal UI's "Cancel" does
        client = await Client.connect(c.server.address)
        await client.get_workflow_handle(created.workflow_id).cancel()

    asyncio.run(cancel())
    job = c.wait(created.id, until=lambda j: j.status == "cancelled" and not j.counts.processing)
    assert job.cancel_reason == "Cancelled in Temporal."
    assert job.counts.pending == 0 and job.counts.cancelled > 0
    wait_for_workflow(c.server.address, "default", created.workflow_id, status="CANCELED")


def test_the_namespace_header_picks_the_namespace(cluster: Any, tmp_path: Path) -> None:
    c = cluster()
    c.add_worker(temporal_namespace="reams-other")  # the dev server was started with it
    make_corpus(tmp_path / "docs", 12, kinds=("md",))
    job = c.wait(c.create(tmp_path / "docs", namespace="reams-other").id, until=done)
    assert (job.status, job.counts.completed) == ("completed", 12)
    wait_for_workflow(c.server.address, "reams-other", job.workflow_id, status="COMPLETED")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "new.md").write_text("# Not processed before\n")
    unknown = c.create(tmp_path / "more", namespace="no-such-namespace")
    failed = c.wait(unknown.id, until=done, timeout=30)
    assert failed.status == "failed" and "no-such-namespace" in (failed.error_message or "")
    # Nothing will run its items: none stays pending, and the counters add up.
    assert (failed.counts.pending, failed.counts.cancelled) == (0, failed.total_items)


def test_leases_of_a_dead_worker_are_reclaimed(cluster: Any, tmp_path: Path) -> None:
    c = cluster()
    make_corpus(tmp_path / "docs", 20, kinds=("md",))
    created = c.create(tmp_path / "docs")
    # A worker that claimed five items and died: their leases expire, nobody renews them.
    store = c.services.store
    orphans = store.claim(owner="dead-worker", lease_s=1, limit=5, job_ids=[created.id])
    assert len(orphans) == 5
    c.add_worker()
    job = c.wait(created.id, until=done)
    assert (job.status, job.counts.completed) == ("completed", 20)
    items, _ = store.list_items(job.id, project_id=None, limit=100, offset=0)
    # Lost with the dead worker: counted as a loss, not as one of the item's attempts.
    lost = {o.id for o in orphans}
    assert {(i.attempts, i.losses) for i in items if i.id in lost} == {(1, 1)}
    assert all(len(store.results_for_item(i.item_id, project_id=i.project_id)) == 1 for i in items)
    # The workflow's result counts from the store: exact, whatever the faults.
    assert workflow_result(c, job.workflow_id).settled == 20


@pytest.mark.slow
def test_a_job_made_while_temporal_is_down_starts_when_it_is_back(tmp_path: Path) -> None:
    server = start_temporal(tmp_path / "temporal", persistent=True)
    c = Cluster(server, tmp_path / "c", temporal_resubmit_interval_s=0.5)
    try:
        c.add_worker()
        make_corpus(tmp_path / "docs", 10, kinds=("md",))
        server.stop()
        created = c.create(tmp_path / "docs")  # answers at once: the store has the job
        assert c.job(created.id).status == "dispatched"
        # Not a job waiting for workers: it says its workflow could not be started, and why.
        waiting = c.wait(created.id, until=lambda j: j.dispatch_error is not None, timeout=60)
        assert waiting.status == "dispatched"
        assert server.address in (waiting.dispatch_error or "")
        assert waiting.dispatch_error_at is not None
        wire = batch_status_model(waiting).job
        assert (wire.dispatch_error, wire.dispatch_error_at) == (
            waiting.dispatch_error,
            waiting.dispatch_error_at,
        )
        server.start()  # the API's sweeper starts the workflow; the worker reconnects
        job = c.wait(created.id, until=done)
        assert (job.status, job.counts.completed) == ("completed", 10)
        assert (job.dispatch_error, job.dispatch_error_at) == (None, None)  # cleared on start
    finally:
        c.close()
        server.stop()


def test_a_huge_pdf_is_parsed_in_page_parts_by_the_workers(cluster: Any, tmp_path: Path) -> None:
    """Page parts (docs/slices.md) on the Temporal engine: the slices claim a split item's
    parts like items, two worker processes parse them, the merge gives the unsliced result,
    and the workflow ends when the merged item does."""
    folder = tmp_path / "docs"
    folder.mkdir()
    pages = [f"Section {n}\n\n" + f"Paragraph {n} of the long report. " * 30 for n in range(23)]
    big = make_pdf(folder / "big.pdf", pages)
    make_pdf(folder / "small.pdf", pages[:3])  # under the threshold: parsed whole
    c = cluster(slice_pages=5, slice_part_pages=5)
    c.add_worker()
    c.add_worker()
    job = c.wait(c.create(folder).id, until=lambda j: done(j) and not j.counts.processing)
    assert job.status == "completed" and job.counts.completed == 2, job
    assert (job.pages_total, job.pages_done) == (23, 23)
    store = c.services.store
    items, _ = store.list_items(job.id, project_id=None, limit=10, offset=0)
    by_name = {item.item_name: item for item in items}
    result = store.get_result(str(by_name["big.pdf"].result_id), project_id=None)
    merged = orjson.loads(c.services.blobs.get(result.output_sha256))
    assert merged == processors.run("parse", big.read_bytes(), "big.pdf", {})
    wait_for_workflow(c.server.address, "default", job.workflow_id, status="COMPLETED")


def test_a_worker_boots_its_childrens_processes_before_their_first_slice() -> None:
    pool = ChildPool(EngineConfig())
    try:
        pool.warm(2)
        with pool.lease() as first, pool.lease() as second:
            started = [child._proc for child in (first, second)]  # booted, not yet leased
        assert all(proc is not None and proc.poll() is None for proc in started)
    finally:
        pool.close()


def test_a_slice_starts_from_the_claim_pace_of_the_childs_last_slice_of_its_job() -> None:
    pool = ChildPool(EngineConfig())
    with pool.lease() as child:
        lane = pool.lane(child, "job-a")
        assert lane.batch == 1  # nothing known yet: one item at a time
        lane.batch = 12
        pool.keep_lane(child, "job-a", lane)
        assert pool.lane(child, "job-a").batch == 12  # the same job: its pace is known
        assert pool.lane(child, "job-b").batch == 1  # another job: from scratch
