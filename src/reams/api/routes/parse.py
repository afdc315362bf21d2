"""`GET /api/v2/parse/{job_id}`: one item's parse result, by its result id (`pjb-...`).

A batch item's `job_id` is the id of its result; the result blob is the parse processor's
output, and `expand` picks which views of it to answer, as LlamaCloud's parse API does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query

from reams.api.deps import ProjectId, ServicesDep
from reams.domain.errors import InvalidField
from reams.domain.records import Result
from reams.service.results import load_output, result_of_type
from reams.wire.parse import Pages, ParseJobInfo, ParseResult

router = APIRouter(prefix="/api/v2/parse", tags=["parse results"])

Output = dict[str, Any]


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
}


def _check_expand(expand: list[str]) -> None:
    unknown = sorted(set(expand) - VIEWS.keys())
    if unknown:
        raise InvalidField(
            f"unsupported expand value(s) {', '.join(unknown)}; allowed: {', '.join(VIEWS)}",
        )


@router.get(
    "/{job_id}",
    response_model=ParseResult,
    response_model_exclude_none=True,
    summary="A parse result; `expand` selects text, markdown, metadata, ...",
)
def get_parse_result(
    job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    expand: Annotated[list[str] | None, Query(description=f"Any of: {', '.join(VIEWS)}.")] = None,
) -> ParseResult:
    _check_expand(expand or [])
    result = result_of_type(services.catalog.get_result, job_id, project_id, "parse")
    out = load_output(services.blobs.get, result, "parse result output")
    job = ParseJobInfo(
        id=result.id,
        project_id=result.project_id,
        status="COMPLETED",
        created_at=result.processed_at,
        updated_at=result.processed_at,
        name=result.file_name,
    )
    views = {name: VIEWS[name](result, out) for name in dict.fromkeys(expand or [])}
    return ParseResult(job=job, **views)
