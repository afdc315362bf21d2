"""Projects as the LlamaCloud project API shows them (`/api/v1/projects`).

A caller sees exactly one project: its API key's in ``keys`` mode, the default project in
``open`` mode. reams has no organizations; every project reports :data:`ORGANIZATION_ID`, a
constant (the same on every server and across restarts), because the SDK's ``Project`` model
requires an ``organization_id`` and reams ignores the ``organization_id`` query parameter
everywhere, so nothing a client does with it can go wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reams.domain.errors import NotFound
from reams.store.protocols import Catalog

ORGANIZATION_ID = "org-reams"


@dataclass(frozen=True)
class ProjectView:
    """A project with what the project API reports about it."""

    id: str
    name: str
    created_at: datetime
    is_default: bool
    organization_id: str = ORGANIZATION_ID


def _view(catalog: Catalog, project_id: str, default_project_id: str) -> ProjectView:
    project, created_at = catalog.describe_project(project_id)
    return ProjectView(
        id=project.id,
        name=project.name,
        created_at=created_at,
        is_default=project.id == default_project_id,
    )


def visible_projects(
    catalog: Catalog, *, caller_project_id: str, default_project_id: str, name: str | None = None
) -> list[ProjectView]:
    """The projects the caller may see (its own), optionally only the one called ``name``."""
    view = _view(catalog, caller_project_id, default_project_id)
    return [view] if name is None or view.name == name else []


def get_project(
    catalog: Catalog, project_id: str, *, caller_project_id: str, default_project_id: str
) -> ProjectView:
    """The caller's own project; any other id is NotFound, like other projects' resources."""
    if project_id != caller_project_id:
        raise NotFound("project", project_id)
    return _view(catalog, project_id, default_project_id)
