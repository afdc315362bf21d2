"""Errors that carry a stable, user-facing code.

Processors raise :class:`ProcessorError`; the engine records its ``code`` and sanitized ``message``
on the failed item. Stack traces never reach users: they go to logs.
"""

from __future__ import annotations


class ReamsError(Exception):
    """Base class of every error reams raises on purpose."""


class ProcessorError(ReamsError):
    """A document could not be processed.

    ``code`` is short and stable (``encrypted_document``, ``corrupt_document``, ``empty_document``,
    ``unsupported_format``, ``timeout``, ``too_large``, ...); ``message`` is a sentence a user
    can act on; ``retryable`` says whether trying again later could succeed.
    """

    def __init__(self, code: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retryable = retryable

    def __reduce__(self) -> tuple[object, ...]:
        # Keeps the error intact across the pipe from a worker process.
        return (_rebuild_processor_error, (self.code, self.message, self.retryable))


def _rebuild_processor_error(code: str, message: str, retryable: bool) -> ProcessorError:
    return ProcessorError(code, message, retryable=retryable)


class NotFound(ReamsError):
    """An id is unknown in the caller's project (other projects' ids are unknown too)."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} not found")
        self.kind = kind
        self.ident = ident


class Conflict(ReamsError):
    """The request conflicts with the current state (answered 409, never retried)."""


class InvalidRequest(ReamsError):
    """The request cannot be served as it stands: a malformed token, a bad query (API: 400)."""


class InvalidField(InvalidRequest):
    """A field of the request has a value reams cannot accept: a job config, a schema, a name
    (API: 422). The message names the field."""


class TooLarge(ReamsError):
    """A stream exceeded the size allowed for it (API: 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"upload is larger than the limit of {limit} bytes")
        self.limit = limit


class Unauthorized(ReamsError):
    """The API key is missing or unknown."""
