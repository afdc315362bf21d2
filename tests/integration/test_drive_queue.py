"""The item driver keeps a claim's worth of fast items in the worker child's queue, and a
cancel still stops the ones queued behind the item the child was working on (real store, real
child process, real documents)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from note_jobs import submit_notes
from reams.bootstrap import Services, build
from reams.domain.records import Item
from reams.domain.states import Outcome
from reams.engine.drive import CLAIM_BATCH, DriveHooks, ItemDriver
from reams.engine.isolation import IsolatedWorker, Task
from reams.engine.local import LocalEngine
from reams.settings import Settings


class WatchedWorker(IsolatedWorker):
    """A real worker that notes how many tasks its child holds after each hand-over."""

    def __init__(self, *, max_items: int = 1000) -> None:
        super().__init__(memory_limit_mb=2048, max_items=max_items, max_rss_mb=1024)
        self.depths: list[int] = []
        self.rooms: list[int] = []

    def submit(self, task: Task) -> None:
        self.rooms.append(self.room)
        super().submit(task)
        self.depths.append(len(self._queue))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build(Settings(data_dir=tmp_path / "data", workers=1, lease_s=30))
    yield built
    built.close()


def driver_of(
    services: Services, worker: IsolatedWorker, settled: list[tuple[Item, Outcome]]
) -> ItemDriver:
    engine = services.engine
    assert isinstance(engine, LocalEngine)
    ctx = engine.ctx

    def claim(limit: int) -> list[Item]:
        return services.store.claim(owner=ctx.owner, lease_s=30, limit=limit)

    hooks = DriveHooks(
        claim=claim,
        stopping=lambda: False,
        pause=lambda _s: None,
        settled=lambda item, outcome: settled.append((item, outcome)),
    )
    return ItemDriver(ctx=ctx, worker=worker, hooks=hooks)


def test_fast_items_fill_the_childs_queue_and_each_ends_once(
    services: Services, tmp_path: Path
) -> None:
    job_id = submit_notes(services, tmp_path / "notes", 120)
    worker = WatchedWorker()
    settled: list[tuple[Item, Outcome]] = []
    driver = driver_of(services, worker, settled)
    try:
        while driver.run():
            pass
    finally:
        worker.close()
    job = services.store.get_job(job_id, project_id=None)
    assert job.status == "completed" and job.counts.completed == 120
    assert sorted(item.item_name for item, _ in settled) == [f"note-{n:03}.md" for n in range(120)]
    assert {outcome for _, outcome in settled} == {Outcome.COMPLETED}
    # More than the one item ahead a child used to hold, never more than a claim.
    assert 2 < max(worker.depths) <= CLAIM_BATCH


def test_a_child_about_to_be_recycled_is_handed_no_more_than_it_will_run(
    services: Services, tmp_path: Path
) -> None:
    job_id = submit_notes(services, tmp_path / "notes", 40)
    worker = WatchedWorker(max_items=7)
    settled: list[tuple[Item, Outcome]] = []
    driver = driver_of(services, worker, settled)
    try:
        while driver.run():
            pass
    finally:
        worker.close()
    job = services.store.get_job(job_id, project_id=None)
    assert job.counts.completed == 40
    assert all(depth <= room for depth, room in zip(worker.depths, worker.rooms, strict=True))
    # No task was dropped with a recycled child: each item ran once, on its first attempt.
    items, _ = services.store.list_items(job_id, project_id=None, limit=100, offset=0)
    assert {item.attempts for item in items} == {1}
    assert len(settled) == 40


def test_items_queued_in_the_child_behind_a_cancel_end_cancelled(
    services: Services, tmp_path: Path
) -> None:
    """Cancelled as the first batch of outcomes is written: of the items then in the child's
    queue, only the first collected (it may have been running) completes."""
    job_id = submit_notes(services, tmp_path / "notes", 300)
    engine = services.engine
    assert isinstance(engine, LocalEngine)
    worker = WatchedWorker()
    settled: list[tuple[Item, Outcome]] = []
    queued_at_cancel: list[int] = []
    written_at_cancel: list[int] = []

    def cancel_once(item: Item, outcome: Outcome) -> None:
        settled.append((item, outcome))
        if not queued_at_cancel:
            queued_at_cancel.append(len(worker._queue))
            # The batch being told of is committed: what had completed before the cancel.
            written = services.store.get_job(job_id, project_id=None).counts.completed
            written_at_cancel.append(written)
            engine.cancel(job_id, reason="test")  # as the API's cancel: the engine is told

    driver = driver_of(services, worker, [])
    driver.hooks.settled = cancel_once
    try:
        while driver.run():
            pass
    finally:
        worker.close()
    job = services.store.get_job(job_id, project_id=None)
    assert job.status == "cancelled"
    assert queued_at_cancel[0] >= 2, "the child held several items when the job was cancelled"
    assert written_at_cancel[0] <= job.counts.completed <= written_at_cancel[0] + 1
    assert job.counts.completed + job.counts.cancelled == 300
    completed = sum(outcome is Outcome.COMPLETED for _, outcome in settled)
    assert completed == job.counts.completed
