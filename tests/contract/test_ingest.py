"""Mirroring a local folder into a directory (what `reams run` builds on), on both stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reams.service import folders
from reams.service.folders import mirror_folder
from reams.store.blobs import LocalBlobStore
from reams.store.transitions import Store


def _entries(store: Store, project_id: str, directory_id: str) -> dict[str, str]:
    page, _ = store.list_directory_files(
        project_id=project_id, directory_id=directory_id, page_size=100, page_token=None
    )
    return {d.unique_id: str(d.file_id) for d in page}


def test_sync_follows_added_changed_and_removed_files(store: Store, tmp_path: Path) -> None:
    root, blobs = tmp_path / "docs", LocalBlobStore(tmp_path / "blobs")
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text("# a")
    (root / "sub" / "b.md").write_text("# b")
    (root / ".hidden").write_text("not a document")
    project = store.ensure_project("ingest")
    first_id = mirror_folder(store, blobs, project_id=project.id, root=root)
    first = _entries(store, project.id, first_id)
    assert set(first) == {"a.md", "sub/b.md"}

    assert mirror_folder(store, blobs, project_id=project.id, root=root) == first_id
    assert _entries(store, project.id, first_id) == first  # unchanged: nothing rewritten

    (root / "a.md").write_text("# a, edited")
    (root / "sub" / "b.md").unlink()
    (root / "c.md").write_text("# c")
    mirror_folder(store, blobs, project_id=project.id, root=root)
    after = _entries(store, project.id, first_id)
    assert set(after) == {"a.md", "c.md"}
    assert after["a.md"] != first["a.md"]  # a new file version
    new_file = store.get_file(after["a.md"], project_id=project.id)
    assert blobs.get(new_file.sha256) == b"# a, edited"


def test_a_rerun_reads_only_files_whose_stat_changed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, blobs, cache = tmp_path / "docs", LocalBlobStore(tmp_path / "blobs"), tmp_path / "scans"
    root.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (root / name).write_text(f"# {name}")
    project = store.ensure_project("stat-cache")
    read: list[str] = []
    real_read = folders._read_file

    def counted(path: Path, *args: object) -> object:
        read.append(path.name)
        return real_read(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(folders, "_read_file", counted)
    directory = mirror_folder(store, blobs, project_id=project.id, root=root, cache_dir=cache)
    assert sorted(read) == ["a.md", "b.md", "c.md"]
    # Just written: too recent to trust (a write in the same clock tick would not show).
    read.clear()
    mirror_folder(store, blobs, project_id=project.id, root=root, cache_dir=cache)
    assert sorted(read) == ["a.md", "b.md", "c.md"]

    monkeypatch.setattr(folders, "RACY_NS", 0)  # as if those writes were long ago
    mirror_folder(store, blobs, project_id=project.id, root=root, cache_dir=cache)
    read.clear()
    first = _entries(store, project.id, directory)
    mirror_folder(store, blobs, project_id=project.id, root=root, cache_dir=cache)
    assert read == []  # nothing changed: no file read at all
    assert _entries(store, project.id, directory) == first

    # Same size, mtime put back: the inode's change time still tells.
    stat = (root / "b.md").stat()
    (root / "b.md").write_text("# B.md")
    os.utime(root / "b.md", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (root / "d.md").write_text("# d")
    mirror_folder(store, blobs, project_id=project.id, root=root, cache_dir=cache)
    assert sorted(read) == ["b.md", "d.md"]
    after = _entries(store, project.id, directory)
    assert after["b.md"] != first["b.md"] and after["a.md"] == first["a.md"]
    assert blobs.get(store.get_file(after["b.md"], project_id=project.id).sha256) == b"# B.md"

    # Without the cache (``reams run --force``) every file is read again.
    read.clear()
    mirror_folder(store, blobs, project_id=project.id, root=root)
    assert sorted(read) == ["a.md", "b.md", "c.md", "d.md"]


def test_a_damaged_stat_cache_means_hashing_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folders, "RACY_NS", 0)
    root, blobs, cache = tmp_path / "docs", LocalBlobStore(tmp_path / "blobs"), tmp_path / "scans"
    root.mkdir()
    (root / "a.md").write_text("# a")
    project = store.ensure_project("stat-cache-damaged")
    directory = mirror_folder(store, blobs, project_id=project.id, root=root, cache_dir=cache)
    cache.mkdir(exist_ok=True)
    (cache / f"{directory}.json").write_bytes(b"{not json")
    (root / "a.md").write_text("# changed")
    mirror_folder(store, blobs, project_id=project.id, root=root, cache_dir=cache)
    entries = _entries(store, project.id, directory)
    assert blobs.get(store.get_file(entries["a.md"], project_id=project.id).sha256) == b"# changed"


def test_a_big_file_is_streamed_into_the_blob_store(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folders, "READ_WHOLE_BYTES", 16)
    root, blobs = tmp_path / "docs", LocalBlobStore(tmp_path / "blobs")
    root.mkdir()
    content = b"x" * 5000 + b"end"
    (root / "big.bin").write_bytes(content)
    project = store.ensure_project("big-file")
    directory = mirror_folder(store, blobs, project_id=project.id, root=root)
    entry = _entries(store, project.id, directory)["big.bin"]
    stored = store.get_file(entry, project_id=project.id)
    assert (blobs.get(stored.sha256), stored.size) == (content, len(content))
