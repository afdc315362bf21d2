"""Files: uploads recorded (one or a batch), and queried by a filter.

An upload's blobs arrive through :class:`~reams.store.blobs.BlobWriter` objects; the API
commits them (:func:`store_blobs`) and :func:`record_files` writes every row (and directory
entry) of the request in one transaction.

`POST /api/v1/beta/files/query`: reams has no data sources and every file is a caller's
upload, so a ``data_source_id`` filter matches nothing and ``only_manually_uploaded`` matches
everything; a ``project_id`` other than the caller's matches nothing (a caller only ever sees
its own project).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reams.domain.records import DirectoryFile, FileRecord
from reams.store.blobs import BlobStore, BlobWriter
from reams.store.catalog import NewFile
from reams.store.protocols import Catalog

__all__ = [
    "BlobStore",
    "BlobWriter",
    "NewFile",
    "Upload",
    "query_files",
    "record_files",
    "store_blobs",
]


@dataclass(frozen=True, kw_only=True)
class Upload:
    """One received file: its stored name, its blob (not yet committed), its external id."""

    name: str
    writer: BlobWriter
    external_file_id: str | None = None


def store_blobs(uploads: Sequence[Upload]) -> list[NewFile]:
    """Commit each upload's blob (I/O: run it in a worker thread); the files to record."""
    files = []
    for upload in uploads:
        sha256, size = upload.writer.commit()
        files.append(
            NewFile(
                name=upload.name,
                sha256=sha256,
                size=size,
                external_file_id=upload.external_file_id,
            )
        )
    return files


def record_files(
    catalog: Catalog,
    *,
    project_id: str,
    files: Sequence[NewFile],
    purpose: str | None,
    directory_id: str | None = None,
) -> tuple[list[FileRecord], list[DirectoryFile]]:
    """The files (and, with ``directory_id``, their entries) in one transaction, or none:
    a refused name or a taken ``unique_id`` creates no row (the stored blobs are
    content-addressed and stay unreferenced)."""
    return catalog.create_files(
        project_id=project_id, files=files, purpose=purpose, directory_id=directory_id
    )


@dataclass(frozen=True, kw_only=True)
class FileFilter:
    data_source_id: str | None = None
    external_file_id: str | None = None
    file_ids: Sequence[str] | None = None
    file_name: str | None = None
    only_manually_uploaded: bool | None = None
    project_id: str | None = None


@dataclass(frozen=True)
class FilePage:
    items: list[FileRecord]
    next_page_token: str | None
    total_size: int


def query_files(
    catalog: Catalog,
    *,
    project_id: str,
    where: FileFilter,
    order_by: str | None,
    page_size: int,
    page_token: str | None,
) -> FilePage:
    """A page of the project's live files matching ``where``, and how many match in all.

    An empty ``file_ids`` list matches no file (never every file).
    """
    if where.data_source_id is not None or where.project_id not in (None, project_id):
        return FilePage(items=[], next_page_token=None, total_size=0)
    if where.file_ids is not None and not where.file_ids:
        return FilePage(items=[], next_page_token=None, total_size=0)
    rows, token = catalog.list_files(
        project_id=project_id,
        page_size=page_size,
        page_token=page_token,
        order_by=order_by,
        file_name=where.file_name,
        external_file_id=where.external_file_id,
        file_ids=where.file_ids,
    )
    total = catalog.count_files(
        project_id=project_id,
        file_name=where.file_name,
        external_file_id=where.external_file_id,
        file_ids=where.file_ids,
    )
    return FilePage(items=rows, next_page_token=token, total_size=total)
