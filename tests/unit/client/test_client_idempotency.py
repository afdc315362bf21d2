"""The client sends one ``Idempotency-Key`` per logical create, the same on every retry."""

from __future__ import annotations

import asyncio
import contextlib

import httpx

from reams.client import endpoints as ep
from reams.client.config import ClientConfig
from reams.client.transport import AsyncTransport, SyncTransport


def _flaky() -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) % 2:  # every first try of a call: the server is busy
            return httpx.Response(503, headers={"retry-after-ms": "1"})
        return httpx.Response(200, json={"id": "dir-1", "name": "d", "project_id": "prj"})

    return seen, httpx.MockTransport(answer)


def _config(max_retries: int) -> ClientConfig:
    return ClientConfig.resolve("http://h", "k", timeout=5, max_retries=max_retries)


def test_a_retried_create_reuses_its_key_and_a_new_call_gets_a_new_one() -> None:
    seen, mock = _flaky()
    transport = SyncTransport(_config(2))
    transport.http = httpx.Client(base_url="http://h", transport=mock)
    transport.call(ep.directories_create({"name": "d"}))
    transport.call(ep.directories_create({"name": "d"}))
    keys = [r.headers.get("idempotency-key") for r in seen]
    assert len(keys) == 4 and all(keys)
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]


def test_reads_and_unretried_clients_send_no_key() -> None:
    seen, mock = _flaky()
    transport = SyncTransport(_config(0))
    transport.http = httpx.Client(base_url="http://h", transport=mock)
    with contextlib.suppress(Exception):
        transport.call(ep.directories_create({"name": "d"}))
    assert "idempotency-key" not in seen[0].headers
    retried = SyncTransport(_config(2))
    retried.http = httpx.Client(base_url="http://h", transport=mock)
    retried.call(ep.directories_get("dir-1", {}))
    assert all("idempotency-key" not in r.headers for r in seen)


def test_the_async_transport_does_the_same() -> None:
    seen, mock = _flaky()

    async def go() -> None:
        transport = AsyncTransport(_config(2))
        transport.http = httpx.AsyncClient(base_url="http://h", transport=mock)
        await transport.call(ep.batch_create({"job_config": {}, "directory_id": "dir-1"}))

    with contextlib.suppress(Exception):  # the fake answer is no batch job: headers matter
        asyncio.run(go())
    keys = [r.headers.get("idempotency-key") for r in seen]
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
