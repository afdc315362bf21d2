"""``reams run`` sees its job end when the last item is recorded, not a poll later: the local
engine running in the command's process says when items settle (real store, real child
process, real documents)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from note_jobs import submit_notes
from reams.bootstrap import Services, build
from reams.cli import run as run_module
from reams.cli.run import LocalRun
from reams.engine.local import LocalEngine
from reams.settings import Settings

NOTES = 30
# Far longer than the job takes: a follower that slept its poll out would be seen.
LONG_POLL_S = 30.0


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build(Settings(data_dir=tmp_path / "data", workers=1, lease_s=30))
    yield built
    built.close()


def test_the_local_engine_wakes_a_waiter_when_an_item_is_recorded(
    services: Services, tmp_path: Path
) -> None:
    engine = services.engine
    assert isinstance(engine, LocalEngine)
    assert not engine.wait_settled(0.0)  # nothing recorded yet
    services.start()
    job_id = submit_notes(services, tmp_path / "notes", 3)
    assert engine.wait_settled(LONG_POLL_S)
    deadline = time.monotonic() + LONG_POLL_S
    while services.catalog.get_job(job_id, project_id=None).counts.completed < 3:
        assert time.monotonic() < deadline
        engine.wait_settled(1.0)
    engine.wait_settled(0.0)  # what the last outcomes signalled
    assert not engine.wait_settled(0.05)  # and nothing since


def test_following_a_job_ends_as_its_last_item_is_recorded(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every pause of the follower is a long one here; it still returns about when the job
    completes (before this change it slept each pause out, the last one included)."""
    monkeypatch.setattr(run_module, "POLL_S", LONG_POLL_S)
    monkeypatch.setattr(run_module, "POLL_FAR_S", LONG_POLL_S)
    session = LocalRun(services=services, root=tmp_path / "notes", out=tmp_path / "out")
    session.start_engine()
    job_id = submit_notes(services, tmp_path / "notes", NOTES)
    started = time.monotonic()
    final = session.follow(job_id)
    assert final.status == "completed" and final.counts.completed == NOTES
    assert time.monotonic() - started < LONG_POLL_S / 2
