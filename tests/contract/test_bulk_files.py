"""``Catalog.create_files`` (the bulk upload's rows) on SQLite and PostgreSQL: every file and
directory entry in one transaction, in order; a refused one leaves nothing behind."""

from __future__ import annotations

import uuid

import pytest

from reams.domain.errors import Conflict, InvalidField, NotFound
from reams.store.catalog import NewFile
from reams.store.transitions import Store


def _files(*names: str, external: list[str | None] | None = None) -> list[NewFile]:
    ids = external or [None] * len(names)
    return [
        NewFile(name=n, sha256=f"{i:064x}", size=i, external_file_id=e)
        for i, (n, e) in enumerate(zip(names, ids, strict=True))
    ]


def _project(store: Store) -> str:
    return store.ensure_project(f"p-{uuid.uuid4().hex[:8]}").id


def _names(store: Store, project_id: str) -> list[str]:
    rows, _ = store.list_files(
        project_id=project_id, page_size=100, page_token=None, order_by="name"
    )
    return [r.name for r in rows]


def test_files_and_entries_in_order(store: Store) -> None:
    project_id = _project(store)
    directory = store.create_directory(project_id=project_id, name="d")
    files, entries = store.create_files(
        project_id=project_id,
        files=_files("b.pdf", "a.txt", "a.txt", external=[None, "x/a.txt", "y/a.txt"]),
        purpose="parse",
        directory_id=directory.id,
    )
    assert [f.name for f in files] == ["b.pdf", "a.txt", "a.txt"]
    assert [f.file_type for f in files] == ["pdf", "txt", "txt"]
    assert {f.purpose for f in files} == {"parse"}
    assert [e.file_id for e in entries] == [f.id for f in files]
    assert [e.unique_id for e in entries] == ["b.pdf", "x/a.txt", "y/a.txt"]
    listed, _ = store.list_directory_files(
        project_id=project_id, directory_id=directory.id, page_size=10, page_token=None
    )
    assert [e.id for e in listed] == [e.id for e in entries]  # the batch's order is kept
    assert store.get_file(files[1].id, project_id=project_id).external_file_id == "x/a.txt"


def test_without_a_directory_no_entries(store: Store) -> None:
    project_id = _project(store)
    files, entries = store.create_files(project_id=project_id, files=_files("one.md", "two.md"))
    assert entries == [] and [f.name for f in files] == ["one.md", "two.md"]


def test_a_taken_unique_id_creates_nothing(store: Store) -> None:
    project_id = _project(store)
    directory = store.create_directory(project_id=project_id, name="d")
    store.create_files(project_id=project_id, files=_files("a.txt"), directory_id=directory.id)
    with pytest.raises(Conflict):
        store.create_files(
            project_id=project_id, files=_files("new.txt", "a.txt"), directory_id=directory.id
        )
    with pytest.raises(Conflict):  # twice in one batch
        store.create_files(
            project_id=project_id, files=_files("c.txt", "c.txt"), directory_id=directory.id
        )
    assert _names(store, project_id) == ["a.txt"]


def test_a_bad_name_or_directory_creates_nothing(store: Store) -> None:
    project_id = _project(store)
    with pytest.raises(InvalidField):
        store.create_files(project_id=project_id, files=_files("ok.txt", "bad\x00.txt"))
    with pytest.raises(NotFound):
        store.create_files(project_id=project_id, files=_files("ok.txt"), directory_id="dir-x")
    assert _names(store, project_id) == []
