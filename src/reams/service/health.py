"""Liveness and readiness (``/healthz``, ``/readyz``): is the store usable and migrated, and is
the engine running (local: its threads alive; Temporal: the frontend answers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reams.store.stats import Stats

if TYPE_CHECKING:
    from reams.engine.base import Engine
    from reams.store.transitions import Store


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, and why it failed (None: it passed)."""

    name: str
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Readiness:
    checks: tuple[Check, ...]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks)

    def failing(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]


class Health:
    """The readiness checks of one reams process."""

    def __init__(self, *, stats: Stats, engine: Engine) -> None:
        self.stats = stats
        self.engine = engine

    @classmethod
    def on(cls, store: Store, engine: Engine) -> Health:
        return cls(stats=Stats(store.engine), engine=engine)

    def readiness(self) -> Readiness:
        """Each check, in order: the store first, then the engine (each bounded in time)."""
        return Readiness(
            checks=(
                Check("store", _guard(self.stats.check)),
                Check("engine", _guard(self.engine.health)),
            )
        )


def _guard(check: Callable[[], str | None]) -> str | None:
    try:
        return check()
    except Exception as exc:  # a check that raises fails; it never takes the probe down
        return f"{type(exc).__name__}: {exc}"
