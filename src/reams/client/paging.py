"""Auto-pagination rules, shared by the sync and the async client.

Two envelopes exist (spec §3): the v1 batch family pages by ``offset`` and stops once
``offset + len(items)`` reaches ``total_size``; everything else pages by ``next_page_token``.
Either way an empty page ends the listing, so a misbehaving server cannot loop us forever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import httpx
import pydantic

from reams.client.errors import ResponseValidationError
from reams.client.request import ApiRequest, body_json, check, validate

T = TypeVar("T", bound=pydantic.BaseModel)

PageStyle = Literal["offset", "cursor"]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total_size: int | None = None
    next_page_token: str | None = None


def page_parser(model: type[T]) -> Callable[[httpx.Response], Page[T]]:
    """A parser for a page envelope whose items are ``model``."""

    def parse(response: httpx.Response) -> Page[T]:
        data = body_json(check(response))
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise ResponseValidationError("expected a page object with an `items` list", body=data)
        total = data.get("total_size")
        token = data.get("next_page_token")
        return Page(
            items=[validate(model, item) for item in data["items"]],
            total_size=total if isinstance(total, int) else None,
            next_page_token=token if isinstance(token, str) and token else None,
        )

    return parse


@dataclass(frozen=True)
class PagedRequest(Generic[T]):
    """The request of one page, and how to derive the request of the page after it."""

    request: ApiRequest[Page[T]]
    style: PageStyle

    def following(self, page: Page[T]) -> PagedRequest[T] | None:
        """The next page's request, repeating every original query parameter; None at the end."""
        if not page.items:
            return None
        if self.style == "cursor":
            if page.next_page_token is None:
                return None
            return PagedRequest(self.request.with_query(page_token=page.next_page_token), "cursor")
        offset = int(self.request.query.get("offset") or 0) + len(page.items)
        if page.total_size is None or offset >= page.total_size:
            return None
        return PagedRequest(self.request.with_query(offset=offset), "offset")


def paged(model: type[T], style: PageStyle, *, path: str, query: dict[str, Any]) -> PagedRequest[T]:
    return PagedRequest(ApiRequest("GET", path, parse=page_parser(model), query=query), style)
