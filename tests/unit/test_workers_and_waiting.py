"""Worker states from their heartbeat times, `reams workers`' ages, and how `reams status` /
`reams jobs` show a job whose workflow could not be started yet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.console import Console

from reams.cli.remote import _job_row, _status_table
from reams.cli.workers import ago
from reams.domain.workers import WorkerRecord, WorkerState
from reams.wire.batch import BatchJob, BatchStatus

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _worker(seen_s_ago: float, *, stopped: bool = False) -> WorkerRecord:
    seen = NOW - timedelta(seconds=seen_s_ago)
    return WorkerRecord(
        id="wkr-1",
        hostname="h",
        pid=1,
        task_queue="reams",
        namespace="default",
        slots=2,
        heartbeat_s=5.0,
        items_done=0,
        started_at=seen,
        last_seen_at=seen,
        stopped_at=seen if stopped else None,
    )


def test_alive_within_three_heartbeats_then_stale_and_stopped_wins() -> None:
    assert _worker(0).state(NOW) == WorkerState.ALIVE
    assert _worker(15).state(NOW) == WorkerState.ALIVE  # 3 × 5 s
    assert _worker(15.5).state(NOW) == WorkerState.STALE
    assert _worker(0, stopped=True).state(NOW) == WorkerState.STOPPED


def test_ages_read_naturally() -> None:
    assert [ago(s) for s in (0.4, 3, 89, 600, 7200)] == [
        "0 s ago",
        "3 s ago",
        "89 s ago",
        "10 min ago",
        "2 h ago",
    ]


def _job(**extra: object) -> BatchJob:
    return BatchJob(
        id="bjb-1",
        job_type="parse",
        project_id="p",
        status="dispatched",
        total_items=3,
        pending_items=3,
        created_at=NOW,
        **extra,  # type: ignore[arg-type]
    )


def _text(renderable: object) -> str:
    console = Console(record=True, width=200)
    console.print(renderable)
    return console.export_text()


def test_status_says_the_workflow_is_not_started_and_why() -> None:
    reason = "Temporal at 127.0.0.1:7233 did not start the workflow: connection refused"
    waiting = _job(dispatch_error=reason, dispatch_error_at=NOW)
    text = _text(_status_table(BatchStatus(job=waiting, progress_percentage=0)))
    assert "Waiting" in text and "could not be started yet" in text and reason in text
    assert "(not started)" in _job_row(waiting)[2]

    plain = _job()  # waiting for workers, not for the orchestrator
    assert "Waiting" not in _text(_status_table(BatchStatus(job=plain, progress_percentage=0)))
    assert "(not started)" not in _job_row(plain)[2]
