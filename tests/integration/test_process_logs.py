"""What `reams serve` and `reams worker` write: JSON lines when asked (uvicorn's access log
included), never colour codes; a worker serves the Temporal SDK's metrics when asked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from servers import free_port
from temporal_servers import TemporalServer, start_worker_process

ANSI = "\x1b["


def _wait(url: str, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_writes_json_lines_without_colour(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "REAMS_DATA_DIR": str(tmp_path / "data"), "REAMS_LOG_FORMAT": "json",
           "REAMS_WORKERS": "1"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "reams", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert _wait(f"http://127.0.0.1:{port}/healthz").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/beta/nope").status_code == 404
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert "Engine:         local" in stdout  # the banner is for people: stdout
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "nothing logged"
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"ts", "level", "logger", "message"} <= set(e) for e in entries)
    access = [e for e in entries if e["logger"] == "uvicorn.access"]
    assert any("/api/v1/beta/nope" in e["message"] and "404" in e["message"] for e in access)
    assert ANSI not in stdout + stderr


@pytest.mark.slow
def test_worker_logs_plainly_and_serves_sdk_metrics(
    tmp_path: Path, temporal_server: TemporalServer
) -> None:
    port = free_port()
    env = {
        "REAMS_ENGINE": "temporal",
        "REAMS_DATA_DIR": str(tmp_path / "data"),
        "REAMS_TEMPORAL_ADDRESS": temporal_server.address,
        "REAMS_TEMPORAL_TASK_QUEUE": f"logs-{uuid.uuid4().hex[:8]}",
        "REAMS_TEMPORAL_METRICS_ADDRESS": f"127.0.0.1:{port}",
        "REAMS_WORKERS": "1",
        "REAMS_LOG_LEVEL": "INFO",
    }
    worker = start_worker_process(tmp_path / "worker", env)
    try:
        deadline = time.monotonic() + 60
        text = ""
        while "temporal_" not in text:
            assert time.monotonic() < deadline, f"no SDK metrics on :{port}\n{worker.log()}"
            try:
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
            except httpx.TransportError:
                time.sleep(0.2)
        assert "temporal_worker_task_slots_available" in text or "temporal_" in text
    finally:
        worker.stop()
    assert ANSI not in worker.log()
