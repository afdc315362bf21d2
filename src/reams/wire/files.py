"""Files, directories and directory files (spec §6–§8)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from reams.domain import names
from reams.wire.common import PresignedURL, WireModel

MetadataValue = str | int | float | bool | None | list[str]

# The limits of domain/names.py, stated in the OpenAPI; the application layer checks them for
# every caller (and normalises: NFC, and '.'/'..' segments out of display names).
_NO_NUL = names.NO_NUL_PATTERN
_PATH_NOTE = " NFC; `\\` counts as `/`; empty, `.` and `..` segments are removed."


class File(WireModel):
    id: str = Field(description="File id (`fil-<uuid>`).")
    name: str = Field(description="File name with extension.")
    project_id: str = Field(description="Project that owns the file.")
    file_type: str | None = Field(default=None, description="Extension, e.g. `pdf`.")
    file_size: int | None = Field(default=None, description="Size in bytes.")
    purpose: str | None = Field(default=None, description="Purpose given at upload.")
    external_file_id: str | None = Field(default=None, description="Id in an external system.")
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_modified_at: datetime | None = None
    expires_at: datetime | None = Field(default=None, description="Null: never expires.")
    data_source_id: str | None = None
    download_url: PresignedURL | None = None


class Directory(WireModel):
    id: str = Field(description="Directory id (`dir-<uuid>`).")
    name: str = Field(description="Human-readable name.")
    project_id: str = Field(description="Project that owns the directory.")
    description: str | None = None
    data_source_id: str | None = Field(default=None, description="Always null: manual uploads.")
    type: Literal["ephemeral", "index", "user"] | None = Field(default=None)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = Field(default=None, description="Null if not deleted.")
    expires_at: datetime | None = None
    system_metadata: dict[str, object] | None = None


class DirectoryCreate(WireModel):
    name: str = Field(
        min_length=1,
        max_length=names.DIRECTORY_NAME_MAX,
        pattern=_NO_NUL,
        description="Human-readable name (stored in Unicode NFC).",
    )
    description: str | None = Field(
        default=None, max_length=names.DIRECTORY_DESCRIPTION_MAX, pattern=_NO_NUL
    )
    data_source_id: str | None = Field(default=None, description="Not supported; must be null.")
    type: Literal["ephemeral", "user"] | None = None
    system_metadata: dict[str, object] | None = None


class DirectoryUpdate(WireModel):
    name: str | None = Field(
        default=None, min_length=1, max_length=names.DIRECTORY_NAME_MAX, pattern=_NO_NUL
    )
    description: str | None = Field(
        default=None, max_length=names.DIRECTORY_DESCRIPTION_MAX, pattern=_NO_NUL
    )


class DirectoryFile(WireModel):
    id: str = Field(description="Directory file id (`dfl-<uuid>`).")
    directory_id: str
    display_name: str
    project_id: str
    unique_id: str = Field(description="Unique within the directory.")
    file_id: str | None = None
    metadata: dict[str, MetadataValue] | None = None
    data_source_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    download_url: PresignedURL | None = None


class DirectoryFileAdd(WireModel):
    file_id: str = Field(min_length=1, description="An existing file of the project.")
    display_name: str | None = Field(
        default=None,
        max_length=names.DISPLAY_NAME_MAX,
        pattern=_NO_NUL,
        description="Defaults to the file's name." + _PATH_NOTE,
    )
    unique_id: str | None = Field(default=None, max_length=names.UNIQUE_ID_MAX, pattern=_NO_NUL)
    metadata: dict[str, MetadataValue] | None = Field(
        default=None, description=f"At most {names.METADATA_MAX_BYTES} bytes as JSON."
    )


class DirectoryFileUpdate(WireModel):
    display_name: str | None = Field(
        default=None,
        max_length=names.DISPLAY_NAME_MAX,
        pattern=_NO_NUL,
        description=_PATH_NOTE.strip(),
    )
    unique_id: str | None = Field(default=None, max_length=names.UNIQUE_ID_MAX, pattern=_NO_NUL)
    metadata: dict[str, MetadataValue] | None = Field(
        default=None, description=f"At most {names.METADATA_MAX_BYTES} bytes as JSON."
    )
    directory_id: str | None = Field(default=None, description="Move target (2.4.1 wire key).")
    target_directory_id: str | None = Field(default=None, description="Move target (2.19 key).")
