"""Fair claims, the same on SQLite and PostgreSQL: projects take turns by recent service,
jobs within a project go by priority then age, and a slice serving one job knows when to
let its slot go."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from reams.domain.jobconfig import resolve
from reams.domain.records import Item, Job
from reams.store.transitions import Completion, Store

CONFIG: dict[str, Any] = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


def _project(store: Store) -> str:
    return store.ensure_project(f"p-{uuid.uuid4().hex[:8]}").id


def _job(store: Store, project_id: str, n: int, *, priority: int = 0) -> Job:
    """A dispatched job over ``n`` new files of ``project_id``."""
    directory = store.create_directory(project_id=project_id, name=f"d-{uuid.uuid4().hex[:6]}")
    entries = []
    for i in range(n):
        sha = uuid.uuid4().hex * 2
        f = store.create_file(project_id=project_id, name=f"f{i}.md", sha256=sha, size=10)
        entries.append({"file_id": f.id, "display_name": f.name, "unique_id": f.name})
    store.add_directory_files(project_id=project_id, directory_id=directory.id, entries=entries)
    job = store.create_job(
        project_id=project_id,
        settings=resolve(CONFIG),
        job_config=CONFIG,
        directory_id=directory.id,
        item_ids=None,
        priority=priority,
    )
    store.mark_dispatched(job.id)
    return job


def _done(store: Store, items: list[Item], owner: str = "w") -> None:
    for item in items:
        completion = Completion(
            result_id=f"pjb-{uuid.uuid4()}",
            job_type="parse",
            job_config=CONFIG,
            parameters_hash="0" * 64,
            output_sha256="0" * 64,
            output_metadata=None,
            cacheable=False,
            duration_s=0.01,
        )
        assert store.complete(item, owner=owner, completion=completion)


def test_a_later_small_job_of_another_project_is_served_before_the_backlog(store: Store) -> None:
    big = _job(store, _project(store), 120)
    for _ in range(5):  # the big job's project has been served for a while
        batch = store.claim(owner="w", lease_s=30, limit=8)
        assert len(batch) == 8 and {i.job_id for i in batch} == {big.id}
        _done(store, batch)
    small = _job(store, _project(store), 10)
    taken: list[Item] = []
    for _ in range(10):
        batch = store.claim(owner="w", lease_s=30, limit=8)
        assert len(batch) == 1, "while two projects compete, a claim takes one item"
        taken += batch
    # Every item of the newcomer went first: the big job's backlog did not drain before it.
    assert [i.job_id for i in taken] == [small.id] * 10
    assert store.get_job(big.id, project_id=None).counts.pending == 80
    # Alone again, the big job is claimed in batches.
    assert [i.job_id for i in store.claim(owner="w", lease_s=30, limit=8)] == [big.id] * 8


def test_projects_alternate_once_their_service_is_even(store: Store) -> None:
    first = _job(store, _project(store), 20)
    second = _job(store, _project(store), 20)
    order = [store.claim(owner="w", lease_s=30, limit=8)[0].job_id for _ in range(10)]
    assert order == [first.id, second.id] * 5


def test_priority_orders_jobs_within_a_project(store: Store) -> None:
    project = _project(store)
    low = _job(store, project, 5)
    high = _job(store, project, 3, priority=5)
    negative = _job(store, project, 2, priority=-1)
    assert store.get_job(high.id, project_id=project).priority == 5
    assert low.priority == 0
    claimed = store.claim(owner="w", lease_s=30, limit=10)
    # One project: no turns to take, so one claim fills up in priority order.
    assert [i.job_id for i in claimed] == [high.id] * 3 + [low.id] * 5 + [negative.id] * 2


def test_priority_does_not_cross_projects(store: Store) -> None:
    busy = _project(store)
    urgent = _job(store, busy, 30, priority=100)
    _done(store, store.claim(owner="w", lease_s=30, limit=8))
    other = _job(store, _project(store), 3, priority=-100)
    claimed = [store.claim(owner="w", lease_s=30, limit=8)[0].job_id for _ in range(3)]
    assert claimed == [other.id] * 3  # least recently served project first, whatever priority
    assert store.claim(owner="w", lease_s=30, limit=8)[0].job_id == urgent.id


def test_a_slice_serving_one_job_yields_to_a_starved_one(store: Store) -> None:
    big = _job(store, _project(store), 40)
    held = store.claim(owner="slice-a", lease_s=30, limit=4, job_ids=[big.id])
    assert len(held) == 4
    assert not store.should_yield(big.id)  # nobody else waits
    small = _job(store, _project(store), 5)
    assert store.should_yield(big.id)  # ranks behind, and the newcomer has nothing in flight
    assert not store.should_yield(small.id)
    store.claim(owner="slice-b", lease_s=30, limit=4, job_ids=[small.id])
    assert not store.should_yield(big.id)  # as many in flight as the big job: keep going
    # Items due later (a retry's backoff) are no reason to yield.
    later = _job(store, _project(store), 1)
    (item,) = store.claim(owner="w", lease_s=30, job_ids=[later.id])
    assert store.retry_later(item, owner="w", code="x", message="y", delay_s=3600)
    assert not store.should_yield(big.id)
    assert not store.should_yield("bjb-unknown")


def test_a_slice_yields_to_a_higher_priority_job_of_its_project(store: Store) -> None:
    project = _project(store)
    low = _job(store, project, 10)
    store.claim(owner="s", lease_s=30, limit=2, job_ids=[low.id])
    high = _job(store, project, 10, priority=1)
    assert store.should_yield(low.id) and not store.should_yield(high.id)


def test_concurrent_claims_across_projects_share_no_item_and_record_service(
    store: Store,
) -> None:
    """Claims running at once (PostgreSQL: really concurrent) move the same project rows;
    none fails, no item is taken twice, and every project's service is recorded."""
    jobs = [_job(store, _project(store), 25) for _ in range(3)]
    seen: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(owner: str) -> None:
        try:
            while claimed := store.claim(owner=owner, lease_s=30, limit=4):
                with lock:
                    seen.extend(i.id for i in claimed)
                _done(store, claimed, owner)
        except BaseException as exc:  # reported below: a deadlock would surface here
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(seen) == len(set(seen)) == 75
    for job in jobs:
        assert store.get_job(job.id, project_id=None).status == "completed"
