"""What the remote commands print: an ETA that never counts down at zero while items remain,
claimed items named for what they are, and job ids never shortened on a narrow terminal."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from reams.cli import remote
from reams.cli.console import eta
from reams.cli.progress import Tally
from reams.wire.batch import BatchJob, BatchStatus

NOW = datetime.now(UTC)
LONG_ID = "bjb-fd234a49-fd32-4097-acec-03ab94427c20"


def _job(n: int = 0, **extra: object) -> BatchJob:
    fields: dict[str, object] = {
        "id": LONG_ID[:-2] + f"{n:02d}",
        "job_type": "classify",
        "project_id": "p",
        "status": "running",
        "total_items": 100,
        "pending_items": 73,
        "processing_items": 16,
        "processed_items": 11,
        "created_at": NOW,
        **extra,
    }
    return BatchJob.model_validate(fields)


def test_a_passed_estimate_with_items_pending_is_not_a_zero_countdown() -> None:
    shown = eta(NOW - timedelta(seconds=30), left=73)
    assert "0.00" not in shown and "~" not in shown
    assert "73 item(s) still to go" in shown and "unknown" in shown
    assert eta(None, left=73).startswith("unknown")
    assert eta(None) == "-"


def test_an_estimate_ahead_is_rounded_to_the_second() -> None:
    now = datetime.now(UTC)
    assert re.match(r"~4\d s \(at ", eta(now + timedelta(seconds=45.6), left=5))
    assert re.match(r"~(5m0\ds|4m5\ds) \(at ", eta(now + timedelta(minutes=5, seconds=5), left=5))
    assert eta(now - timedelta(seconds=5)) == "-"  # nothing left: no estimate to show


def test_the_status_eta_and_claimed_items(monkeypatch: pytest.MonkeyPatch) -> None:
    job = _job(estimated_completion_at=NOW - timedelta(seconds=5))
    console = Console(record=True, width=200)
    console.print(remote._status_table(BatchStatus(job=job, progress_percentage=11.0)))
    text = console.export_text()
    assert "~0.00 s" not in text and "89 item(s) still to go" in text
    assert "16 claimed by workers" in text and "in flight" not in text
    assert "claimed by workers" in Tally.of_wire(job).counts_text()


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_job_ids_are_printed_whole_at_any_width(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    console = Console(record=True, width=width)
    monkeypatch.setattr(remote, "out", console)
    jobs = [_job(n) for n in range(3)]
    remote.print_jobs(jobs)
    lines = console.export_text().splitlines()
    for job in jobs:
        assert any(job.id in line for line in lines), (width, lines)
        assert "…" not in "".join(line for line in lines if job.id[:12] in line)
