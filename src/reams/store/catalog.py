"""Projects, API keys, files, directories and directory files: the documents a job reads."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from reams.domain import ids
from reams.domain import names as n
from reams.domain.apikeys import ApiKey
from reams.domain.errors import Conflict, NotFound
from reams.domain.records import Directory, DirectoryFile, FileRecord, Project, file_type_of
from reams.store import tables as t
from reams.store.base import StoreBase, decode_token, next_token, to_record
from reams.store.db import aware, utcnow

FILE_ORDER = {"name": t.files.c.name.asc(), "id": t.files.c.id.asc(), "created_at": None}


def _page(query: Select[Any], token: str | None, page_size: int) -> tuple[Select[Any], int]:
    offset = decode_token(token)
    return query.offset(offset).limit(page_size + 1), offset


class CatalogStore(StoreBase):
    """Catalog part of the store. Ids of other projects behave exactly like unknown ids."""

    # -- projects and keys -------------------------------------------------------------------
    def ensure_project(self, name: str) -> Project:
        name = n.label("project name", name, limit=n.PROJECT_NAME_MAX)
        with self.tx() as conn:
            row = conn.execute(select(t.projects).where(t.projects.c.name == name)).first()
            if row is None:
                pid = ids.new_id(ids.PROJECT)
                try:
                    conn.execute(insert(t.projects).values(id=pid, name=name, created_at=utcnow()))
                except IntegrityError:  # another process created it first
                    conn.rollback()
                    return self.ensure_project(name)
                return Project(id=pid, name=name)
            return to_record(Project, row)

    def create_api_key(self, *, project_id: str, key_hash: str, prefix: str) -> str:
        key_id = ids.new_id(ids.API_KEY)
        with self.tx() as conn:
            conn.execute(
                insert(t.api_keys).values(
                    id=key_id,
                    project_id=project_id,
                    key_hash=key_hash,
                    prefix=prefix,
                    created_at=utcnow(),
                )
            )
        return key_id

    def list_api_keys(
        self,
        *,
        key_id: str | None = None,
        prefix: str | None = None,
        key_hash: str | None = None,
    ) -> list[ApiKey]:
        """Every key (oldest first), or those matching any of the given id, prefix or hash."""
        k = t.api_keys.c
        query = select(
            k.id, k.prefix, k.project_id, k.created_at, k.revoked_at,
            t.projects.c.name.label("project_name"),
        ).join(t.projects, t.projects.c.id == k.project_id)  # fmt: skip
        wanted = [
            column == value
            for column, value in ((k.id, key_id), (k.prefix, prefix), (k.key_hash, key_hash))
            if value is not None
        ]
        if wanted:
            query = query.where(or_(*wanted))
        with self.read() as conn:
            rows = conn.execute(query.order_by(k.created_at, k.id)).all()
        return [to_record(ApiKey, r) for r in rows]

    def revoke_api_key(self, key_id: str) -> ApiKey:
        """Mark a key revoked (kept: an already revoked key keeps its first revocation time)."""
        with self.tx() as conn:
            conn.execute(
                update(t.api_keys)
                .where(t.api_keys.c.id == key_id, t.api_keys.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
        found = self.list_api_keys(key_id=key_id)
        if not found:
            raise NotFound("API key", key_id)
        return found[0]

    def project_for_key(self, key_hash: str) -> Project | None:
        query = (
            select(t.projects)
            .join(t.api_keys, t.api_keys.c.project_id == t.projects.c.id)
            .where(t.api_keys.c.key_hash == key_hash, t.api_keys.c.revoked_at.is_(None))
        )
        with self.read() as conn:
            row = conn.execute(query).first()
        return None if row is None else to_record(Project, row)

    def describe_project(self, project_id: str) -> tuple[Project, datetime]:
        """A project and when it was created; NotFound when there is none."""
        query = select(t.projects).where(t.projects.c.id == project_id)
        with self.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("project", project_id)
        created = aware(row.created_at)
        assert created is not None  # NOT NULL column
        return to_record(Project, row), created

    # -- files -------------------------------------------------------------------------------
    def create_file(
        self,
        *,
        project_id: str,
        name: str,
        sha256: str,
        size: int,
        purpose: str | None = None,
        external_file_id: str | None = None,
    ) -> FileRecord:
        new = NewFile(name=name, sha256=sha256, size=size, external_file_id=external_file_id)
        values = _file_row(project_id, new, purpose=_purpose(purpose), now=utcnow())
        insert_file = self.statement("insert-file", lambda: insert(t.files))
        with self.tx() as conn:
            conn.execute(insert_file, values)
        return to_record(FileRecord, values)

    def create_files(
        self,
        *,
        project_id: str,
        files: Sequence[NewFile],
        purpose: str | None = None,
        directory_id: str | None = None,
    ) -> tuple[list[FileRecord], list[DirectoryFile]]:
        """File rows (and, with ``directory_id``, one entry each: display name = file name,
        unique id = external id or name) in one transaction: all of them or none.

        Every name is checked before anything is written; a ``unique_id`` already live in the
        directory (or twice in the batch) raises Conflict and creates nothing.
        """
        now = utcnow()
        purpose = _purpose(purpose)
        rows = [_file_row(project_id, new, purpose=purpose, now=now) for new in files]
        entries: list[dict[str, Any]] = []
        if directory_id is not None:
            self.get_directory(directory_id, project_id=project_id)
            wanted = [
                {"file_id": r["id"], "display_name": r["name"], "metadata": None,
                 "unique_id": r["external_file_id"] or r["name"]}
                for r in rows
            ]  # fmt: skip
            entries = _entry_rows(project_id, directory_id, wanted, now=now)
        try:
            with self.tx() as conn:
                if rows:
                    conn.execute(self.statement("insert-file", lambda: insert(t.files)), rows)
                if entries:
                    conn.execute(insert(t.directory_files), entries)
        except IntegrityError:
            raise Conflict("a file with this unique_id is already in the directory") from None
        created = [to_record(FileRecord, r) for r in rows]
        return created, [to_record(DirectoryFile, e) for e in entries]

    def get_file(self, file_id: str, *, project_id: str | None) -> FileRecord:
        """A live file; ``project_id=None`` only for signed downloads."""
        query = select(t.files).where(t.files.c.id == file_id, t.files.c.deleted_at.is_(None))
        if project_id is not None:
            query = query.where(t.files.c.project_id == project_id)
        with self.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("file", file_id)
        return to_record(FileRecord, row)

    def list_files(
        self,
        *,
        project_id: str,
        page_size: int,
        page_token: str | None,
        file_name: str | None = None,
        external_file_id: str | None = None,
        file_ids: Sequence[str] | None = None,
        order_by: str | None = None,
    ) -> tuple[list[FileRecord], str | None]:
        c = t.files.c
        query = select(t.files).where(
            *_file_filters(project_id, file_name, external_file_id, file_ids)
        )
        order = FILE_ORDER.get(order_by or "created_at")
        query = query.order_by(order if order is not None else c.created_at.desc(), c.id)
        query, offset = _page(query, page_token, page_size)
        with self.read() as conn:
            rows = conn.execute(query).all()
        token = next_token(offset, page_size, len(rows))
        return [to_record(FileRecord, r) for r in rows[:page_size]], token

    def count_files(
        self,
        *,
        project_id: str,
        file_name: str | None = None,
        external_file_id: str | None = None,
        file_ids: Sequence[str] | None = None,
    ) -> int:
        """How many live files ``list_files`` with the same filters would page through."""
        query = select(func.count()).where(
            *_file_filters(project_id, file_name, external_file_id, file_ids)
        )
        with self.read() as conn:
            return int(conn.execute(query).scalar_one())

    def delete_file(self, file_id: str, *, project_id: str) -> None:
        with self.tx() as conn:
            changed = conn.execute(
                update(t.files)
                .where(t.files.c.id == file_id, t.files.c.project_id == project_id)
                .where(t.files.c.deleted_at.is_(None))
                .values(deleted_at=utcnow())
            ).rowcount
        if not changed:
            raise NotFound("file", file_id)

    # -- directories -------------------------------------------------------------------------
    def create_directory(
        self,
        *,
        project_id: str,
        name: str,
        description: str | None = None,
        type: str | None = None,
    ) -> Directory:
        name = n.label("name", name, limit=n.DIRECTORY_NAME_MAX)
        description = n.optional_label(
            "description", description, limit=n.DIRECTORY_DESCRIPTION_MAX
        )
        now = utcnow()
        values = {
            "id": ids.new_id(ids.DIRECTORY),
            "project_id": project_id,
            "name": name,
            "description": description,
            "type": type or "user",
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
        }
        with self.tx() as conn:
            conn.execute(insert(t.directories).values(**values))
        return to_record(Directory, values, data_source_id=None)

    def get_directory(
        self, directory_id: str, *, project_id: str, include_deleted: bool = False
    ) -> Directory:
        c = t.directories.c
        query = select(t.directories).where(c.id == directory_id, c.project_id == project_id)
        if not include_deleted:
            query = query.where(c.deleted_at.is_(None))
        with self.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("directory", directory_id)
        return to_record(Directory, row, data_source_id=None)

    def list_directories(
        self,
        *,
        project_id: str,
        page_size: int,
        page_token: str | None,
        name: str | None = None,
        include_deleted: bool = False,
        types: Sequence[str] | None = None,
        exclude_names: Sequence[str] | None = None,
    ) -> tuple[list[Directory], str | None]:
        c = t.directories.c
        query = select(t.directories).where(c.project_id == project_id)
        if not include_deleted:
            query = query.where(c.deleted_at.is_(None))
        if name is not None:
            query = query.where(c.name == n.lookup("name", name))
        if exclude_names:
            query = query.where(c.name.not_in(list(exclude_names)))
        if types:
            query = query.where(c.type.in_(list(types)))
        query, offset = _page(query.order_by(c.created_at, c.id), page_token, page_size)
        with self.read() as conn:
            rows = conn.execute(query).all()
        page = [to_record(Directory, r, data_source_id=None) for r in rows[:page_size]]
        return page, next_token(offset, page_size, len(rows))

    def update_directory(
        self, directory_id: str, *, project_id: str, changes: dict[str, Any]
    ) -> Directory:
        changes = _directory_changes(changes)
        self.get_directory(directory_id, project_id=project_id)
        if changes:
            with self.tx() as conn:
                conn.execute(
                    update(t.directories)
                    .where(t.directories.c.id == directory_id)
                    .values(**changes, updated_at=utcnow())
                )
        return self.get_directory(directory_id, project_id=project_id)

    def delete_directory(self, directory_id: str, *, project_id: str) -> None:
        """Soft delete: the directory stays visible with ``include_deleted``."""
        self.get_directory(directory_id, project_id=project_id)
        now = utcnow()
        with self.tx() as conn:
            conn.execute(
                update(t.directories)
                .where(t.directories.c.id == directory_id)
                .values(deleted_at=now, updated_at=now)
            )

    # -- directory files ---------------------------------------------------------------------
    def add_directory_files(
        self, *, project_id: str, directory_id: str, entries: Sequence[dict[str, Any]]
    ) -> list[DirectoryFile]:
        """Add entries (file_id, display_name, unique_id, metadata) in one transaction.

        A ``unique_id`` already live in the directory raises Conflict.
        """
        rows = _entry_rows(project_id, directory_id, entries, now=utcnow())
        self.get_directory(directory_id, project_id=project_id)
        try:
            with self.tx() as conn:
                if rows:
                    conn.execute(insert(t.directory_files), rows)
        except IntegrityError:
            raise Conflict("a file with this unique_id is already in the directory") from None
        return [to_record(DirectoryFile, r) for r in rows]

    def get_directory_file(
        self, dfile_id: str, *, project_id: str, directory_id: str | None = None
    ) -> DirectoryFile:
        c = t.directory_files.c
        query = select(t.directory_files).where(
            c.id == dfile_id, c.project_id == project_id, c.deleted_at.is_(None)
        )
        if directory_id is not None:
            query = query.where(c.directory_id == directory_id)
        with self.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("directory file", dfile_id)
        return to_record(DirectoryFile, row)

    def list_directory_files(
        self,
        *,
        project_id: str,
        directory_id: str,
        page_size: int,
        page_token: str | None,
        filters: dict[str, Any] | None = None,
        include_deleted: bool = False,
    ) -> tuple[list[DirectoryFile], str | None]:
        self.get_directory(directory_id, project_id=project_id, include_deleted=True)
        c = t.directory_files.c
        query = select(t.directory_files).where(c.directory_id == directory_id)
        if not include_deleted:
            query = query.where(c.deleted_at.is_(None))
        for key, value in (filters or {}).items():
            query = query.where(_dfile_filter(key, value))
        query, offset = _page(query.order_by(c.seq, c.id), page_token, page_size)
        with self.read() as conn:
            rows = conn.execute(query).all()
        page = [to_record(DirectoryFile, r) for r in rows[:page_size]]
        return page, next_token(offset, page_size, len(rows))

    def update_directory_file(
        self, dfile_id: str, *, project_id: str, directory_id: str, changes: dict[str, Any]
    ) -> DirectoryFile:
        changes = _entry_fields(changes)
        self.get_directory_file(dfile_id, project_id=project_id, directory_id=directory_id)
        target = changes.get("directory_id")
        if target is not None and target != directory_id:
            self.get_directory(target, project_id=project_id)
        if changes:
            try:
                with self.tx() as conn:
                    conn.execute(
                        update(t.directory_files)
                        .where(t.directory_files.c.id == dfile_id)
                        .values(**changes, updated_at=utcnow())
                    )
            except IntegrityError:
                raise Conflict("a file with this unique_id is already in the directory") from None
        return self.get_directory_file(dfile_id, project_id=project_id)

    def delete_directory_file(self, dfile_id: str, *, project_id: str, directory_id: str) -> None:
        self.get_directory_file(dfile_id, project_id=project_id, directory_id=directory_id)
        now = utcnow()
        with self.tx() as conn:
            conn.execute(
                update(t.directory_files)
                .where(t.directory_files.c.id == dfile_id)
                .values(deleted_at=now, updated_at=now)
            )

    def count_directory_files(self, directory_id: str) -> int:
        c = t.directory_files.c
        query = select(func.count()).where(c.directory_id == directory_id, c.deleted_at.is_(None))
        with self.read() as conn:
            return int(conn.execute(query).scalar_one())


def _file_filters(
    project_id: str,
    file_name: str | None,
    external_file_id: str | None,
    file_ids: Sequence[str] | None,
) -> list[Any]:
    c = t.files.c
    where: list[Any] = [c.project_id == project_id, c.deleted_at.is_(None)]
    if file_name is not None:
        where.append(c.name == n.lookup("file_name", file_name))
    if external_file_id is not None:
        where.append(c.external_file_id == n.lookup("external_file_id", external_file_id))
    if file_ids:
        where.append(c.id.in_(list(file_ids)))
    return where


_DFILE_KEYS = ("file_id", "display_name", "unique_id")


@dataclass(frozen=True, kw_only=True)
class NewFile:
    """A file to record: its blob is stored; its name and external id are checked here."""

    name: str
    sha256: str
    size: int
    external_file_id: str | None = None


def _purpose(purpose: str | None) -> str | None:
    return n.optional_label("purpose", purpose, limit=n.PURPOSE_MAX)


def _file_row(
    project_id: str, new: NewFile, *, purpose: str | None, now: datetime
) -> dict[str, Any]:
    """A ``files`` row, its name and external id checked and normalised (``domain/names.py``)."""
    name = n.path_name("name", new.name, limit=n.FILE_NAME_MAX)
    return {
        "id": ids.new_id(ids.FILE),
        "project_id": project_id,
        "name": name,
        "file_type": file_type_of(name),
        "purpose": purpose,
        "external_file_id": n.optional_identifier(
            "external_file_id", new.external_file_id, limit=n.EXTERNAL_FILE_ID_MAX
        ),
        "sha256": new.sha256,
        "size": new.size,
        "created_at": now,
    }


def _entry_rows(
    project_id: str, directory_id: str, entries: Sequence[Mapping[str, Any]], *, now: datetime
) -> list[dict[str, Any]]:
    """``directory_files`` rows for entries (file_id, display_name, unique_id, metadata),
    checked; ``seq`` keeps their order."""
    checked = [_entry_fields(e) for e in entries]
    seq0 = time.time_ns() // 1000
    return [
        {
            "id": ids.new_id(ids.DIRECTORY_FILE),
            "seq": seq0 + i,
            "directory_id": directory_id,
            "project_id": project_id,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "metadata": e.get("metadata"),
            **{k: e[k] for k in _DFILE_KEYS},
        }
        for i, e in enumerate(checked)
    ]


def _directory_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """A directory's new name and description, checked like a new directory's."""
    out = dict(changes)
    if out.get("name") is not None:
        out["name"] = n.label("name", out["name"], limit=n.DIRECTORY_NAME_MAX)
    if out.get("description") is not None:
        out["description"] = n.label(
            "description", out["description"], limit=n.DIRECTORY_DESCRIPTION_MAX
        )
    return out


def _entry_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A directory file's display name, unique id and metadata, checked and normalised
    (``domain/names.py``); other keys pass unchanged."""
    out = dict(entry)
    if out.get("display_name") is not None:
        out["display_name"] = n.path_name(
            "display_name", out["display_name"], limit=n.DISPLAY_NAME_MAX
        )
    if out.get("unique_id") is not None:
        out["unique_id"] = n.identifier("unique_id", out["unique_id"], limit=n.UNIQUE_ID_MAX)
    if "metadata" in out:
        out["metadata"] = n.metadata("metadata", out["metadata"])
    return out


def _dfile_filter(key: str, value: Any) -> Any:
    c = t.directory_files.c
    if key == "display_name_contains":
        return c.display_name.contains(n.lookup(key, value), autoescape=True)
    if key in ("display_name", "unique_id"):
        return getattr(c, key) == n.lookup(key, value)
    if key == "updated_at_on_or_after":
        return c.updated_at >= value
    if key == "updated_at_on_or_before":
        return c.updated_at <= value
    return getattr(c, key) == value
