"""Worker heartbeats against a real Temporal dev server: a `reams worker` process shows up in
`reams workers` as alive with the items it settled, and as stopped after SIGTERM; `/readyz`
of a Temporal-engine API warns (and stays 200) while no worker is alive."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from docgen import make_corpus
from reams.api.app import create_app
from reams.bootstrap import build
from reams.domain.jobconfig import resolve
from reams.service.folders import mirror_folder
from reams.settings import Settings
from temporal_servers import InProcessWorker, TemporalServer, start_worker_process

PARSE = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}
HEARTBEAT_S = 0.5


def _env(server: TemporalServer, tmp: Path) -> dict[str, str]:
    return {
        "REAMS_ENGINE": "temporal",
        "REAMS_DATA_DIR": str(tmp / "data"),
        "REAMS_TEMPORAL_ADDRESS": server.address,
        "REAMS_TEMPORAL_TASK_QUEUE": f"hb-{uuid.uuid4().hex[:10]}",
        "REAMS_TEMPORAL_WORKER_HEARTBEAT_S": str(HEARTBEAT_S),
        "REAMS_WORKERS": "1",
        "COLUMNS": "220",  # rich's table width when stdout is not a terminal
    }


def reams_workers(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "reams", "workers"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _row(output: str, pid: int) -> list[str]:
    """The cells of the table row of the worker with this pid."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 2 and str(pid) in cells:
            return cells
    raise AssertionError(f"no row for pid {pid}:\n{output}")


def _eventually(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_worker_process_is_listed_alive_with_its_items_then_stopped(
    temporal_server: TemporalServer, tmp_path: Path
) -> None:
    env = _env(temporal_server, tmp_path)
    worker = start_worker_process(tmp_path / "worker", env)
    try:
        _eventually(lambda: "alive" in reams_workers(env), f"worker never alive:\n{worker.log()}")
        row = _row(reams_workers(env), worker.pid)
        assert row[3] == env["REAMS_TEMPORAL_TASK_QUEUE"] and row[4] == "1", row  # queue, slots
        assert row[-2] == "alive" and row[-3].endswith("s ago"), row

        # A job through the API side's engine: the worker counts the items it settled.
        make_corpus(tmp_path / "docs", 3, kinds=("md",))
        services = build(Settings(**_settings(env)))  # type: ignore[arg-type]
        services.engine.start()
        try:
            store = services.store
            project = store.ensure_project("default")
            directory = mirror_folder(
                store, services.blobs, project_id=project.id, root=tmp_path / "docs"
            )
            job = store.create_job(
                project_id=project.id,
                settings=resolve(PARSE),
                job_config=PARSE,
                directory_id=directory,
                item_ids=None,
            )
            services.engine.submit(job.id)
            _eventually(
                lambda: store.get_job(job.id, project_id=None).status == "completed",
                f"job not completed:\n{worker.log()}",
                timeout=90,
            )
        finally:
            services.close()
        _eventually(
            lambda: _row(reams_workers(env), worker.pid)[5] == "3",
            "items done never reached 3",
            timeout=10,
        )
    finally:
        code = worker.stop()
    assert code == 0, worker.log()
    row = _row(reams_workers(env), worker.pid)
    assert row[-2] == "stopped" and row[5] == "3", row


def _settings(env: dict[str, str]) -> dict[str, object]:
    """The worker's environment as Settings fields (for the API side in this process)."""
    return {
        key.removeprefix("REAMS_").lower(): value
        for key, value in env.items()
        if key.startswith("REAMS_")
    }


def test_readyz_warns_while_no_worker_is_alive(
    temporal_server: TemporalServer, tmp_path: Path
) -> None:
    settings = Settings(**_settings(_env(temporal_server, tmp_path)))  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        body = client.get("/readyz").json()
        assert client.get("/readyz").status_code == 200, body
        assert body["status"] == "ok" and body["warnings"] == ["workers"], body
        assert "no worker heartbeat in the last 1.5 s" in body["checks"]["workers"]
        assert settings.temporal_task_queue in body["checks"]["workers"]
        assert (body["checks"]["store"], body["checks"]["engine"]) == ("ok", "ok")

        worker = InProcessWorker(settings)
        worker.start()
        try:
            _eventually(
                lambda: client.get("/readyz").json()["checks"]["workers"] == "ok",
                "the worker's heartbeat never made readyz ok",
            )
            assert "warnings" not in client.get("/readyz").json()
            # The same rows over the API (reams extension).
            (listed,) = client.get("/api/v1/beta/workers").json()
            assert (listed["state"], listed["pid"]) == ("alive", os.getpid())
            assert listed["task_queue"] == settings.temporal_task_queue
            assert listed["stopped_at"] is None
            workers = [line for line in client.get("/metrics").text.splitlines()
                       if line.startswith("reams_workers{")]  # fmt: skip
            assert workers == [
                f'reams_workers{{state="alive",task_queue="{settings.temporal_task_queue}"}} 1.0'
            ]
        finally:
            worker.stop()
        # Stopped gracefully: no longer alive, at once.
        after = client.get("/readyz")
        assert after.status_code == 200 and after.json()["warnings"] == ["workers"]
        (listed,) = client.get("/api/v1/beta/workers").json()
        assert listed["state"] == "stopped" and listed["stopped_at"] is not None
        other = client.get("/api/v1/beta/workers", params={"task_queue": "another"})
        assert other.json() == []
