"""Content-addressed blob storage (uploaded files and results), keyed by sha256.

One small interface so that an S3-style store can slot in beside the local-disk one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO, Protocol

from reams.domain.errors import TooLarge

CHUNK = 1024 * 1024


class BlobStore(Protocol):
    """Immutable blobs by sha256. ``put`` is idempotent; ``get`` raises KeyError if absent."""

    def put(self, data: bytes) -> str: ...

    def put_stream(self, stream: BinaryIO, *, max_bytes: int | None = None) -> tuple[str, int]: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def path(self, sha256: str) -> Path: ...

    def uri(self, sha256: str) -> str: ...

    def delete(self, sha256: str) -> bool:
        """Remove a blob nothing refers to anymore; False when it was not there."""
        ...


class LocalBlobStore:
    """Blobs as files under ``root/ab/cd/<sha256>``, written atomically, readable by the
    owner only (0600, like the database and the secrets)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(mode=0o700, parents=True, exist_ok=True)  # blobs are the users' documents

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def uri(self, sha256: str) -> str:
        return f"reams-blob://sha256/{sha256}"

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

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
        hasher = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".up-")
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(max_bytes)
                    hasher.update(chunk)
                    out.write(chunk)
            digest = hasher.hexdigest()
            self._place(Path(tmp), digest)
            return digest, size
        finally:
            Path(tmp).unlink(missing_ok=True)

    def _write(self, digest: str, chunks: list[bytes]) -> None:
        # A name unique to this process and thread (cheaper than mkstemp's random retries);
        # O_EXCL still refuses a leftover of a dead process that had the same pid.
        tmp = self.root / f".w-{digest[:16]}-{os.getpid()}-{threading.get_ident()}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # a dead process's leftover: this thread owns the name now
            tmp.unlink(missing_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            self._place(tmp, digest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def _place(self, tmp: Path, digest: str) -> None:
        target = self.path(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            tmp.unlink(missing_ok=True)
        else:
            os.replace(tmp, target)

    def delete(self, sha256: str) -> bool:
        """Remove a blob nothing refers to anymore (the caller checks); False when absent."""
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True
