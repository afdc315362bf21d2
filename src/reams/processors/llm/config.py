"""How to reach the LLM: an OpenAI-compatible chat endpoint, chosen by the user (opt-in).

:class:`LlmConfig` is frozen and JSON-able (:meth:`LlmConfig.to_dict` / :meth:`LlmConfig.from_dict`)
because it crosses the boundary into the isolated worker processes that run processors.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["MIN_CONTEXT_TOKENS", "LlmConfig", "safe_url"]

MIN_CONTEXT_TOKENS = 2_048


@dataclass(frozen=True)
class LlmConfig:
    """An OpenAI-compatible chat endpoint and the limits reams keeps when calling it.

    ``max_concurrency`` bounds requests in flight across *all* worker processes of this host
    (the engine's limiter, :mod:`reams.engine.llm_slots`); ``timeout_s`` is per request (and
    bounds the wait for a concurrency slot); ``max_retries`` counts in-item retries on 429 / 5xx /
    timeouts.
    ``backoff_s`` and ``max_backoff_s`` shape the exponential backoff between them.
    ``context_tokens`` is the model's context window: extraction splits a long document into
    chunks that fit in it (:mod:`.chunks`). ``vision`` says whether the model takes page images
    (``MULTIMODAL`` classify, ``agentic`` extract tiers): True / False, or None to try and fall
    back to text when the endpoint refuses them; ``max_images`` bounds the images per request.
    """

    base_url: str
    model: str
    api_key: str | None = None
    max_concurrency: int = 4
    timeout_s: float = 120.0
    max_retries: int = 4
    slots_dir: str | None = None
    backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    context_tokens: int = 32_768
    vision: bool | None = None
    max_images: int = 8

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("LLM base_url must start with http:// or https://")
        if not self.model:
            raise ValueError("LLM model must not be empty")
        if self.max_concurrency < 1:
            raise ValueError("LLM max_concurrency must be at least 1")
        if self.timeout_s <= 0:
            raise ValueError("LLM timeout_s must be positive")
        if self.max_retries < 0:
            raise ValueError("LLM max_retries must not be negative")
        if self.backoff_s < 0 or self.max_backoff_s < 0:
            raise ValueError("LLM backoff times must not be negative")
        if self.context_tokens < MIN_CONTEXT_TOKENS:
            raise ValueError(f"LLM context_tokens must be at least {MIN_CONTEXT_TOKENS}")
        if self.max_images < 1:
            raise ValueError("LLM max_images must be at least 1")

    def __repr__(self) -> str:  # never show the key
        key = "'***'" if self.api_key else "None"
        return (
            f"LlmConfig(base_url={safe_url(self.base_url)!r}, model={self.model!r}, "
            f"api_key={key}, max_concurrency={self.max_concurrency}, "
            f"timeout_s={self.timeout_s}, max_retries={self.max_retries})"
        )

    @property
    def chat_url(self) -> str:
        """``{base_url}/chat/completions``."""
        return self.base_url.rstrip("/") + "/chat/completions"

    def resolved_slots_dir(self) -> str:
        """``slots_dir``, or a directory under the temp dir keyed by the endpoint."""
        if self.slots_dir:
            return self.slots_dir
        key = hashlib.sha256(self.base_url.rstrip("/").encode()).hexdigest()[:16]
        return os.path.join(tempfile.gettempdir(), "reams-llm-slots", key)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (it includes the API key: keep it out of logs)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LlmConfig:
        """The inverse of :meth:`to_dict`; unknown keys are ignored, missing ones default."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def safe_url(url: str) -> str:
    """``url`` without user info, query or fragment: fit for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
