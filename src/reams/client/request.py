"""A request as plain data, how it becomes an ``httpx.Request``, and how its response is read.

Everything here is free of I/O, so the sync and async clients share it and only differ in
how they send. Encoding follows the SDK: ``None`` query values are dropped, lists repeat the
key, booleans are ``true``/``false``, path parameters are one percent-encoded segment.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Generic, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from reams.client.errors import ResponseValidationError, status_error

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)

# What callers may pass as a file: bytes, an open binary file, a path, or a tuple like httpx's.
FileContent = bytes | IO[bytes] | os.PathLike[str]
FileInput = FileContent | tuple[str, FileContent] | tuple[str, FileContent, str]
UploadPart = tuple[str, bytes, str]
# One part per file; a sequence of (field, part) repeats a field (a bulk upload's ``files``).
FileParts = Mapping[str, UploadPart] | Sequence[tuple[str, UploadPart]]
# A list value repeats the field, once per item, in order.
FormData = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class ApiRequest(Generic[T]):
    """One API call: what to send and how to turn a successful response into ``T``."""

    method: str
    path: str
    _: KW_ONLY
    parse: Callable[[httpx.Response], T]
    query: Mapping[str, Any] = field(default_factory=dict)
    json_body: Mapping[str, Any] | None = None
    files: FileParts | None = None
    data: FormData | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    accept: str = "application/json"
    # A create: when the client may retry it, it carries an ``Idempotency-Key`` (one per
    # logical call, the same on every retry), so a retry never creates a second object.
    idempotent: bool = False

    def with_query(self, **changes: Any) -> ApiRequest[T]:
        return replace(self, query={**self.query, **changes})


IDEMPOTENCY_HEADER = "Idempotency-Key"


def with_idempotency_key(request: ApiRequest[T]) -> ApiRequest[T]:
    """The request with a fresh ``Idempotency-Key`` if it is a create without one."""
    if not request.idempotent or any(
        k.lower() == IDEMPOTENCY_HEADER.lower() for k in request.headers
    ):
        return request
    key = f"reams-client-{uuid.uuid4()}"
    return replace(request, headers={**request.headers, IDEMPOTENCY_HEADER: key})


def path(template: str, *values: str) -> str:
    """Fill ``{}`` placeholders with single, percent-encoded path segments."""
    for value in values:
        if not isinstance(value, str) or value in ("", ".", ".."):
            raise ValueError(f"expected a non-empty id for a path parameter, got {value!r}")
    return template.format(*(quote(v, safe="") for v in values))


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_query_value(v) for v in value]
    return value


def encode_query(query: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters as httpx wants them, with ``None`` values left out."""
    return {k: _query_value(v) for k, v in query.items() if v is not None}


def _read(content: FileContent) -> tuple[bytes, str | None]:
    if isinstance(content, bytes):
        return content, None
    if isinstance(content, os.PathLike):
        file_path = Path(content)
        return file_path.read_bytes(), file_path.name
    name = getattr(content, "name", None)
    return content.read(), Path(name).name if isinstance(name, str) else None


def upload_part(value: FileInput, *, default_name: str = "upload") -> UploadPart:
    """Read an upload into memory once, so a retried request can send it again."""
    mime = "application/octet-stream"
    if isinstance(value, tuple):
        name, content = value[0], value[1]
        mime = value[2] if len(value) == 3 else mime
        data, _ = _read(content)
        return name, data, mime
    data, found = _read(value)
    return found or default_name, data, mime


def to_httpx(client: httpx.Client | httpx.AsyncClient, request: ApiRequest[Any]) -> httpx.Request:
    """Build the ``httpx.Request`` (shared by the sync and the async transport)."""
    headers = {"Accept": request.accept, **request.headers}
    return client.build_request(
        request.method,
        request.path,
        params=encode_query(request.query),
        json=request.json_body,
        files=_file_parts(request.files),
        data=dict(request.data) if request.data else None,
        headers=headers,
    )


def _file_parts(files: FileParts | None) -> list[tuple[str, UploadPart]] | None:
    if not files:
        return None
    return list(files.items()) if isinstance(files, Mapping) else list(files)


def check(response: httpx.Response) -> httpx.Response:
    """Raise the matching :class:`~reams.client.errors.APIStatusError` for an error status."""
    if response.status_code >= 400:
        raise status_error(response.status_code, response.text)
    return response


def body_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        raise ResponseValidationError(
            f"expected a JSON body from {response.request.method} {response.request.url.path}, "
            f"got {response.text[:200]!r}"
        ) from None


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ResponseValidationError(
            f"the response is not a valid {model.__name__}: {exc}", body=data
        ) from None


def parse_model(model: type[M]) -> Callable[[httpx.Response], M]:
    """A parser that checks the status and validates the JSON body as ``model``."""

    def parse(response: httpx.Response) -> M:
        return validate(model, body_json(check(response)))

    return parse


def parse_nothing(response: httpx.Response) -> None:
    """Deletes answer 200 or 204 with any body; only the status matters."""
    check(response)
