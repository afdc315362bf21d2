"""``client.beta.batch.export(job_id, format=..., to=path)``: stream a job's export to a file.

The body is written chunk by chunk to ``<path>.part`` and renamed when complete, so a large
export never sits in memory and an interrupted download never looks finished.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import httpx

from reams.client.errors import APIConnectionError, status_error
from reams.client.request import ApiRequest, path, to_httpx

ExportFormat = Literal["jsonl", "csv", "zip"]
ExportTarget = str | os.PathLike[str]
Exported = Path
BATCH = "/api/v1/beta/batch-processing"


def export_request(job_id: str, fmt: ExportFormat, project_id: str | None) -> ApiRequest[None]:
    return ApiRequest(
        "GET",
        path(BATCH + "/{}/export", job_id),
        parse=lambda _response: None,
        query={"format": fmt, "project_id": project_id},
        accept="*/*",
    )


def _part(target: Path) -> Path:
    return target.with_name(target.name + ".part")


def _failed(response: httpx.Response, body: bytes) -> Exception:
    return status_error(response.status_code, body.decode("utf-8", "replace"))


def export_sync(
    http: httpx.Client,
    job_id: str,
    fmt: ExportFormat,
    to: ExportTarget,
    project_id: str | None,
) -> Path:
    target = Path(to)
    part = _part(target)
    try:
        response = http.send(to_httpx(http, export_request(job_id, fmt, project_id)), stream=True)
    except httpx.TransportError as exc:
        raise APIConnectionError(f"export of {job_id} failed: {exc}") from exc
    try:
        if response.status_code >= 400:
            raise _failed(response, response.read())
        with part.open("wb") as sink:
            for chunk in response.iter_bytes():
                sink.write(chunk)
    except httpx.TransportError as exc:
        part.unlink(missing_ok=True)
        raise APIConnectionError(f"export of {job_id} was cut off: {exc}") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        response.close()
    os.replace(part, target)
    return target


async def export_async(
    http: httpx.AsyncClient,
    job_id: str,
    fmt: ExportFormat,
    to: ExportTarget,
    project_id: str | None,
) -> Path:
    target = Path(to)
    part = _part(target)
    try:
        request = to_httpx(http, export_request(job_id, fmt, project_id))
        response = await http.send(request, stream=True)
    except httpx.TransportError as exc:
        raise APIConnectionError(f"export of {job_id} failed: {exc}") from exc
    try:
        if response.status_code >= 400:
            raise _failed(response, await response.aread())
        with part.open("wb") as sink:
            async for chunk in response.aiter_bytes():
                sink.write(chunk)
    except httpx.TransportError as exc:
        part.unlink(missing_ok=True)
        raise APIConnectionError(f"export of {job_id} was cut off: {exc}") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        await response.aclose()
    os.replace(part, target)
    return target
