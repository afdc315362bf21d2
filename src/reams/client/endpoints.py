"""Every endpoint the client calls, as a function from arguments to an :class:`ApiRequest`.

These builders are the single description of the wire contract on the client side (spec
§4–§9); the sync and async resources only send what they return. Their docstrings become the
docstrings of the public methods.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from reams.client import params as p
from reams.client.paging import PagedRequest, paged
from reams.client.request import ApiRequest, parse_model, parse_nothing, path, upload_part
from reams.wire.batch import (
    BatchCancelResponse,
    BatchJob,
    BatchRetryResponse,
    BatchStatus,
    ItemProcessingResults,
)
from reams.wire.batch import JobItem as JobItemModel
from reams.wire.common import PresignedURL
from reams.wire.files import Directory, DirectoryFile, File
from reams.wire.parse import ParseResult
from reams.wire.uploads import BulkUpload
from reams.wire.webhooks import WebhookDeliveries, WebhookDelivery

F = TypeVar("F", bound=Callable[..., Any])

SCOPE_KEYS = ("organization_id", "project_id")
BATCH = "/api/v1/beta/batch-processing"
DIRECTORIES = "/api/v1/beta/directories"
FILES = "/api/v1/beta/files"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_jsonable(v) for v in value]
    return value


def _scope(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: params[k] for k in SCOPE_KEYS if k in params}


def _rest(params: Mapping[str, Any], *exclude: str) -> dict[str, Any]:
    skip = {*SCOPE_KEYS, *exclude}
    return {k: _jsonable(v) for k, v in params.items() if k not in skip}


def _text_parts(params: Mapping[str, Any], *names: str) -> dict[str, str]:
    parts = {n: params[n] for n in names if params.get(n) is not None}
    return {n: v if isinstance(v, str) else json.dumps(_jsonable(v)) for n, v in parts.items()}


def _namespace(params: Mapping[str, Any]) -> dict[str, str]:
    # Only sent when given, like the SDK; reams accepts and ignores it.
    ns = params.get("temporal_namespace")
    return {"temporal-namespace": ns} if ns is not None else {}


def _delete(url: str, params: Mapping[str, Any]) -> ApiRequest[None]:
    return ApiRequest("DELETE", url, parse=parse_nothing, query=_scope(params), accept="*/*")


# -- files -----------------------------------------------------------------------------------
def files_create(params: p.FileCreateParams) -> ApiRequest[File]:
    """Upload a file (multipart); ``file`` is bytes, an open file, a path or a tuple."""
    return ApiRequest(
        "POST",
        FILES,
        parse=parse_model(File),
        query=_scope(params),
        files={"file": upload_part(params["file"])},
        data=_text_parts(params, "purpose", "external_file_id"),
        idempotent=True,
    )


def files_create_bulk(params: p.FileBulkCreateParams) -> ApiRequest[BulkUpload]:
    """Upload many files in one request (reams extension, all or none): each ``files`` entry
    as for ``create``; ``external_file_ids`` one per file (or none); with ``directory_id``
    every file is also added to that directory. The created files come back in order."""
    external = params.get("external_file_ids")
    data: dict[str, str | list[str]] = {"purpose": params["purpose"]}
    if external is not None:
        data["external_file_ids"] = list(external)
    if params.get("directory_id") is not None:
        data["directory_id"] = str(params["directory_id"])
    return ApiRequest(
        "POST",
        FILES + "/bulk",
        parse=parse_model(BulkUpload),
        query=_scope(params),
        files=[("files", upload_part(f)) for f in params["files"]],
        data=data,
        idempotent=True,
    )


def files_list(params: p.FileListParams) -> PagedRequest[File]:
    """Iterate over the project's files, fetching pages as needed."""
    return paged(File, "cursor", path=FILES, query=dict(params))


def files_retrieve(file_id: str, params: p.ExpandParams) -> ApiRequest[File]:
    """Get one file's metadata."""
    return ApiRequest(
        "GET", path(FILES + "/{}", file_id), parse=parse_model(File), query=dict(params)
    )


def files_content(file_id: str, params: p.FileContentParams) -> ApiRequest[PresignedURL]:
    """A signed URL that downloads the file's bytes (no Authorization header needed)."""
    url = path(FILES + "/{}/content", file_id)
    return ApiRequest("GET", url, parse=parse_model(PresignedURL), query=dict(params))


