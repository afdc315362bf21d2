"""The signed download route: no Authorization header, the link's HMAC is the credential."""

from __future__ import annotations

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from reams.api.deps import ServicesDep
from reams.api.signing import DOWNLOAD_PATH, verify
from reams.domain.errors import NotFound

router = APIRouter(tags=["files"])


@router.get(
    DOWNLOAD_PATH,
    response_class=FileResponse,
    summary="Download a file's bytes through a signed link",
    responses={403: {"description": "Expired link or invalid signature."}},
)
def download(
    file_id: str,
    request: Request,
    services: ServicesDep,
    expires: Annotated[str | None, Query(description="Unix time the link expires.")] = None,
    signature: Annotated[str | None, Query(description="HMAC-SHA256 hex.")] = None,
) -> FileResponse:
    verify(request.app.state.signing_secret, file_id, expires=expires, sig=signature)
    rec = services.catalog.get_file(file_id, project_id=None)
    if not services.blobs.exists(rec.sha256):  # the record outlived its bytes: say so, not 500
        raise NotFound("file content", file_id)
    media_type = mimetypes.guess_type(rec.name)[0] or "application/octet-stream"
    return FileResponse(services.blobs.path(rec.sha256), media_type=media_type, filename=rec.name)
