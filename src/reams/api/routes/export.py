"""Bulk export of a batch job (reams extension): `GET /api/v1/beta/batch-processing/{id}/export`.

The route only picks the format; `reams.service.export` reads the job a page at a time and
streams the bytes, so an export of 100,000 items holds no more memory than one of ten.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from reams.api.deps import ProjectId, ServicesDep
from reams.service.export import ExportFormat, export_job

router = APIRouter(prefix="/api/v1/beta/batch-processing", tags=["batch processing"])


@router.get(
    "/{job_id}/export",
    summary="Export a job's results (JSON Lines, CSV or zip) — reams extension",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The export, streamed.",
            "content": {"application/x-ndjson": {}, "text/csv": {}, "application/zip": {}},
        },
        404: {"description": "No such job in this project."},
    },
)
def export_batch(
    job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    format: Annotated[ExportFormat, Query(description="jsonl, csv or zip")] = "jsonl",
) -> StreamingResponse:
    """Stream the finished items of a job; a running job's export holds what is done so far.

    - **jsonl**: one JSON object per item: `file` (base name), `path` (the directory file's
      `unique_id`), `directory_file_id`, `item_id`, `status`, `skip_reason`, `error_code`,
      `error_message`, `result_id` and `result` — parse: `markdown` and `pages`
      (`page`, `text`, `markdown`); classify: `type`, `confidence`, `reasoning`; extract:
      `data` and `field_metadata` (null for items without a result).
    - **csv**: classify `file,type,confidence`; extract `file` then one column per top-level
      schema field (objects and lists as JSON); parse `file,pages,status,error`.
    - **zip**: the files `reams run --out` writes: `<path>.md` and `<path>.json` for parse,
      `<path>.json` for classify and extract.
    """
    export = export_job(services.catalog, services.blobs, job_id, project_id=project_id, fmt=format)
    return StreamingResponse(
        export.chunks,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
