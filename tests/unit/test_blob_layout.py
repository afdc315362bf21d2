"""The blob folder's layout: new folders are flat (``ab/<sha256>``), older ones keep theirs."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from reams.store.blobs import LAYOUT_FILE, LocalBlobStore


def test_a_new_folder_is_flat_and_says_so(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    digest = blobs.put(b"a document")
    assert blobs.path(digest) == tmp_path / "blobs" / digest[:2] / digest
    assert (tmp_path / "blobs" / LAYOUT_FILE).read_text().strip() == "1"
    again = LocalBlobStore(tmp_path / "blobs")  # the next process reads the record
    assert again.get(digest) == b"a document"


def test_a_folder_of_the_first_layout_keeps_it(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    digest = hashlib.sha256(b"stored long ago").hexdigest()
    old = root / digest[:2] / digest[2:4] / digest
    old.parent.mkdir(parents=True)
    old.write_bytes(b"stored long ago")
    blobs = LocalBlobStore(root)
    assert blobs.get(digest) == b"stored long ago"
    assert blobs.exists(blobs.put(b"stored long ago"))
    fresh = blobs.put(b"stored today")
    assert blobs.path(fresh) == root / fresh[:2] / fresh[2:4] / fresh
    assert not (root / LAYOUT_FILE).exists()


def test_processes_opening_a_new_folder_at_once_agree(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    root.mkdir()
    stores: list[LocalBlobStore] = []
    start = threading.Barrier(8)

    def open_store() -> None:
        start.wait()
        stores.append(LocalBlobStore(root))

    threads = [threading.Thread(target=open_store) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    digest = stores[0].put(b"shared")
    assert {str(store.path(digest)) for store in stores} == {str(root / digest[:2] / digest)}
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == [LAYOUT_FILE]
