"""Who holds a lease: an engine instance, stable across restarts, and its boot.

A local engine's lease owner is ``<instance>:<boot>``. The instance names the engine by host,
store and slot, so it is the same after a restart; a lock file, held for as long as the engine
runs, makes sure that one live process at most has it (a second engine on the same host and
store takes the next slot). A starting engine therefore knows that the leases of its instance
under another boot belong to a process that is gone (killed, crashed), and reclaims them at
once instead of waiting for them to expire. The kernel drops the lock with the process, however
it ends, and children never inherit it (the descriptor is close-on-exec).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import socket
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SLOTS = 64  # engines of one kind on one host and store, at once


@dataclass
class EngineInstance:
    """``name`` is None when no slot could be locked: the owner is then unique to this boot
    and its leases, if the process dies, come back when they expire."""

    name: str | None
    boot: str
    _fd: int | None = None

    @property
    def owner(self) -> str:
        return f"{self.name or 'anon-' + self.boot}:{self.boot}"

    def close(self) -> None:
        """Give the slot up (the engine stopped and released what it held)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the only descriptor drops the lock


def lock_dir(data_dir: Path | None) -> Path:
    if data_dir is not None:
        return data_dir / "locks"
    return Path(tempfile.gettempdir()) / f"reams-{os.getuid()}-locks"


def acquire(kind: str, *, store_key: str, directory: Path) -> EngineInstance:
    """Lock the first free slot of engine ``kind`` on this host for the store ``store_key``
    (a URL without its password)."""
    boot = uuid.uuid4().hex[:12]
    key = f"{socket.gethostname()}\0{kind}\0{store_key}".encode()
    digest = hashlib.sha256(key).hexdigest()[:10]
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        log.warning("no engine lock directory %s (%s): leases of a dead run wait", directory, exc)
        return EngineInstance(None, boot)
    for slot in range(SLOTS):
        name = f"{kind}-{digest}.{slot}"
        fd = _try_lock(directory / f"{name}.lock")
        if fd is not None:
            return EngineInstance(name, boot, fd)
    log.warning("all %d engine slots in %s are taken: leases of a dead run wait", SLOTS, directory)
    return EngineInstance(None, boot)


def _try_lock(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by a live engine (BlockingIOError), or locks unsupported here
        os.close(fd)
        return None
    return fd
