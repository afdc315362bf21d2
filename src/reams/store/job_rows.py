"""A job row as a record: counters, ETA and the resolved settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from reams.domain.jobconfig import JobSettings, resolve
from reams.domain.records import Counts, Job
from reams.domain.states import ItemStatus
from reams.store.base import to_record
from reams.store.db import aware


def _counts(row: Any) -> Counts:
    return Counts(**{s.value: int(row[f"n_{s.value}"]) for s in ItemStatus})


def estimate_completion(row: Any, counts: Counts) -> datetime | None:
    """ETA from the throughput between the previous anchor and the last transition."""
    prev_at, prev_done = aware(row["eta_prev_at"]), row["eta_prev_done"]
    last = aware(row["updated_at"])
    remaining = counts.total - counts.terminal
    if row["status"] not in ("dispatched", "running") or remaining <= 0:
        return None
    if prev_at is None or prev_done is None or last is None:
        return None
    elapsed = (last - prev_at).total_seconds()
    done = counts.terminal - int(prev_done)
    if elapsed <= 0 or done <= 0:
        return None
    return last + timedelta(seconds=remaining * elapsed / done)


def job_record(row: Any) -> Job:
    m = row._mapping
    counts = _counts(m)
    return to_record(
        Job,
        m,
        counts=counts,
        estimated_completion_at=estimate_completion(m, counts),
        settings=_settings(m),
    )


def _settings(m: Any) -> JobSettings:
    # Jobs created before settings were stored (migration 0004) hold NULL: resolved from
    # their job_config when read, exactly as they were then.
    stored = m["settings"]
    return JobSettings.from_json(stored) if stored is not None else resolve(m["job_config"])
