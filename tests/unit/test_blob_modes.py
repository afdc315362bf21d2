"""Blobs hold users' documents and results: files 0600, whichever way they were written."""

from __future__ import annotations

import io
import stat
from pathlib import Path

from reams.store.blobs import LocalBlobStore


def test_blobs_are_private(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    written = blobs.put(b"a result")
    streamed, _ = blobs.put_stream(io.BytesIO(b"an upload"))
    for digest in (written, streamed):
        assert stat.S_IMODE(blobs.path(digest).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "blobs").stat().st_mode) == 0o700
