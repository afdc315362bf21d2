"""Fair scheduling: which job's items a claim takes first, and job priority.

Projects take turns by *recent service*: each project's count of claimed items decays by half
every ``HALF_LIFE_S`` seconds, and the project served least recently goes first. A project that
arrives while another has been busy for a while is therefore served at once (its recent
service is nil), and keeps first place until it has caught up with the others' decayed share,
which takes about one half-life of work; then projects alternate. A 10-item job of one project
thus runs almost as on an idle server beside a 100,000-item job of another, and a big newcomer
holds the workers for about one half-life at most before they are shared.

Within a project, jobs go by ``priority`` (higher first), then by age (older first).

Pure: no I/O. The store reads the candidates and the projects' shares and applies the order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from reams.domain.errors import InvalidField

HALF_LIFE_S: Final = 10.0
PRIORITY_MIN: Final = -100
PRIORITY_MAX: Final = 100
DEFAULT_PRIORITY: Final = 0


@dataclass(frozen=True)
class Share:
    """A project's recent service: ``served`` items, decayed up to ``served_at``."""

    served: float = 0.0
    served_at: datetime | None = None

    def at(self, now: datetime) -> float:
        """The decayed count at ``now``."""
        if self.served_at is None or self.served <= 0:
            return 0.0
        elapsed = max(0.0, (now - self.served_at).total_seconds())
        return self.served * math.exp2(-elapsed / HALF_LIFE_S)

    def after(self, n: int, now: datetime) -> Share:
        """The share once ``n`` more items were claimed at ``now``."""
        return Share(self.at(now) + n, now)


@dataclass(frozen=True)
class Candidate:
    """An active job as the scheduler sees it."""

    job_id: str
    project_id: str
    priority: int
    created_at: datetime


def fair_order(
    jobs: Iterable[Candidate], shares: Mapping[str, Share], now: datetime
) -> list[Candidate]:
    """``jobs`` in the order claims should serve them (see the module docstring).

    Ties between projects (equal recent service, e.g. none yet) go to the project whose
    oldest job is oldest, so an idle server with one project behaves exactly as before.
    """
    by_project: dict[str, list[Candidate]] = {}
    for job in jobs:
        by_project.setdefault(job.project_id, []).append(job)
    for queue in by_project.values():
        queue.sort(key=lambda j: (-j.priority, j.created_at, j.job_id))

    def project_key(project_id: str) -> tuple[float, datetime, str]:
        served = shares.get(project_id, Share()).at(now)
        return (served, min(j.created_at for j in by_project[project_id]), project_id)

    ordered = sorted(by_project, key=project_key)
    return [job for project_id in ordered for job in by_project[project_id]]


def check_priority(value: object, *, field_name: str = "priority") -> int:
    """``value`` as a job priority; InvalidField saying what is wrong otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidField(f"{field_name} must be an integer, got {value!r}")
    if not PRIORITY_MIN <= value <= PRIORITY_MAX:
        raise InvalidField(
            f"{field_name} must be between {PRIORITY_MIN} and {PRIORITY_MAX}, got {value}"
        )
    return value
