"""Envelopes and small shared shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are kept, as the SDK's models do."""

    model_config = ConfigDict(extra="allow")


class OffsetPage(WireModel, Generic[T]):
    """The v1 batch family's page: offset paging, ``total_size`` across all pages."""

    items: list[T] = Field(description="The rows of this page.")
    total_size: int = Field(description="Number of matching rows across all pages.")
    limit: int | None = Field(default=None, description="Page size that was applied.")
    offset: int | None = Field(default=None, description="Rows skipped before this page.")


class CursorPage(WireModel, Generic[T]):
    """Cursor paging: repeat the request with ``page_token=next_page_token`` until it is null."""

    items: list[T] = Field(description="The rows of this page.")
    next_page_token: str | None = Field(
        default=None, description="Token of the next page; null on the last page."
    )
    total_size: int | None = Field(default=None, description="Number of matching rows.")


class PresignedURL(WireModel):
    """A URL that downloads bytes from this server without an Authorization header."""

    url: str = Field(description="Signed download URL.")
    expires_at: datetime = Field(description="When the signature stops being accepted.")
    form_fields: dict[str, str] | None = Field(default=None, description="Always null here.")
