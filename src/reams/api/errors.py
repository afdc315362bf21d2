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

from reams.domain.errors import (
    Conflict,
    InvalidField,
    InvalidRequest,
    NotFound,
    TooLarge,
    Unauthorized,
)

log = logging.getLogger(__name__)


class Forbidden(Exception):
    """A signed download link is expired or its signature is wrong (answered 403)."""


NO_RETRY: Final = {"x-should-retry": "false"}

# exception class -> (status code, extra headers); the first matching class wins, so a subclass
# is listed before its base.
ERROR_TABLE: Final[Mapping[type[Exception], tuple[int, Mapping[str, str]]]] = {
    NotFound: (404, {}),
    Conflict: (409, NO_RETRY),
    InvalidField: (422, {}),
    InvalidRequest: (400, {}),
    Unauthorized: (401, {"www-authenticate": "Bearer"}),
    Forbidden: (403, {}),
    TooLarge: (413, {}),
}


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    """Answer an error listed in ERROR_TABLE."""
    status, headers = next(v for k, v in ERROR_TABLE.items() if isinstance(exc, k))
    return JSONResponse({"detail": str(exc)}, status_code=status, headers=dict(headers))


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
