"""`POST /api/v1/beta/files/query` (spec §8.5): the files list as a JSON query."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from reams.wire.common import WireModel


class FileQueryFilter(WireModel):
    data_source_id: str | None = Field(
        default=None,
        description="reams has no data sources, so a non-null value matches no file.",
    )
    external_file_id: str | None = Field(default=None, description="Exact external id.")
    file_ids: list[str] | None = Field(default=None, description="Only these file ids.")
    file_name: str | None = Field(default=None, description="Exact file name.")
    only_manually_uploaded: bool | None = Field(
        default=None,
        description="Every reams file was uploaded by a caller, so true and false both match "
        "every file.",
    )
    project_id: str | None = Field(
        default=None,
        description="A project other than the caller's matches no file (a caller only ever "
        "sees its own project's files).",
    )


class FileQuery(WireModel):
    filter: FileQueryFilter | None = Field(default=None, description="All given fields must match.")
    order_by: Literal["name", "id", "created_at"] | None = Field(
        default=None,
        description="`name` (asc), `id` (asc) or `created_at` (desc, the default).",
    )
    page_size: int | None = Field(
        default=None, ge=1, le=1000, description="Rows per page (default 50, max 1000)."
    )
    page_token: str | None = Field(
        default=None, description="`next_page_token` of the previous page."
    )
