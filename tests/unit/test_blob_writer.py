"""The blob writer: hashed and written once, small blobs without a temporary file, large ones
spilled and renamed into place, the cap enforced as bytes arrive, nothing left on discard."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from reams.domain.errors import TooLarge
from reams.store.blobs import LAYOUT_FILE, SPILL_BYTES, LocalBlobStore


def _temps(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith(".") and p.name != LAYOUT_FILE]


def test_small_blob_is_written_once_under_its_name(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    writer = blobs.writer(max_bytes=100)
    for piece in (b"hello ", b"world"):
        writer.write(piece)
    assert not writer.should_spill and _temps(blobs.root) == []
    digest, size = writer.commit()
    assert (digest, size) == (hashlib.sha256(b"hello world").hexdigest(), 11)
    assert blobs.get(digest) == b"hello world"
    assert stat.S_IMODE(blobs.path(digest).stat().st_mode) == 0o600
    again = blobs.writer()
    again.write(b"hello world")
    assert again.commit() == (digest, 11)  # idempotent, like put
    assert again.commit() == (digest, 11)  # a second commit answers the same
    with pytest.raises(ValueError, match="committed"):
        again.write(b"more")
    again.discard()  # after a commit: the blob stays
    assert blobs.get(digest) == b"hello world"


def test_large_blob_spills_and_is_renamed_into_place(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    data = bytes(range(256)) * (3 * SPILL_BYTES // 256 + 3)
    writer = blobs.writer()
    spills = 0
    for start in range(0, len(data), 64 * 1024):
        writer.write(data[start : start + 64 * 1024])
        if writer.should_spill:
            writer.spill()
            spills += 1
    assert spills >= 3
    assert [p.name.startswith(".up-") for p in _temps(blobs.root)] == [True]
    digest, size = writer.commit()
    assert digest == hashlib.sha256(data).hexdigest() and size == len(data)
    assert blobs.get(digest) == data
    assert _temps(blobs.root) == []


def test_cap_and_discard_leave_nothing(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    writer = blobs.writer(max_bytes=SPILL_BYTES + 10)
    writer.write(b"x" * SPILL_BYTES)
    writer.spill()
    with pytest.raises(TooLarge):
        writer.write(b"x" * 11)
    writer.discard()
    writer.discard()  # twice is fine
    assert _temps(blobs.root) == []
    assert [p for p in blobs.root.rglob("*") if p.is_file() and p.name != LAYOUT_FILE] == []
