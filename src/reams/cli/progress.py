"""The progress bar of a batch job, fed either from the local store or from the API.

Both sources are reduced to a :class:`Tally`, so ``reams run`` and ``reams status --watch``
draw the same bar: terminal items of total, per-state counts, elapsed time and ETA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # wire models are loaded by the remote commands that use them
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from reams.domain.records import Job
    from reams.wire.batch import BatchJob


@dataclass(frozen=True, kw_only=True)
class Tally:
    """A job's item counts, whichever side they were read from."""

    total: int
    completed: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    processing: int = 0

    @property
    def done(self) -> int:
        return self.completed + self.failed + self.skipped + self.cancelled

    @classmethod
    def of_record(cls, job: Job) -> Tally:
        c = job.counts
        return cls(
            total=job.total_items,
            completed=c.completed,
            failed=c.failed,
            skipped=c.skipped,
            cancelled=c.cancelled,
            processing=c.processing,
        )

    @classmethod
    def of_wire(cls, job: BatchJob) -> Tally:
        return cls(
            total=job.total_items,
            completed=job.processed_items or 0,
            failed=job.failed_items or 0,
            skipped=job.skipped_items or 0,
            cancelled=job.cancelled_items or 0,
            processing=job.processing_items or 0,
        )

    def counts_text(self) -> str:
        parts = [f"[green]{self.completed} completed[/]", f"[red]{self.failed} failed[/]"]
        parts.append(f"[yellow]{self.skipped} skipped[/]")
        if self.cancelled:
            parts.append(f"[magenta]{self.cancelled} cancelled[/]")
        if self.processing:
            # Items claimed by workers: running, or queued in a worker's batch to run next.
            parts.append(f"[cyan]{self.processing} claimed by workers[/]")
        return " · ".join(parts)


def job_progress(console: Console) -> Progress:
    # rich.progress is imported by the bars only: the summary of a ``reams run`` with nothing
    # to run (``cli.unchanged``) needs the Tally alone.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
    )


def output_progress(console: Console) -> Progress:
    """A plain bar for writing outputs; it disappears once done, the summary follows."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def add_job_task(progress: Progress, description: str) -> TaskID:
    return progress.add_task(description, total=None, counts="")


def show(progress: Progress, task: TaskID, tally: Tally) -> None:
    progress.update(task, total=tally.total, completed=tally.done, counts=tally.counts_text())
