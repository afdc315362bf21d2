"""Parse jobs, v2 (`/api/v2/parse`): create from a file or an upload, list, versions, get with
`expand`, cancel, delete. See `reams.service.products` for what a product job is in reams.

`GET /api/v2/parse/{job_id}` also answers a batch item's result id (`pjb-...`), as a completed
job. `expand` picks the views of the parse output: `text`, `markdown`, `items`, `metadata`,
`text_full`, `markdown_full`, `job_metadata`; `usage` adds `job.usage` (no credits in reams);
`forms` and `images_content_metadata` have no offline meaning and come back empty; each
`*_content_metadata` adds an entry to `result_content_metadata` (the size of that output, or
`exists: false` for outputs reams does not produce: xlsx, output_pdf, images, forms, raw_words).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Final

from fastapi import APIRouter, File, Form, Query, UploadFile
from pydantic import ValidationError

from reams.api.deps import CursorDep, ProjectId, ServicesDep
from reams.api.idempotent import IDEMPOTENT, IdempotentRoute
from reams.api.openapi import FINISHED_JOB, UNFINISHED_JOB
from reams.api.product_jobs import ListFilterDep, ProductsDep
from reams.api.uploads import store_upload
from reams.domain.errors import InvalidField
from reams.domain.records import Result
from reams.service.products import ProductJob
from reams.wire.common import CursorPage
from reams.wire.parse import ContentMetadata, ImagesMetadata, Pages, ParseJobInfo, ParseResult
from reams.wire.parse import ParseUsage as Usage
from reams.wire.products import (
    PARSE_VERSIONS,
    ParseCreate,
    ParseVersions,
    ParseVersionsLatest,
    ProductDeleted,
)

router = APIRouter(prefix="/api/v2/parse", tags=["parse"], route_class=IdempotentRoute)

Output = dict[str, Any]
PRODUCT = "parse"


def _text(out: Output) -> Pages:
    return Pages(pages=[{"page_number": p["page_number"], "text": p["text"]} for p in out["pages"]])


def _failed_page(page: dict[str, Any]) -> dict[str, Any]:
    error = page.get("error") or "page could not be parsed"
    return {"page_number": page["page_number"], "error": error, "success": False}


def _markdown_page(page: dict[str, Any]) -> dict[str, Any]:
    if not page.get("success", True):
        return _failed_page(page)
    view = {"page_number": page["page_number"], "markdown": page["markdown"], "success": True}
    view |= {k: page[k] for k in ("header", "footer") if page.get(k)}
    return view


def _items_page(page: dict[str, Any]) -> dict[str, Any]:
    if not page.get("success", True):
        return _failed_page(page)
    return {
        "page_number": page["page_number"],
        # Formats without a page geometry (DOCX, HTML, text) have none to report: 0 x 0.
        "page_width": float(page.get("width") or 0.0),
        "page_height": float(page.get("height") or 0.0),
        "success": True,
        "items": page.get("items", []),
    }


def _items(out: Output) -> Pages:
    return Pages(pages=[_items_page(p) for p in out["pages"]])


def _markdown(out: Output) -> Pages:
    return Pages(pages=[_markdown_page(p) for p in out["pages"]])


def _metadata(out: Output) -> Pages:
    pages = [
        {
            k: p.get(k)
            for k in ("page_number", "width", "height", "success", "ocr", "printed_page_number")
        }
        for p in out["pages"]
    ]
    return Pages(pages=pages, document=out.get("document", {}))


def _job_metadata(result: Result, out: Output) -> dict[str, Any]:
    document = out.get("document", {})
    return {
        "batch_job_id": result.job_id,
        "item_id": result.item_id,
        "file_name": result.file_name,
        "parameters_hash": result.parameters_hash,
        "job_config": result.job_config,
        "page_count": document.get("page_count"),
        "detected_type": document.get("detected_type"),
        "warnings": document.get("warnings", []),
        "ignored_options": document.get("ignored_options", []),
    }


VIEWS: Final[dict[str, Callable[[Result, Output], Any]]] = {
    "text": lambda _r, out: _text(out),
    "markdown": lambda _r, out: _markdown(out),
    "text_full": lambda _r, out: out["text_full"],
    "markdown_full": lambda _r, out: out["markdown_full"],
    "metadata": lambda _r, out: _metadata(out),
    "items": lambda _r, out: _items(out),
    "job_metadata": _job_metadata,
    "forms": lambda _r, _out: Pages(pages=[]),
    "images_content_metadata": lambda _r, _out: ImagesMetadata(images=[], total_count=0),
}
# Outputs whose size `*_content_metadata` reports; every other one does not exist in reams.
SIZED: Final[dict[str, Callable[[Output], Any]]] = {
    "text": lambda out: out["text_full"],
    "markdown": lambda out: out["markdown_full"],
    "items": lambda out: _items(out).model_dump(mode="json"),
    "metadata": lambda out: _metadata(out).model_dump(mode="json"),
}
CONTENT: Final = "_content_metadata"
OTHER_EXPANDS: Final = ("usage",)


def _check_expand(expand: list[str]) -> None:
    unknown = sorted(
        e for e in set(expand) - VIEWS.keys() if e not in OTHER_EXPANDS and not e.endswith(CONTENT)
    )
    if unknown:
        allowed = [*VIEWS, *OTHER_EXPANDS, "<output>_content_metadata"]
        raise InvalidField(
            f"unsupported expand value(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )


def _size(value: Any) -> int:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return len(text.encode())


def _content_metadata(expand: list[str], out: Output) -> dict[str, ContentMetadata] | None:
    names = [e.removesuffix(CONTENT) for e in expand if e.endswith(CONTENT)]
    if not names:
        return None
    return {
        name: ContentMetadata(size_bytes=_size(SIZED[name](out)), exists=True)
        if name in SIZED
        else ContentMetadata(size_bytes=0, exists=False)
        for name in dict.fromkeys(names)
    }


def _job(job: ProductJob, *, usage: bool = False) -> ParseJobInfo:
    params = job.job_config.get("parameters") or {}
    return ParseJobInfo(
        id=job.id,
        project_id=job.project_id,
        status=job.status,
        created_at=job.created_at,
        updated_at=job.updated_at,
        error_message=job.error_message,
        name=job.name,
        tier=params.get("tier"),
        usage=Usage() if usage else None,
        user_metadata=params.get("custom_metadata"),
    )


def _create(products: ProductsDep, project_id: str, file_id: str, body: ParseCreate) -> Any:
    return products.create(
        project_id=project_id,
        product=PRODUCT,
        file_input=file_id,
        configuration=body.options(),
        configuration_id=body.configuration_id,
        webhook_configuration_ids=body.webhook_configuration_ids or (),
        webhooks=body.webhook_configurations or (),
        user_metadata=body.user_metadata,
    )


@router.post(
    "",
    dependencies=[IDEMPOTENT],
    response_model=ParseJobInfo,
    response_model_exclude_none=True,
    summary="Parse a file (`file_id`); `source_url` is not supported offline",
)
def create_parse_job(
    body: ParseCreate, products: ProductsDep, project_id: ProjectId
) -> ParseJobInfo:
    """The job runs asynchronously: poll `GET /api/v2/parse/{id}` until COMPLETED, FAILED or
    CANCELLED, then read the result with `expand`."""
    if body.source_url:
        raise InvalidField(
            "source_url: reams runs offline and does not fetch documents from URLs; upload the "
            "file (POST /api/v2/parse/upload, or POST /api/v1/beta/files and pass file_id)"
        )
    if not body.file_id:
        raise InvalidField("file_id is required (or upload the file: POST /api/v2/parse/upload)")
    return _job(_create(products, project_id, body.file_id, body))


def _configuration(raw: str | None) -> ParseCreate:
    try:
        return ParseCreate.model_validate(json.loads(raw or "{}"))
    except (ValueError, ValidationError) as exc:
        problem = str(exc).splitlines()[0]
        raise InvalidField(
            f"configuration must be a JSON object of parse options: {problem}"
        ) from None


@router.post(
    "/upload",
    dependencies=[IDEMPOTENT],
    response_model=ParseJobInfo,
    response_model_exclude_none=True,
    summary="Upload a document and parse it",
)
def upload_and_parse(
    services: ServicesDep,
    products: ProductsDep,
    project_id: ProjectId,
    file: Annotated[UploadFile, File(description="The document to parse.")],
    configuration: Annotated[
        str | None, Form(description="JSON object of parse options (as `POST /api/v2/parse`).")
    ] = None,
) -> ParseJobInfo:
    """The file is stored like `POST /api/v1/beta/files` stores it (purpose `parse`), once the
    options are known to be good."""
    body = _configuration(configuration)
    products.check(
        project_id=project_id,
        product=PRODUCT,
        configuration=body.options(),
        configuration_id=body.configuration_id,
        webhook_configuration_ids=body.webhook_configuration_ids or (),
        webhooks=body.webhook_configurations or (),
    )
    rec = store_upload(
        services, project_id=project_id, upload=file, purpose="parse", external_file_id=None
    )
    return _job(_create(products, project_id, rec.id, body))


@router.get(
    "",
    response_model=CursorPage[ParseJobInfo],
    response_model_exclude_none=True,
    summary="List parse jobs (newest first)",
)
def list_parse_jobs(
    products: ProductsDep, project_id: ProjectId, cursor: CursorDep, filters: ListFilterDep
) -> CursorPage[ParseJobInfo]:
    rows, token = products.list(
        project_id=project_id,
        product=PRODUCT,
        page_size=cursor.page_size,
        page_token=cursor.page_token,
        filters=filters,
    )
    return CursorPage[ParseJobInfo](items=[_job(r) for r in rows], next_page_token=token)


@router.get("/versions", response_model=ParseVersions, summary="Parse versions per tier")
def list_parse_versions() -> ParseVersions:
    """reams has one parser: every tier accepts `latest` and the dated version listed, and all
    of them parse alike (the tier and version are reported in `ignored_options`)."""
    return ParseVersions(
        **{tier: [date] for tier, date in PARSE_VERSIONS.items()},
        latest=ParseVersionsLatest(**PARSE_VERSIONS),
    )


@router.get(
    "/{job_id}",
    response_model=ParseResult,
    response_model_exclude_none=True,
    summary="A parse job, with the result views `expand` asks for",
)
def get_parse_job(
    job_id: str,
    products: ProductsDep,
    project_id: ProjectId,
    expand: Annotated[
        list[str] | None,
        Query(
            description="Views to include.",
            # Stated as _check_expand decides: a view, `usage`, or `<output>_content_metadata`.
            json_schema_extra={
                "items": {
                    "anyOf": [
                        {"type": "string", "enum": [*VIEWS, *OTHER_EXPANDS]},
                        {"type": "string", "pattern": f"{CONTENT}$"},
                    ]
                }
            },
        ),
    ] = None,
    image_filenames: Annotated[
        str | None, Query(description="Accepted; reams saves no images.")
    ] = None,
) -> ParseResult:
    wanted = list(dict.fromkeys(expand or []))
    _check_expand(wanted)
    job = products.get(job_id, project_id=project_id, product=PRODUCT)
    info = _job(job, usage="usage" in wanted)
    out = products.output(job)
    if out is None or job.result is None:
        return ParseResult(job=info)
    result = job.result
    views = {name: VIEWS[name](result, out) for name in wanted if name in VIEWS}
    return ParseResult(job=info, result_content_metadata=_content_metadata(wanted, out), **views)


@router.post(
    "/{job_id}/cancel",
    response_model=ParseJobInfo,
    response_model_exclude_none=True,
    summary="Cancel a parse job (409 when it already finished)",
    responses=FINISHED_JOB,
)
def cancel_parse_job(job_id: str, products: ProductsDep, project_id: ProjectId) -> ParseJobInfo:
    return _job(products.cancel(job_id, project_id=project_id, product=PRODUCT))


@router.delete(
    "/{job_id}",
    response_model=ProductDeleted,
    summary="Delete a finished parse job and its result (409 while it runs)",
    responses=UNFINISHED_JOB,
)
def delete_parse_job(job_id: str, products: ProductsDep, project_id: ProjectId) -> ProductDeleted:
    """The result and its blobs are removed and dedup forgets them: parsing the same content
    again processes it anew. Cancel a running job first."""
    job = products.delete(job_id, project_id=project_id, product=PRODUCT)
    return ProductDeleted(id=job.id, project_id=job.project_id)
