"""Dispatching a job: what every engine decides before any item is claimed.

Shared by the local engine and the Temporal engine's API side, so both skip the same items the
same way (oversized files, content already processed with the same configuration) in bulk,
one statement each, instead of item by item.
"""

from __future__ import annotations

from reams.domain.records import Job
from reams.domain.states import TERMINAL_JOB
from reams.store.transitions import Store


def prepare_job(store: Store, job_id: str, *, max_file_bytes: int) -> Job:
    """Mark the job dispatched and bulk-skip what planning can decide; returns the job after.

    Idempotent: a job already running is left running, and only pending items move. A job
    whose items were all skipped is completed here.
    """
    job = store.get_job(job_id, project_id=None)
    if job.status in TERMINAL_JOB:
        return job
    store.mark_dispatched(job_id)
    store.skip_too_large(job_id, max_bytes=max_file_bytes)
    settings = job.settings
    if not settings.bypass_cache:
        store.skip_already_processed(
            job_id, project_id=job.project_id, parameters_hash=settings.parameters_hash
        )
    store.finalize_if_done(job_id)
    return store.get_job(job_id, project_id=None)
