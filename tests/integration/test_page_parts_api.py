"""A PDF parsed in page parts, seen over HTTP: one item, one result, and the job's page
progress (``pages_total`` / ``pages_done``, reams extension) on get_status."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from docgen_pdf import make_running_heads_pdf
from servers import RunningServer, start_server

API = "/api/v1/beta"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        tmp_path_factory.mktemp("reams-data"),
        env={"REAMS_SLICE_PAGES": "5", "REAMS_SLICE_PART_PAGES": "5", "REAMS_WORKERS": "2"},
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def test_status_shows_the_pages_of_a_document_parsed_in_parts(
    server: RunningServer, http: httpx.Client, tmp_path: Path
) -> None:
    pdf = make_running_heads_pdf(tmp_path / "long.pdf", [f"page body {n}" for n in range(23)])
    directory = http.post(f"{API}/directories", json={"name": "parts"}).json()["id"]
    for name, data in (("long.pdf", pdf.read_bytes()), ("short.txt", b"a short note")):
        uploaded = http.post(
            f"{API}/directories/{directory}/files/upload", files={"upload_file": (name, data)}
        )
        assert uploaded.status_code == 200, uploaded.text
    created = http.post(
        f"{API}/batch-processing", json={"job_config": {}, "directory_id": directory}
    )
    assert created.status_code == 200, created.text
    assert (created.json()["pages_total"], created.json()["pages_done"]) == (0, 0)
    job_id = created.json()["id"]
    deadline = time.monotonic() + 60
    while (status := http.get(f"{API}/batch-processing/{job_id}").json())["job"]["status"] != (
        "completed"
    ):
        assert time.monotonic() < deadline, status
        time.sleep(0.1)
    job = status["job"]
    assert (job["pages_total"], job["pages_done"]) == (23, 23)
    assert (job["total_items"], job["processed_items"]) == (2, 2)
    assert status["progress_percentage"] == 100
    items = http.get(f"{API}/batch-processing/{job_id}/items").json()["items"]
    assert sorted(i["status"] for i in items) == ["completed", "completed"]
    shown = subprocess.run(
        [sys.executable, "-m", "reams", "--base-url", server.base_url, "status", job_id],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "23 of 23 in page parts" in shown.stdout
