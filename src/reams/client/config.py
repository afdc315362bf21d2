"""Client configuration: where the server is, which key to send, how patient to be.

The environment (``REAMS_BASE_URL``, ``REAMS_API_KEY``) is read here, in the constructor and
nowhere else, so a client's behaviour never changes after it was built.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# Servers in open mode accept any bearer key; a placeholder keeps the header well-formed.
OPEN_MODE_KEY = "reams-open-mode"
CONNECT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    api_key: str
    timeout: httpx.Timeout
    max_retries: int

    @classmethod
    def resolve(
        cls,
        base_url: str | None,
        api_key: str | None,
        *,
        timeout: float | httpx.Timeout,
        max_retries: int,
    ) -> ClientConfig:
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        url = base_url or os.environ.get("REAMS_BASE_URL") or DEFAULT_BASE_URL
        key = api_key or os.environ.get("REAMS_API_KEY") or OPEN_MODE_KEY
        if not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_S, timeout))
        return cls(url.rstrip("/") + "/", key, timeout, max_retries)

    def headers(self, *, user_agent: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}", "User-Agent": user_agent}

    def client_kwargs(self, *, user_agent: str) -> dict[str, object]:
        """Arguments shared by ``httpx.Client`` and ``httpx.AsyncClient``."""
        return {
            "base_url": self.base_url,
            "headers": self.headers(user_agent=user_agent),
            "timeout": self.timeout,
            "follow_redirects": True,
            "limits": httpx.Limits(max_connections=100, max_keepalive_connections=20),
        }


class BaseClient:
    """Construction shared by ``Client`` and ``AsyncClient``; ``_setup`` builds the tree."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float | httpx.Timeout = 60,
        max_retries: int = 5,
    ) -> None:
        self._config = ClientConfig.resolve(
            base_url, api_key, timeout=timeout, max_retries=max_retries
        )
        self._setup(self._config)

    def _setup(self, config: ClientConfig) -> None:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """The server's URL, with a trailing slash."""
        return self._config.base_url
