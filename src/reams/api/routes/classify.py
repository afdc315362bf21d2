"""Classify jobs, v2 (`/api/v2/classify`): create from a file (`fil-...`) or a directory file
(`dfl-...`), list, get, cancel, delete. See `reams.service.products` for what a product job is.

`GET /api/v2/classify/{id}` also answers a classify batch item's result id (`cjb-...`), with the
classification inline. A cancelled classify job presents as `FAILED` (error `cancelled: ...`):
the SDK's `classify.wait_for_completion` (and `run`) ends only on COMPLETED or FAILED. The v1
classifier jobs (`/api/v1/classifier/jobs`) are in `api.routes.classifier`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query

from reams.api.deps import CursorDep, ProjectId
from reams.api.idempotent import IDEMPOTENT_BY_TRANSACTION, IdempotentRoute
from reams.api.openapi import FINISHED_JOB, UNFINISHED_JOB
from reams.api.present import USER_ID
from reams.api.product_jobs import ListFilterDep, ProductsDep
from reams.domain.errors import InvalidField
from reams.service.products import ProductJob, Products
from reams.wire import analysis as wa
from reams.wire.common import CursorPage
from reams.wire.products import ProductDeleted

router = APIRouter(prefix="/api/v2/classify", tags=["classify"], route_class=IdempotentRoute)

PRODUCT = "classify"


def _rules(config: dict[str, Any]) -> list[wa.ClassifyRule]:
    return [wa.ClassifyRule(type=r["type"], description=r["description"]) for r in config["rules"]]


def _v2_configuration(config: dict[str, Any]) -> wa.ClassifyConfigurationV2:
    parsing = config.get("parsing_configuration") or {}
    pages = parsing.get("target_pages")
    return wa.ClassifyConfigurationV2(
        rules=_rules(config),
        # The v2 model knows FAST only; MULTIMODAL jobs show no mode there.
        mode="FAST" if config.get("mode", "FAST") == "FAST" else None,
        parsing_configuration=wa.ClassifyParsingV2(
            lang=parsing.get("lang"),
            max_pages=parsing.get("max_pages"),
            target_pages=",".join(str(p + 1) for p in pages) if pages else None,
        )
        if parsing
        else None,
    )


def _classification(out: dict[str, Any]) -> wa.ClassifyResult:
    return wa.ClassifyResult.model_validate(out["result"])


def _v2_job(products: Products, job: ProductJob) -> wa.ClassifyV2Job:
    out = products.output(job) or {}
    return wa.ClassifyV2Job(
        id=job.id,
        configuration=_v2_configuration(job.job_config),
        document_input_type="file_id",
        file_input=job.file_input,
        project_id=job.project_id,
        status=job.status,
        user_id=USER_ID,
        created_at=job.created_at,
        updated_at=job.updated_at,
        error_message=job.error_message,
        result=_classification(out) if out else None,
        usage=out.get("usage"),
        engine=out.get("engine"),
        configuration_id=job.configuration_id,
    )


@router.post(
    "",
    dependencies=[IDEMPOTENT_BY_TRANSACTION],
    response_model=wa.ClassifyV2Job,
    response_model_exclude_none=True,
    summary="Classify one document (a file or a directory file): a one-item classify job",
)
def create_classification(
    body: wa.ClassifyCreate, products: ProductsDep, project_id: ProjectId
) -> wa.ClassifyV2Job:
    """`file_input` is a file id (`fil-...`) or a directory file id (`dfl-...`); the rules come
    from `configuration` or a saved configuration (`configuration_id`). The job runs
    asynchronously: poll `GET /api/v2/classify/{id}` until COMPLETED or FAILED."""
    if body.parse_job_id:
        raise InvalidField("parse_job_id is not supported: give file_input (a fil- or dfl- id)")
    file_input = body.file_input or body.file_id
    if not file_input:
        raise InvalidField("file_input is required: a file id (fil-...) or directory file id")
    job = products.create(
        project_id=project_id,
        product=PRODUCT,
        file_input=file_input,
        configuration=body.configuration,
        configuration_id=body.configuration_id,
        webhook_configuration_ids=body.webhook_configuration_ids or (),
        webhooks=body.webhook_configurations or (),
    )
    created = _v2_job(products, job)
    created.transaction_id = body.transaction_id  # echoed, not stored
    return created


@router.get(
    "",
    response_model=CursorPage[wa.ClassifyV2Job],
    response_model_exclude_none=True,
    summary="List classify jobs (newest first)",
)
def list_classifications(
    products: ProductsDep,
    project_id: ProjectId,
    cursor: CursorDep,
    filters: ListFilterDep,
    configuration_id: Annotated[
        str | None, Query(description="Only jobs created with this configuration.")
    ] = None,
) -> CursorPage[wa.ClassifyV2Job]:
    wanted = replace(filters, configuration_id=configuration_id)
    rows, token = products.list(
        project_id=project_id,
        product=PRODUCT,
        page_size=cursor.page_size,
        page_token=cursor.page_token,
        filters=wanted,
    )
    items = [_v2_job(products, r) for r in rows]
    return CursorPage[wa.ClassifyV2Job](items=items, next_page_token=token)


@router.get(
    "/{job_id}",
    response_model=wa.ClassifyV2Job,
    response_model_exclude_none=True,
    summary="A classify job, or a classify batch item's result",
)
def get_classification(
    job_id: str,
    products: ProductsDep,
    project_id: ProjectId,
    expand: Annotated[
        list[str] | None, Query(description="Accepted (`usage` is always included).")
    ] = None,
) -> wa.ClassifyV2Job:
    return _v2_job(products, products.get(job_id, project_id=project_id, product=PRODUCT))


@router.post(
    "/{job_id}/cancel",
    response_model=wa.ClassifyV2Job,
    response_model_exclude_none=True,
    summary="Cancel a classify job (409 when it already finished)",
    responses=FINISHED_JOB,
)
def cancel_classification(
    job_id: str, products: ProductsDep, project_id: ProjectId
) -> wa.ClassifyV2Job:
    """The cancelled job presents as FAILED with `error_message` `cancelled: ...`."""
    return _v2_job(products, products.cancel(job_id, project_id=project_id, product=PRODUCT))


@router.delete(
    "/{job_id}",
    response_model=ProductDeleted,
    summary="Delete a finished classify job and its result (409 while it runs)",
    responses=UNFINISHED_JOB,
)
def delete_classification(
    job_id: str, products: ProductsDep, project_id: ProjectId
) -> ProductDeleted:
    """The result goes and dedup forgets it. Cancel a running job first."""
    job = products.delete(job_id, project_id=project_id, product=PRODUCT)
    return ProductDeleted(id=job.id, project_id=job.project_id)
