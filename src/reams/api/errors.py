"""The one table from errors to HTTP answers, all in FastAPI's ``{"detail": ...}`` shape.

Request validation keeps FastAPI's own 422 list shape. A 409 carries ``x-should-retry: false``
because the SDK otherwise retries every 409 five times before raising ``ConflictError``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from reams.domain.errors import Conflict, InvalidRequest, NotFound, Unauthorized
from reams.store.blobs import TooLarge

log = logging.getLogger(__name__)


class Forbidden(Exception):
    """A signed download link is expired or its signature is wrong (answered 403)."""


NO_RETRY: Final = {"x-should-retry": "false"}

# exception class -> (status code, extra headers). InvalidRequest brings its own status code.
ERROR_TABLE: Final[Mapping[type[Exception], tuple[int, Mapping[str, str]]]] = {
    NotFound: (404, {}),
    Conflict: (409, NO_RETRY),
    InvalidRequest: (400, {}),
    Unauthorized: (401, {"www-authenticate": "Bearer"}),
    Forbidden: (403, {}),
    TooLarge: (413, {}),
    # The database refused a value (PostgreSQL rejects NUL characters in text, for one).
    DataError: (400, {}),
}


def _detail(request: Request, exc: Exception) -> str:
    if isinstance(exc, TooLarge):
        limit = request.app.state.services.settings.max_upload_bytes
        return f"upload is larger than the limit of {limit} bytes"
    if isinstance(exc, DataError):
        return "a value in the request cannot be stored (for example it contains a NUL character)"
    return str(exc)


def _status(exc: Exception, default: int) -> int:
    return exc.status_code if isinstance(exc, InvalidRequest) else default


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    """Answer an error listed in ERROR_TABLE."""
    status, headers = next(v for k, v in ERROR_TABLE.items() if isinstance(exc, k))
    return JSONResponse(
        {"detail": _detail(request, exc)}, status_code=_status(exc, status), headers=dict(headers)
    )


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """Anything unexpected: a 500 with no internals in the body.

    Starlette re-raises after this answer, so the server logs the traceback; this line adds
    which request it was.
    """
    log.error("internal error answering %s %s: %r", request.method, request.url.path, exc)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def install(app: FastAPI) -> None:
    """Register the table's handlers on ``app``."""
    for exc_class in ERROR_TABLE:
        app.add_exception_handler(exc_class, domain_error)
    app.add_exception_handler(Exception, internal_error)
