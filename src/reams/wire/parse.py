"""`GET /api/v2/parse/{job_id}` (spec §9.2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from reams.wire.common import WireModel

PARSE_EXPANDS = frozenset({"text", "markdown", "text_full", "markdown_full", "metadata", "items"})


class ParseJobInfo(WireModel):
    id: str
    project_id: str
    status: Literal["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]
    created_at: datetime | None = None
    updated_at: datetime | None = None
    error_message: str | None = None
    name: str | None = None
    tier: str | None = None


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


class ParseResult(WireModel):
    job: ParseJobInfo
    markdown: Pages | None = None
    markdown_full: str | None = None
    text: Pages | None = None
    text_full: str | None = None
    metadata: Pages | None = None
    items: Pages | None = None
    job_metadata: dict[str, Any] | None = Field(default=None)
