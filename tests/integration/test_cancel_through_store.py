"""A cancel that reaches a driver only through the store (the API of ``reams serve`` beside its
engine's process, or a Temporal worker on another machine): once it commits, the driver records
only a bounded number of items more, however fast they come out of the child's queue (real
store, real child process, real documents)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from note_jobs import submit_notes
from reams.bootstrap import Services, build
from reams.domain.records import Item
from reams.domain.states import Outcome
from reams.engine import steps
from reams.engine.drive import DriveHooks, ItemDriver
from reams.engine.isolation import IsolatedWorker
from reams.engine.steps import STATUS_CHECK_ITEMS, RunContext
from reams.settings import Settings
from reams.store import tables as t
from reams.store.db import aware, utcnow

NOTES = 300


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build(Settings(data_dir=tmp_path / "data", workers=1, lease_s=30))
    yield built
    built.close()


def test_a_cancel_known_only_to_the_store_stops_recording_within_a_few_items(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However fast items come out of the child's queue (here: no time passes at all for the
    driver's status checks), once the cancel commits the driver trusts its last answer from
    the store for at most ``STATUS_CHECK_ITEMS`` outcomes, and records one more once it knows
    (the child may have been running it); everything else queued in the child ends
    cancelled. A belief trusted for ``STATUS_CHECK_S`` alone let tens of items of a fraction
    of a millisecond each complete after a cancel."""
    monkeypatch.setattr(steps, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    store = services.store
    job_id = submit_notes(services, tmp_path / "notes", NOTES)
    ctx = RunContext(store=store, blobs=services.blobs, config=services.engine.config, owner="t:1")
    cancelled_at: list[datetime] = []

    def cancel_once(_item: Item, _outcome: Outcome) -> None:
        if not cancelled_at and store.get_job(job_id, project_id=None).counts.completed:
            store.cancel_job(job_id, reason="test")  # as another process would: store only
            cancelled_at.append(utcnow())

    hooks = DriveHooks(
        claim=lambda n: store.claim(owner=ctx.owner, lease_s=30, limit=n),
        stopping=lambda: False,
        pause=lambda _s: None,
        settled=cancel_once,
    )
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=1000, max_rss_mb=1024)
    try:
        while ItemDriver(ctx=ctx, worker=worker, hooks=hooks).run():
            pass
    finally:
        worker.close()
    job = store.get_job(job_id, project_id=None)
    assert cancelled_at and job.status == "cancelled"
    assert job.counts.completed + job.counts.cancelled == NOTES
    assert completed_since(services, job_id, cancelled_at[0]) <= STATUS_CHECK_ITEMS + 1


def completed_since(services: Services, job_id: str, moment: datetime) -> int:
    c = t.items.c
    with services.store.read() as conn:
        finished = conn.execute(
            select(c.completed_at).where(c.job_id == job_id, c.status == "completed")
        ).scalars()
        return sum(aware(at) >= moment for at in finished)
