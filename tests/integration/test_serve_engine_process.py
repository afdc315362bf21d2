"""``reams serve`` with the local engine in a process of its own, as a user runs it: a real
``reams serve`` subprocess on loopback. Jobs run to completion, the worker children belong to
the engine process (not the API's), ``/readyz`` and ``/metrics`` report that process (item
metrics and webhook attempts observed there, once), killing it is reported and recovered
from (a job submitted meanwhile completes), and stopping the server stops it too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from prom import samples as read_samples
from servers import free_port
from webhook_receiver import Receiver, webhook_receiver

API = "/api/v1/beta"
BATCH = f"{API}/batch-processing"
ENGINE_MAIN = "serve_engine"  # in the engine process's command line (reams.serving)
TIMEOUT_S = 60.0


@dataclass
class Serve:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    api_workers: int

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def children(pid: int) -> list[int]:
    """Child processes of ``pid``, whichever of its threads started them."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(n) for n in (task / "children").read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def engine_pid(serve: Serve) -> int:
    found = [p for p in children(serve.process.pid) if ENGINE_MAIN in command_line(p)]
    assert len(found) == 1, f"engine processes under reams serve: {found}"
    return found[0]


def wait_until(check: Any, *, what: str, timeout: float = TIMEOUT_S) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout:g} s: {what}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as running:
        yield running


@pytest.fixture(params=["1"])
def serve(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Serve]:
    """``reams serve``; ``request.param`` is its number of API processes."""
    port = free_port()
    env = {
        **os.environ,
        "REAMS_API_WORKERS": str(request.param),
        "REAMS_DATA_DIR": str(tmp_path / "data"),
        "REAMS_WORKERS": "2",
        "REAMS_POLL_INTERVAL_S": "0.2",
        "REAMS_WEBHOOK_ALLOW_PRIVATE": "true",
        "REAMS_WEBHOOK_POLL_S": "0.05",
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "reams.cli", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    running = Serve(
        process=process, base_url=f"http://127.0.0.1:{port}", log_path=log_path,
        api_workers=int(request.param),
    )  # fmt: skip
    try:
        wait_until(lambda: _ready(running), what=f"reams serve ready:\n{running.log()}")
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _ready(serve: Serve) -> bool:
    if serve.process.poll() is not None:
        raise AssertionError(f"reams serve exited {serve.process.returncode}:\n{serve.log()}")
    try:
        return httpx.get(f"{serve.base_url}/readyz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _job(client: httpx.Client, files: dict[str, bytes], hooks: list[dict[str, Any]]) -> str:
    directory = client.post(f"{API}/directories", json={"name": "d"}).json()["id"]
    for name, data in files.items():
        uploaded = client.post(
            f"{API}/directories/{directory}/files/upload", files={"upload_file": (name, data)}
        )
        assert uploaded.status_code == 200, uploaded.text
    config = {"job_name": "parse_raw_file_job",
              "parameters": {"type": "parse", "invalidate_cache": True,
                             "webhook_configurations": hooks}}  # fmt: skip
    created = client.post(BATCH, json={"job_config": config, "directory_id": directory})
    assert created.status_code == 200, created.text
    return str(created.json()["id"])


def _finished(client: httpx.Client, job_id: str, polls: list[int] | None = None) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        job: dict[str, Any] = client.get(f"{BATCH}/{job_id}").json()["job"]
        if polls is not None:
            polls.append(1)
        return job if job["status"] == "completed" else None

    return dict(wait_until(done, what=f"job {job_id} completed"))


def notes(n: int) -> dict[str, bytes]:
    return {f"note-{i}.txt": f"Note {i}: the engine runs apart.".encode() for i in range(n)}


@pytest.mark.parametrize("serve", ["1", "2"], indirect=True)
def test_jobs_run_in_the_engine_process_with_its_metrics_and_webhooks(
    serve: Serve, receiver: Receiver
) -> None:
    engine = engine_pid(serve)
    # The isolated workers are the engine process's children, niced below the API.
    wait_until(lambda: len(children(engine)) == 2, what="2 worker children started")
    api_processes = [p for p in children(serve.process.pid) if "spawn_main" in command_line(p)]
    assert len(api_processes) == (2 if serve.api_workers > 1 else 0)
    assert os.getpriority(os.PRIO_PROCESS, engine) > os.getpriority(
        os.PRIO_PROCESS, serve.process.pid
    )
    with httpx.Client(base_url=serve.base_url, timeout=30) as client:
        job_id = _job(client, notes(6), [{"webhook_url": receiver.url()}])
        counted: list[int] = []
        job = _finished(client, job_id, counted)
        status_polls = len(counted)
        assert job["processed_items"] == 6
        receiver.wait_for(event="parse.success")
        ready = client.get("/readyz").json()
        metrics = client.get("/metrics")
    assert ready["checks"]["engine"] == "ok"
    assert metrics.status_code == 200
    found = read_samples(metrics.text)  # the parser refuses a family given twice
    durations = sum(
        n for (name, _), n in found.items() if name == "reams_item_duration_seconds_count"
    )
    assert durations == 6  # observed in the engine process, shown by the API's /metrics
    delivered = [
        n for (name, labels), n in found.items()
        if name == "reams_webhook_deliveries_total" and ("outcome", "delivered") in labels
    ]  # fmt: skip
    assert sum(delivered) == len(receiver.at()) == 3  # pending, running, success: sent once
    assert found[("reams_items", (("job_type", "parse"), ("status", "completed")))] == 6
    # Every API process's requests, whichever of them answered the scrape.
    polls = [
        n for (name, labels), n in found.items()
        if name == "reams_http_request_duration_seconds_count"
        and ("route", f"{BATCH}/{{job_id}}") in labels
    ]  # fmt: skip
    assert sum(polls) == status_polls


def test_a_killed_engine_process_is_reported_then_replaced(serve: Serve) -> None:
    first = engine_pid(serve)
    with httpx.Client(base_url=serve.base_url, timeout=30) as client:
        os.kill(first, signal.SIGKILL)

        def not_ready() -> dict[str, Any] | None:
            response = client.get("/readyz")
            return response.json() if response.status_code == 503 else None

        body = wait_until(not_ready, what="readyz reports the dead engine process", timeout=5)
        assert body["failing"] == ["engine"]
        assert "engine process does not answer" in body["checks"]["engine"]
        # Submitted while no engine runs: accepted, and completed once another one is up.
        job_id = _job(client, notes(4), [])
        assert client.get("/healthz").status_code == 200
        wait_until(lambda: client.get("/readyz").status_code == 200, what="ready again")
        second = engine_pid(serve)
        assert second != first
        assert _finished(client, job_id)["processed_items"] == 4
    assert "engine process exited with -9" in serve.log()


@pytest.mark.parametrize("serve", ["1", "2"], indirect=True)
def test_stopping_reams_serve_stops_its_engine_process(serve: Serve) -> None:
    engine = engine_pid(serve)
    workers = children(engine)
    serve.process.send_signal(signal.SIGTERM)
    assert serve.process.wait(TIMEOUT_S) == 0
    for pid in (engine, *workers):
        wait_until(
            lambda pid=pid: (
                not Path(f"/proc/{pid}").exists()
                or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
            ),
            what=f"process {pid} ended",
            timeout=10,
        )
    assert "Traceback" not in serve.log()
