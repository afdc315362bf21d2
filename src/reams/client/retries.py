"""When to retry a request and how long to wait first: the SDK's rules, as pure functions.

The official SDK retries 408, 409, 429, 5xx and connection errors, obeys ``x-should-retry``
and ``retry-after(-ms)``, and otherwise backs off ``min(0.5 · 2^n, 8)`` seconds with jitter. The
client behaves the same so that the two stress a server the same way.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping

INITIAL_DELAY_S = 0.5
MAX_DELAY_S = 8.0
MAX_RETRY_AFTER_S = 60.0
RETRYABLE_STATUSES = frozenset({408, 409, 429})


def should_retry(status_code: int, headers: Mapping[str, str]) -> bool:
    """Whether an error response is worth another attempt (the server's header wins)."""
    hint = headers.get("x-should-retry")
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status_code in RETRYABLE_STATUSES or status_code >= 500


def retry_after_s(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``retry-after``."""
    try:
        return float(headers["retry-after-ms"]) / 1000
    except (KeyError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return float(email.utils.mktime_tz(parsed)) - (time.time() if now is None else now)


def backoff_s(
    retries_taken: int,
    headers: Mapping[str, str] | None = None,
    *,
    jitter: Callable[[], float] = random.random,
) -> float:
    """Delay before the next attempt; a reasonable server hint beats exponential backoff."""
    hinted = retry_after_s(headers) if headers is not None else None
    if hinted is not None and 0 < hinted <= MAX_RETRY_AFTER_S:
        return hinted
    delay = min(INITIAL_DELAY_S * 2.0 ** min(retries_taken, 1000), MAX_DELAY_S)
    return max(0.0, delay * (1 - 0.25 * jitter()))


def next_delay(
    retries_taken: int,
    max_retries: int,
    *,
    status_code: int | None,
    headers: Mapping[str, str] | None = None,
) -> float | None:
    """Seconds to wait before retrying, or None to stop.

    ``status_code`` None means the attempt got no response at all (connection error or
    timeout), which is always worth retrying while retries remain.
    """
    if retries_taken >= max_retries:
        return None
    if status_code is not None and not should_retry(status_code, headers or {}):
        return None
    return backoff_s(retries_taken, headers)
