"""Small results packed in the blob folder's SQLite file: read, found, deleted like files,
private like them, shared by threads and processes; large blobs and unpacked ones stay files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reams.store.blob_pack import PACK_BELOW, PACK_FILE
from reams.store.blobs import LocalBlobStore


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]


def test_a_small_packed_blob_has_no_file_and_reads_back(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = blobs.put(b'{"type":"parse"}', packed=True)
    assert _files(tmp_path / "blobs") == []
    assert blobs.get(sha) == b'{"type":"parse"}' and blobs.exists(sha)
    assert blobs.put(b'{"type":"parse"}', packed=True) == sha  # the same content once
    again = LocalBlobStore(tmp_path / "blobs")  # another process: reads what was packed
    assert again.get(sha) == b'{"type":"parse"}'
    assert again.delete(sha) and not blobs.exists(sha)
    with pytest.raises(KeyError):
        blobs.get(sha)
    assert not blobs.delete(sha)


def test_large_or_unpacked_blobs_are_files(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    large = blobs.put(b"x" * PACK_BELOW, packed=True)
    small = blobs.put(b"a page part", packed=False)
    assert sorted(p.name for p in _files(tmp_path / "blobs")) == sorted([large, small])
    assert blobs.path(small).read_bytes() == b"a page part"
    assert not (tmp_path / "blobs" / PACK_FILE).exists()  # nothing packed: no pack either


def test_a_blob_already_a_file_is_not_packed_again(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = blobs.put(b"a result")
    assert blobs.put(b"a result", packed=True) == sha
    assert not (tmp_path / "blobs" / PACK_FILE).exists()


def test_the_pack_is_private(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    blobs.put(b"a private result", packed=True)
    for path in (tmp_path / "blobs").glob(f"{PACK_FILE}*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_threads_and_another_process_pack_at_once(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    blobs = LocalBlobStore(root)
    code = (
        "import sys; from pathlib import Path; from reams.store.blobs import LocalBlobStore\n"
        "b = LocalBlobStore(Path(sys.argv[1]))\n"
        "for n in range(200): b.put(f'process {n}'.encode(), packed=True)\n"
    )
    other = subprocess.Popen([sys.executable, "-c", code, str(root)])
    shas: list[str] = []

    def pack(k: int) -> None:
        for n in range(200):
            shas.append(blobs.put(f"thread {k} {n}".encode(), packed=True))

    threads = [threading.Thread(target=pack, args=(k,)) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert other.wait(60) == 0
    fresh = LocalBlobStore(root)
    assert len(set(shas)) == 600 and all(fresh.exists(sha) for sha in shas)
    assert fresh.get(fresh.put(b"process 7", packed=True)) == b"process 7"
    assert os.path.getsize(root / PACK_FILE) > 0
