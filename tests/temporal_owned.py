"""A Temporal dev server that is the test's own, not another process's on the same port.

`start_temporal` picks a free port, starts the dev server on it and waits until
`temporal operator namespace describe` there succeeds. Between the pick and the server's
bind, another process on the machine (another test session) may take the same port: the
test's server then exits ("address already in use") while the probe is answered by the other
one, and the test runs against a server that goes away when its owner stops it. The API then
reports "Connection refused" for the rest of the test, and no job ever starts (nothing will
listen on that port again). Here the answer counts only when the listening socket belongs to
the test's own process (Linux ``/proc``); otherwise the server starts again on another port.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from temporal_servers import TemporalServer, start_temporal

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
        links = [os.readlink(fd) for fd in fds.iterdir()]
    except (FileNotFoundError, ProcessLookupError):  # the process is gone
        return False
    return bool(wanted.intersection(links))


def owns_its_port(server: TemporalServer) -> bool:
    """The server that answers on ``server.port`` is ``server``'s own process."""
    process = server.process
    return (
        process is not None and process.poll() is None and holds_listener(process.pid, server.port)
    )


def start_owned_temporal(
    folder: Path, *, persistent: bool = False, attempts: int = 3
) -> TemporalServer:
    """`start_temporal`, started again on another port while the server that answered the
    probe is not this one (its port was taken by another process first)."""
    for _ in range(attempts):
        server = start_temporal(folder, persistent=persistent)
        if owns_its_port(server):
            return server
        server.kill()
    raise RuntimeError(f"another process took the Temporal port {attempts} times in a row")


def start_on_own_port(server: TemporalServer) -> None:
    """Start ``server`` on its set port and check that it, not another process, answers."""
    server.start()
    if not owns_its_port(server):
        log = server.log_path.read_text(errors="replace")[-2000:]
        server.kill()
        raise RuntimeError(f"another process answers on Temporal port {server.port}:\n{log}")


def reserve_port(port: int = 0) -> socket.socket:
    """Hold a loopback port (a new one by default) bound but not listening: connections to
    it are refused, as when Temporal is down, and no other process is given it. Close the
    socket just before the server starts on the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port just used: TIME_WAIT
    sock.bind(("127.0.0.1", port))
    return sock
