"""Mirroring a local folder into a directory (what `reams run` builds on), on both stores."""

from __future__ import annotations

from pathlib import Path

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
