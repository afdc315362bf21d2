"""Small blobs kept together in one SQLite file of the blob folder, not a file each.

Creating a file is what a small result costs on a file system (its inode and directory entry:
0.05 ms on a fresh ext4 volume, 0.3–0.8 ms on one that saw many deletions, more on network
file systems), more than the bytes. A ``reams run`` over 1,000 small documents created 3,000
files (each result, and its ``.md`` and ``.json`` output); its engine thread spent most of its
time in the kernel creating them. Here a small result is a row: an insert of a few kilobytes
into a write-ahead log, no inode at all. Large blobs (and anything a worker process reads by
path) stay files.

The file is ``<blobs>/.pack.sqlite`` (a dot name: the blob folder's layout check ignores it),
readable by the owner only like the blobs; one connection per thread; WAL, so that readers
(the API) never wait on the writer.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

PACK_FILE = ".pack.sqlite"
# Blobs below this size may be packed (``LocalBlobStore.put(…, packed=True)``).
PACK_BELOW = 64 * 1024
_SCHEMA = "CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)"


class BlobPack:
    """The packed blobs of one blob folder, by sha256."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / PACK_FILE
        self._local = threading.local()
        self._ready = self.path.exists()
        self._lock = threading.Lock()

    def _conn(self, *, create: bool) -> sqlite3.Connection | None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if not self._ready:
            if not create and not self.path.exists():
                return None  # nothing packed yet: a read needs no file
            with self._lock:
                # Made owner-only before SQLite opens it (its journal files take its mode).
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                os.close(fd)
                self._ready = True
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(_SCHEMA)
        self._local.conn = conn
        return conn

    def put(self, sha256: str, data: bytes) -> None:
        conn = self._conn(create=True)
        assert conn is not None
        conn.execute("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)", (sha256, data))

    def get(self, sha256: str) -> bytes | None:
        conn = self._conn(create=False)
        if conn is None:
            return None
        row = conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else bytes(row[0])

    def has(self, sha256: str) -> bool:
        conn = self._conn(create=False)
        if conn is None:
            return False
        found = conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return found is not None

    def delete(self, sha256: str) -> bool:
        conn = self._conn(create=False)
        if conn is None:
            return False
        return conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha256,)).rowcount > 0
