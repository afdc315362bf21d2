"""The answer of a bulk upload (`POST /api/v1/beta/files/bulk`, a reams extension)."""

from __future__ import annotations

from pydantic import Field

from reams.wire.common import WireModel
from reams.wire.files import DirectoryFile, File


class BulkUpload(WireModel):
    files: list[File] = Field(description="The created files, in the order of the parts.")
    directory_files: list[DirectoryFile] | None = Field(
        default=None,
        description="With `directory_id`: the directory entry of each file, in the same order "
        "(display name: the file name; unique id: its external id, else its name).",
    )
