"""The store's side of mirroring a local folder into a directory (``reams run``).

The application layer scans the folder and stores the blobs; this module finds or creates the
folder's directory, reads what it holds, and writes new file versions, new entries and removals
in one transaction, in bulk. Nothing here touches the file system.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update

from reams.domain import ids
from reams.domain.records import ScannedFile, file_type_of
from reams.store import tables as t
from reams.store.catalog import CatalogStore
from reams.store.db import utcnow

# unique_id (the path relative to the folder) -> (directory file id, content sha256)
Entries = dict[str, tuple[str, str]]


class FolderStore(CatalogStore):
    """Directories that mirror a local folder, one entry per relative path."""

    def folder_directory(self, *, project_id: str, name: str, description: str) -> str:
        """The id of the directory called ``name``, created when there is none."""
        found, _ = self.list_directories(
            project_id=project_id, page_size=1, page_token=None, name=name
        )
        if found:
            return found[0].id
        return self.create_directory(
            project_id=project_id, name=name, description=description, type="user"
        ).id

    def folder_entries(self, directory_id: str) -> Entries:
        """What the directory holds now, by relative path."""
        d, f = t.directory_files.c, t.files.c
        query = (
            select(d.unique_id, d.id, f.sha256)
            .join(t.files, f.id == d.file_id)
            .where(d.directory_id == directory_id, d.deleted_at.is_(None))
        )
        with self.read() as conn:
            return {u: (i, s) for u, i, s in conn.execute(query).all()}

    def apply_folder_changes(
        self,
        *,
        project_id: str,
        directory_id: str,
        changed: Sequence[ScannedFile],
        known: Mapping[str, tuple[str, str]],
        gone: Collection[str],
    ) -> None:
        """New file versions, new entries and removals in one transaction, in bulk."""
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
        with self.tx() as conn:
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


def _file_row(f: ScannedFile, file_id: str, project_id: str, now: datetime) -> dict[str, object]:
    return {
        "id": file_id,
        "project_id": project_id,
        "name": f.name,
        "sha256": f.sha256,
        "size": f.size,
        "file_type": file_type_of(f.name),
        "purpose": "parse",
        "external_file_id": None,
        "created_at": now,
        "deleted_at": None,
    }


def _entry_row(
    f: ScannedFile, file_id: str, project_id: str, directory_id: str, seq: int, now: datetime
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
