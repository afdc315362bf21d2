"""Sending requests: retries and pagination over httpx, once blocking and once async.

The two transports are deliberately tiny: every decision (what to send, whether and how long
to wait before retrying, how a page leads to the next) lives in the shared, I/O-free modules,
so here only ``send`` / ``sleep`` differ between the sync and the async flavour.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import httpx
import pydantic

from reams import __version__
from reams.client.config import ClientConfig
from reams.client.errors import APIConnectionError, APITimeoutError
from reams.client.paging import PagedRequest
from reams.client.request import ApiRequest, to_httpx, with_idempotency_key
from reams.client.retries import next_delay

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)

Outcome = httpx.Response | httpx.TransportError


class Attempts:
    """Counts the retries of one call and decides what its latest outcome means."""

    def __init__(self, *, max_retries: int, base_url: str) -> None:
        self.max_retries = max_retries
        self.base_url = base_url
        self.taken = 0

    def next(self, outcome: Outcome) -> httpx.Response | float:
        """The response to return, or the seconds to sleep before trying again."""
        if isinstance(outcome, httpx.TransportError):
            delay = next_delay(self.taken, self.max_retries, status_code=None)
            if delay is None:
                raise self._connection_error(outcome) from outcome
        elif outcome.status_code < 400:
            return outcome
        else:
            delay = next_delay(
                self.taken,
                self.max_retries,
                status_code=outcome.status_code,
                headers=outcome.headers,
            )
            if delay is None:
                return outcome  # the caller's parser raises the matching status error
        self.taken += 1
        return delay

    def _connection_error(self, exc: httpx.TransportError) -> APIConnectionError:
        tries = f"after {self.taken + 1} attempt(s)"
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"request to {self.base_url} timed out {tries}")
        return APIConnectionError(
            f"cannot reach the reams server at {self.base_url} {tries}: {exc}"
        )


class SyncTransport:
    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        agent = f"reams-client/{__version__} (sync)"
        self.http = httpx.Client(**config.client_kwargs(user_agent=agent))  # type: ignore[arg-type]

    def _send(self, request: ApiRequest[Any]) -> Outcome:
        try:
            return self.http.send(to_httpx(self.http, request))
        except httpx.TransportError as exc:
            return exc

    def call(self, request: ApiRequest[T]) -> T:
        attempts = Attempts(max_retries=self.config.max_retries, base_url=self.config.base_url)
        if self.config.max_retries:
            request = with_idempotency_key(request)  # one key for every try of this call
        while True:
            step = attempts.next(self._send(request))
            if isinstance(step, httpx.Response):
                return request.parse(step)
            time.sleep(step)

    def paginate(self, first: PagedRequest[M]) -> Iterator[M]:
        current: PagedRequest[M] | None = first
        while current is not None:
            page = self.call(current.request)
            yield from page.items
            current = current.following(page)

    def close(self) -> None:
        self.http.close()


class AsyncTransport:
    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        agent = f"reams-client/{__version__} (async)"
        self.http = httpx.AsyncClient(**config.client_kwargs(user_agent=agent))  # type: ignore[arg-type]

    async def _send(self, request: ApiRequest[Any]) -> Outcome:
        try:
            return await self.http.send(to_httpx(self.http, request))
        except httpx.TransportError as exc:
            return exc

    async def call(self, request: ApiRequest[T]) -> T:
        attempts = Attempts(max_retries=self.config.max_retries, base_url=self.config.base_url)
        if self.config.max_retries:
            request = with_idempotency_key(request)  # one key for every try of this call
        while True:
            step = attempts.next(await self._send(request))
            if isinstance(step, httpx.Response):
                return request.parse(step)
            await asyncio.sleep(step)

    async def paginate(self, first: PagedRequest[M]) -> AsyncIterator[M]:
        current: PagedRequest[M] | None = first
        while current is not None:
            page = await self.call(current.request)
            for item in page.items:
                yield item
            current = current.following(page)

    async def close(self) -> None:
        await self.http.aclose()
