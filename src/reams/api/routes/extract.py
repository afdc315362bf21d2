"""Extract jobs, v2 (`/api/v2/extract`, spec §9.3): create from a file (`fil-...`) or a directory
file (`dfl-...`), list, get, cancel, delete; schema validation and generation.

`GET /api/v2/extract/{id}` also answers an extract batch item's result id (`ejb-...`). As in
LlamaCloud's API, `extract_result` is always inline; `expand=extract_metadata` adds the per-field
evidence (`field_metadata.document_metadata`: citations with page and matching text,
confidence), `expand=configuration` the job's configuration and `expand=usage` the (credit-less)
usage. See `reams.service.products` for what a product job is in reams.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query

from reams.api.deps import CursorDep, ProjectId, ServicesDep
from reams.api.idempotent import IDEMPOTENT, IdempotentRoute
from reams.api.openapi import FINISHED_JOB, NO_LLM, UNFINISHED_JOB
from reams.api.product_jobs import ListFilterDep, ProductsDep
from reams.domain.errors import InvalidField
from reams.service.extract_schemas import generate_schema
from reams.service.jobs import check_config
from reams.service.products import ProductJob, Products
from reams.wire import analysis as wa
from reams.wire.common import CursorPage
from reams.wire.products import GeneratedConfiguration, ProductDeleted, SchemaGenerate

router = APIRouter(prefix="/api/v2/extract", tags=["extract"], route_class=IdempotentRoute)

EXPANDS: Final = ("extract_metadata", "configuration", "usage")
# The values stated in the schema; other values are refused with a sentence naming them.
EXPAND_QUERY: Final = Query(
    description=f"Any of: {', '.join(EXPANDS)}.",
    json_schema_extra={"items": {"type": "string", "enum": list(EXPANDS)}},
)
PRODUCT = "extract"


def _configuration(config: dict[str, Any]) -> dict[str, Any]:
    """The job's extract configuration in LlamaCloud's `ExtractConfiguration` shape."""
    merged = dict(config.get("extract_config") or {})
    merged["data_schema"] = config.get("data_schema", merged.get("data_schema"))
    return merged


def _metadata(out: dict[str, Any]) -> dict[str, Any]:
    document = out.get("document") or {}
    usage: dict[str, Any] = {"num_pages_extracted": document.get("parsed_pages")}
    usage |= out.get("usage") or {}
    return {
        "usage": usage,
        "engine": out.get("engine"),
        "warnings": document.get("warnings", []),
    }


def _check_expand(expand: list[str]) -> None:
    unknown = sorted(set(expand) - set(EXPANDS))
    if unknown:
        raise InvalidField(
            f"unsupported expand value(s) {', '.join(unknown)}; allowed: {', '.join(EXPANDS)}",
        )


def _v2_job(products: Products, job: ProductJob, wanted: list[str]) -> wa.ExtractV2Job:
    out = products.output(job)
    return wa.ExtractV2Job(
        id=job.id,
        project_id=job.project_id,
        file_input=job.file_input,
        status=job.status,
        created_at=job.created_at,
        updated_at=job.updated_at,
        error_message=job.error_message,
        extract_result=out["extract_result"] if out else None,
        extract_metadata=out["extract_metadata"] if out and "extract_metadata" in wanted else None,
        configuration=_configuration(job.job_config) if "configuration" in wanted else None,
        metadata=_metadata(out) if out else None,
        configuration_id=job.configuration_id,
        usage={"credits": None} if "usage" in wanted else None,
    )


@router.post(
    "",
    dependencies=[IDEMPOTENT],
    response_model=wa.ExtractV2Job,
    response_model_exclude_none=True,
    summary="Extract from one document (a file or a directory file): a one-item extract job",
)
def create_extraction(
    body: wa.ExtractCreate, products: ProductsDep, project_id: ProjectId
) -> wa.ExtractV2Job:
    """`file_input` is a file id (`fil-...`) or a directory file id (`dfl-...`); the schema
    comes from `configuration` or a saved configuration (`configuration_id`). Options with no
    offline meaning (`advanced_citations`, `sheet_names`, `spreadsheet_mode`, tier `turbo`) are
    accepted and ignored. The job runs asynchronously: poll `GET /api/v2/extract/{id}`."""
    job = products.create(
        project_id=project_id,
        product=PRODUCT,
        file_input=body.file_input,
        configuration=body.configuration,
        configuration_id=body.configuration_id,
        webhook_configuration_ids=body.webhook_configuration_ids or (),
        webhooks=body.webhook_configurations or (),
    )
    return _v2_job(products, job, [])


@router.get(
    "",
    response_model=CursorPage[wa.ExtractV2Job],
    response_model_exclude_none=True,
    summary="List extract jobs (newest first)",
)
def list_extractions(
    products: ProductsDep,
    project_id: ProjectId,
    cursor: CursorDep,
    filters: ListFilterDep,
    configuration_id: Annotated[str | None, Query(description="Created with it.")] = None,
    file_input: Annotated[str | None, Query(description="The input, as given.")] = None,
    document_input_type: Annotated[
        str | None, Query(description="`file_id` (every reams job); other types match none.")
    ] = None,
    document_input_value: Annotated[str | None, Query(description="As `file_input`.")] = None,
    expand: Annotated[list[str] | None, EXPAND_QUERY] = None,
) -> CursorPage[wa.ExtractV2Job]:
    wanted = expand or []
    _check_expand(wanted)
    if document_input_type not in (None, "file_id"):
        return CursorPage[wa.ExtractV2Job](items=[], next_page_token=None)
    if file_input and document_input_value and file_input != document_input_value:
        return CursorPage[wa.ExtractV2Job](items=[], next_page_token=None)
    chosen = replace(
        filters, configuration_id=configuration_id, file_input=file_input or document_input_value
    )
    rows, token = products.list(
        project_id=project_id,
        product=PRODUCT,
        page_size=cursor.page_size,
        page_token=cursor.page_token,
        filters=chosen,
    )
    items = [_v2_job(products, r, wanted) for r in rows]
    return CursorPage[wa.ExtractV2Job](items=items, next_page_token=token)


@router.post(
    "/schema/validation",
    response_model=wa.SchemaValidation,
    summary="Check a JSON Schema before using it in an extract job",
)
def validate_schema(body: wa.SchemaValidation, project_id: ProjectId) -> wa.SchemaValidation:
    """422 with the reason when the schema cannot be used; the schema back when it can.

    The schema is held to the limits job creation applies (properties, nesting, size), checked
    before anything costly looks at it."""
    settings = check_config({"data_schema": body.data_schema})
    return wa.SchemaValidation(data_schema=settings.parameters["data_schema"])


@router.post(
    "/schema/generate",
    response_model=GeneratedConfiguration,
    summary="Propose an extraction schema from a prompt and/or a sample file",
    responses=NO_LLM,
)
def generate_extraction_schema(
    body: SchemaGenerate, services: ServicesDep, project_id: ProjectId
) -> GeneratedConfiguration:
    """With an LLM configured (`REAMS_LLM_BASE_URL`, `REAMS_LLM_MODEL`) the model proposes the
    schema from `prompt` and/or the sample file. Without one, reams proposes it from the sample
    file's labelled fields and table headings (`file_id` required: a prompt alone is a 400
    naming those settings). A given `data_schema` keeps its properties."""
    name, schema = generate_schema(
        catalog=services.catalog,
        blobs=services.blobs,
        llm=services.settings.llm_config(),
        project_id=project_id,
        prompt=body.prompt,
        file_id=body.file_id,
        data_schema=body.data_schema,
        name=body.name,
    )
    parameters = {"product_type": "extract_v2", "data_schema": schema}
    return GeneratedConfiguration(name=name, parameters=parameters)


@router.get(
    "/{job_id}",
    response_model=wa.ExtractV2Job,
    response_model_exclude_none=True,
    summary="An extract job, or an extract batch item's result",
)
def get_extraction(
    job_id: str,
    products: ProductsDep,
    project_id: ProjectId,
    expand: Annotated[list[str] | None, EXPAND_QUERY] = None,
) -> wa.ExtractV2Job:
    wanted = expand or []
    _check_expand(wanted)
    return _v2_job(products, products.get(job_id, project_id=project_id, product=PRODUCT), wanted)


@router.post(
    "/{job_id}/cancel",
    response_model=wa.ExtractV2Job,
    response_model_exclude_none=True,
    summary="Cancel an extract job (409 when it already finished)",
    responses=FINISHED_JOB,
)
def cancel_extraction(job_id: str, products: ProductsDep, project_id: ProjectId) -> wa.ExtractV2Job:
    return _v2_job(products, products.cancel(job_id, project_id=project_id, product=PRODUCT), [])


@router.delete(
    "/{job_id}",
    response_model=ProductDeleted,
    summary="Delete a finished extract job and its result",
    responses=UNFINISHED_JOB,
)
def delete_extraction(
    job_id: str,
    products: ProductsDep,
    project_id: ProjectId,
    force: Annotated[
        bool, Query(description="Cancel an unfinished job first, then delete it.")
    ] = False,
) -> ProductDeleted:
    """A running job is a 409 unless `force=true` (which cancels it; an item still being
    processed is a 409 until it stops). The result goes and dedup forgets it."""
    job = products.delete(job_id, project_id=project_id, product=PRODUCT, force=force)
    return ProductDeleted(id=job.id, project_id=job.project_id)