def files_delete(file_id: str, params: p.Scope) -> ApiRequest[None]:
    """Delete a file."""
    return _delete(path(FILES + "/{}", file_id), params)


# -- directories -----------------------------------------------------------------------------
def directories_create(params: p.DirectoryCreateParams) -> ApiRequest[Directory]:
    """Create a directory."""
    return ApiRequest(
        "POST",
        DIRECTORIES,
        parse=parse_model(Directory),
        query=_scope(params),
        json_body=_rest(params),
        idempotent=True,
    )


def directories_list(params: p.DirectoryListParams) -> PagedRequest[Directory]:
    """Iterate over the project's directories, fetching pages as needed."""
    return paged(Directory, "cursor", path=DIRECTORIES, query=dict(params))


def directories_get(directory_id: str, params: p.Scope) -> ApiRequest[Directory]:
    """Get one directory."""
    url = path(DIRECTORIES + "/{}", directory_id)
    return ApiRequest("GET", url, parse=parse_model(Directory), query=_scope(params))


def directories_update(directory_id: str, params: p.DirectoryUpdateParams) -> ApiRequest[Directory]:
    """Rename a directory or change its description (only the given keys change)."""
    url = path(DIRECTORIES + "/{}", directory_id)
    return ApiRequest(
        "PATCH", url, parse=parse_model(Directory), query=_scope(params), json_body=_rest(params)
    )


def directories_delete(directory_id: str, params: p.Scope) -> ApiRequest[None]:
    """Delete a directory."""
    return _delete(path(DIRECTORIES + "/{}", directory_id), params)


# -- directory files -------------------------------------------------------------------------
def _dfile_url(directory_file_id: str, params: p.InDirectory) -> str:
    return path(DIRECTORIES + "/{}/files/{}", params["directory_id"], directory_file_id)


def directory_files_add(
    directory_id: str, params: p.DirectoryFileAddParams
) -> ApiRequest[DirectoryFile]:
    """Add an uploaded file (``file_id``) to a directory."""
    url = path(DIRECTORIES + "/{}/files", directory_id)
    return ApiRequest(
        "POST",
        url,
        parse=parse_model(DirectoryFile),
        query=_scope(params),
        json_body=_rest(params),
        idempotent=True,
    )


def directory_files_upload(
    directory_id: str, params: p.DirectoryFileUploadParams
) -> ApiRequest[DirectoryFile]:
    """Upload a file straight into a directory (multipart); ``metadata`` may be a dict."""
    return ApiRequest(
        "POST",
        path(DIRECTORIES + "/{}/files/upload", directory_id),
        parse=parse_model(DirectoryFile),
        query=_scope(params),
        files={"upload_file": upload_part(params["upload_file"])},
        data=_text_parts(params, "display_name", "external_file_id", "metadata", "unique_id"),
        idempotent=True,
    )


def directory_files_list(
    directory_id: str, params: p.DirectoryFileListParams
) -> PagedRequest[DirectoryFile]:
    """Iterate over a directory's files, fetching pages as needed."""
    url = path(DIRECTORIES + "/{}/files", directory_id)
    return paged(DirectoryFile, "cursor", path=url, query=dict(params))


def directory_files_get(
    directory_file_id: str, params: p.DirectoryFileGetParams
) -> ApiRequest[DirectoryFile]:
    """Get one directory file by its ``directory_file_id``."""
    query = _rest(params, "directory_id") | _scope(params)
    url = _dfile_url(directory_file_id, params)
    return ApiRequest("GET", url, parse=parse_model(DirectoryFile), query=query)


def directory_files_update(
    directory_file_id: str, params: p.DirectoryFileUpdateParams
) -> ApiRequest[DirectoryFile]:
    """Rename, re-key, re-tag or move (``target_directory_id``) a directory file."""
    return ApiRequest(
        "PATCH",
        _dfile_url(directory_file_id, params),
        parse=parse_model(DirectoryFile),
        query=_scope(params),
        json_body=_rest(params, "directory_id"),
    )


def directory_files_delete(directory_file_id: str, params: p.InDirectory) -> ApiRequest[None]:
    """Remove a file from a directory."""
    return _delete(_dfile_url(directory_file_id, params), params)


