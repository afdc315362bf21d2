"""Tests that drive a real reams server with the llama-cloud **2.19** SDK.

They run in ``.venv-sdk219`` (``llama-cloud==2.19.0``, no reams), so the server is the main
venv's ``reams serve`` in a subprocess; override it with ``REAMS_SERVE`` (a path to the
``reams`` executable). The main venv (llama-cloud 2.13) collects nothing here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

try:
    import llama_cloud
except ImportError:  # pragma: no cover - every test venv has some llama-cloud
    llama_cloud = None

SDK_VERSION = getattr(llama_cloud, "__version__", "")
# Under any other SDK (the main suite's 2.13), do not even import the test modules.
collect_ignore_glob = [] if SDK_VERSION.startswith("2.19.") else ["test_*.py"]

REPO = Path(__file__).resolve().parents[3]
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _reams() -> str:
    path = os.environ.get("REAMS_SERVE") or str(REPO / ".venv" / "bin" / "reams")
    if not Path(path).exists():
        pytest.exit(f"no reams executable at {path}: run `make install` (or set REAMS_SERVE)")
    return path


def _wait_until_up(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"reams exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"reams did not answer within {START_TIMEOUT_S}s:\n{log.read_text()}")


@contextmanager
def reams_server(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """`reams serve` (open auth, local engine, SQLite) on ``data_dir``; yields its URL."""
    log = data_dir / "server.log"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REAMS_", "LLAMA_CLOUD_"))}
    env |= {"REAMS_DATA_DIR": str(data_dir), "REAMS_WORKERS": "1", **(extra_env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [_reams(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base_url, log)
        yield base_url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.returncode not in (0, -signal.SIGTERM):
            sys.stderr.write(log.read_text(errors="replace"))


@pytest.fixture(scope="session")
def reams_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A reams server (open auth, local engine, SQLite) in a fresh data directory."""
    with reams_server(tmp_path_factory.mktemp("reams-data")) as url:
        yield url


@pytest.fixture
def client(reams_url: str) -> llama_cloud.LlamaCloud:
    """The 2.19 SDK with strict response validation and no retries (failures show at once)."""
    return llama_cloud.LlamaCloud(
        api_key="x", base_url=reams_url, _strict_response_validation=True, max_retries=0
    )
