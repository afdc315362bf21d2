"""Directories: `/api/v1/beta/directories` (create, list, get, update, soft delete)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from reams.api.deps import CursorDep, ProjectId, ServicesDep
from reams.api.idempotent import IDEMPOTENT, IdempotentRoute
from reams.api.present import directory_model
from reams.domain.errors import InvalidField
from reams.service.inputs import INPUTS_DIRECTORY
from reams.wire import files as wf
from reams.wire.common import CursorPage

router = APIRouter(
    prefix="/api/v1/beta/directories", tags=["directories"], route_class=IdempotentRoute
)

DirectoryType = Literal["ephemeral", "index", "user"]
UPDATABLE = ("name", "description")


def _reject_sources(body: wf.DirectoryCreate) -> None:
    # Directories here hold manual uploads only; pretending to sync would lose data silently.
    if body.data_source_id is not None:
        raise InvalidField("data sources are not supported")
    if (body.model_extra or {}).get("connector_subscription_id") is not None:
        raise InvalidField("connector subscriptions are not supported")


@router.post(
    "", response_model=wf.Directory, summary="Create a directory", dependencies=[IDEMPOTENT]
)
def create_directory(
    body: wf.DirectoryCreate, services: ServicesDep, project_id: ProjectId
) -> wf.Directory:
    _reject_sources(body)
    rec = services.catalog.create_directory(
        project_id=project_id, name=body.name, description=body.description, type=body.type
    )
    return directory_model(rec)


@router.get("", response_model=CursorPage[wf.Directory], summary="List directories")
def list_directories(
    services: ServicesDep,
    project_id: ProjectId,
    cursor: CursorDep,
    name: Annotated[str | None, Query(description="Exact name.")] = None,
    include_deleted: Annotated[bool, Query(description="Include soft-deleted ones.")] = False,
    type: Annotated[DirectoryType | None, Query(description="Only this type.")] = None,
    types: Annotated[list[DirectoryType] | None, Query(description="Only these types.")] = None,
) -> CursorPage[wf.Directory]:
    wanted = [*(types or []), *([type] if type else [])]
    rows, token = services.catalog.list_directories(
        project_id=project_id,
        page_size=cursor.page_size,
        page_token=cursor.page_token,
        name=name,
        include_deleted=include_deleted,
        types=wanted or None,
        # The hidden input directory shows only when asked for by name.
        exclude_names=None if name is not None else [INPUTS_DIRECTORY],
    )
    return CursorPage[wf.Directory](items=[directory_model(r) for r in rows], next_page_token=token)


@router.get("/{directory_id}", response_model=wf.Directory, summary="Get a directory")
def get_directory(directory_id: str, services: ServicesDep, project_id: ProjectId) -> wf.Directory:
    return directory_model(services.catalog.get_directory(directory_id, project_id=project_id))


@router.patch("/{directory_id}", response_model=wf.Directory, summary="Update a directory")
def update_directory(
    directory_id: str, body: wf.DirectoryUpdate, services: ServicesDep, project_id: ProjectId
) -> wf.Directory:
    changes: dict[str, Any] = {k: getattr(body, k) for k in UPDATABLE if k in body.model_fields_set}
    if "name" in changes and changes["name"] is None:
        raise InvalidField("name cannot be null")
    rec = services.catalog.update_directory(directory_id, project_id=project_id, changes=changes)
    return directory_model(rec)


@router.delete(
    "/{directory_id}", status_code=204, response_class=Response, summary="Delete a directory"
)
def delete_directory(directory_id: str, services: ServicesDep, project_id: ProjectId) -> None:
    """Soft delete: the directory stays listable with `include_deleted=true`."""
    services.catalog.delete_directory(directory_id, project_id=project_id)
