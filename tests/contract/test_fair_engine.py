"""Fair scheduling with real workers: a small job of another project starts at once and
finishes long before a big job's backlog drains (local engine, SQLite and PostgreSQL; the
Temporal variant is in tests/integration/test_temporal_fairness.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen import make_pdf, make_text
from reams.bootstrap import Services, build
from reams.domain.records import Job
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest
from reams.settings import Settings

CONFIG = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}
FIRST_ITEM_S = 2.0


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    built = build(
        Settings(
            data_dir=tmp_path / "data",
            database_url=database_url,
            workers=2,
            poll_interval_s=0.05,
            engine="local",
        )
    )
    yield built
    built.close()


def _submit(services: Services, project: str, folder: Path, priority: int = 0) -> Job:
    project_id = services.catalog.ensure_project(project).id
    directory_id = mirror_folder(
        services.catalog, services.blobs, project_id=project_id, root=folder
    )
    return services.jobs.submit(
        JobRequest(
            project_id=project_id,
            job_config=CONFIG,
            directory_id=directory_id,
            priority=priority,
        )
    )


def _pdfs(folder: Path, n: int) -> Path:
    """``n`` distinct PDFs of 40 pages: each takes a worker longer than ``SMALL_ITEM_S``, so
    they are claimed one at a time and the backlog cannot drain while the test looks (with
    3-page PDFs a fast machine finished the big job before the small one was submitted)."""
    folder.mkdir()
    for i in range(n):
        pages = [
            f"Report {i}, page {p}\n\n" + "Plain words for the parser. " * 40 for p in range(40)
        ]
        make_pdf(folder / f"r{i:03d}.pdf", pages)
    return folder


def _texts(folder: Path, n: int, tag: str) -> Path:
    folder.mkdir()
    for i in range(n):
        make_text(folder / f"{tag}{i}.txt", f"{tag} note {i}\n")
    return folder


def _wait(services: Services, job_id: str, done: set[str], timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = services.store.get_job(job_id, project_id=None)
        if job.status in done:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} not {done} after {timeout} s")


def _first_start_s(services: Services, job: Job) -> float:
    items, _ = services.store.list_items(job.id, project_id=None, limit=1000, offset=0)
    starts = [i.started_at for i in items if i.started_at is not None]
    return (min(starts) - job.created_at).total_seconds()


def test_a_small_job_of_another_project_is_not_starved(services: Services, tmp_path: Path) -> None:
    big = _submit(services, "big-project", _pdfs(tmp_path / "big", 240))
    services.start()
    running = _wait(services, big.id, {"running"})
    while services.store.get_job(big.id, project_id=None).counts.completed < 10:
        time.sleep(0.02)  # the big project has been served for a while
    small = _submit(services, "small-project", _texts(tmp_path / "small", 6, "s"))
    finished = _wait(services, small.id, {"completed"})
    assert finished.counts.completed == 6
    assert _first_start_s(services, small) <= FIRST_ITEM_S
    behind = services.store.get_job(big.id, project_id=None)
    assert running.status == "running"
    # The small job did not wait for the backlog: most of the big job was still to do.
    assert behind.counts.pending > 100, behind.counts
    services.jobs.cancel(big.id, project_id=None, reason="test over")


def test_priority_goes_first_within_a_project(services: Services, tmp_path: Path) -> None:
    low = _submit(services, "one", _pdfs(tmp_path / "low", 120))
    services.start()
    _wait(services, low.id, {"running"})
    high = _submit(services, "one", _texts(tmp_path / "high", 6, "h"), priority=10)
    finished = _wait(services, high.id, {"completed"})
    assert finished.priority == 10 and finished.counts.completed == 6
    assert _first_start_s(services, high) <= FIRST_ITEM_S
    assert services.store.get_job(low.id, project_id=None).counts.pending > 40
    services.jobs.cancel(low.id, project_id=None, reason="test over")
