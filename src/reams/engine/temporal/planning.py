"""A job's ``Plan``: how its workflow schedules work, from the settings and the job's own.

Decided by whoever starts the workflow when it can (the API side has the job in hand once it
dispatched it, so the plan rides in the workflow's input and the first slices are scheduled
by the workflow's first task), else by the ``plan`` activity on a worker (workflows started
before plans rode along, and their recorded histories). Both read the same settings
(``REAMS_TEMPORAL_*``), so either way the plan is the same.
"""

from __future__ import annotations

from reams.domain.records import Job
from reams.engine.base import EngineConfig
from reams.engine.steps import timeout_budget
from reams.engine.temporal.config import TemporalConfig
from reams.engine.temporal.workflow import contracts as c

SLICE_MARGIN_S = 120.0


def make_plan(job: Job, config: EngineConfig, temporal: TemporalConfig) -> c.Plan:
    """The plan of ``job`` under these settings (no I/O)."""
    t = temporal
    return c.Plan(
        slice_size=job.page_size or t.slice_size,
        max_slice_size=job.page_size or t.slice_size * t.slice_growth,
        fan_out=t.fan_out,
        continue_as_new_threshold=job.continue_as_new_threshold or t.continue_as_new_threshold,
        heartbeat_timeout_s=t.heartbeat_timeout_s,
        slice_timeout_s=slice_timeout(job, config, temporal),
        retry=c.RetrySpec(
            initial_s=t.retry_initial_s,
            max_interval_s=t.retry_max_interval_s,
            max_attempts=t.retry_max_attempts,
        ),
    )


def slice_timeout(job: Job, config: EngineConfig, temporal: TemporalConfig) -> float:
    """A backstop only (heartbeats catch dead workers): a slice takes no new item after
    ``slice_max_s``, and the two in its pipeline then have their own timeouts, at most
    that of the largest file the size limit lets through."""
    largest = timeout_budget(config, job.settings, size=config.max_file_bytes)
    return temporal.slice_max_s + 2 * largest + SLICE_MARGIN_S
