"""Projects: `/api/v1/projects` (list, get).

A caller sees one project: its API key's in `keys` mode, the default project in `open` mode.
reams has no organizations: every project reports `organization_id` `org-reams`.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Path, Query, Request

from reams.api.deps import ProjectId, ServicesDep
from reams.service import projects
from reams.wire import projects as wp

router = APIRouter(prefix="/api/v1/projects", tags=["projects"])


def _model(view: projects.ProjectView) -> wp.Project:
    return wp.Project(
        id=view.id,
        name=view.name,
        organization_id=view.organization_id,
        created_at=view.created_at,
        updated_at=view.created_at,
        is_default=view.is_default,
    )


def _default_project(request: Request) -> str:
    return cast(str, request.app.state.default_project_id)


@router.get("", response_model=list[wp.Project], summary="List the projects the caller can see")
def list_projects(
    request: Request,
    services: ServicesDep,
    caller: ProjectId,
    project_name: Annotated[str | None, Query(description="Only the project so named.")] = None,
) -> list[wp.Project]:
    """A plain JSON list (not paged): the caller's own project, unless `project_name` names
    another one. `organization_id` is accepted and ignored."""
    views = projects.visible_projects(
        services.catalog,
        caller_project_id=caller,
        default_project_id=_default_project(request),
        name=project_name,
    )
    return [_model(v) for v in views]


# The path variable is not called `project_id`: that name is the scoping query parameter.
@router.get("/{project}", response_model=wp.Project, summary="Get a project")
def get_project(
    project: Annotated[str, Path(description="The project's id (`prj-...`).")],
    request: Request,
    services: ServicesDep,
    caller: ProjectId,
) -> wp.Project:
    """The caller's own project; any other id is a 404."""
    view = projects.get_project(
        services.catalog,
        project,
        caller_project_id=caller,
        default_project_id=_default_project(request),
    )
    return _model(view)
