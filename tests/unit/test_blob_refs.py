"""References to local files standing in for blobs (``reams run``'s inputs are not copied):
trusted only while the file is unchanged, durable across processes, never a wrong content."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from reams.engine.isolation import Task, _run_task
from reams.store.blobs import REFS_FOLDER, LocalBlobStore


def _refer(blobs: LocalBlobStore, path: Path) -> str:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    blobs.refer(sha, str(path), path.stat())
    return sha


def _blob_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]


def test_a_referenced_file_stands_in_for_its_blob_without_a_copy(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# hello")
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = _refer(blobs, doc)
    assert blobs.exists(sha) and blobs.get(sha) == b"# hello"
    assert blobs.path(sha) == doc and blobs.is_reference(blobs.path(sha))
    assert _blob_files(tmp_path / "blobs") == []
    assert not blobs.is_reference(blobs.path(blobs.put(b"stored")))


def test_a_changed_or_removed_file_is_no_longer_its_blob(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# one")
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = _refer(blobs, doc)
    doc.write_text("# two")
    assert not blobs.exists(sha)
    try:
        blobs.get(sha)
        raise AssertionError("a changed file was read as the old content")
    except KeyError:
        pass
    doc.unlink()
    assert not blobs.exists(sha)


def test_a_file_changed_behind_an_unchanged_signature_is_caught_by_its_hash(
    tmp_path: Path,
) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# one")
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = _refer(blobs, doc)
    st = doc.stat()
    doc.write_text("# six")  # same size
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns))
    blobs.refer(sha, str(doc), doc.stat())  # as if the signature had not told
    try:
        blobs.get(sha)
        raise AssertionError("a changed file was read as the old content")
    except KeyError:
        pass


def test_saved_references_are_seen_by_another_process_and_damage_only_loses_them(
    tmp_path: Path,
) -> None:
    doc, other = tmp_path / "doc.md", tmp_path / "other.md"
    doc.write_text("# doc")
    other.write_text("# other")
    first = LocalBlobStore(tmp_path / "blobs")
    sha, sha_other = _refer(first, doc), _refer(first, other)
    first.save_references("dir-a", [sha])
    first.save_references("dir-b", [sha_other])
    again = LocalBlobStore(tmp_path / "blobs")  # another process: only what was saved
    assert again.get(sha) == b"# doc" and again.get(sha_other) == b"# other"

    (tmp_path / "blobs" / REFS_FOLDER / "dir-b.json").write_bytes(b"{not json")
    third = LocalBlobStore(tmp_path / "blobs")
    assert third.exists(sha) and not third.exists(sha_other)


def test_unchanged_references_are_not_written_again(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# doc")
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = _refer(blobs, doc)
    blobs.save_references("dir", [sha])
    saved = tmp_path / "blobs" / REFS_FOLDER / "dir.json"
    inode = saved.stat().st_ino
    blobs.save_references("dir", [sha])
    assert saved.stat().st_ino == inode  # the same file: not replaced
    assert saved.stat().st_mode & 0o077 == 0  # paths of the user's documents: owner only


def test_put_keeps_a_copy_and_delete_never_touches_the_users_file(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# doc")
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = _refer(blobs, doc)
    assert blobs.put(b"# doc") == sha  # an upload of the same bytes is stored for real
    doc.write_text("# changed")
    assert blobs.get(sha) == b"# doc"
    assert blobs.delete(sha)
    assert doc.read_text() == "# changed"
    assert not blobs.delete(sha)
    assert doc.exists()


def test_the_worker_refuses_bytes_that_do_not_hash_to_the_items_content(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# scanned")
    sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    task = Task("parse", str(doc), "doc.md", {"type": "parse"}, 30.0, sha256=sha)
    assert _run_task(task)[0] == "ok"
    doc.write_text("# edited after the scan")
    kind, (code, message, retryable) = _run_task(task)
    assert (kind, code, retryable) == ("error", "file_missing", False)
    assert "changed after it was scanned" in message


def test_the_same_content_in_two_folders_is_found_while_either_file_is_there(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "doc.md", tmp_path / "b" / "doc.md"
    first.write_text("# same")
    second.write_text("# same")
    blobs = LocalBlobStore(tmp_path / "blobs")
    sha = _refer(blobs, first)
    blobs.save_references("dir-a", [sha])
    assert _refer(blobs, second) == sha
    blobs.save_references("dir-b", [sha])
    second.unlink()
    assert blobs.get(sha) == b"# same"  # this process's newest reference is gone: the other
    again = LocalBlobStore(tmp_path / "blobs")
    assert again.exists(sha) and again.get(sha) == b"# same" and again.path(sha) == first
    first.unlink()
    assert not again.exists(sha)


def test_a_reference_saved_within_the_same_clock_tick_as_a_read_is_still_found(
    tmp_path: Path,
) -> None:
    """Another process (a worker) read the saved references, then the scanner saved more while
    the references folder's mtime did not move (a coarse clock tick): the miss reads again."""
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("# a")
    second.write_text("# b")
    scanner = LocalBlobStore(tmp_path / "blobs")
    worker = LocalBlobStore(tmp_path / "blobs")
    sha_a = _refer(scanner, first)
    scanner.save_references("one", [sha_a])
    refs = tmp_path / "blobs" / REFS_FOLDER
    tick = refs.stat()
    assert worker.get(sha_a) == b"# a"  # the worker has read the saved references now
    sha_b = _refer(scanner, second)
    scanner.save_references("two", [sha_b])
    os.utime(refs, ns=(tick.st_atime_ns, tick.st_mtime_ns))  # the same tick as the first save
    assert worker.exists(sha_b) and worker.get(sha_b) == b"# b"
    assert worker.path(sha_b) == second
