"""reams: self-hosted batch document processing that speaks the LlamaCloud batch-processing API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from reams.client import AsyncClient, Client

__all__ = ["AsyncClient", "Client", "__version__"]


def __getattr__(name: str) -> Any:
    # The client is imported lazily so `import reams` stays cheap for worker processes.
    if name in ("Client", "AsyncClient"):
        from reams import client

        return getattr(client, name)
    raise AttributeError(name)
