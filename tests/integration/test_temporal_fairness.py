"""Fair scheduling on the Temporal engine, against a real dev server: a big job's workflow keeps
``fan_out`` slices queued, each settling up to ``slice_size`` items; a small job of another
project created meanwhile must not wait behind them. Its slices' claims make the big job's
slices give their slots up (``store.should_yield``), and the big job's workflow holds its
fan-out back while it ranks behind."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen import make_pdf, make_text
from reams.bootstrap import Services, build
from reams.domain.jobconfig import resolve
from reams.domain.records import Job
from reams.service.folders import mirror_folder
from reams.settings import Settings
from temporal_servers import InProcessWorker, TemporalServer

PARSE = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}
FIRST_ITEM_S = 2.0


@pytest.fixture
def cluster(temporal_server: TemporalServer, tmp_path: Path) -> Iterator[Services]:
    settings = Settings(
        data_dir=tmp_path / "data",
        engine="temporal",
        workers=2,
        poll_interval_s=0.05,
        temporal_address=temporal_server.address,
        temporal_task_queue=f"fair-{uuid.uuid4().hex[:12]}",
        temporal_heartbeat_timeout_s=5,
    )  # the default slice size (50) and fan-out (8): a deep queue of the big job's slices
    services = build(settings)
    services.engine.start()
    worker = InProcessWorker(settings)
    worker.start()
    yield services
    worker.stop(30)
    services.close()


def _create(services: Services, project: str, folder: Path) -> Job:
    store = services.store
    project_id = store.ensure_project(project).id
    directory = mirror_folder(store, services.blobs, project_id=project_id, root=folder)
    job = store.create_job(
        project_id=project_id,
        settings=resolve(PARSE),
        job_config=PARSE,
        directory_id=directory,
        item_ids=None,
    )
    services.engine.submit(job.id)
    return job


def _wait(services: Services, job_id: str, ok: object, timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = services.store.get_job(job_id, project_id=None)
        if ok(job):  # type: ignore[operator]
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} did not get there in {timeout} s")


def test_a_small_job_is_not_queued_behind_a_big_jobs_slices(
    cluster: Services, tmp_path: Path
) -> None:
    big_dir = tmp_path / "big"
    big_dir.mkdir()
    for i in range(240):
        pages = [
            f"Report {i}, page {p}\n\n" + "Plain words for the parser. " * 40 for p in range(40)
        ]
        make_pdf(big_dir / f"r{i:03d}.pdf", pages)
    small_dir = tmp_path / "small"
    small_dir.mkdir()
    for i in range(6):
        make_text(small_dir / f"s{i}.txt", f"small note {i}\n")
    big = _create(cluster, "big-project", big_dir)
    _wait(cluster, big.id, lambda j: j.counts.completed >= 10)
    small = _create(cluster, "small-project", small_dir)
    done = _wait(cluster, small.id, lambda j: j.status == "completed")
    items, _ = cluster.store.list_items(small.id, project_id=None, limit=100, offset=0)
    first = min(i.started_at for i in items if i.started_at is not None)
    assert (first - small.created_at).total_seconds() <= FIRST_ITEM_S
    assert done.counts.completed == 6
    behind = cluster.store.get_job(big.id, project_id=None)
    assert behind.counts.pending > 100, behind.counts  # it did not wait for the backlog
    # The big job then carries on to the end.
    finished = _wait(cluster, big.id, lambda j: j.status == "completed", timeout=240)
    assert finished.counts.completed == 240
