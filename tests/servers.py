"""Real reams servers for tests: uvicorn in a subprocess on a free loopback port.

Nothing is mocked: tests talk HTTP to the same factory `reams serve` runs, so a crash, a hang
or a slow start shows up exactly as a user would see it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 40.0  # the engine lets in-flight items finish before the process exits


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(kw_only=True)
class ManagedProcess:
    """A reams process started by a test; its output goes to a file so a failure can show it."""

    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM (graceful shutdown), then SIGKILL if it does not exit in time; exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
        return int(self.process.returncode)

    def kill(self) -> None:
        """SIGKILL: for crash tests (no shutdown code runs)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT_S)


@dataclass(kw_only=True)
class RunningServer(ManagedProcess):
    """A started API server."""

    base_url: str
    data_dir: Path


def _wait_until_up(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"reams server exited with {server.process.returncode} while starting:\n"
                f"{server.log()}"
            )
        try:
            if httpx.get(f"{server.base_url}/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"reams server not up after {START_TIMEOUT_S}s:\n{server.log()}")


def start_server(
    data_dir: Path, *, env: dict[str, str] | None = None, port: int | None = None
) -> RunningServer:
    """Start `uvicorn --factory reams.api.app:create_app` on ``data_dir``; wait until it answers."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    full_env = {
        **os.environ,
        "REAMS_DATA_DIR": str(data_dir),
        "REAMS_WORKERS": "2",
        "REAMS_POLL_INTERVAL_S": "0.2",
        **(env or {}),
    }
    log_fd, log_name = tempfile.mkstemp(prefix="reams-server-", suffix=".log", dir=data_dir)
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "reams.api.app:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=full_env, stdout=log_fd, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    os.close(log_fd)
    server = RunningServer(
        process=process, base_url=f"http://127.0.0.1:{port}", data_dir=data_dir,
        log_path=Path(log_name), env=full_env,
    )  # fmt: skip
    _wait_until_up(server)
    return server


def create_api_key(data_dir: Path, project: str) -> tuple[str, str]:
    """Provision a key for ``project`` straight in the server's store (as `reams keys create`
    does); returns (key, project_id)."""
    from reams.domain.apikeys import hash_api_key, key_prefix, new_api_key
    from reams.settings import Settings
    from reams.store.db import make_engine, migrate
    from reams.store.transitions import Store

    db = make_engine(Settings(data_dir=data_dir).resolved_database_url())
    try:
        migrate(db)
        store = Store(db)
        project_id = store.ensure_project(project).id
        key = new_api_key()
        store.create_api_key(
            project_id=project_id, key_hash=hash_api_key(key), prefix=key_prefix(key)
        )
        return key, project_id
    finally:
        db.dispose()
