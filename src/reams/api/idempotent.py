"""``Idempotency-Key`` on the POSTs that create, implemented once for every such route.

A create route opts in with ``dependencies=[IDEMPOTENT]`` (which documents the header) on a
router built with ``route_class=IdempotentRoute``. The route class wraps the handler: with a
key, it fingerprints the request (method, path, query, canonical body: parsed JSON, or form
fields with each file as its name and sha256, so a new multipart boundary is the same
request), then asks :class:`reams.service.idempotency.Idempotency` whether to run the
handler or send the stored response again. Replays carry ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from reams.api.deps import caller_project, get_services
from reams.bootstrap import Services
from reams.service.idempotency import MAX_KEY_LENGTH, Idempotency, check_key, request_hash

HEADER = "idempotency-key"


def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Make this create idempotent: the same key with the same request "
            "within 24 h returns the first response (no second object); the same key with a "
            "different request is a 422. Keys are scoped per project.",
            # Stated for clients (check_key refuses the rest with a sentence): printable ASCII,
            # no leading or trailing space (HTTP strips them).
            json_schema_extra={
                "minLength": 1,
                "maxLength": MAX_KEY_LENGTH,
                "pattern": "^[!-~]([ -~]*[!-~])?$",
            },
        ),
    ] = None,
) -> str | None:
    return check_key(key) if key is not None else None


def idempotency_key_or_transaction(
    key: Annotated[str | None, Depends(idempotency_key)] = None,
) -> str | None:
    """As :func:`idempotency_key`; without the header, the body's ``transaction_id`` is the
    key (v2 classify: the same transaction is created once)."""
    return key


IDEMPOTENT = Depends(idempotency_key)
IDEMPOTENT_BY_TRANSACTION = Depends(idempotency_key_or_transaction)
TRANSACTION_PREFIX = "transaction_id:"


class IdempotentRoute(APIRoute):
    """An APIRoute whose POSTs with an ``Idempotency-Key`` run at most once per key."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        marks = {d.dependency for d in self.dependencies}
        by_transaction = idempotency_key_or_transaction in marks
        if not by_transaction and idempotency_key not in marks:
            return handler

        async def idempotent_handler(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if request.method != "POST" or (key is None and not by_transaction):
                return await handler(request)  # no key: nothing read, nothing hashed
            body = await _canonical_body(request)
            if key is None and by_transaction and isinstance(body, dict):
                transaction = body.get("transaction_id")
                if isinstance(transaction, str) and transaction:
                    key = TRANSACTION_PREFIX + transaction
            if key is None:
                return await handler(request)
            check_key(key)
            services = await get_services(request)
            project_id = await _project(request, services)
            fingerprint = request_hash(
                method=request.method,
                path=request.url.path,
                query=[(k, v) for k, v in request.query_params.multi_items()],
                body=body,
            )
            idem = Idempotency(catalog=services.catalog)
            stored = await run_in_threadpool(
                idem.begin, project_id=project_id, key=key, fingerprint=fingerprint
            )
            if stored is not None:
                return JSONResponse(
                    stored.body,
                    status_code=stored.status_code,
                    headers={"Idempotent-Replayed": "true"},
                )
            try:
                response = await handler(request)
            except BaseException:
                await run_in_threadpool(idem.release, project_id=project_id, key=key)
                raise
            if 200 <= response.status_code < 300 and _is_json(response):
                body = json.loads(bytes(response.body))
                await run_in_threadpool(
                    idem.finish,
                    project_id=project_id,
                    key=key,
                    status_code=response.status_code,
                    body=body,
                )
            else:
                await run_in_threadpool(idem.release, project_id=project_id, key=key)
            return response

        return idempotent_handler


def _is_json(response: Response) -> bool:
    """A whole JSON body (route answers are; streams and files are never stored)."""
    content_type = response.headers.get("content-type", "")
    return content_type.startswith("application/json") and hasattr(response, "body")


async def _project(request: Request, services: Services) -> str:
    """The caller's project, by the same rule as the ``ProjectId`` dependency."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    credentials = None
    if scheme.lower() == "bearer" and token:
        from fastapi.security import HTTPAuthorizationCredentials

        credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=token)
    return await caller_project(
        request,
        services,
        credentials,
        request.query_params.get("project_id"),
        request.query_params.get("organization_id"),
    )


async def _canonical_body(request: Request) -> Any:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        fields: list[tuple[str, Any]] = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                fields.append((name, {"filename": value.filename, "sha256": await _sha(value)}))
            else:
                fields.append((name, value))
        return sorted(fields, key=lambda f: f[0])
    raw = await request.body()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return {"sha256": hashlib.sha256(raw).hexdigest()}


async def _sha(upload: UploadFile) -> str:
    digest = hashlib.sha256()
    await upload.seek(0)
    while chunk := await upload.read(1 << 20):
        digest.update(chunk)
    await upload.seek(0)
    return digest.hexdigest()
