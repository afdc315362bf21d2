"""`GET /api/v2/parse/{job_id}` (spec §9.2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from reams.wire.common import WireModel

PARSE_EXPANDS = frozenset({"text", "markdown", "text_full", "markdown_full", "metadata", "items"})


class ParseUsage(WireModel):
    """What a job cost; reams charges no credits."""

    credits: float | None = Field(default=None, description="Always null: no credits in reams.")


class ParseJobInfo(WireModel):
    """A parse job record: the create, list and cancel answers, and `job` of a get."""

    id: str = Field(description="Job id (`bjb-...`), or a batch item's result id (`pjb-...`).")
    project_id: str = Field(description="Owning project.")
    status: Literal["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] = Field(
        description="PENDING, RUNNING, COMPLETED, FAILED or CANCELLED."
    )
    created_at: datetime | None = Field(default=None, description="When the job was created.")
    updated_at: datetime | None = Field(default=None, description="Last change of the job.")
    error_message: str | None = Field(default=None, description="`code: message` when it failed.")
    name: str | None = Field(default=None, description="The document's file name.")
    tier: str | None = Field(default=None, description="The tier asked for (no offline meaning).")
    usage: ParseUsage | None = Field(default=None, description="Only with `expand=usage`.")
    user_metadata: dict[str, str] | None = Field(default=None, description="The job's tags.")


class MarkdownPage(WireModel):
    page_number: int
    success: bool
    markdown: str | None = None
    error: str | None = None
    header: str | None = None
    footer: str | None = None


class TextPage(WireModel):
    page_number: int
    text: str


class MetadataPage(WireModel):
    page_number: int
    confidence: float | None = None
    printed_page_number: str | None = None


class Pages(WireModel):
    pages: list[Any]


class ContentMetadata(WireModel):
    """Size (and availability) of one stored output of a parse job."""

    size_bytes: int = Field(description="Size of the output as served (UTF-8 JSON or text).")
    exists: bool | None = Field(default=None, description="Whether reams produces this output.")
    presigned_url: str | None = Field(
        default=None, description="Always null: the output is served inline by `expand`."
    )


class ImagesMetadata(WireModel):
    """Images saved from the document: reams saves none."""

    images: list[dict[str, Any]] = Field(description="Always empty.")
    total_count: int = Field(description="Always 0.")


class ParseResult(WireModel):
    """`GET /api/v2/parse/{job_id}`: the job, plus the sections `expand` asked for (only once
    the job completed). Sections with no offline meaning come back empty, never as a 422."""

    job: ParseJobInfo = Field(description="The job record.")
    markdown: Pages | None = Field(default=None, description="`expand=markdown`: per page.")
    markdown_full: str | None = Field(default=None, description="`expand=markdown_full`.")
    text: Pages | None = Field(default=None, description="`expand=text`: per page.")
    text_full: str | None = Field(default=None, description="`expand=text_full`.")
    metadata: Pages | None = Field(default=None, description="`expand=metadata`: per page.")
    items: Pages | None = Field(default=None, description="`expand=items`: typed page items.")
    job_metadata: dict[str, Any] | None = Field(
        default=None, description="`expand=job_metadata`: reams's record of the run."
    )
    forms: Pages | None = Field(
        default=None, description="`expand=forms`: no form detection offline, so no pages."
    )
    images_content_metadata: ImagesMetadata | None = Field(
        default=None, description="`expand=images_content_metadata`: no images are saved."
    )
    result_content_metadata: dict[str, ContentMetadata] | None = Field(
        default=None, description="`expand=*_content_metadata`: one entry per asked output."
    )
