"""Files: `/api/v1/beta/files` (upload, bulk upload, list, query, get, signed URL, delete)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from reams.api import uploads
from reams.api.deps import CursorDep, LinksDep, ProjectId, ServicesDep
from reams.api.form_stream import FormLimits, ReceivedForm
from reams.api.idempotent import IdempotentRoute, idempotency_key
from reams.api.openapi import UNIQUE_ID_TAKEN
from reams.api.present import directory_file_model, file_model
from reams.api.signing import DownloadLinks
from reams.domain.records import DirectoryFile, FileRecord
from reams.service.files import FileFilter, query_files
from reams.wire import files as wf
from reams.wire.common import CursorPage, PresignedURL
from reams.wire.file_query import FileQuery, FileQueryFilter
from reams.wire.uploads import BulkUpload

router = APIRouter(prefix="/api/v1/beta/files", tags=["files"], route_class=IdempotentRoute)

# The upload routes read their body themselves (streamed into blobs, see api/uploads.py), so
# they take the key as a parameter (documented, checked) and run the idempotency themselves.
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
FileExpand = Literal["download_url"]
ExpandQuery = Annotated[
    list[FileExpand] | None, Query(description="`download_url` adds a signed download link.")
]
MAX_TTL_S = 7 * 24 * 3600
DEFAULT_PAGE = 50


def _present(rec: FileRecord, links: DownloadLinks, *, expand: list[FileExpand] | None) -> wf.File:
    url = links.presign(rec.id) if expand and "download_url" in expand else None
    return file_model(rec, download_url=url)


FILE_PART = {"file": {"type": "string", "format": "binary", "description": "The file to upload."}}
FILES_PART = {
    "files": {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "minItems": 1,
        "description": "The files to upload: one part per file, all named `files` (at most "
        "`REAMS_MAX_BULK_FILES`, default 1000; together at most `REAMS_MAX_UPLOAD_BYTES`).",
    }
}
BULK_NOTE = (
    "reams extension: many files in one multipart request, each streamed into the blob store "
    "and every row written in one transaction (all or none). Larger batches: send several."
)


@router.post(
    "",
    response_model=wf.File,
    summary="Upload a file",
    openapi_extra=uploads.form_body(uploads.SingleFields, FILE_PART),
)
async def create_file(
    request: Request, services: ServicesDep, project_id: ProjectId, key: IdempotencyKey
) -> Response:
    limits = FormLimits(
        file_fields=frozenset(FILE_PART),
        max_files=1,
        max_file_bytes=services.settings.max_upload_bytes,
        too_many_hint=" (one `file` part); POST /api/v1/beta/files/bulk takes many",
    )
    form = await uploads.receive(request, services, limits)
    creation = uploads.Creation(
        services=services,
        project_id=project_id,
        key=key,
        request=request,
        form=form,
        plan=_plan(uploads.single_plan, form),
        present=lambda files, _: file_model(files[0]).model_dump(mode="json"),
    )
    return await uploads.create(creation)


@router.post(
    "/bulk",
    response_model=BulkUpload,
    summary="Upload many files (reams extension)",
    description=BULK_NOTE,
    openapi_extra=uploads.form_body(uploads.BulkFields, FILES_PART),
    responses=UNIQUE_ID_TAKEN,
)
async def create_files(
    request: Request, services: ServicesDep, project_id: ProjectId, key: IdempotencyKey
) -> Response:
    settings = services.settings
    limits = FormLimits(
        file_fields=frozenset(FILES_PART),
        max_files=settings.max_bulk_files,
        max_file_bytes=settings.max_upload_bytes,
        too_many_hint=" (REAMS_MAX_BULK_FILES); send the rest in another request",
    )
    form = await uploads.receive(request, services, limits)
    creation = uploads.Creation(
        services=services,
        project_id=project_id,
        key=key,
        request=request,
        form=form,
        plan=_plan(uploads.bulk_plan, form),
        present=_present_bulk,
    )
    return await uploads.create(creation)


def _plan(make: Callable[[ReceivedForm], uploads.Plan], form: ReceivedForm) -> uploads.Plan:
    try:
        return make(form)
    except BaseException:
        form.discard()
        raise


def _present_bulk(files: list[FileRecord], entries: list[DirectoryFile]) -> Any:
    body = BulkUpload(
        files=[file_model(f) for f in files],
        directory_files=[directory_file_model(e) for e in entries] if entries else None,
    )
    return body.model_dump(mode="json")


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
