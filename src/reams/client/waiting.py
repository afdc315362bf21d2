"""What ``batch.wait()`` needs besides I/O: when a job is finished and when to give up."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from reams.domain.states import TERMINAL_JOB
from reams.wire.batch import BatchStatus

ProgressCallback = Callable[[BatchStatus], object]
# The async ``wait`` also accepts a coroutine function, and awaits what it returns.
AsyncProgressCallback = Callable[[BatchStatus], Awaitable[object] | object]


def is_terminal(status: BatchStatus) -> bool:
    return status.job.status in TERMINAL_JOB


@dataclass
class Deadline:
    """Tracks a ``wait`` timeout; ``None`` waits forever."""

    timeout: float | None
    job_id: str
    started: float = field(default_factory=time.monotonic)

    def sleep_s(self, poll_interval: float) -> float:
        """How long to sleep before the next poll; raises TimeoutError once time is up."""
        if self.timeout is None:
            return poll_interval
        remaining = self.timeout - (time.monotonic() - self.started)
        if remaining <= 0:
            raise TimeoutError(f"batch job {self.job_id} did not finish within {self.timeout:g} s")
        return min(poll_interval, remaining)
