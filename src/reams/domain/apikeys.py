"""API keys: how they are made, and the only form in which the store ever sees them.

A key is shown once, at creation; the store keeps its sha256 (to authenticate) and a short
prefix (so a person can tell keys apart in a listing without the store holding the secret).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Final

KEY_PREFIX: Final = "reams_"
# Enough of the key to recognise it in a list; far too little to guess the rest.
VISIBLE_CHARS: Final = len(KEY_PREFIX) + 6


def new_api_key() -> str:
    """A fresh random key (256 bits of entropy), e.g. ``reams_Xy3...``."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """The sha256 hex digest under which the store looks the key up."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    """The visible start of a key, stored next to its hash for listings."""
    return key[:VISIBLE_CHARS]


@dataclass(frozen=True, kw_only=True)
class ApiKey:
    """What a listing shows of a key: never the key, never its hash."""

    id: str
    prefix: str
    project_id: str
    project_name: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
