"""Mirroring a local folder into a directory, for ``reams run`` (no server involved).

Each regular file under the folder becomes a directory file whose ``unique_id`` is its path
relative to the folder. Unchanged files cost one hash and no write, so a re-run over thousands
of files is quick; changed files get a new file version; vanished files leave the directory.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update

from reams.domain import ids
from reams.store import tables as t
from reams.store.blobs import BlobStore
from reams.store.catalog import _extension
from reams.store.db import utcnow
from reams.store.transitions import Store


@dataclass(frozen=True)
class LocalFile:
    relpath: str
    path: Path
    sha256: str
    size: int


def walk(root: Path, *, exclude: Path | None = None) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order, skipping hidden entries and ``exclude``."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and (exclude is None or (here / d).resolve() != exclude)
        )
        for name in sorted(filenames):
            if not name.startswith(".") and (here / name).is_file():
                yield here / name


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def scan(root: Path, *, exclude: Path | None = None) -> list[LocalFile]:
    found = []
    for path in walk(root, exclude=exclude):
        sha, size = _hash_file(path)
        found.append(LocalFile(path.relative_to(root).as_posix(), path, sha, size))
    return found


def sync_folder(
    store: Store, blobs: BlobStore, *, project_id: str, root: Path, exclude: Path | None = None
) -> str:
    """Make the directory ``local:<root>`` mirror the folder; returns the directory id."""
    root = root.resolve()
    directory_id = _local_directory(store, project_id, root)
    files = scan(root, exclude=exclude)
    known = _known_entries(store, directory_id)
    changed = [f for f in files if known.get(f.relpath, ("", ""))[1] != f.sha256]
    for f in changed:
        if not blobs.exists(f.sha256):
            blobs.put(f.path.read_bytes())
    gone = set(known) - {f.relpath for f in files}
    _apply(store, project_id, directory_id, changed, known, gone)
    return directory_id


def _local_directory(store: Store, project_id: str, root: Path) -> str:
    name = f"local:{root}"
    found, _ = store.list_directories(
        project_id=project_id, page_size=1, page_token=None, name=name
    )
    if found:
        return found[0].id
    return store.create_directory(
        project_id=project_id, name=name, description=f"Files under {root}", type="user"
    ).id


def _known_entries(store: Store, directory_id: str) -> dict[str, tuple[str, str]]:
    d, f = t.directory_files.c, t.files.c
    query = (
        select(d.unique_id, d.id, f.sha256)
        .join(t.files, f.id == d.file_id)
        .where(d.directory_id == directory_id, d.deleted_at.is_(None))
    )
    with store.read() as conn:
        return {u: (i, s) for u, i, s in conn.execute(query).all()}


def _apply(
    store: Store,
    project_id: str,
    directory_id: str,
    changed: list[LocalFile],
    known: dict[str, tuple[str, str]],
    gone: set[str],
) -> None:
    """Write new file versions, new entries and removals in one transaction, in bulk."""
    now = utcnow()
    seq0 = int(now.timestamp() * 1_000_000)
    files, entries, moved = [], [], []
    for n, f in enumerate(changed):
        file_id = ids.new_id(ids.FILE)
        files.append(_file_row(f, file_id, project_id, now))
        if f.relpath in known:
            moved.append({"b_id": known[f.relpath][0], "b_file": file_id, "b_now": now})
        else:
            entries.append(_entry_row(f, file_id, project_id, directory_id, seq0 + n, now))
    removed = [{"b_id": known[r][0], "b_now": now} for r in gone]
    d = t.directory_files.c
    with store.tx() as conn:
        if files:
            conn.execute(insert(t.files), files)
        if entries:
            conn.execute(insert(t.directory_files), entries)
        if moved:
            conn.execute(
                update(t.directory_files)
                .where(d.id == bindparam("b_id"))
                .values(file_id=bindparam("b_file"), updated_at=bindparam("b_now")),
                moved,
            )
        if removed:
            conn.execute(
                update(t.directory_files)
                .where(d.id == bindparam("b_id"))
                .values(deleted_at=bindparam("b_now"), updated_at=bindparam("b_now")),
                removed,
            )


def _file_row(f: LocalFile, file_id: str, project_id: str, now: datetime) -> dict[str, object]:
    return {
        "id": file_id,
        "project_id": project_id,
        "name": f.path.name,
        "sha256": f.sha256,
        "size": f.size,
        "file_type": _extension(f.path.name),
        "purpose": "parse",
        "external_file_id": None,
        "created_at": now,
        "deleted_at": None,
    }


def _entry_row(
    f: LocalFile, file_id: str, project_id: str, directory_id: str, seq: int, now: datetime
) -> dict[str, object]:
    return {
        "id": ids.new_id(ids.DIRECTORY_FILE),
        "seq": seq,
        "directory_id": directory_id,
        "project_id": project_id,
        "file_id": file_id,
        "display_name": f.relpath,
        "unique_id": f.relpath,
        "metadata": None,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }
