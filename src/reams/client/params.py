"""Keyword arguments of every client method, named exactly as in the official SDK.

One ``TypedDict`` per method, used as ``**params: Unpack[...]`` by both the sync and the async
resource, so the names and types are written once and type-checked at every call site. A key
that is left out is not sent; an explicit ``None`` is dropped from a query and sent as ``null``
in a JSON body, as the SDK does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Required, TypedDict

from reams.client.request import FileInput
from reams.wire.batch import ItemStatusName, JobStatusName, JobTypeName
from reams.wire.files import MetadataValue

DirectoryType = Literal["ephemeral", "index", "user"]
Metadata = Mapping[str, MetadataValue]


class Scope(TypedDict, total=False):
    """Every endpoint accepts these (spec §2); reams scopes by API key and ignores them."""

    organization_id: str | None
    project_id: str | None


# -- files -----------------------------------------------------------------------------------
class FileCreateParams(Scope, total=False):
    file: Required[FileInput]
    purpose: Required[str]
    external_file_id: str | None


class FileBulkCreateParams(Scope, total=False):
    """reams extension: ``POST /api/v1/beta/files/bulk``."""

    files: Required[Sequence[FileInput]]
    purpose: Required[str]
    external_file_ids: Sequence[str] | None
    directory_id: str | None


class FileListParams(Scope, total=False):
    expand: Sequence[str] | None
    external_file_id: str | None
    file_ids: Sequence[str] | None
    file_name: str | None
    order_by: str | None
    page_size: int | None
    page_token: str | None


class ExpandParams(Scope, total=False):
    expand: Sequence[str] | None


class FileContentParams(Scope, total=False):
    expires_at_seconds: int | None


# -- directories -----------------------------------------------------------------------------
class DirectoryCreateParams(Scope, total=False):
    name: Required[str]
    description: str | None
    system_metadata: dict[str, object] | None
    type: Literal["ephemeral", "user"]


class DirectoryListParams(Scope, total=False):
    include_deleted: bool
    name: str | None
    page_size: int | None
    page_token: str | None
    type: DirectoryType | None
    types: Sequence[DirectoryType] | None


class DirectoryUpdateParams(Scope, total=False):
    description: str | None
    name: str | None


# -- directory files -------------------------------------------------------------------------
class InDirectory(Scope, total=False):
    """Calls on one directory file name its directory too, as the SDK does."""

    directory_id: Required[str]


class DirectoryFileAddParams(Scope, total=False):
    file_id: Required[str]
    display_name: str | None
    metadata: Metadata | None
    unique_id: str | None


class DirectoryFileUploadParams(Scope, total=False):
    upload_file: Required[FileInput]
    display_name: str | None
    external_file_id: str | None
    metadata: str | Metadata | None
    unique_id: str | None


class DirectoryFileListParams(Scope, total=False):
    display_name: str | None
    display_name_contains: str | None
    expand: Sequence[str] | None
    file_id: str | None
    include_deleted: bool
    page_size: int | None
    page_token: str | None
    unique_id: str | None
    updated_at_on_or_after: str | datetime | None
    updated_at_on_or_before: str | datetime | None


class DirectoryFileGetParams(InDirectory, total=False):
    expand: Sequence[str] | None


class DirectoryFileUpdateParams(InDirectory, total=False):
    display_name: str | None
    metadata: Metadata | None
    target_directory_id: str | None
    unique_id: str | None


# -- batch processing ------------------------------------------------------------------------
class BatchCreateParams(Scope, total=False):
    job_config: Required[Mapping[str, Any]]
    continue_as_new_threshold: int | None
    directory_id: str | None
    item_ids: Sequence[str] | None
    page_size: int
    priority: int
    temporal_namespace: str


class BatchListParams(Scope, total=False):
    directory_id: str | None
    job_type: JobTypeName | None
    limit: int
    offset: int
    status: JobStatusName | None


class BatchCancelParams(Scope, total=False):
    reason: str | None
    temporal_namespace: str


class BatchRetryParams(Scope, total=False):
    error_codes: Sequence[str] | None
    item_ids: Sequence[str] | None


class JobItemListParams(Scope, total=False):
    limit: int
    offset: int
    status: ItemStatusName | None


class ProcessingResultsParams(Scope, total=False):
    job_type: JobTypeName | None


# -- parse results ---------------------------------------------------------------------------
class ParsingGetParams(Scope, total=False):
    expand: Sequence[str]
    image_filenames: str | None
