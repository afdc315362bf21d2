"""The test harness tells its own Temporal dev server from another process's on the same port.

A server whose port another process took first exits ("address already in use"), yet the
readiness probe succeeds: the other server answers it. A cluster test built on it runs until
that other server stops, then sees "Connection refused" and never starts a job (the flaky
`test_kill_9_one_worker_and_the_other_finishes`). `TemporalServer.start` checks who listens.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from temporal_servers import TemporalServer, owns_its_port, reserve_port


def test_the_session_server_owns_its_port(temporal_server: TemporalServer) -> None:
    assert owns_its_port(temporal_server)


def test_a_server_on_a_port_another_server_holds_is_refused(
    temporal_server: TemporalServer, tmp_path: Path
) -> None:
    late = TemporalServer(port=temporal_server.port, db_path=None, log_path=tmp_path / "t.log")
    with pytest.raises(RuntimeError, match=f"another process answers on .* {late.port}"):
        late.start()
    assert late.process is not None and late.process.poll() is not None  # stopped, not left
    assert owns_its_port(temporal_server)  # the other server is left alone


def test_a_held_port_refuses_connections_and_frees_for_its_server(tmp_path: Path) -> None:
    held = reserve_port()
    port = held.getsockname()[1]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)
    held.close()
    server = TemporalServer(port=port, db_path=None, log_path=tmp_path / "t.log")
    try:
        server.start()
        assert owns_its_port(server)
    finally:
        server.kill()
