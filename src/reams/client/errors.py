"""The client's exception hierarchy and the mapping from an HTTP error response to it.

Every exception the client raises on purpose is a :class:`ReamsAPIError`, so callers (and the
CLI) can catch one type. The message always carries the server's ``detail`` (FastAPI's
``{"detail": ...}`` shape), because that sentence is what tells a user what to do next.
"""

from __future__ import annotations

import json
from typing import Any


class ReamsAPIError(Exception):
    """Base of every client error. ``status_code`` is None when no response arrived."""

    status_code: int | None = None

    def __init__(self, message: str, *, detail: Any = None, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.body = body


class APIConnectionError(ReamsAPIError):
    """The server could not be reached (refused, reset, DNS, ...), even after retries."""


class APITimeoutError(APIConnectionError):
    """The request timed out, even after retries."""


class ResponseValidationError(ReamsAPIError):
    """A successful response whose body is not the shape the API promises."""


class APIStatusError(ReamsAPIError):
    """The server answered with an error status; see ``status_code`` and ``detail``."""

    def __init__(self, message: str, *, status_code: int, detail: Any, body: Any) -> None:
        super().__init__(message, detail=detail, body=body)
        self.status_code = status_code


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or unknown."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404: unknown id, or an id of another project."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but invalid."""


class RateLimitError(APIStatusError):
    """429."""


class InternalServerError(APIStatusError):
    """5xx."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def decode_body(text: str) -> Any:
    """The JSON body when there is one, else the stripped text (proxies answer in HTML)."""
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError:
        return stripped


def _location(loc: Any) -> str:
    parts = [str(p) for p in loc] if isinstance(loc, list | tuple) else [str(loc)]
    # FastAPI prefixes the part of the request ("body", "query"); users think in field names.
    if len(parts) > 1 and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts)


def describe_detail(detail: Any) -> str:
    """One readable line for a ``detail``: a string, FastAPI's validation list, or an object."""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and all(isinstance(e, dict) and "msg" in e for e in detail):
        return "; ".join(
            f"{_location(e['loc'])}: {e['msg']}" if e.get("loc") else str(e["msg"]) for e in detail
        )
    if isinstance(detail, dict) and isinstance(detail.get("message"), str):
        return str(detail["message"])
    return json.dumps(detail, sort_keys=True, default=str)


def status_error(status_code: int, text: str) -> APIStatusError:
    """The exception for an error response with this status and body text."""
    body = decode_body(text)
    detail = body.get("detail", body) if isinstance(body, dict) else body
    described = describe_detail(detail) if detail not in ("", None) else ""
    message = f"{described} (HTTP {status_code})" if described else f"HTTP {status_code}"
    return error_class(status_code)(message, status_code=status_code, detail=detail, body=body)
