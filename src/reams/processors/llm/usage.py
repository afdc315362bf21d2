"""Token usage of one item, summed over every request made for it (retries included).

Failed attempts count too: a reply that was not JSON or did not fit the schema and was asked
again, and an HTTP error whose body reports ``usage``. ``failed_requests`` counts the requests
whose reply was not used (HTTP errors, timeouts, replies asked again).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from reams.domain.errors import ProcessorError

__all__ = ["Usage", "failed_with_usage"]


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(0, int(value))


@dataclass
class Usage:
    """Token counts as the endpoint reported them, and the number of HTTP requests sent."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    requests: int = 0
    failed_requests: int = 0

    def add(self, other: Usage) -> Usage:
        """Add ``other`` into this one (in place) and return ``self``."""
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.total_tokens += other.total_tokens
        self.requests += other.requests
        self.failed_requests += other.failed_requests
        return self

    def add_reply(self, usage: Any) -> None:
        """Add an OpenAI ``usage`` object (missing or malformed fields count as 0)."""
        if not isinstance(usage, Mapping):
            return
        prompt = _int(usage.get("prompt_tokens"))
        completion = _int(usage.get("completion_tokens"))
        total = _int(usage.get("total_tokens")) or prompt + completion
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += total

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Usage:
        return cls(
            prompt_tokens=_int(d.get("prompt_tokens")),
            completion_tokens=_int(d.get("completion_tokens")),
            total_tokens=_int(d.get("total_tokens")),
            requests=_int(d.get("requests")),
            failed_requests=_int(d.get("failed_requests")),
        )

    def summary(self) -> str:
        """``"1,234 tokens in 3 requests"``: for messages of items that failed."""
        plural = "" if self.requests == 1 else "s"
        return f"{self.total_tokens:,} tokens in {self.requests} request{plural}"


def failed_with_usage(error: ProcessorError, usage: Usage) -> ProcessorError:
    """``error`` with what the item had used when it failed added to its message."""
    if not usage.total_tokens:
        return error
    message = f"{error.message.rstrip('.')}. This item used {usage.summary()}."
    return ProcessorError(error.code, message, retryable=error.retryable)
