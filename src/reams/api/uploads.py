"""Turning a multipart upload into stored files: streamed into the blob store, then recorded.

The upload routes (`POST /api/v1/beta/files` and its bulk twin) read their body themselves
(:mod:`reams.api.form_stream`): each file is hashed and written once, as it arrives. Their
text fields are then validated like FastAPI's own form parameters (the same 422 list shape),
and one worker-thread call commits the blobs, honours the ``Idempotency-Key`` (fingerprinted
from the hashes already known: nothing is read twice) and writes every row of the request in
one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from fastapi import Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from reams.api.form_stream import FormLimits, ReceivedForm, read_form
from reams.bootstrap import Services
from reams.domain.records import DirectoryFile, FileRecord
from reams.service.files import NewFile, Upload, record_files, store_blobs
from reams.service.idempotency import Idempotency, request_hash

DEFAULT_NAME = "upload"
REPLAYED = {"Idempotent-Replayed": "true"}

Purpose = Literal["user_data", "parse", "extract", "split", "classify", "sheet", "agent_app"]
Present = Callable[[list[FileRecord], list[DirectoryFile]], Any]


def safe_name(filename: str | None) -> str:
    """The base name only: a client-sent path must not reach content-disposition or logs."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    return name or DEFAULT_NAME


def store_upload(
    services: Services,
    *,
    project_id: str,
    upload: UploadFile,
    purpose: str | None,
    external_file_id: str | None,
) -> FileRecord:
    """Store an already parsed ``UploadFile`` (TooLarge past ``max_upload_bytes``) and create
    the File record; for the routes that take other form parameters through FastAPI."""
    sha256, size = services.blobs.put_stream(
        upload.file, max_bytes=services.settings.max_upload_bytes
    )
    return services.catalog.create_file(
        project_id=project_id,
        name=safe_name(upload.filename),
        sha256=sha256,
        size=size,
        purpose=purpose,
        external_file_id=external_file_id,
    )


# -- the streamed routes ---------------------------------------------------------------------
class SingleFields(BaseModel):
    """The text fields of `POST /api/v1/beta/files` (the `file` part aside)."""

    purpose: Purpose = Field(description="How the file will be used.")
    external_file_id: str | None = Field(default=None, description="Id in an external system.")


class BulkFields(BaseModel):
    """The text fields of `POST /api/v1/beta/files/bulk` (the `files` parts aside)."""

    purpose: Purpose = Field(description="How the files will be used (all of them).")
    external_file_ids: list[str] | None = Field(
        default=None,
        description="One per file, in the order of the `files` parts (an empty one: none for "
        "that file); or none at all.",
    )
    directory_id: str | None = Field(
        default=None,
        description="Also add every file to this directory, in the same transaction (display "
        "name: the file name; unique id: its external id, else its name).",
    )


def form_body(fields: type[BaseModel], files: Mapping[str, Any]) -> dict[str, Any]:
    """The route's ``requestBody`` for the OpenAPI document: ``fields`` plus the file parts."""
    schema = fields.model_json_schema()
    schema["properties"] = {**files, **schema["properties"]}
    schema["required"] = [*files, *schema.get("required", [])]
    schema.pop("title", None)
    content = {"multipart/form-data": {"schema": schema}}
    return {"requestBody": {"required": True, "content": content}}


def _missing(field: str) -> RequestValidationError:
    issue = {"type": "missing", "loc": ("body", field), "msg": "Field required", "input": None}
    return RequestValidationError([issue])


def validate_fields(
    model: type[BaseModel], form: ReceivedForm, *, lists: Sequence[str] = ()
) -> Any:
    """``form``'s text fields as ``model`` (a repeated field: its last value, as FastAPI
    reads a form; those in ``lists``: every value); FastAPI's 422 list when they do not fit."""
    values: dict[str, Any] = {}
    for name, value in form.fields:
        if name in lists:
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        issues = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(issues) from None


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What one upload request creates."""

    uploads: list[Upload]
    purpose: str
    directory_id: str | None = None


def single_plan(form: ReceivedForm) -> Plan:
    fields: SingleFields = validate_fields(SingleFields, form)
    if not form.files:
        raise _missing("file")
    [received] = form.files
    upload = Upload(
        name=safe_name(received.filename),
        writer=received.writer,
        external_file_id=fields.external_file_id,
    )
    return Plan(uploads=[upload], purpose=fields.purpose)


def bulk_plan(form: ReceivedForm) -> Plan:
    fields: BulkFields = validate_fields(BulkFields, form, lists=["external_file_ids"])
    if not form.files:
        raise _missing("files")
    external = fields.external_file_ids or [""] * len(form.files)
    if len(external) != len(form.files):
        issue = {
            "type": "value_error",
            "loc": ("body", "external_file_ids"),
            "msg": f"give one external_file_ids value per file ({len(form.files)}) or none",
            "input": external,
        }
        raise RequestValidationError([issue])
    uploads = [
        Upload(name=safe_name(f.filename), writer=f.writer, external_file_id=ext or None)
        for f, ext in zip(form.files, external, strict=True)
    ]
    return Plan(uploads=uploads, purpose=fields.purpose, directory_id=fields.directory_id)


async def receive(request: Request, services: Services, limits: FormLimits) -> ReceivedForm:
    """The request's form, its files in (uncommitted) blob writers."""
    content_type = request.headers.get("content-type", "")
    return await read_form(content_type, request.stream(), blobs=services.blobs, limits=limits)


@dataclass(frozen=True, kw_only=True)
class Creation:
    """One upload request, ready to run in a worker thread."""

    services: Services
    project_id: str
    key: str | None
    request: Request
    form: ReceivedForm
    plan: Plan
    present: Present


async def create(creation: Creation) -> JSONResponse:
    """Commit, record and answer (one worker-thread hop); the writers are discarded after."""
    try:
        return await run_in_threadpool(_create, creation)
    finally:
        creation.form.discard()


def _create(c: Creation) -> JSONResponse:
    files = store_blobs(c.plan.uploads)
    if c.key is None:
        return JSONResponse(c.present(*_record(c, files)))
    idem = Idempotency(catalog=c.services.catalog)
    fingerprint = request_hash(
        method=c.request.method,
        path=c.request.url.path,
        query=list(c.request.query_params.multi_items()),
        body=_canonical(c.form, files),
    )
    stored = idem.begin(project_id=c.project_id, key=c.key, fingerprint=fingerprint)
    if stored is not None:
        return JSONResponse(stored.body, status_code=stored.status_code, headers=REPLAYED)
    try:
        body = c.present(*_record(c, files))
    except BaseException:
        idem.release(project_id=c.project_id, key=c.key)
        raise
    idem.finish(project_id=c.project_id, key=c.key, status_code=200, body=body)
    return JSONResponse(body)


def _record(c: Creation, files: list[NewFile]) -> tuple[list[FileRecord], list[DirectoryFile]]:
    return record_files(
        c.services.catalog,
        project_id=c.project_id,
        files=files,
        purpose=c.plan.purpose,
        directory_id=c.plan.directory_id,
    )


def _canonical(form: ReceivedForm, files: list[NewFile]) -> list[Any]:
    """The body as :mod:`reams.api.idempotent` fingerprints a form: fields sorted by name,
    each file as its name and sha256 (so a new multipart boundary is the same request)."""
    parts: list[tuple[str, Any]] = list(form.fields)
    for received, new in zip(form.files, files, strict=True):
        parts.append((received.field, {"filename": received.filename, "sha256": new.sha256}))
    return sorted(parts, key=lambda part: part[0])
