"""The OpenAPI document tells every status code each operation answers, with the real body.

FastAPI documents a 2xx and a 422 with its own list-shaped ``HTTPValidationError``; reams's
errors are ``{"detail": "a sentence"}`` (see :mod:`reams.api.errors`), and 400, 401, 404, 409
and 413 are answered too. :func:`document_errors` post-processes the generated document once,
deriving each operation's error answers from facts of its route, so a new route is documented
by the same rules:

- it depends on the caller's project (``ProjectId``) → 401 in key mode, and 404 for another
  project's ``project_id``;
- it has a path parameter → 404 (an unknown id, or another project's);
- it reads a body → 400 (a body that cannot be parsed) and 422;
- it takes a multipart upload → 413 (past ``REAMS_MAX_UPLOAD_BYTES``);
- it takes ``page_token`` → 400 (a token this server did not issue);
- it honours ``Idempotency-Key`` → 409 (the same key still in progress) and 422 (the key
  reused for another request);
- any other parameter → 422.

What no rule can know (a 409 for a finished job, a 400 for a built-in preset) is declared
with ``responses=`` on the route itself. Every 4xx then gets the one :class:`ErrorBody`
schema, and the headers :data:`reams.api.errors.ERROR_TABLE` sends with that status.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute

from reams.api.deps import caller_project
from reams.api.errors import ERROR_TABLE
from reams.api.idempotent import idempotency_key, idempotency_key_or_transaction
from reams.wire.errors import ErrorBody

COMPONENTS: Final = "#/components/schemas/"
ERROR_REF: Final = {"$ref": f"{COMPONENTS}ErrorBody"}
FASTAPI_ERROR_SCHEMAS: Final = ("HTTPValidationError", "ValidationError")
MULTIPART: Final = "multipart/form-data"
FASTAPI_DESCRIPTIONS: Final = ("Validation Error", "Additional Response")

HEADER_DOCS: Final[Mapping[str, str]] = {
    "x-should-retry": "`false`: the request will not succeed as it is; the SDK does not retry.",
    "www-authenticate": "`Bearer`.",
}


@dataclass(frozen=True)
class Reason:
    """Why an operation may answer ``status``; ``generic`` ones give way to a route's own
    description of that status."""

    status: int
    text: str
    generic: bool = False


AUTH = Reason(
    401,
    "Key mode only (`REAMS_AUTH_MODE=keys`): the `Authorization: Bearer <api key>` header is "
    "missing, or the key is unknown or revoked.",
)
OTHER_PROJECT = Reason(404, "Key mode: `project_id` names a project other than the key's.")
UNREADABLE_BODY = Reason(400, "The body could not be parsed (malformed JSON or multipart).")
INVALID = Reason(
    422,
    "A parameter or field is invalid: `detail` is a list of issues when request validation "
    "refused it, a sentence naming the field when reams did.",
    generic=True,
)
TOO_LARGE = Reason(413, "The upload is larger than the server's `REAMS_MAX_UPLOAD_BYTES`.")
BAD_TOKEN = Reason(400, "`page_token` is not a token this server issued.")
KEY_IN_PROGRESS = Reason(
    409, "A request with the same `Idempotency-Key` is still in progress; try again later."
)
KEY_REUSED = Reason(
    422,
    "The `Idempotency-Key` was already used with a different request, or is not 1 to 255 "
    "printable characters.",
)


# What only the route knows, for its ``responses=`` (the rules above add the rest).
FINISHED_JOB: Final[dict[int | str, dict[str, Any]]] = {
    409: {"description": "The job already completed or failed: it cannot be cancelled."}
}
UNFINISHED_JOB: Final[dict[int | str, dict[str, Any]]] = {
    409: {
        "description": "The job is not finished, or an item of it is still being processed: "
        "cancel it and let it stop first."
    }
}
UNIQUE_ID_TAKEN: Final[dict[int | str, dict[str, Any]]] = {
    409: {"description": "A live entry of the directory already has this `unique_id`."}
}
PRESET: Final[dict[int | str, dict[str, Any]]] = {
    400: {"description": "The configuration is a built-in preset: it cannot be changed."}
}
NAME_TAKEN: Final[dict[int | str, dict[str, Any]]] = {
    409: {"description": "Another configuration of this product type has this name."}
}
NO_LLM: Final[dict[int | str, dict[str, Any]]] = {
    400: {"description": "A prompt needs an LLM and the server has none configured."}
}


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` (and ``/openapi.json``) answer the documented document."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(generate(), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document_errors(doc: dict[str, Any], routes: Iterable[BaseRoute]) -> dict[str, Any]:
    """``doc`` (a FastAPI-generated document) with every operation's 4xx answers documented
    and their bodies as :class:`ErrorBody`; changed in place and returned."""
    # Route contexts, as FastAPI's own generator reads them: the included routers' routes
    # with their prefixes and inherited dependencies applied.
    for route in iter_route_contexts(list(routes)):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        item = doc.get("paths", {}).get(route.path_format, {})
        for method in route.methods or ():
            operation = item.get(method.lower())
            if operation is not None:
                _document(operation, reasons(route, operation))
    _install_schemas(doc)
    return doc


def reasons(route: RouteContext, operation: Mapping[str, Any]) -> list[Reason]:
    """The error answers the route's own facts imply."""
    calls = _calls(route.dependant)
    parameters = operation.get("parameters", [])
    found: list[Reason] = []
    path_params = [p["name"] for p in parameters if p["in"] == "path"]
    if path_params:
        names = ", ".join(f"`{name}`" for name in path_params)
        found.append(Reason(404, f"No such {names} in this project.", generic=True))
    if caller_project in calls:
        found += [AUTH, OTHER_PROJECT]
    body = operation.get("requestBody")
    if body is not None:
        found.append(UNREADABLE_BODY)
        if MULTIPART in body.get("content", {}):
            found.append(TOO_LARGE)
    if any(p["in"] == "query" and p["name"] == "page_token" for p in parameters):
        found.append(BAD_TOKEN)
    if calls & {idempotency_key, idempotency_key_or_transaction}:
        found += [KEY_IN_PROGRESS, KEY_REUSED]
    if body is not None or parameters:
        found.append(INVALID)
    return found


