"""The limiter the LLM client holds around each request, lent by whoever runs the processor.

The client does not decide how many requests may be in flight: the engine passes a
:class:`Limiter` (host-wide slots, :mod:`reams.engine.llm_slots`) down to
:func:`~reams.processors.llm.client.chat_json`. Without one nothing is limited, which is what
tests and direct callers want. A limiter signals that it could not admit a request in time with
:class:`LimiterTimeout` and that it cannot work at all with :class:`LimiterError`; the client
turns those into the item errors ``llm_unavailable`` and ``llm_misconfigured``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig

__all__ = ["Limiter", "LimiterError", "LimiterTimeout"]


class LimiterTimeout(Exception):
    """No capacity became free before the deadline."""


class LimiterError(Exception):
    """The limiter cannot work (its configuration or resources are unusable)."""


class Limiter(Protocol):
    """A context manager factory: hold one unit of capacity for ``config``'s endpoint."""

    def __call__(self, config: LlmConfig, /) -> AbstractContextManager[object]: ...
