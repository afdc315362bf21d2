"""Classify: the v2 product API (one document).

`POST /api/v2/classify` classifies one directory file as a one-item batch job (see
`api.product_jobs`); `GET /api/v2/classify/{id}` answers that job's id or a classify batch
item's result id (`cjb-...`), with the classification inline. The v1 classifier jobs
(`/api/v1/classifier/jobs`) are in `api.routes.classifier`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from reams.api import product_jobs
from reams.api.deps import ProjectId, ServicesDep
from reams.api.present import USER_ID
from reams.domain.analysis_config import pages_from_one_based
from reams.wire import analysis as wa

router = APIRouter(tags=["classify results"])

MAX_PAGE = 1000


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


def _v2_job(job: product_jobs.ProductJob) -> wa.ClassifyV2Job:
    out = job.output or {}
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
        result=_classification(out) if job.output else None,
        usage=out.get("usage"),
        engine=out.get("engine"),
    )


def _batch_config(body: wa.ClassifyCreate) -> dict[str, Any]:
    """The v2 create body as a v1 ``ClassifyJob``-shaped batch config."""
    config = product_jobs.configuration_of(body.configuration, body.configuration_id, needs="rules")
    parsing = dict(config.pop("parsing_configuration", None) or {})
    if parsing.get("target_pages") is not None:
        where = "configuration.parsing_configuration.target_pages"
        parsing["target_pages"] = pages_from_one_based(parsing["target_pages"], where)
    return config | ({"parsing_configuration": parsing} if parsing else {})


@router.post(
    "/api/v2/classify",
    response_model=wa.ClassifyV2Job,
    response_model_exclude_none=True,
    summary="Classify one document (a directory file): a one-item classify batch job",
)
def create_classification(
    body: wa.ClassifyCreate, services: ServicesDep, project_id: ProjectId
) -> wa.ClassifyV2Job:
    """`file_input` is a directory file id (`dfl-...`). The job runs asynchronously: poll
    `GET /api/v2/classify/{id}` until its status is COMPLETED or FAILED."""
    file_input = body.file_input or body.file_id
    job = product_jobs.create(services, project_id, file_input, _batch_config(body))
    return _v2_job(product_jobs.find(services, job.id, project_id, "classify"))


@router.get(
    "/api/v2/classify/{job_id}",
    response_model=wa.ClassifyV2Job,
    response_model_exclude_none=True,
    summary="A classify job (POST /api/v2/classify) or a classify batch item's result",
)
def get_classification(
    job_id: str, services: ServicesDep, project_id: ProjectId
) -> wa.ClassifyV2Job:
    return _v2_job(product_jobs.find(services, job_id, project_id, "classify"))