def _calls(dependant: Dependant) -> set[Any]:
    """Every dependency the route runs, nested ones included."""
    found: set[Any] = set()
    stack = list(dependant.dependencies)
    while stack:
        dep = stack.pop()
        found.add(dep.call)
        stack.extend(dep.dependencies)
    return found


def _document(operation: dict[str, Any], found: list[Reason]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    own = {  # statuses the route described itself (FastAPI's default texts do not count)
        code
        for code, response in responses.items()
        if code.isdigit()
        and response.get("description") not in {_phrase(int(code)), *FASTAPI_DESCRIPTIONS}
    }
    by_status: dict[int, list[str]] = {}
    for reason in found:
        if reason.generic and str(reason.status) in own:
            continue
        texts = by_status.setdefault(reason.status, [])
        if reason.text not in texts:
            texts.append(reason.text)
    for status, texts in by_status.items():
        response = responses.setdefault(str(status), {})
        if str(status) in own:
            texts = [response["description"], *texts]
        response["description"] = " ".join(texts)
    for code, response in responses.items():
        if not (code.isdigit() and 400 <= int(code) < 500):
            continue
        response["content"] = {"application/json": {"schema": dict(ERROR_REF)}}
        headers = _headers(int(code))
        if headers:
            response.setdefault("headers", {}).update(headers)
    operation["responses"] = dict(sorted(responses.items()))


def _headers(status: int) -> dict[str, Any]:
    """The headers reams's error table sends with ``status``, documented."""
    return {
        name: {"description": HEADER_DOCS.get(name, value), "schema": {"type": "string"}}
        for code, headers in ERROR_TABLE.values()
        if code == status
        for name, value in headers.items()
    }


def _phrase(status: int) -> str:
    """The text FastAPI gives a status a route did not describe."""
    return http.client.responses.get(status, "Additional Response")


def _install_schemas(doc: dict[str, Any]) -> None:
    """Add ErrorBody (and its item) to the components; drop FastAPI's list-only schemas."""
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    error = ErrorBody.model_json_schema(ref_template=COMPONENTS + "{model}")
    schemas.update(error.pop("$defs", {}))
    schemas["ErrorBody"] = error
    for name in FASTAPI_ERROR_SCHEMAS:
        if not _refers(doc, f"{COMPONENTS}{name}", skip=name):
            schemas.pop(name, None)
    doc["components"]["schemas"] = dict(sorted(schemas.items()))


def _refers(doc: Any, ref: str, *, skip: str) -> bool:
    """Whether anything in ``doc`` but the component ``skip`` refers to ``ref``."""
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("$ref") == ref:
                return True
            stack.extend(v for k, v in node.items() if k != skip)
        elif isinstance(node, list):
            stack.extend(node)
    return False
