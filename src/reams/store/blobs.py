"""Content-addressed blob storage (uploaded files and results), keyed by sha256.

One small interface so that an S3-style store can slot in beside the local-disk one. An upload
arriving in pieces goes through a :class:`BlobWriter`: its bytes are counted as they come (no
I/O), hashed and written once, and a small blob never touches a temporary file of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path
from typing import BinaryIO, Protocol

from reams.domain.errors import TooLarge

CHUNK = 1024 * 1024
# A writer holds this much in memory before it writes to its temporary file (a tiny upload
# is written once, straight to its final name, and only if that blob is new).
SPILL_BYTES = 1024 * 1024
# The layout of a blob folder, recorded in it when it is created: ``1`` is
# ``<root>/ab/<sha256>`` (256 folders at most). A folder without the record holds the first
# layout, ``<root>/ab/cd/<sha256>``, and keeps it: there a new blob nearly always made a new
# folder, a directory's inode and block for every file of a run of a few thousand.
LAYOUT_FILE = ".layout"
FLAT = "1"


class BlobWriter(Protocol):
    """One blob received in pieces. ``write`` only buffers and counts (no I/O, so it may run
    on an event loop); ``spill``, ``commit`` and ``discard`` do the I/O (run them in a thread).
    """

    @property
    def size(self) -> int: ...

    @property
    def buffered(self) -> int:
        """Bytes held in memory (not yet written out)."""
        ...

    @property
    def should_spill(self) -> bool:
        """More than :data:`SPILL_BYTES` is buffered: call :meth:`spill` before more writes."""
        ...

    def write(self, data: bytes) -> None:
        """Buffer ``data``; TooLarge once the blob passes its ``max_bytes``."""
        ...

    def spill(self) -> None:
        """Hash and write out what is buffered."""
        ...

    def commit(self) -> tuple[str, int]:
        """Store the blob (idempotent, like ``put``); its (sha256, size). Once committed,
        it takes no more writes and a second commit returns the same."""
        ...

    def discard(self) -> None:
        """Drop what was received (a failed request); safe to call more than once."""
        ...


class BlobStore(Protocol):
    """Immutable blobs by sha256. ``put`` is idempotent; ``get`` raises KeyError if absent."""

    def put(self, data: bytes) -> str: ...

    def put_stream(self, stream: BinaryIO, *, max_bytes: int | None = None) -> tuple[str, int]: ...

    def writer(self, *, max_bytes: int | None = None) -> BlobWriter:
        """A blob to be received in pieces (see :class:`BlobWriter`)."""
        ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def path(self, sha256: str) -> Path: ...

    def uri(self, sha256: str) -> str: ...

    def delete(self, sha256: str) -> bool:
        """Remove a blob nothing refers to anymore; False when it was not there."""
        ...


class LocalBlobStore:
    """Blobs as files under ``root/ab/<sha256>`` (``root/ab/cd/<sha256>`` in a folder made
    before that layout), written atomically, readable by the owner only (0600, like the
    database and the secrets)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root = str(root)
        root.mkdir(mode=0o700, parents=True, exist_ok=True)  # blobs are the users' documents
        self._flat = _layout(root) == FLAT

    def path(self, sha256: str) -> Path:
        return Path(self._name(sha256))

    def _name(self, sha256: str) -> str:
        # A string, not a Path: pathlib's parsing cost more than the write of a small upload.
        if self._flat:
            return f"{self._root}/{sha256[:2]}/{sha256}"
        return f"{self._root}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def uri(self, sha256: str) -> str:
        return f"reams-blob://sha256/{sha256}"

    def exists(self, sha256: str) -> bool:
        return os.path.exists(self._name(sha256))

    def get(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise KeyError(sha256) from None

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if not self.exists(digest):
            self._write(digest, [data])
        return digest

    def put_stream(self, stream: BinaryIO, *, max_bytes: int | None = None) -> tuple[str, int]:
        """Store a stream without holding it in memory; raises TooLarge past ``max_bytes``."""
        writer = self.writer(max_bytes=max_bytes)
        try:
            while chunk := stream.read(CHUNK):
                writer.write(chunk)
                if writer.should_spill:
                    writer.spill()
            return writer.commit()
        finally:
            writer.discard()

    def writer(self, *, max_bytes: int | None = None) -> LocalBlobWriter:
        return LocalBlobWriter(self, max_bytes=max_bytes)

    def _open_temp(self, stem: str) -> tuple[int, str]:
        # A name unique to this process and thread (cheaper than mkstemp's random retries);
        # O_EXCL still refuses a leftover of a dead process that had the same pid.
        tmp = f"{self._root}/{stem}-{os.getpid()}-{threading.get_ident()}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # a dead process's leftover: this thread owns the name now
            _unlink(tmp)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        return fd, tmp

    def _write(self, digest: str, chunks: list[bytes]) -> None:
        fd, tmp = self._open_temp(f".w-{digest[:16]}")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            self._place(tmp, digest)
        except BaseException:
            _unlink(tmp)
            raise

    def _place(self, tmp: str, digest: str) -> None:
        target = self._name(digest)
        if os.path.exists(target):
            _unlink(tmp)
            return
        try:
            os.replace(tmp, target)
        except FileNotFoundError:  # the first blob of its ab/cd folder
            os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
            os.replace(tmp, target)

    def delete(self, sha256: str) -> bool:
        """Remove a blob nothing refers to anymore (the caller checks); False when absent."""
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True


class LocalBlobWriter:
    """A :class:`BlobWriter` of :class:`LocalBlobStore`: in memory up to :data:`SPILL_BYTES`,
    then in a temporary file in the store's folder that is renamed into place on commit."""

    def __init__(self, store: LocalBlobStore, *, max_bytes: int | None) -> None:
        self._store = store
        self._max_bytes = max_bytes
        self._buffer = bytearray()
        self._hasher = hashlib.sha256()
        self._size = 0
        self._temp: tuple[int, str] | None = None
        self._stored: tuple[str, int] | None = None
        self._serial = f"{id(self):x}"  # two writers of one thread never share a name

    @property
    def size(self) -> int:
        return self._size

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    @property
    def should_spill(self) -> bool:
        return len(self._buffer) >= SPILL_BYTES

    def write(self, data: bytes) -> None:
        if self._stored is not None:
            raise ValueError("the blob is committed: it takes no more writes")
        self._size += len(data)
        if self._max_bytes is not None and self._size > self._max_bytes:
            raise TooLarge(self._max_bytes)
        self._buffer += data

    def spill(self) -> None:
        if self._temp is None:
            self._temp = self._store._open_temp(f".up-{self._serial}")
        data = bytes(self._buffer)
        self._buffer.clear()
        self._hasher.update(data)
        view = memoryview(data)
        while view:
            view = view[os.write(self._temp[0], view) :]

    def commit(self) -> tuple[str, int]:
        if self._stored is None:
            self._stored = self._commit()
        return self._stored

    def _commit(self) -> tuple[str, int]:
        if self._temp is None:  # small: hashed and written once, under its final name
            data = bytes(self._buffer)
            self._buffer.clear()
            self._hasher.update(data)
            digest = self._hasher.hexdigest()
            if not self._store.exists(digest):
                self._store._write(digest, [data])
            return digest, self._size
        self.spill()
        fd, tmp = self._temp
        self._temp = None
        os.close(fd)
        digest = self._hasher.hexdigest()
        try:
            self._store._place(tmp, digest)
        finally:
            _unlink(tmp)
        return digest, self._size

    def discard(self) -> None:
        self._buffer.clear()
        if self._temp is not None:
            fd, tmp = self._temp
            self._temp = None
            os.close(fd)
            _unlink(tmp)


def _layout(root: Path) -> str:
    """The folder's recorded layout; a new, empty folder records the flat one (two processes
    creating it at once agree through an atomic no-clobber link: both read the winner's)."""
    marker = root / LAYOUT_FILE
    try:
        return marker.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    with os.scandir(root) as entries:
        if any(not entry.name.startswith(".") for entry in entries):
            return ""  # blobs of the first layout
    tmp = root / f".layout-{os.getpid()}-{threading.get_ident()}"
    tmp.write_text(FLAT + "\n", encoding="ascii")
    try:
        os.link(tmp, marker)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return marker.read_text(encoding="ascii").strip()


def _unlink(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)
