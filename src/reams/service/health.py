"""Liveness and readiness (``/healthz``, ``/readyz``): is the store usable and migrated, and is
the engine running (local: its threads alive; Temporal: the frontend answers).

Under the Temporal engine a third check, ``workers``, says whether any ``reams worker`` sent a
heartbeat recently. It is a warning, not a failure: ``/readyz`` stays 200 and lists it under
``warnings``. Readiness decides whether a load balancer sends requests to this API process,
and with no worker alive it still serves well (jobs are accepted and wait, status, results
and files answer); taking every API replica out of rotation because the workers are down
would turn a processing outage into a total one. Alert on the warning (or on
``reams workers``) instead. The local engine runs its workers in-process: ``workers`` is
``ok`` whenever ``engine`` is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reams.engine.base import RemoteWorkers
from reams.store.stats import Stats

if TYPE_CHECKING:
    from reams.engine.base import Engine
    from reams.store.transitions import Store


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, and why it failed (None: it passed)."""

    name: str
    error: str | None
    required: bool = True  # False: a warning, reported but not making the process unready

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Readiness:
    checks: tuple[Check, ...]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks if check.required)

    def failing(self) -> list[Check]:
        return [check for check in self.checks if not check.ok and check.required]

    def warnings(self) -> list[Check]:
        return [check for check in self.checks if not check.ok and not check.required]


class Health:
    """The readiness checks of one reams process."""

    def __init__(self, *, stats: Stats, engine: Engine) -> None:
        self.stats = stats
        self.engine = engine

    @classmethod
    def on(cls, store: Store, engine: Engine) -> Health:
        return cls(stats=Stats(store.engine), engine=engine)

    def readiness(self) -> Readiness:
        """Each check, in order: the store first, then the engine (each bounded in time),
        then the workers (a warning)."""
        return Readiness(
            checks=(
                Check("store", _guard(self.stats.check)),
                Check("engine", _guard(self.engine.health)),
                Check("workers", _guard(self._workers), required=False),
            )
        )

    def _workers(self) -> str | None:
        if isinstance(self.engine, RemoteWorkers):
            return self.engine.workers_health()
        return None  # the local engine's workers are its threads: the engine check covers them


def _guard(check: Callable[[], str | None]) -> str | None:
    try:
        return check()
    except Exception as exc:  # a check that raises fails; it never takes the probe down
        return f"{type(exc).__name__}: {exc}"
