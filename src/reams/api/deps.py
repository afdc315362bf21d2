"""Request dependencies: the process's services, the caller's project, paging, download links.

Auth modes: ``open`` (default) maps every caller, with any bearer key or none, to the default
project and ignores ``project_id``; ``keys`` requires ``Authorization: Bearer <key>`` and answers
another project's ``project_id`` with 404, exactly like another project's resource ids.

Every dependency here is ``async``: FastAPI runs a plain ``def`` dependency in its threadpool,
and each such hop (a thread hand-off and back, under the GIL) cost more than the work of the
dependency. The one that reads the store does it through :func:`store_read`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, ParamSpec, TypeVar, cast

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from reams.api.signing import DownloadLinks
from reams.bootstrap import Services
from reams.domain.apikeys import hash_api_key
from reams.domain.errors import NotFound, Unauthorized
from reams.domain.paging import MAX_OFFSET
from reams.service.configurations import Configurations

# auto_error=False: a missing key is a 401 from our error table (open mode accepts it).
_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <api key>`")
P = ParamSpec("P")
R = TypeVar("R")


async def get_services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


async def store_read(
    services: Services, read: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run a short store read: on the event loop where a read never waits (the store says so:
    SQLite in WAL mode, where a reader takes a snapshot and never the writer's lock), else in
    the threadpool (a database across a network may be slow to answer)."""
    if services.inline_reads:
        return read(*args, **kwargs)
    return await run_in_threadpool(read, *args, **kwargs)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_configurations(services: ServicesDep) -> Configurations:
    """Saved product and webhook configurations (built once, by the composition root)."""
    return services.configurations


ConfigurationsDep = Annotated[Configurations, Depends(get_configurations)]


MISSING_KEY = "missing API key: send 'Authorization: Bearer <api key>'"
INVALID_KEY = "invalid API key"


def key_problem(services: Services, authorization: str) -> str | None:
    """Why an ``Authorization`` header does not admit its request in keys mode (None: it does).

    The same rule as :func:`caller_project`, for checks that run before FastAPI parses the
    request (the upload guard)."""
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return MISSING_KEY
    if services.catalog.project_for_key(hash_api_key(token)) is None:
        return INVALID_KEY
    return None


async def caller_project(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    project_id: Annotated[
        str | None, Query(description="Project scope; in keys mode it must be the key's.")
    ] = None,
    organization_id: Annotated[
        str | None, Query(description="Accepted for SDK compatibility; reams has no orgs.")
    ] = None,
) -> str:
    """The id of the project the request acts in."""
    if services.settings.auth_mode == "open":
        return cast(str, request.app.state.default_project_id)
    if credentials is None:
        raise Unauthorized(MISSING_KEY)
    key_hash = hash_api_key(credentials.credentials)
    project = await store_read(services, services.catalog.project_for_key, key_hash)
    if project is None:
        raise Unauthorized(INVALID_KEY)
    if project_id is not None and project_id != project.id:
        raise NotFound("project", project_id)
    return project.id


ProjectId = Annotated[str, Depends(caller_project)]


async def download_links(request: Request, services: ServicesDep) -> DownloadLinks:
    """Links on ``public_url`` when configured, else on the URL this request came in on."""
    base = services.settings.public_url or str(request.base_url)
    return DownloadLinks(
        base_url=base,
        secret=cast(bytes, request.app.state.signing_secret),
        default_ttl_s=services.settings.download_url_ttl_s,
    )


LinksDep = Annotated[DownloadLinks, Depends(download_links)]


@dataclass(frozen=True)
class Cursor:
    page_size: int
    page_token: str | None


async def cursor_params(
    page_size: Annotated[int, Query(ge=1, le=1000, description="Rows per page (max 1000).")] = 50,
    page_token: Annotated[
        str | None, Query(description="`next_page_token` of the previous page.")
    ] = None,
) -> Cursor:
    return Cursor(page_size=page_size, page_token=page_token)


CursorDep = Annotated[Cursor, Depends(cursor_params)]


@dataclass(frozen=True)
class Offset:
    limit: int
    offset: int


async def offset_params(
    limit: Annotated[int, Query(ge=1, le=1000, description="Rows per page (max 1000).")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description=f"Rows to skip (at most {MAX_OFFSET}).")
    ] = 0,
) -> Offset:
    return Offset(limit=limit, offset=offset)


OffsetDep = Annotated[Offset, Depends(offset_params)]
