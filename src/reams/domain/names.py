"""Names, labels and identifiers callers give things: their limits and normal form, in one place.

The store's columns have lengths (``store/tables.py``) that PostgreSQL enforces and SQLite does
not; these checks run before any store sees a value, so both behave the same and a caller gets
a 422 naming the field and the limit instead of a 500 (PostgreSQL) or a 20 MB row (SQLite).

Every checked string is put in Unicode NFC (so the same name typed on macOS and on Linux is one
name) and may not contain NUL. Limits count characters (code points) after NFC, as
PostgreSQL's ``varchar(n)`` does.

Names that reams later uses as paths — a file's name, a directory file's ``display_name`` (the
item name outputs are written under) — are also *path-normalised*: ``\\`` counts as ``/``,
and empty, ``.`` and ``..`` segments are removed (so a leading ``/`` goes too). ``../../x.pdf``
is stored as ``x.pdf``, ``/a//b/./c`` as ``a/b/c``. A name with nothing left (``..``, ``/``)
is refused. Removing rather than refusing keeps uploads from tools that send full client paths
working, while no stored name can climb out of an output folder.

Labels (directory names and descriptions, project names) and identifiers (``unique_id``,
``external_file_id``) are never used as paths: they get NFC, the NUL check and their limit,
and are otherwise stored as given.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from typing import Any, Final

from reams.domain.errors import InvalidField

# Column lengths of store/tables.py (tests/unit check they agree).
PROJECT_NAME_MAX: Final = 200
FILE_NAME_MAX: Final = 1024
EXTERNAL_FILE_ID_MAX: Final = 512
PURPOSE_MAX: Final = 64
DIRECTORY_NAME_MAX: Final = 512
# A Text column: no database limit, but a description is a sentence or a paragraph, not a blob.
DIRECTORY_DESCRIPTION_MAX: Final = 10_000
DISPLAY_NAME_MAX: Final = 1024
UNIQUE_ID_MAX: Final = 1024
CONFIGURATION_NAME_MAX: Final = 512
# A directory file's user metadata, as compact JSON (a JSON column: no database limit).
METADATA_MAX_BYTES: Final = 64 * 1024

# A JSON-Schema ``pattern`` the wire models can state for these fields: no NUL.
NO_NUL_PATTERN: Final = r"^[^\x00]*$"


def _text(field: str, value: str, limit: int) -> str:
    if "\x00" in value:
        raise InvalidField(f"{field} must not contain NUL characters")
    normal = unicodedata.normalize("NFC", value)
    if len(normal) > limit:
        raise InvalidField(f"{field} is too long: {len(normal)} characters, the limit is {limit}")
    return normal


def label(field: str, value: str, *, limit: int) -> str:
    """A name or description shown to people: NFC, no NUL, at most ``limit`` characters."""
    return _text(field, value, limit)


def optional_label(field: str, value: str | None, *, limit: int) -> str | None:
    return None if value is None else label(field, value, limit=limit)


def identifier(field: str, value: str, *, limit: int) -> str:
    """A caller's id (``unique_id``, ``external_file_id``): NFC, no NUL, at most ``limit``."""
    return _text(field, value, limit)


def optional_identifier(field: str, value: str | None, *, limit: int) -> str | None:
    return None if value is None else identifier(field, value, limit=limit)


def path_segments(value: str) -> list[str]:
    """The segments that stay of a path-like name (see the module's docstring)."""
    return [s for s in value.replace("\\", "/").split("/") if s not in ("", ".", "..")]


def path_name(field: str, value: str, *, limit: int) -> str:
    """A name used as a relative path: NFC, no NUL, path-normalised, at most ``limit``."""
    if "\x00" in value:
        raise InvalidField(f"{field} must not contain NUL characters")
    normal = "/".join(path_segments(value))
    if not normal:
        raise InvalidField(
            f"{field} {value[:64]!r} is empty once '.', '..' and '/' segments are removed"
        )
    return _text(field, normal, limit)


def metadata(field: str, value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """User metadata: at most ``METADATA_MAX_BYTES`` as compact JSON, no NUL in keys or values."""
    if value is None:
        return None
    if _has_nul(value):
        raise InvalidField(f"{field} must not contain NUL characters")
    encoded = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    size = len(encoded.encode())
    if size > METADATA_MAX_BYTES:
        raise InvalidField(
            f"{field} is too large: {size} bytes as JSON, the limit is {METADATA_MAX_BYTES}"
        )
    return value


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def lookup(field: str, value: str | None) -> str | None:
    """A filter value as it compares with stored values: NFC. NUL is refused (PostgreSQL
    cannot take it even in a query); otherwise never altered, and a value that could not be
    stored (too long, ``..``) simply matches nothing."""
    if value is None:
        return None
    if "\x00" in value:
        raise InvalidField(f"{field} must not contain NUL characters")
    return unicodedata.normalize("NFC", value)
