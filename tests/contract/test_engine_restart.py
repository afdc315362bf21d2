"""A restarted local engine reclaims the leases its dead earlier run left, at once: its lease
owner names its instance (host, store, slot; held with a lock) and its boot, so it knows those
leases were its own and that their process is gone. Another live engine's leases stay."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from docgen import make_corpus
from reams.bootstrap import build
from reams.engine import instance
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest
from reams.settings import Settings

LEASE_S = 600.0  # far longer than the test: nothing here may wait for a lease to expire
PARSE = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


def _settings(database_url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        workers=1,
        lease_s=LEASE_S,
        poll_interval_s=0.05,
        engine="local",
    )


def _ghost(settings: Settings, store: Any) -> instance.EngineInstance:
    """The instance an engine on these settings takes, as a dead run held it."""
    return instance.acquire(
        "local", store_key=str(store.engine.url), directory=instance.lock_dir(settings.data_dir)
    )


def test_a_restarted_engine_reclaims_its_own_leases_at_once(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path / "data")
    make_corpus(tmp_path / "docs", 6, kinds=("md",))
    first = build(settings)
    try:
        store = first.store
        project = store.ensure_project("default")
        directory = mirror_folder(store, first.blobs, project_id=project.id, root=tmp_path / "docs")
        job = first.jobs.submit(
            JobRequest(project_id=project.id, job_config=PARSE, directory_id=directory)
        )
        # The first run claimed three items under its instance, then was killed: the kernel
        # dropped its lock; its leases have ten minutes to go.
        dead = _ghost(settings, store)
        assert dead.name is not None and dead.name.startswith("local-")
        orphans = store.claim(owner=dead.owner, lease_s=LEASE_S, limit=3, job_ids=[job.id])
        assert len(orphans) == 3
        dead.close()
    finally:
        first.close()

    second = build(settings)
    try:
        started = time.monotonic()
        second.start()
        while (done := second.store.get_job(job.id, project_id=None)).status != "completed":
            assert time.monotonic() - started < 60, done
            time.sleep(0.05)
        items, _ = second.store.list_items(job.id, project_id=None, limit=100, offset=0)
        assert {i.status for i in items} == {"completed"}
        lost = {o.id for o in orphans}
        # Each item charged one attempt (the one that completed it); the lost claims are
        # counted apart, and said so in the item.
        assert {(i.attempts, i.losses) for i in items if i.id in lost} == {(1, 1)}
        assert {(i.attempts, i.losses) for i in items if i.id not in lost} == {(1, 0)}
    finally:
        second.close()


def test_a_live_engines_leases_are_not_reclaimed(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path / "data")
    make_corpus(tmp_path / "docs", 2, kinds=("md",))
    services = build(settings)
    alive = _ghost(settings, services.store)  # another engine on this store, still running
    try:
        store = services.store
        project = store.ensure_project("default")
        directory = mirror_folder(
            store, services.blobs, project_id=project.id, root=tmp_path / "docs"
        )
        job = services.jobs.submit(
            JobRequest(project_id=project.id, job_config=PARSE, directory_id=directory)
        )
        (held,) = store.claim(owner=alive.owner, lease_s=LEASE_S, limit=1, job_ids=[job.id])
        services.start()  # takes the next slot: the held lease is not its own
        deadline = time.monotonic() + 60
        while store.get_job(job.id, project_id=None).counts.completed < 1:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        items, _ = store.list_items(job.id, project_id=None, limit=10, offset=0)
        assert {i.id: i.status for i in items}[held.id] == "processing"
        assert store.get_job(job.id, project_id=None).status == "running"
    finally:
        services.close()
        alive.close()
