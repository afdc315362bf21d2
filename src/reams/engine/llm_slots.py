"""A cross-process semaphore made of lock files: at most N LLM requests in flight per host.

``slots_dir`` holds ``slot-0.lock`` … ``slot-{N-1}.lock``. A request holds an exclusive
``fcntl.flock`` on one of them for its duration: it tries each slot without blocking (starting at
a random one, so waiters spread out), and when all are taken sleeps briefly and tries again until
its deadline. The kernel drops a flock when its holder exits, so a crashed worker never leaks a
slot. flock locks belong to open file descriptions, so threads of one process exclude each other
too.

:func:`hold_llm_slot` is the :class:`~reams.processors.llm.limits.Limiter` the engine lends the
LLM client in its worker processes: ``max_concurrency`` slots per endpoint, waited for at most
the request timeout.
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from reams.processors.llm.limits import LimiterError, LimiterTimeout

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig

__all__ = ["SlotError", "SlotTimeout", "hold_llm_slot", "hold_slot"]

_POLL_MIN_S = 0.005
_POLL_MAX_S = 0.05


class SlotTimeout(LimiterTimeout):
    """No slot became free before the deadline."""


class SlotError(LimiterError):
    """The slots directory or its files cannot be created or opened."""


def _try_lock(path: str) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _try_any(paths: list[str]) -> int | None:
    start = random.randrange(len(paths))
    for i in range(len(paths)):
        fd = _try_lock(paths[(start + i) % len(paths)])
        if fd is not None:
            return fd
    return None


def _acquire(slots_dir: str, count: int, timeout_s: float) -> int:
    try:
        os.makedirs(slots_dir, exist_ok=True)
        return _wait_for_slot(slots_dir, count, timeout_s)
    except OSError as exc:
        raise SlotError(f"cannot use the slots directory {slots_dir}: {exc.strerror}") from exc


def _wait_for_slot(slots_dir: str, count: int, timeout_s: float) -> int:
    paths = [os.path.join(slots_dir, f"slot-{i}.lock") for i in range(count)]
    deadline = time.monotonic() + timeout_s
    pause = _POLL_MIN_S
    while True:
        fd = _try_any(paths)
        if fd is not None:
            return fd
        left = deadline - time.monotonic()
        if left <= 0:
            raise SlotTimeout(f"all {count} LLM concurrency slots stayed busy for {timeout_s:g}s")
        time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
        pause = min(_POLL_MAX_S, pause * 2)


@contextmanager
def hold_slot(slots_dir: str, count: int, timeout_s: float) -> Iterator[None]:
    """Hold one of ``count`` slots in ``slots_dir`` for the ``with`` block.

    Raises :class:`SlotTimeout` when none frees up within ``timeout_s`` seconds and
    :class:`SlotError` when ``slots_dir`` is unusable (not writable, ...).
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    fd = _acquire(slots_dir, count, timeout_s)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def hold_llm_slot(config: LlmConfig) -> AbstractContextManager[None]:
    """Hold one of ``config``'s host-wide slots (its ``max_concurrency``, in its slots directory),
    waiting at most ``timeout_s``: the engine's :class:`~reams.processors.llm.limits.Limiter`."""
    return hold_slot(config.resolved_slots_dir(), config.max_concurrency, config.timeout_s)
