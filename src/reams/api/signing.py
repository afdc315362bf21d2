"""Signed, expiring download links: the URL itself is the credential.

The SDK's ``files.get`` / ``files.content`` returns a URL that the caller then fetches with no
Authorization header, so the link carries an HMAC-SHA256 over the file id and the expiry time.
The secret comes from ``REAMS_SECRET_KEY`` when set (needed when several API replicas must
accept each other's links), otherwise from ``<data_dir>/secret.key``, created 0600 on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final
from urllib.parse import quote, urlencode

from reams.api.errors import Forbidden
from reams.settings import stored_secret
from reams.wire.common import PresignedURL

SECRET_FILE: Final = "secret.key"
DOWNLOAD_PATH: Final = "/download/files/{file_id}"
# Unix seconds in ASCII digits (str.isdigit() accepts "²", which int() refuses); 12 digits
# reach past the year 30000, and no huge number reaches int().
_EXPIRES: Final = re.compile(r"[0-9]{1,12}")


def load_secret(data_dir: Path, configured: str | None = None) -> bytes:
    """The signing secret: the configured one, else the data directory's (made on first use)."""
    if configured:
        return configured.encode()
    return stored_secret(data_dir / SECRET_FILE, lambda: secrets.token_hex(32)).encode()


def signature(secret: bytes, file_id: str, *, expires: int) -> str:
    message = f"{file_id}\n{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify(secret: bytes, file_id: str, *, expires: str | None, sig: str | None) -> None:
    """Raise Forbidden unless ``sig`` signs (file_id, expires) and ``expires`` is still ahead."""
    if not expires or not sig or not _EXPIRES.fullmatch(expires):
        raise Forbidden("download link is missing a valid expires/signature")
    expected = signature(secret, file_id, expires=int(expires)).encode()
    if not hmac.compare_digest(expected, sig.encode()):  # bytes: a non-ASCII str would raise
        raise Forbidden("download link signature is invalid")
    if int(expires) < time.time():
        raise Forbidden("download link has expired; ask for a new one")


@dataclass(frozen=True)
class DownloadLinks:
    """Makes signed links to this server's download route."""

    base_url: str
    secret: bytes
    default_ttl_s: int

    def presign(self, file_id: str, *, ttl_s: int | None = None) -> PresignedURL:
        expires = int(time.time()) + (ttl_s or self.default_ttl_s)
        query = urlencode(
            {"expires": expires, "signature": signature(self.secret, file_id, expires=expires)}
        )
        path = DOWNLOAD_PATH.format(file_id=quote(file_id, safe=""))
        return PresignedURL(
            url=f"{self.base_url.rstrip('/')}{path}?{query}",
            expires_at=datetime.fromtimestamp(expires, UTC),
        )
