"""The ``plan`` activity on a real (SQLite) store, called directly: it dispatches a job that
nobody dispatched, and only reads one that the API dispatched before starting its workflow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reams.bootstrap import Services, build
from reams.domain.records import Job
from reams.engine.base import EngineConfig
from reams.engine.dispatch import prepare_job
from reams.engine.temporal.activities import BatchActivities
from reams.engine.temporal.config import TemporalConfig
from reams.settings import Settings
from temporal_servers import folder_job


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build(Settings(data_dir=tmp_path / "data"))
    yield built
    built.close()


def _job(services: Services, folder: Path) -> Job:
    folder.mkdir()
    for n in range(3):
        (folder / f"n{n}.md").write_text(f"# note {n}\n")
    return folder_job(services, folder)


def _activities(services: Services) -> BatchActivities:
    return BatchActivities(
        store=services.store,
        blobs=services.blobs,
        config=EngineConfig(),
        temporal=TemporalConfig(slice_size=20, slice_growth=4),
    )


def _dispatches(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    store: Any = services.store
    mark = store.mark_dispatched

    def counted(job_id: str) -> bool:
        calls.append(job_id)
        return bool(mark(job_id))

    monkeypatch.setattr(store, "mark_dispatched", counted)
    return calls


def test_the_plan_dispatches_a_job_nobody_dispatched(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(services, tmp_path / "docs")
    assert job.status == "pending"
    calls = _dispatches(services, monkeypatch)
    plan = _activities(services).plan(job.id)
    assert calls == [job.id]
    assert services.store.get_job(job.id, project_id=None).status == "dispatched"
    assert (plan.slice_size, plan.max_slice_size) == (20, 80)


def test_the_plan_only_reads_a_job_the_api_dispatched(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(services, tmp_path / "docs")
    prepare_job(services.store, job.id, max_file_bytes=EngineConfig().max_file_bytes)  # the API
    calls = _dispatches(services, monkeypatch)
    plan = _activities(services).plan(job.id)
    assert calls == []
    assert services.store.get_job(job.id, project_id=None).status == "dispatched"
    assert plan.slice_size == 20
