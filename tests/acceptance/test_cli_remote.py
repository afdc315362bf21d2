"""The remote commands (``jobs``, ``status``, ``items``, ``cancel``) against a real server, and
``keys create`` giving a key that a server in keys mode accepts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import docgen  # type: ignore[import-not-found]
from reams import Client
from servers import RunningServer, start_server


def reams(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reams.cli", *args],
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[Client]:
    with Client(server.base_url, max_retries=0) as c:
        yield c


@pytest.fixture(scope="module")
def finished_job(client: Client, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A completed parse job over four good documents and one unsupported archive."""
    folder = tmp_path_factory.mktemp("remote-docs")
    paths = docgen.make_corpus(folder, 4, kinds=("md", "html"))
    (folder / "archive.7z").write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(200))
    directory = client.beta.directories.create(name="cli")
    for path in [*paths, folder / "archive.7z"]:
        client.beta.directories.files.upload(directory.id, upload_file=path)
    job = client.beta.batch.create(job_config={}, directory_id=directory.id)
    client.beta.batch.wait(job.id, poll_interval=0.05, timeout=60)
    return job.id


def test_status_shows_counts_and_progress(server: RunningServer, finished_job: str) -> None:
    shown = reams("--base-url", server.base_url, "status", finished_job)
    assert shown.returncode == 0, shown.stderr
    assert finished_job in shown.stdout and "completed" in shown.stdout
    assert "100.0%" in shown.stdout and "4 completed" in shown.stdout
    assert "1 failed" in shown.stdout


def test_status_watch_follows_a_job_to_the_end(server: RunningServer, client: Client) -> None:
    directory = client.beta.directories.create(name="watched")
    for n in range(6):
        client.beta.directories.files.upload(directory.id, upload_file=(f"n{n}.md", b"# x %d" % n))
    job = client.beta.batch.create(job_config={}, directory_id=directory.id)
    watched = reams(
        "status", job.id, "--watch", "--interval", "0.1", env={"REAMS_BASE_URL": server.base_url}
    )
    assert watched.returncode == 0, watched.stderr
    assert "6/6" in watched.stdout and "completed" in watched.stdout


def test_jobs_lists_jobs_with_their_counts(server: RunningServer, finished_job: str) -> None:
    listed = reams("--base-url", server.base_url, "jobs", "--status", "completed")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if finished_job in line)
    assert "parse" in row and "100%" in row
    for columns in ("80", "60"):  # a narrow terminal: ids are still printed whole
        narrow = reams("--base-url", server.base_url, "jobs", env={"COLUMNS": columns})
        assert narrow.returncode == 0, narrow.stderr
        row = next(line for line in narrow.stdout.splitlines() if finished_job in line)
        assert "parse" in row and "100%" in row


def test_items_shows_failed_items_with_their_code(server: RunningServer, finished_job: str) -> None:
    failed = reams("--base-url", server.base_url, "items", finished_job, "--status", "failed")
    assert failed.returncode == 0, failed.stderr
    assert "archive.7z" in failed.stdout and "unsupported_format" in failed.stdout
    assert "doc-0000" not in failed.stdout
    every = reams("--base-url", server.base_url, "items", finished_job)
    assert every.stdout.count("doc-000") == 4


@pytest.mark.slow
def test_cancel_stops_a_job_and_refuses_a_finished_one(
    server: RunningServer, client: Client, finished_job: str, tmp_path: Path
) -> None:
    # Twelve copies of a 300-page PDF, reparsed each (invalidate_cache): seconds of work, so
    # the job is still running when the CLI (a fresh interpreter) gets to cancel it.
    page = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 50
    long_pdf = docgen.make_pdf(tmp_path / "long.pdf", [f"# Page {n}\n\n{page}" for n in range(300)])
    directory = client.beta.directories.create(name="cancel-me")
    for n in range(12):
        client.beta.directories.files.upload(
            directory.id, upload_file=(f"long-{n}.pdf", long_pdf.read_bytes())
        )
    job = client.beta.batch.create(
        job_config={"parameters": {"invalidate_cache": True}}, directory_id=directory.id
    )
    cancelled = reams("--base-url", server.base_url, "cancel", job.id, "--reason", "test")
    assert cancelled.returncode == 0, cancelled.stderr
    assert "cancelled" in cancelled.stdout
    assert client.beta.batch.get_status(job.id).job.status == "cancelled"
    refused = reams("--base-url", server.base_url, "cancel", finished_job)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "409" in refused.stderr


def test_server_errors_print_the_detail_and_exit_1(server: RunningServer) -> None:
    missing = reams("--base-url", server.base_url, "status", "bjb-missing")
    assert missing.returncode == 1
    assert "bjb-missing" in missing.stderr and "not found" in missing.stderr
    assert "Traceback" not in missing.stderr
    down = reams("--base-url", "http://127.0.0.1:9", "jobs")
    assert down.returncode == 1 and "cannot reach" in down.stderr
    assert "Traceback" not in down.stderr


@pytest.mark.slow
def test_keys_create_prints_a_key_the_server_accepts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = reams("keys", "create", "--project", "team", env={"REAMS_DATA_DIR": str(data)})
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("reams_") and "only its hash" in made.stderr
    assert "REAMS_AUTH_MODE=keys" in made.stderr
    running = start_server(data, env={"REAMS_AUTH_MODE": "keys"})
    try:
        accepted = reams("--base-url", running.base_url, "--api-key", key, "jobs")
        assert accepted.returncode == 0, accepted.stderr
        rejected = reams("--base-url", running.base_url, "--api-key", "reams_nope", "jobs")
        assert rejected.returncode == 1 and "401" in rejected.stderr
    finally:
        running.stop()
