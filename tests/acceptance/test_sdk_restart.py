"""Crash and restart: the store is the truth, so a job whose server was SIGKILLed mid-run
completes after a restart on the same data dir, every item exactly once. A claim lost with
the server is counted as a loss, not as an attempt, and the restarted server takes back what
its dead run held at once (no lease to wait for)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from llama_cloud import LlamaCloud

from docgen import make_pdf
from servers import start_server

ENV = {"REAMS_LEASE_S": "2", "REAMS_WORKERS": "1"}
DEADLINE_S = 180.0
ITEMS = 200
KILL_AFTER = 20  # items finished when the server is killed: the job is well under way


def _pdf(i: int) -> bytes:
    """A distinct few-page PDF, so each item takes real parsing time."""
    path = make_pdf(
        Path(tempfile.mkdtemp()) / "doc.pdf",
        [f"Document {i} page {n}: {uuid.uuid4()} " + "lorem ipsum dolor " * 80 for n in range(6)],
    )
    return path.read_bytes()


def client(base_url: str) -> LlamaCloud:
    return LlamaCloud(
        api_key="test", base_url=base_url, _strict_response_validation=True, max_retries=0
    )


@pytest.mark.slow
def test_job_survives_sigkill(tmp_path: Path) -> None:
    first = start_server(tmp_path, env=ENV)
    try:
        sdk = client(first.base_url)
        directory = sdk.beta.directories.create(name="crash")
        for i in range(ITEMS):
            sdk.beta.directories.files.upload(directory.id, upload_file=(f"d{i}.pdf", _pdf(i)))
        job = sdk.beta.batch.create(job_config={}, directory_id=directory.id)
        deadline = time.monotonic() + DEADLINE_S
        while (before := sdk.beta.batch.get_status(job.id).job).processed_items < KILL_AFTER:
            assert time.monotonic() < deadline, before
            time.sleep(0.01)
    finally:
        first.kill()
    assert before.status == "running", "the job must still have work when the server dies"
    second = start_server(tmp_path, env=ENV)
    try:
        sdk = client(second.base_url)
        deadline = time.monotonic() + DEADLINE_S
        while (status := sdk.beta.batch.get_status(job.id)).job.status != "completed":
            assert time.monotonic() < deadline, status.job
            time.sleep(0.3)
        assert status.job.processed_items == ITEMS
        items = list(sdk.beta.batch.job_items.list(job.id))
        assert {i.status for i in items} == {"completed"}
        results = [sdk.beta.batch.job_items.get_processing_results(i.item_id) for i in items]
        assert all(len(r.processing_results or []) == 1 for r in results), "processed twice"
    finally:
        second.stop()


KILLS = 5
KILL_EVERY = 25  # items finished between two kills


def _db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / 'reams.db'}?mode=ro", uri=True, timeout=10)


def _owners_in_flight(data_dir: Path) -> set[str]:
    with _db(data_dir) as conn:
        rows = conn.execute("SELECT DISTINCT lease_owner FROM items WHERE status = 'processing'")
        return {owner for (owner,) in rows}


def _orphaned_children(data_dir: Path) -> list[int]:
    """Worker children of killed servers still running (they inherit REAMS_DATA_DIR)."""
    found = []
    marker = f"REAMS_DATA_DIR={data_dir}".encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if b"reams.engine.child" in cmdline and marker in environ.split(b"\0"):
            found.append(int(pid))
    return found


@pytest.mark.slow
def test_five_sigkills_charge_no_attempt_and_recovery_does_not_wait_for_leases(
    tmp_path: Path,
) -> None:
    env = {"REAMS_LEASE_S": "30", "REAMS_WORKERS": "1"}  # the default lease: never waited for
    server = start_server(tmp_path, env=env)
    logs = [server.log_path]
    kills = 0
    try:
        sdk = client(server.base_url)
        directory = sdk.beta.directories.create(name="crashes")
        for i in range(ITEMS):
            sdk.beta.directories.files.upload(directory.id, upload_file=(f"d{i}.pdf", _pdf(i)))
        job = sdk.beta.batch.create(job_config={}, directory_id=directory.id)
        while kills < KILLS:
            deadline = time.monotonic() + DEADLINE_S
            target = KILL_EVERY * (kills + 1)
            while (now := sdk.beta.batch.get_status(job.id).job).processed_items < target:
                assert time.monotonic() < deadline, now
                time.sleep(0.01)
            held = _owners_in_flight(tmp_path)
            server.kill()
            kills += 1
            assert now.status == "running", "the job must still have work when the server dies"
            server = start_server(tmp_path, env=env)
            logs.append(server.log_path)
            sdk = client(server.base_url)
            # Up means started: what the killed run held is back already, not in 30 s.
            assert not (_owners_in_flight(tmp_path) & held), "waited for the dead run's leases"
        deadline = time.monotonic() + DEADLINE_S
        while (status := sdk.beta.batch.get_status(job.id)).job.status != "completed":
            assert time.monotonic() < deadline, status.job
            time.sleep(0.3)
        items = list(sdk.beta.batch.job_items.list(job.id))
    finally:
        server.stop()
    assert status.job.processed_items == ITEMS
    assert {i.status for i in items} == {"completed"}
    # Each item was charged one attempt, the one that completed it: the crashes are counted
    # apart, as losses, and say so in the item (before: up to 3 attempts, the last one).
    assert {i.attempts for i in items} == {1}
    losses = {i.item_id: int(getattr(i, "losses", None) or 0) for i in items}
    assert sum(losses.values()) >= KILLS, losses  # something was in flight at every kill
    assert max(losses.values()) <= KILLS
    with _db(tmp_path) as conn:
        leased = conn.execute("SELECT COUNT(*) FROM items WHERE lease_owner IS NOT NULL")
        assert leased.fetchone() == (0,), "a completed item kept its lease"
        per_item = conn.execute("SELECT item_id, COUNT(*) FROM results GROUP BY item_id")
        assert {n for _, n in per_item} == {1}, "processed twice"
    # The children of the killed servers end on their own, and quietly.
    deadline = time.monotonic() + 60
    while _orphaned_children(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _orphaned_children(tmp_path)
    for log in logs:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "BrokenPipeError" not in text, text[-3000:]
