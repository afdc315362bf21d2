"""Turning a multipart upload into a stored file: streamed into the blob store, then recorded."""

from __future__ import annotations

from pathlib import PurePosixPath

from fastapi import UploadFile

from reams.bootstrap import Services
from reams.domain.records import FileRecord

DEFAULT_NAME = "upload"


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
    """Store the bytes (TooLarge past ``max_upload_bytes``) and create the File record."""
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
