"""Form bodies (every upload) and schema bodies are checked before their first byte is read.

FastAPI parses ``File``/``Form`` parameters — spooling each file to a temporary file — and JSON
bodies before any dependency runs, so the ``ProjectId`` dependency alone would answer an
unauthenticated 300 MB upload with 401 only after receiving and spooling all of it. This pure
ASGI middleware runs first, for every request whose body is a form (``multipart/form-data`` or
``application/x-www-form-urlencoded``: every upload route, and any added later) and for the
schema routes (``/api/v2/extract/schema/...``, capped at ``MAX_SCHEMA_REQUEST_BYTES``):

1. in ``keys`` mode, the ``Authorization`` header must carry a known key: else 401 at once;
2. a declared ``Content-Length`` over the cap is a 413 at once;
3. the body is then counted as it streams: past the cap (a chunked body declares no length)
   the read fails, the form parser closes (and so deletes) its temporary files (the file
   upload routes, which stream into blob writers, discard those), and the answer is a 413.

These early answers carry ``Connection: close``: the server need not read the unread body.
A form's cap is ``REAMS_MAX_UPLOAD_BYTES`` plus :data:`FORM_OVERHEAD` for the multipart framing
and the small form fields (a bulk upload's files together are held to it too); each file itself
is held to ``REAMS_MAX_UPLOAD_BYTES`` exactly as it is stored.
"""

from __future__ import annotations

import json
import re
from typing import Final

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reams.api.deps import key_problem
from reams.bootstrap import Services
from reams.domain.schema_limits import MAX_SCHEMA_REQUEST_BYTES

FORM_TYPES: Final = (b"multipart/form-data", b"application/x-www-form-urlencoded")
FORM_OVERHEAD: Final = 1024 * 1024
SCHEMA_PATHS: Final = ("/api/v2/extract/schema/validation", "/api/v2/extract/schema/generate")
_DIGITS: Final = re.compile(rb"[0-9]{1,19}")


class BodyTooLarge(Exception):
    """Raised into the app's body read when the streamed body passes the cap."""


def _limit(scope: Scope, services: Services) -> tuple[int, str] | None:
    """(cap, 413 message) of a guarded request; None for one the guard lets through."""
    if scope.get("method") not in ("POST", "PUT", "PATCH"):
        return None
    if scope.get("path", "").rstrip("/") in SCHEMA_PATHS:
        cap = MAX_SCHEMA_REQUEST_BYTES
        return cap, f"a schema request is limited to {cap} bytes"
    if not _is_form(scope):
        return None
    limit = services.settings.max_upload_bytes
    message = (
        f"upload is larger than the limit of {limit} bytes (REAMS_MAX_UPLOAD_BYTES, plus "
        f"{FORM_OVERHEAD} bytes for the form's framing and fields)"
    )
    return limit + FORM_OVERHEAD, message


class UploadGuard:
    """ASGI middleware: auth and size of form and schema bodies, before the body is read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services = _services(scope)
        guarded = None
        if scope["type"] == "http" and services is not None:
            guarded = _limit(scope, services)
        if services is None or guarded is None:
            await self.app(scope, receive, send)
            return
        cap, too_large = guarded
        headers = dict(scope["headers"])
        if services.settings.auth_mode == "keys":
            authorization = headers.get(b"authorization", b"").decode("latin-1")
            problem = await run_in_threadpool(key_problem, services, authorization)
            if problem is not None:
                await _answer(send, 401, problem, [(b"www-authenticate", b"Bearer")])
                return
        declared = headers.get(b"content-length")
        if declared is not None:
            if not _DIGITS.fullmatch(declared.strip()):
                await _answer(send, 400, "Content-Length is not a number of bytes")
                return
            if int(declared) > cap:
                await _answer(send, 413, too_large)
                return
        await _capped(self.app, scope, receive, send, cap=cap, message=too_large)


async def _capped(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, *, cap: int, message: str
) -> None:
    """Run ``app`` with a body that fails past ``cap`` bytes; then answer 413 instead."""
    received = 0
    over = False

    async def counted_receive() -> Message:
        nonlocal received, over
        msg = await receive()
        if msg["type"] == "http.request":
            received += len(msg.get("body", b""))
            if received > cap:
                over = True
                raise BodyTooLarge(message)
        return msg

    async def guarded_send(msg: Message) -> None:
        if not over:  # the app's own answer; once over, its (400) answer is replaced
            await send(msg)

    try:
        await app(scope, counted_receive, guarded_send)
    except BodyTooLarge:
        pass
    except Exception:
        if not over:
            raise
    if over:
        await _answer(send, 413, message)


def _services(scope: Scope) -> Services | None:
    app = scope.get("app")
    state = getattr(app, "state", None)
    return getattr(state, "services", None)


def _is_form(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bytes(value).strip().lower().startswith(FORM_TYPES)
    return False


async def _answer(
    send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
