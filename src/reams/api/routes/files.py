"""Files: `/api/v1/beta/files` (upload, list, query, get, presigned content URL, delete)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from reams.api.deps import CursorDep, LinksDep, ProjectId, ServicesDep
from reams.api.idempotent import IDEMPOTENT, IdempotentRoute
from reams.api.present import file_model
from reams.api.signing import DownloadLinks
from reams.api.uploads import store_upload
from reams.domain.records import FileRecord
from reams.service.files import FileFilter, query_files
from reams.wire import files as wf
from reams.wire.common import CursorPage, PresignedURL
from reams.wire.file_query import FileQuery, FileQueryFilter

router = APIRouter(prefix="/api/v1/beta/files", tags=["files"], route_class=IdempotentRoute)

Purpose = Literal["user_data", "parse", "extract", "split", "classify", "sheet", "agent_app"]
FileExpand = Literal["download_url"]
ExpandQuery = Annotated[
    list[FileExpand] | None, Query(description="`download_url` adds a signed download link.")
]
MAX_TTL_S = 7 * 24 * 3600
DEFAULT_PAGE = 50


def _present(rec: FileRecord, links: DownloadLinks, *, expand: list[FileExpand] | None) -> wf.File:
    url = links.presign(rec.id) if expand and "download_url" in expand else None
    return file_model(rec, download_url=url)


@router.post("", response_model=wf.File, summary="Upload a file", dependencies=[IDEMPOTENT])
def create_file(
    services: ServicesDep,
    project_id: ProjectId,
    file: Annotated[UploadFile, File(description="The file to upload.")],
    purpose: Annotated[Purpose, Form(description="How the file will be used.")],
    external_file_id: Annotated[str | None, Form(description="Id in an external system.")] = None,
) -> wf.File:
    rec = store_upload(
        services,
        project_id=project_id,
        upload=file,
        purpose=purpose,
        external_file_id=external_file_id,
    )
    return file_model(rec)


@router.get("", response_model=CursorPage[wf.File], summary="List files")
def list_files(
    services: ServicesDep,
    project_id: ProjectId,
    links: LinksDep,
    cursor: CursorDep,
    file_name: Annotated[str | None, Query(description="Exact file name.")] = None,
    external_file_id: Annotated[str | None, Query()] = None,
    file_ids: Annotated[list[str] | None, Query(description="Only these ids.")] = None,
    order_by: Annotated[
        Literal["name", "id", "created_at"] | None,
        Query(description="`name` (asc), `id` (asc) or `created_at` (desc, the default)."),
    ] = None,
    expand: ExpandQuery = None,
) -> CursorPage[wf.File]:
    rows, token = services.catalog.list_files(
        project_id=project_id,
        page_size=cursor.page_size,
        page_token=cursor.page_token,
        file_name=file_name,
        external_file_id=external_file_id,
        file_ids=file_ids,
        order_by=order_by,
    )
    items = [_present(r, links, expand=expand) for r in rows]
    return CursorPage[wf.File](items=items, next_page_token=token)


@router.post("/query", response_model=CursorPage[wf.File], summary="Query files by a filter")
def query(body: FileQuery, services: ServicesDep, project_id: ProjectId) -> CursorPage[wf.File]:
    """The file list as a JSON query, with `total_size` (matching files across all pages).

    reams has no data sources: a `data_source_id` filter matches no file, and every file
    counts as manually uploaded. A `filter.project_id` other than the caller's project
    matches no file; an empty `file_ids` list matches no file.
    """
    f = body.filter or FileQueryFilter()
    where = FileFilter(
        data_source_id=f.data_source_id,
        external_file_id=f.external_file_id,
        file_ids=f.file_ids,
        file_name=f.file_name,
        only_manually_uploaded=f.only_manually_uploaded,
        project_id=f.project_id,
    )
    page = query_files(
        services.catalog,
        project_id=project_id,
        where=where,
        order_by=body.order_by,
        page_size=body.page_size or DEFAULT_PAGE,
        page_token=body.page_token,
    )
    return CursorPage[wf.File](
        items=[file_model(r) for r in page.items],
        next_page_token=page.next_page_token,
        total_size=page.total_size,
    )


@router.get("/{file_id}", response_model=wf.File, summary="Get a file's metadata")
def get_file(
    file_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    links: LinksDep,
    expand: ExpandQuery = None,
) -> wf.File:
    return _present(services.catalog.get_file(file_id, project_id=project_id), links, expand=expand)


@router.get("/{file_id}/content", response_model=PresignedURL, summary="Get a signed download URL")
def file_content(
    file_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    links: LinksDep,
    expires_at_seconds: Annotated[
        int | None, Query(ge=1, le=MAX_TTL_S, description="Link lifetime in seconds.")
    ] = None,
) -> PresignedURL:
    rec = services.catalog.get_file(file_id, project_id=project_id)
    return links.presign(rec.id, ttl_s=expires_at_seconds)


@router.delete("/{file_id}", status_code=204, response_class=Response, summary="Delete a file")
def delete_file(file_id: str, services: ServicesDep, project_id: ProjectId) -> None:
    services.catalog.delete_file(file_id, project_id=project_id)
