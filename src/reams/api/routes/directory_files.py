"""Directory files: `/api/v1/beta/directories/{directory_id}/files`.

An entry points at a File of the project and has a ``unique_id`` that is unique among the live
entries of its directory; a duplicate is a 409 (never retried by the SDK).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from pydantic import TypeAdapter, ValidationError

from reams.api.deps import CursorDep, LinksDep, ProjectId, ServicesDep
from reams.api.idempotent import IDEMPOTENT, IdempotentRoute
from reams.api.openapi import UNIQUE_ID_TAKEN
from reams.api.present import directory_file_model
from reams.api.signing import DownloadLinks
from reams.api.uploads import store_upload
from reams.domain.errors import Conflict, InvalidField
from reams.domain.records import DirectoryFile
from reams.wire import files as wf
from reams.wire.common import CursorPage

router = APIRouter(
    prefix="/api/v1/beta/directories/{directory_id}/files",
    tags=["directory files"],
    route_class=IdempotentRoute,
)

Expand = Literal["download_url"]
ExpandQuery = Annotated[
    list[Expand] | None, Query(description="`download_url` adds a signed download link.")
]
_metadata = TypeAdapter(dict[str, wf.MetadataValue])


def _present(
    rec: DirectoryFile, links: DownloadLinks, *, expand: list[Expand] | None
) -> wf.DirectoryFile:
    url = links.presign(rec.file_id) if expand and rec.file_id else None
    return directory_file_model(rec, download_url=url)


def _parse_metadata(raw: str | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        return _metadata.validate_python(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        detail = "metadata must be a JSON object of strings, numbers, booleans, nulls, string lists"
        raise InvalidField(f"{detail}: {exc}") from None


def _utc(value: datetime | None) -> datetime | None:
    # Stored times are UTC; a naive bound is read as UTC too.
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.post(
    "",
    response_model=wf.DirectoryFile,
    summary="Add an uploaded file",
    dependencies=[IDEMPOTENT],
    responses=UNIQUE_ID_TAKEN,
)
def add_directory_file(
    directory_id: str, body: wf.DirectoryFileAdd, services: ServicesDep, project_id: ProjectId
) -> wf.DirectoryFile:
    services.catalog.get_directory(directory_id, project_id=project_id)
    file = services.catalog.get_file(body.file_id, project_id=project_id)
    entry = {
        "file_id": file.id,
        "display_name": body.display_name or file.name,
        "unique_id": body.unique_id or file.external_file_id or file.name,
        "metadata": body.metadata,
    }
    [rec] = services.catalog.add_directory_files(
        project_id=project_id, directory_id=directory_id, entries=[entry]
    )
    return directory_file_model(rec)


@router.post(
    "/upload",
    response_model=wf.DirectoryFile,
    summary="Upload a file into it",
    dependencies=[IDEMPOTENT],
    responses=UNIQUE_ID_TAKEN,
)
def upload_directory_file(
    directory_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    upload_file: Annotated[UploadFile, File(description="The file to upload.")],
    display_name: Annotated[str | None, Form()] = None,
    external_file_id: Annotated[str | None, Form()] = None,
    unique_id: Annotated[str | None, Form()] = None,
    metadata: Annotated[str | None, Form(description="User metadata, a JSON object.")] = None,
) -> wf.DirectoryFile:
    user_metadata = _parse_metadata(metadata)
    services.catalog.get_directory(directory_id, project_id=project_id)
    file = store_upload(
        services,
        project_id=project_id,
        upload=upload_file,
        purpose="user_data",
        external_file_id=external_file_id,
    )
    entry = {
        "file_id": file.id,
        "display_name": display_name or file.name,
        "unique_id": unique_id or external_file_id or file.name,
        "metadata": user_metadata,
    }
    try:
        [rec] = services.catalog.add_directory_files(
            project_id=project_id, directory_id=directory_id, entries=[entry]
        )
    except (Conflict, InvalidField):
        # The File was made only for this entry; without it, it would be an orphan.
        services.catalog.delete_file(file.id, project_id=project_id)
        raise
    return directory_file_model(rec)


@router.get("", response_model=CursorPage[wf.DirectoryFile], summary="List its files")
def list_directory_files(
    directory_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    links: LinksDep,
    cursor: CursorDep,
    display_name: Annotated[str | None, Query(description="Exact display name.")] = None,
    display_name_contains: Annotated[str | None, Query(description="Substring.")] = None,
    file_id: Annotated[str | None, Query()] = None,
    unique_id: Annotated[str | None, Query()] = None,
    include_deleted: Annotated[bool, Query()] = False,
    updated_at_on_or_after: Annotated[datetime | None, Query()] = None,
    updated_at_on_or_before: Annotated[datetime | None, Query()] = None,
    expand: ExpandQuery = None,
) -> CursorPage[wf.DirectoryFile]:
    given = {
        "display_name": display_name,
        "display_name_contains": display_name_contains,
        "file_id": file_id,
        "unique_id": unique_id,
        "updated_at_on_or_after": _utc(updated_at_on_or_after),
        "updated_at_on_or_before": _utc(updated_at_on_or_before),
    }
    rows, token = services.catalog.list_directory_files(
        project_id=project_id,
        directory_id=directory_id,
        page_size=cursor.page_size,
        page_token=cursor.page_token,
        include_deleted=include_deleted,
        filters={k: v for k, v in given.items() if v is not None},
    )
    items = [_present(r, links, expand=expand) for r in rows]
    return CursorPage[wf.DirectoryFile](items=items, next_page_token=token)


@router.get("/{directory_file_id}", response_model=wf.DirectoryFile, summary="Get one entry")
def get_directory_file(
    directory_id: str,
    directory_file_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    links: LinksDep,
    expand: ExpandQuery = None,
) -> wf.DirectoryFile:
    rec = services.catalog.get_directory_file(
        directory_file_id, project_id=project_id, directory_id=directory_id
    )
    return _present(rec, links, expand=expand)


def _update_changes(body: wf.DirectoryFileUpdate) -> dict[str, Any]:
    given = body.model_fields_set
    changes: dict[str, Any] = {
        k: getattr(body, k) for k in ("display_name", "unique_id", "metadata") if k in given
    }
    for key in ("display_name", "unique_id"):
        if key in changes and changes[key] is None:
            raise InvalidField(f"{key} cannot be null")
    # 2.4.1 sends the move target as `directory_id`, 2.19 as `target_directory_id`.
    targets = {t for t in (body.directory_id, body.target_directory_id) if t is not None}
    if len(targets) > 1:
        raise InvalidField("directory_id and target_directory_id disagree")
    if targets:
        changes["directory_id"] = targets.pop()
    return changes


@router.patch(
    "/{directory_file_id}",
    response_model=wf.DirectoryFile,
    summary="Update or move",
    responses=UNIQUE_ID_TAKEN,
)
def update_directory_file(
    directory_id: str,
    directory_file_id: str,
    body: wf.DirectoryFileUpdate,
    services: ServicesDep,
    project_id: ProjectId,
) -> wf.DirectoryFile:
    rec = services.catalog.update_directory_file(
        directory_file_id,
        project_id=project_id,
        directory_id=directory_id,
        changes=_update_changes(body),
    )
    return directory_file_model(rec)


@router.delete(
    "/{directory_file_id}", status_code=204, response_class=Response, summary="Remove an entry"
)
def delete_directory_file(
    directory_id: str, directory_file_id: str, services: ServicesDep, project_id: ProjectId
) -> None:
    services.catalog.delete_directory_file(
        directory_file_id, project_id=project_id, directory_id=directory_id
    )
