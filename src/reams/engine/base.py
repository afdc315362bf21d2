"""The engine seam and the configuration every engine shares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from reams.domain.records import Job

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig


# A PDF of more pages is parsed in page parts (``REAMS_SLICE_PAGES``): below, a split costs
# more than it gives (docs/slices.md).
DEFAULT_SLICE_PAGES = 1000


@dataclass(frozen=True)
class EngineConfig:
    """Engine knobs, filled from Settings by the composition root."""

    workers: int = 1
    max_file_bytes: int = 100 * 1024 * 1024
    item_timeout_s: float = 300.0
    item_timeout_per_page_s: float = 6.0
    max_attempts: int = 3
    # Claims lost with their process (not the item's fault), counted apart from attempts.
    max_losses: int = 10
    retry_backoff_s: float = 2.0
    lease_s: float = 30.0
    worker_max_items: int = 1000
    worker_max_rss_mb: int = 1024
    worker_memory_limit_mb: int = 4096
    # The worker children's nice value: 10 yields the CPU to the API and the bookkeeping of a
    # server; `reams run` has neither and runs them at 0, like any foreground command.
    worker_niceness: int = 10
    poll_interval_s: float = 1.0
    # A parse of a PDF with more pages runs as page parts of ``slice_part_pages`` pages on any
    # worker, merged into one result (docs/slices.md); 0: never.
    slice_pages: int = 0
    slice_part_pages: int = 250
    # Where the local engine keeps its instance locks (engine.instance); None: a temp dir.
    data_dir: Path | None = None
    # The LLM endpoint for classify/extract, or None: offline engines.
    llm: LlmConfig | None = None


class Engine(Protocol):
    """Schedules the ``ItemDriver`` pipeline over the items of submitted jobs.

    ``start`` resumes every unfinished job and reclaims expired leases; ``submit`` hands over a
    job whose items the store already holds (all pending); ``cancel`` cancels pending items at
    once and lets in-flight items finish; ``stop`` lets in-flight items finish, then returns.
    Engines keep no state of their own that the store does not also hold.
    """

    def start(self) -> None: ...

    def submit(self, job_id: str) -> None: ...

    def cancel(self, job_id: str, *, reason: str | None) -> Job: ...

    def stop(self, *, grace_s: float = 30.0) -> None: ...

    def health(self) -> str | None:
        """None while the engine runs; otherwise why not (for ``/readyz``). Cheap and bounded
        in time: a thread check, or one short RPC."""
        ...


@runtime_checkable
class RemoteWorkers(Protocol):
    """An engine whose items run in other processes (Temporal: ``reams worker``): it can tell
    whether any of them is alive. The local engine runs its own and has no such check."""

    def workers_health(self) -> str | None:
        """None while a worker sent a heartbeat recently; otherwise why none is alive."""
        ...
