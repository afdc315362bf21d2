"""A Temporal address that accepts connections but never answers (a load balancer without a
healthy backend, a frontend stuck starting): the API's engine says so on the job within its
own call bound (twice the RPC timeout), not after the SDK's 30 s connect timeout, and keeps
re-submitting. Real loopback socket, real SQLite store; nothing listens behind the socket.
"""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen import make_corpus
from reams.bootstrap import Services, build
from reams.engine.temporal.engine import TemporalEngine
from reams.settings import Settings
from temporal_servers import folder_job

RPC_TIMEOUT_S = 1.0


@pytest.fixture
def mute() -> Iterator[str]:
    """An address whose connections the kernel accepts (backlog) and nobody ever serves."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture
def services(tmp_path: Path, mute: str) -> Iterator[Services]:
    built = build(
        Settings(
            data_dir=tmp_path / "data",
            engine="temporal",
            temporal_address=mute,
            temporal_resubmit_interval_s=0.5,
        )
    )
    yield built
    built.close()


def test_an_unanswering_temporal_is_reported_on_the_job_within_the_call_bound(
    services: Services, tmp_path: Path, mute: str, caplog: pytest.LogCaptureFixture
) -> None:
    api = services.engine
    assert isinstance(api, TemporalEngine)
    engine = TemporalEngine(
        store=services.store,
        config=api.config,
        temporal=dataclasses.replace(api.temporal, rpc_timeout_s=RPC_TIMEOUT_S),
    )
    make_corpus(tmp_path / "docs", 3, kinds=("md",))
    job = folder_job(services, tmp_path / "docs")
    engine.start()
    try:
        started = time.monotonic()
        engine.submit(job.id)
        while (found := services.store.get_job(job.id, project_id=None)).dispatch_error is None:
            # The SDK alone gives up connecting after 30 s: well past this.
            assert time.monotonic() - started < 15, found
            time.sleep(0.05)
        bound = 2 * RPC_TIMEOUT_S
        assert found.dispatch_error == (
            f"Temporal at {mute} did not start the workflow: no answer within {bound:g} s"
        )
        assert found.status == "dispatched"
        # The resubmitter keeps trying, and its log says why each round failed.
        expected = f"re-submitting unfinished jobs to Temporal at {mute} failed (no answer"
        while not any(expected in r.getMessage() for r in caplog.records):
            assert time.monotonic() - started < 30, [r.getMessage() for r in caplog.records]
            time.sleep(0.05)
    finally:
        engine.stop(grace_s=5)
