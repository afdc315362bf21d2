"""Cheap reads for operating reams: is the database usable and migrated, and how many jobs
and items are in each state (from the jobs' maintained counters, never by counting items)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine, func, select, text

from reams.domain.states import ACTIVE_JOB
from reams.store import tables as t
from reams.store.db import MIGRATIONS

# The item states a job row counts, by the column that counts them.
ITEM_COUNTERS = {
    "pending": t.jobs.c.n_pending,
    "processing": t.jobs.c.n_processing,
    "completed": t.jobs.c.n_completed,
    "failed": t.jobs.c.n_failed,
    "skipped": t.jobs.c.n_skipped,
    "cancelled": t.jobs.c.n_cancelled,
}


@dataclass(frozen=True)
class JobGroup:
    """The jobs of one status and job type: how many, and their items by state."""

    status: str
    job_type: str
    jobs: int
    items: dict[str, int]


class Stats:
    """Health and counts over one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @cached_property
    def head(self) -> str | None:
        """The newest migration this code ships (what a migrated database is at)."""
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(cfg).get_current_head()

    def check(self) -> str | None:
        """None when the database answers and is at the newest migration; else why not."""
        try:
            with self.engine.connect().execution_options(reams_read_only=True) as conn:
                versions = set(
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
                )
        except Exception as exc:
            return f"the database does not answer: {type(exc).__name__}: {_first_line(exc)}"
        if self.head not in versions:
            found = ", ".join(sorted(versions)) or "none"
            return f"the database schema is at {found}, not at {self.head}: not migrated"
        return None

    def open_deliveries(self) -> dict[str, int]:
        """Webhook deliveries not settled yet, by status (pending, sending): the outbox."""
        d = t.webhook_deliveries.c
        query = (
            select(d.status, func.count())
            .where(d.status.in_(["pending", "sending"]))
            .group_by(d.status)
        )
        with self.engine.connect().execution_options(reams_read_only=True) as conn:
            found = {str(status): int(n) for status, n in conn.execute(query).all()}
        return {"pending": 0, "sending": 0} | found

    def job_groups(self) -> list[JobGroup]:
        """Jobs and their items' counters by (status, job type): one aggregate over the jobs."""
        columns = [func.coalesce(func.sum(c), 0) for c in ITEM_COUNTERS.values()]
        query = select(t.jobs.c.status, t.jobs.c.job_type, func.count(), *columns).group_by(
            t.jobs.c.status, t.jobs.c.job_type
        )
        with self.engine.connect().execution_options(reams_read_only=True) as conn:
            rows = conn.execute(query).all()
        return [
            JobGroup(
                status=row[0],
                job_type=row[1],
                jobs=int(row[2]),
                items={name: int(v) for name, v in zip(ITEM_COUNTERS, row[3:], strict=True)},
            )
            for row in rows
        ]


def queue_depth(groups: list[JobGroup]) -> int:
    """Pending items of active jobs."""
    active = {str(s) for s in ACTIVE_JOB}
    return sum(g.items["pending"] for g in groups if g.status in active)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]
