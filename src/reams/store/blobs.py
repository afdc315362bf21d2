"""Content-addressed blob storage (uploaded files and results), keyed by sha256.

One small interface so that an S3-style store can slot in beside the local-disk one. An upload
arriving in pieces goes through a :class:`BlobWriter`: its bytes are counted as they come (no
I/O), hashed and written once, and a small blob never touches a temporary file of its own.

A file of a folder that ``reams run`` mirrors is not copied: a *reference* (its path and stat
signature) stands in for its blob (:meth:`LocalBlobStore.refer`), kept in one file per mirrored
folder. Creating a file is the costly part of a small blob on an ordinary file system (more
than parsing a small text file), and a copy of every input doubled a run's file creations. A
reference is only trusted while the file keeps its signature, and whoever reads through one
checks the bytes against the sha256 (``get`` here, the worker for a task), so a file changed
after the scan gives a clear error, never another file's result.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import orjson

from reams.domain.errors import TooLarge
from reams.store.blob_pack import PACK_BELOW, BlobPack

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
# References to local files standing in for blobs: ``<root>/.refs/<name>.json``, one per
# mirrored folder, ``{sha256: [path, size, mtime_ns, ctime_ns, inode]}``.
REFS_FOLDER = ".refs"


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

    def put(self, data: bytes, *, packed: bool = False) -> str:
        """Store ``data``; its sha256. ``packed``: a small blob may be kept without a file of
        its own (:meth:`path` then has none; ``get`` reads it): a result, never something a
        worker process reads by path."""
        ...

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

    def is_reference(self, path: Path) -> bool:
        """Whether ``path`` (from :meth:`path`) is a referenced file rather than a stored
        blob: whoever reads it checks its bytes against the sha256."""
        ...

    def shared_root(self) -> Path | None:
        """The folder of a store that other processes on this machine may write into as
        ``LocalBlobStore(root)`` (the engine's worker processes store large results
        themselves), or None when blobs must be handed to this object."""
        ...

    def refer(self, sha256: str, path: str, st: os.stat_result) -> None:
        """Let the local file ``path`` (read with this ``stat``, hashed to ``sha256``) stand in
        for the blob, while its signature holds (a store without references copies it)."""
        ...

    def save_references(self, name: str, sha256s: Iterable[str]) -> None:
        """Make the references of ``sha256s`` durable under ``name`` (a mirrored folder),
        replacing what was saved under that name before."""
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
        self._refs_dir = root / REFS_FOLDER
        self._refs: dict[str, list[Any]] = {}  # sha256 → [path, *signature], this process's
        # Every saved reference, by sha256 (the same content may be in several folders), and
        # the references folder's mtime when they were read.
        self._saved: dict[str, list[list[Any]]] = {}
        self._refs_loaded: int | None = None
        self._refs_lock = threading.Lock()
        self._pack = BlobPack(root)

    def path(self, sha256: str) -> Path:
        """The blob's file, or the local file a reference points at (read it through
        :func:`read_verified`, or check its sha256 as the worker does)."""
        name = self._name(sha256)
        if os.path.exists(name):
            return Path(name)
        live = self._live_ref(sha256)
        if live is not None:
            return Path(live)
        refs = self._candidates(sha256)
        return Path(refs[0][0] if refs else name)  # a changed file: its reader says so

    def stored_path(self, sha256: str) -> Path:
        """Where the store keeps its own copy of the blob, whether or not it holds one (a
        referenced file's content has none until :meth:`put`); :meth:`path` prefers it."""
        return Path(self._name(sha256))

    def _name(self, sha256: str) -> str:
        # A string, not a Path: pathlib's parsing cost more than the write of a small upload.
        if self._flat:
            return f"{self._root}/{sha256[:2]}/{sha256}"
        return f"{self._root}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def uri(self, sha256: str) -> str:
        return f"reams-blob://sha256/{sha256}"

    def shared_root(self) -> Path:
        return self.root

    def exists(self, sha256: str) -> bool:
        """A stored blob (a file, or packed), or a reference whose file still has the signature
        it was read with."""
        return self._stored(sha256) or self._live_ref(sha256) is not None or self._pack.has(sha256)

    def _stored(self, sha256: str) -> bool:
        return os.path.exists(self._name(sha256))

    def get(self, sha256: str) -> bytes:
        try:
            with open(self._name(sha256), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            pass
        data = self._pack.get(sha256)
        if data is not None:
            return data
        path = self._live_ref(sha256)
        data = None if path is None else read_verified(path, sha256)
        if data is None:
            raise KeyError(sha256)
        return data

    def put(self, data: bytes, *, packed: bool = False) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if packed and len(data) < PACK_BELOW:
            if not os.path.exists(self._name(digest)):
                self._pack.put(digest, data)
        elif not self._stored(digest):  # a reference is no copy: what is put is kept
            self._write(digest, [data])
        return digest

    # -- references to local files (see the module's docstring) ------------------------------
    def is_reference(self, path: Path) -> bool:
        return not str(path).startswith(f"{self._root}/")

    def refer(self, sha256: str, path: str, st: os.stat_result) -> None:
        self._refs[sha256] = [path, *_ref_signature(st)]

    def save_references(self, name: str, sha256s: Iterable[str]) -> None:
        """One file per ``name``, replaced atomically, and only when its references changed
        (a re-run over unchanged files writes nothing)."""
        entries = {sha: self._refs[sha] for sha in sha256s if sha in self._refs}
        target = self._refs_dir / f"{name}.json"
        try:
            if orjson.loads(target.read_bytes()) == entries:
                return
        except (OSError, orjson.JSONDecodeError):
            pass
        self._refs_dir.mkdir(mode=0o700, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # users' paths
            with os.fdopen(fd, "wb") as out:
                out.write(orjson.dumps(entries))
            os.replace(tmp, target)
        except BaseException:
            _unlink(str(tmp))
            raise

    def _candidates(self, sha256: str, *, fresh: bool = False) -> list[list[Any]]:
        """The references of ``sha256``: this process's first, then the saved ones (read again
        when another process saved some since, or always with ``fresh``: a folder's mtime can
        miss a save made within the same clock tick as the read, as git's racy index does)."""
        own = self._refs.get(sha256)
        try:
            changed: int | None = os.stat(self._refs_dir).st_mtime_ns
        except FileNotFoundError:
            changed = None
        if changed is not None and (fresh or changed != self._refs_loaded):
            with self._refs_lock:
                self._refs_loaded = changed
                self._saved = _read_references(self._refs_dir)
        saved = self._saved.get(sha256, [])
        return ([own] if own is not None else []) + [ref for ref in saved if ref != own]

    def _live_ref(self, sha256: str) -> str | None:
        """The path of a referenced file that still has the signature it was hashed with."""
        own = self._refs.get(sha256)
        if own is not None and _live(own):
            return str(own[0])
        for ref in self._candidates(sha256):
            if _live(ref):
                return str(ref[0])
        # Nothing live in what was read: read the saved references again before saying so.
        for ref in self._candidates(sha256, fresh=True):
            if _live(ref):
                return str(ref[0])
        return None

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
        """Remove a blob nothing refers to anymore (the caller checks); False when absent.
        A reference is forgotten, never followed: the file it points at is the user's."""
        self._refs.pop(sha256, None)
        packed = self._pack.delete(sha256)
        try:
            os.unlink(self._name(sha256))
        except FileNotFoundError:
            return packed
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
            if not self._store._stored(digest):
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


def _ref_signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _live(ref: list[Any]) -> bool:
    try:
        st = os.stat(ref[0])
    except OSError:
        return False
    return bool(ref[1:] == _ref_signature(st))


def _read_references(folder: Path) -> dict[str, list[list[Any]]]:
    """Every saved reference, by sha256 (a damaged file only loses its own: those files are
    read and referenced again by the next scan of their folder)."""
    found: dict[str, list[list[Any]]] = {}
    try:
        names = [entry.path for entry in os.scandir(folder) if entry.name.endswith(".json")]
    except OSError:
        return found
    for name in names:
        try:
            saved = orjson.loads(Path(name).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            continue
        if not isinstance(saved, dict):
            continue
        for sha, ref in saved.items():
            if isinstance(ref, list) and len(ref) == 5 and isinstance(ref[0], str):
                found.setdefault(sha, []).append(ref)
    return found


def read_verified(path: str, sha256: str) -> bytes | None:
    """The file's bytes if they hash to ``sha256`` (what a reference promises), else None."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


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