# -- batch processing ------------------------------------------------------------------------
def batch_create(params: p.BatchCreateParams) -> ApiRequest[BatchJob]:
    """Create a batch job over a directory (``directory_id``) or some of its files."""
    return ApiRequest(
        "POST",
        BATCH,
        parse=parse_model(BatchJob),
        query=_scope(params),
        json_body=_rest(params, "temporal_namespace"),
        headers=_namespace(params),
        idempotent=True,
    )


def batch_list(params: p.BatchListParams) -> PagedRequest[BatchJob]:
    """Iterate over batch jobs, newest first, fetching pages as needed."""
    return paged(BatchJob, "offset", path=BATCH, query=dict(params))


def batch_get_status(job_id: str, params: p.Scope) -> ApiRequest[BatchStatus]:
    """A job's status, item counts and ``progress_percentage``."""
    url = path(BATCH + "/{}", job_id)
    return ApiRequest("GET", url, parse=parse_model(BatchStatus), query=_scope(params))


def batch_cancel(job_id: str, params: p.BatchCancelParams) -> ApiRequest[BatchCancelResponse]:
    """Cancel a job: pending items are cancelled at once, items in flight may finish."""
    return ApiRequest(
        "POST",
        path(BATCH + "/{}/cancel", job_id),
        parse=parse_model(BatchCancelResponse),
        query=_scope(params),
        json_body=_rest(params, "temporal_namespace"),
        headers=_namespace(params),
    )


def batch_retry(job_id: str, params: p.BatchRetryParams) -> ApiRequest[BatchRetryResponse]:
    """Retry a job's failed items (reams extension): all of them, or those with one of
    ``error_codes`` / among ``item_ids``. A completed job runs again; 409 when none match."""
    return ApiRequest(
        "POST",
        path(BATCH + "/{}/retry", job_id),
        parse=parse_model(BatchRetryResponse),
        query=_scope(params),
        json_body={k: v for k, v in _rest(params).items() if v},
    )


def batch_webhook_deliveries(job_id: str, params: p.Scope) -> ApiRequest[WebhookDeliveries]:
    """A job's webhook deliveries, oldest first (reams extension): event, endpoint, status,
    attempts, last HTTP status and error, next attempt."""
    return ApiRequest(
        "GET",
        path(BATCH + "/{}/webhook-deliveries", job_id),
        parse=parse_model(WebhookDeliveries),
        query=_scope(params),
    )


def batch_webhook_resend(
    job_id: str, delivery_id: str, params: p.Scope
) -> ApiRequest[WebhookDelivery]:
    """Send a settled webhook delivery again now (reams extension); 409 while it is open."""
    return ApiRequest(
        "POST",
        path(BATCH + "/{}/webhook-deliveries/{}/resend", job_id, delivery_id),
        parse=parse_model(WebhookDelivery),
        query=_scope(params),
    )


def job_items_list(job_id: str, params: p.JobItemListParams) -> PagedRequest[JobItemModel]:
    """Iterate over a job's items in job order, fetching pages as needed."""
    url = path(BATCH + "/{}/items", job_id)
    return paged(JobItemModel, "offset", path=url, query=dict(params))


def job_items_processing_results(
    item_id: str, params: p.ProcessingResultsParams
) -> ApiRequest[ItemProcessingResults]:
    """Every result ever produced for an item (a directory file), across batch jobs."""
    url = path(BATCH + "/items/{}/processing-results", item_id)
    return ApiRequest("GET", url, parse=parse_model(ItemProcessingResults), query=dict(params))


# -- parse results ---------------------------------------------------------------------------
def parsing_get(job_id: str, params: p.ParsingGetParams) -> ApiRequest[ParseResult]:
    """A parse result (an item's ``job_id``); ``expand`` picks markdown, text, ... to include."""
    url = path("/api/v2/parse/{}", job_id)
    return ApiRequest("GET", url, parse=parse_model(ParseResult), query=dict(params))


def documented(builder: Callable[..., object]) -> Callable[[F], F]:
    """Give a resource method the docstring of the endpoint builder it sends."""

    def decorate(method: F) -> F:
        method.__doc__ = builder.__doc__
        return method

    return decorate
