"""The typed HTTP client for reams (httpx + pydantic only; never imports server code).

``Client`` / ``AsyncClient`` mirror the official ``llama-cloud`` SDK's resource tree
(``client.beta.batch.get_status(job_id)``, ``client.beta.directories.files.upload(...)``), retry
like it, and add ``client.beta.batch.wait(job_id, on_progress=...)``.
"""

from reams.client.async_client import AsyncClient
from reams.client.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReamsAPIError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from reams.client.sync_client import Client
from reams.wire.batch import BatchCancelResponse, BatchJob, BatchStatus, JobItem
from reams.wire.common import PresignedURL
from reams.wire.files import Directory, DirectoryFile, File
from reams.wire.parse import ParseResult
from reams.wire.uploads import BulkUpload

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "BatchCancelResponse",
    "BatchJob",
    "BatchStatus",
    "BulkUpload",
    "Client",
    "ConflictError",
    "Directory",
    "DirectoryFile",
    "File",
    "InternalServerError",
    "JobItem",
    "NotFoundError",
    "ParseResult",
    "PermissionDeniedError",
    "PresignedURL",
    "RateLimitError",
    "ReamsAPIError",
    "ResponseValidationError",
    "UnprocessableEntityError",
]
