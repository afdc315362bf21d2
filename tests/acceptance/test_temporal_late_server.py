"""Temporal away when a job is made: the API's resubmitter starts its workflow once it answers.

Real processes, as deployed: a `reams serve` and a `reams worker` pointed at a loopback port
where no Temporal listens yet, PostgreSQL, then the Temporal dev server started on that port.
The job, refused at creation ("Connection refused"), says why on its status and completes once
the server is up, its ``dispatch_error`` cleared; the API's sweeper (every second here) is what
starts the workflow, whatever happened to the API's first connection.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from llama_cloud import LlamaCloud

from servers import RunningServer, start_server
from temporal_servers import TemporalServer, WorkerProcess, reserve_port, start_worker_process

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

DOCUMENTS = 6
RESUBMIT_S = 1.0
DEADLINE_S = 120.0


@dataclass
class LateCluster:
    """An API server and a worker on a Temporal address nothing answers yet."""

    tmp: Path
    temporal: TemporalServer
    env: dict[str, str]
    held: socket.socket | None  # the Temporal port, refused while held
    api: RunningServer | None = None
    workers: list[WorkerProcess] = field(default_factory=list)

    def sdk(self) -> LlamaCloud:
        assert self.api is not None
        return LlamaCloud(
            api_key="test", base_url=self.api.base_url, _strict_response_validation=True
        )

    def logs(self) -> str:
        """Every process's log, for an assertion message."""
        parts = [f"== temporal\n{_read(self.temporal.log_path)}"]
        if self.api is not None:
            parts.append(f"== api\n{self.api.log()[-4000:]}")
        parts += [f"== worker {w.pid}\n{w.log()[-4000:]}" for w in self.workers]
        return "\n".join(parts)

    def start_temporal(self) -> None:
        """Start the dev server on the held port (it waits until the server answers)."""
        if self.held is not None:
            self.held.close()
            self.held = None
        self.temporal.start()

    def kill_temporal(self) -> None:
        """Kill -9 the dev server and hold its port again until the next start."""
        self.temporal.kill()
        self.held = reserve_port(self.temporal.port)

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()
        if self.api is not None:
            self.api.kill()
        self.temporal.kill()
        if self.held is not None:
            self.held.close()


def _read(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"


@pytest.fixture
def late(tmp_path: Path, pg_schema_url: str) -> Iterator[LateCluster]:
    """The API up first, on a port where nothing listens; Temporal not started."""
    folder = tmp_path / "temporal"
    folder.mkdir()
    held = reserve_port()
    temporal = TemporalServer(
        port=held.getsockname()[1],
        db_path=folder / "temporal.db",
        log_path=folder / "temporal.log",
    )
    env = {
        "REAMS_ENGINE": "temporal",
        "REAMS_DATABASE_URL": pg_schema_url,
        "REAMS_DATA_DIR": str(tmp_path / "data"),
        "REAMS_TEMPORAL_ADDRESS": temporal.address,
        "REAMS_TEMPORAL_TASK_QUEUE": f"reams-{uuid.uuid4().hex[:8]}",
        "REAMS_WORKERS": "1",
        "REAMS_TEMPORAL_RESUBMIT_INTERVAL_S": str(RESUBMIT_S),
    }
    cluster = LateCluster(tmp=tmp_path, temporal=temporal, env=env, held=held)
    try:
        cluster.api = start_server(tmp_path / "data", env=env)
        yield cluster
    finally:
        cluster.close()


def create_job(cluster: LateCluster) -> str:
    sdk = cluster.sdk()
    directory = sdk.beta.directories.create(name="late")
    for i in range(DOCUMENTS):
        text = f"# Note {i}\n\n{uuid.uuid4()} lorem ipsum dolor sit amet\n".encode()
        sdk.beta.directories.files.upload(directory.id, upload_file=(f"n{i}.md", text))
    return sdk.beta.batch.create(job_config={}, directory_id=directory.id).id


def job_status(cluster: LateCluster, job_id: str) -> Any:
    return cluster.sdk().beta.batch.get_status(job_id).job


def dispatch_error(job: Any) -> Any:
    """The reams extension fields of a job's status (not in the SDK's model)."""
    extra = job.model_extra or {}
    return extra.get("dispatch_error"), extra.get("dispatch_error_at")


def wait_until(cluster: LateCluster, job_id: str, done: Any, what: str) -> Any:
    deadline = time.monotonic() + DEADLINE_S
    while not done(job := job_status(cluster, job_id)):
        assert time.monotonic() < deadline, f"{what}: {job}\n{cluster.logs()}"
        time.sleep(0.1)
    return job


def finished(job: Any) -> bool:
    return job.status in ("completed", "failed", "cancelled")


def assert_dispatched_soon(cluster: LateCluster, job_id: str) -> None:
    """Temporal answers now: the resubmitter's next round (every ``RESUBMIT_S``) starts the
    workflow and clears the job's ``dispatch_error``. 15 s leaves room for a loaded machine
    and is far below waiting for a timeout (30 s) or the default interval (60 s)."""
    answering = time.monotonic()
    wait_until(cluster, job_id, lambda j: dispatch_error(j)[0] is None, "never dispatched")
    assert time.monotonic() - answering < RESUBMIT_S + 14


def assert_completes(cluster: LateCluster, job_id: str) -> None:
    job = wait_until(cluster, job_id, finished, "the job did not finish")
    assert (job.status, job.processed_items) == ("completed", DOCUMENTS), cluster.logs()
    assert dispatch_error(job) == (None, None)


def test_a_job_refused_before_temporal_ever_ran_completes_once_it_is_up(
    late: LateCluster,
) -> None:
    late.workers.append(start_worker_process(late.tmp / "workers", late.env))
    job_id = create_job(late)
    refused = wait_until(late, job_id, lambda j: dispatch_error(j)[0], "no dispatch error")
    message, since = dispatch_error(refused)
    assert late.temporal.address in message and "refused" in message.lower(), message
    assert refused.status == "dispatched" and since is not None
    late.start_temporal()
    assert_dispatched_soon(late, job_id)
    assert_completes(late, job_id)


def test_a_job_refused_after_the_first_connection_broke_completes(late: LateCluster) -> None:
    """The API connected once (its client is cached), then Temporal died: a new server on
    the same address, with none of the old one's state, still gets the job's workflow."""
    late.start_temporal()
    assert late.api is not None
    ready = httpx.get(f"{late.api.base_url}/readyz", timeout=30)  # the API connects here
    assert "does not answer" not in ready.text, ready.text
    late.kill_temporal()
    late.temporal.db_path = None  # the next server starts empty: nothing of the old one kept
    job_id = create_job(late)
    wait_until(late, job_id, lambda j: dispatch_error(j)[0], "no dispatch error")
    late.start_temporal()
    assert_dispatched_soon(late, job_id)
    late.workers.append(start_worker_process(late.tmp / "workers", late.env))
    assert_completes(late, job_id)
