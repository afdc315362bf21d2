"""Saved product configurations: `/api/v1/beta/configurations` (create = upsert by name and
product type, list, get, update, delete), plus the built-in presets (`cfg-PARSE_AGENTIC`),
which every project can list and read but not change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from reams.api.deps import ConfigurationsDep, CursorDep, ProjectId
from reams.api.openapi import NAME_TAKEN, PRESET
from reams.domain.configurations import Configuration
from reams.wire import configurations as wc
from reams.wire.common import CursorPage

router = APIRouter(prefix="/api/v1/beta/configurations", tags=["configurations"])


def _model(rec: Configuration) -> wc.ConfigurationResponse:
    return wc.ConfigurationResponse.model_validate(
        {
            "id": rec.id,
            "name": rec.name,
            "parameters": rec.parameters,
            "product_type": rec.product_type,
            "version": rec.version,
            "created_at": rec.created_at,
            "updated_at": rec.updated_at,
        }
    )


@router.post(
    "",
    response_model=wc.ConfigurationResponse,
    response_model_exclude_none=True,
    summary="Create a product configuration (or update the one with the same name and type)",
)
def create_configuration(
    body: wc.ConfigurationCreate, configs: ConfigurationsDep, project_id: ProjectId
) -> wc.ConfigurationResponse:
    """`parameters.product_type` picks the typed schema; a bad key is a 422 naming it."""
    rec = configs.create(project_id=project_id, name=body.name, parameters=body.parameters)
    return _model(rec)


@router.get(
    "",
    response_model=CursorPage[wc.ConfigurationResponse],
    response_model_exclude_none=True,
    summary="List product configurations (built-in presets first)",
)
def list_configurations(
    configs: ConfigurationsDep,
    project_id: ProjectId,
    cursor: CursorDep,
    name: Annotated[str | None, Query(description="Exact name.")] = None,
    product_type: Annotated[
        list[wc.ProductType] | None, Query(description="Only these product types (repeat).")
    ] = None,
    latest_only: Annotated[
        bool, Query(description="Only the most recently written configuration per name.")
    ] = False,
) -> CursorPage[wc.ConfigurationResponse]:
    rows, token = configs.list_configs(
        project_id=project_id,
        page_size=cursor.page_size,
        page_token=cursor.page_token,
        name=name,
        product_types=product_type,
        latest_only=latest_only,
    )
    return CursorPage[wc.ConfigurationResponse](
        items=[_model(r) for r in rows], next_page_token=token
    )


@router.get(
    "/{config_id}",
    response_model=wc.ConfigurationResponse,
    response_model_exclude_none=True,
    summary="Get a product configuration or a built-in preset",
)
def get_configuration(
    config_id: str, configs: ConfigurationsDep, project_id: ProjectId
) -> wc.ConfigurationResponse:
    return _model(configs.get(config_id, project_id=project_id))


@router.put(
    "/{config_id}",
    response_model=wc.ConfigurationResponse,
    response_model_exclude_none=True,
    summary="Update a product configuration (presets cannot be updated)",
    responses={**PRESET, **NAME_TAKEN},
)
def update_configuration(
    config_id: str,
    body: wc.ConfigurationUpdate,
    configs: ConfigurationsDep,
    project_id: ProjectId,
) -> wc.ConfigurationResponse:
    """Omitted or null fields stay as they are; the product type cannot change."""
    rec = configs.update(
        config_id, project_id=project_id, name=body.name, parameters=body.parameters
    )
    return _model(rec)


@router.delete(
    "/{config_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a product configuration (presets cannot be deleted)",
    responses=PRESET,
)
def delete_configuration(config_id: str, configs: ConfigurationsDep, project_id: ProjectId) -> None:
    configs.delete(config_id, project_id=project_id)
