"""Bounds of the paging numbers a caller sends (``offset``, ``page_token``).

A number past what the database's 64-bit integers hold (``offset=9223372036854775808``) must be
a 4xx naming the bound, never an overflow in the driver; the one bound, shared by the API's
parameters and the store's and services' token decoders, is 2**53 − 1: a JSON-safe integer
(the dashboard's JavaScript reads it exactly) and far below SQLite's and PostgreSQL's limit.
"""

from __future__ import annotations

import re
from typing import Final

from reams.domain.errors import InvalidRequest

MAX_OFFSET: Final = 2**53 - 1
MAX_TOKEN_CHARS: Final = 200  # tokens this server issues are a few dozen characters
_DIGITS: Final = re.compile(r"[0-9]{1,16}")  # ASCII only: str.isdigit() accepts "²"


def decimal_offset(token: str, what: str = "page_token") -> int:
    """A plain decimal offset (ASCII digits only, at most :data:`MAX_OFFSET`); InvalidRequest
    (400) naming ``what`` otherwise."""
    if not _DIGITS.fullmatch(token) or int(token) > MAX_OFFSET:
        raise InvalidRequest(f"{what} {token[:40]!r} is not a token this API returned")
    return int(token)


def checked_offset(offset: object, what: str = "page_token") -> int:
    """``offset`` if it is an int in [0, MAX_OFFSET] (not a bool); InvalidRequest otherwise."""
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise InvalidRequest(f"{what} is not a token this server issued")
    return offset
