"""Projects (`/api/v1/projects`, spec: the SDK's `Project`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from reams.wire.common import WireModel


class Project(WireModel):
    id: str = Field(description="Project id (`prj-<uuid>`).")
    name: str = Field(description="Project name (unique on the server).")
    organization_id: str = Field(
        description="Always `org-reams`: reams has no organizations, so every project reports "
        "this constant, and the `organization_id` query parameter is ignored everywhere."
    )
    created_at: datetime | None = Field(default=None, description="When the project was created.")
    updated_at: datetime | None = Field(
        default=None, description="Projects never change in reams: the creation time."
    )
    is_default: bool | None = Field(
        default=None, description="Whether this is the server's default project (`open` mode's)."
    )
