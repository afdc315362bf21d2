"""The local engine's own threads (drivers, housekeeping) run under SCHED_BATCH: woken by a
child's answer they take their turn instead of preempting a child that parses; the worker
children they launch run under the normal policy (real engine, real child process)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from note_jobs import submit_notes
from reams.bootstrap import Services, build
from reams.engine.local import LocalEngine
from reams.settings import Settings


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build(Settings(data_dir=tmp_path / "data", workers=1, lease_s=30))
    yield built
    built.close()


def test_engine_threads_yield_and_their_children_do_not(services: Services, tmp_path: Path) -> None:
    engine = services.engine
    assert isinstance(engine, LocalEngine)
    services.start()
    job_id = submit_notes(services, tmp_path / "notes", 5)
    deadline = time.monotonic() + 60
    while services.catalog.get_job(job_id, project_id=None).status != "completed":
        assert time.monotonic() < deadline
        engine.wait_settled(1.0)
    threads = {t.name: t for t in threading.enumerate() if t.name.startswith("reams-")}
    for name in ("reams-worker-0", "reams-housekeeping"):
        native = threads[name].native_id
        assert native is not None
        assert os.sched_getscheduler(native) == os.SCHED_BATCH, name
    children = [int(pid) for pid in _children(os.getpid())]
    assert children, "the worker's child is running"
    for pid in children:
        assert os.sched_getscheduler(pid) == os.SCHED_OTHER
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the caller's thread is left alone


def _children(pid: int) -> list[str]:
    found: list[str] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += (task / "children").read_text().split()
    return found
