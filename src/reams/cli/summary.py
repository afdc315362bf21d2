"""The end-of-run report of ``reams run``: counts, every failure with its code, skip reasons.

Failures are listed file by file (a user has to act on each); skips are grouped by reason,
because a re-run over thousands of unchanged files would otherwise print thousands of rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from reams.cli.console import out, styled
from reams.cli.progress import Tally
from reams.domain.states import ItemStatus, SkipReason

if TYPE_CHECKING:
    from reams.domain.records import Item, Job

MAX_FAILED_ROWS = 100
SKIP_EXAMPLES = 3


@dataclass
class Outcomes:
    """Collects the failed and skipped items of a job while its items are read once."""

    failed: list[Item] = field(default_factory=list)
    failed_total: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)
    skip_examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, item: Item) -> None:
        if item.status == ItemStatus.FAILED:
            self.failed_total += 1
            if len(self.failed) < MAX_FAILED_ROWS:
                self.failed.append(item)
        elif item.status == ItemStatus.SKIPPED:
            reason = item.skip_reason or "unknown"
            self.skip_reasons[reason] += 1
            examples = self.skip_examples.setdefault(reason, [])
            if len(examples) < SKIP_EXAMPLES:
                examples.append(item.item_name)


def _counts_table(tally: Tally) -> Table:
    table = Table("Outcome", "Files", title="Summary", title_justify="left")
    for name, count in [
        ("completed", tally.completed),
        ("failed", tally.failed),
        ("skipped", tally.skipped),
        ("cancelled", tally.cancelled),
    ]:
        if count or name != "cancelled":
            table.add_row(styled(name), str(count))
    table.add_row("[bold]total[/]", f"[bold]{tally.total}[/]")
    return table


def _failed_table(outcomes: Outcomes) -> Table:
    table = Table("File", "Code", "Message", title="Failed files", title_justify="left")
    for column in table.columns:
        column.overflow = "fold"
    for item in outcomes.failed:
        code = escape(item.error_code or "error")
        table.add_row(escape(item.item_name), f"[red]{code}[/]", escape(item.error_message or ""))
    hidden = outcomes.failed_total - len(outcomes.failed)
    if hidden:
        table.caption = f"… and {hidden} more failed files"
    return table


def _skipped_table(outcomes: Outcomes) -> Table:
    table = Table("Reason", "Files", "For example", title="Skipped files", title_justify="left")
    table.columns[2].overflow = "fold"
    for reason, count in outcomes.skip_reasons.most_common():
        examples = ", ".join(outcomes.skip_examples[reason])
        more = " …" if count > len(outcomes.skip_examples[reason]) else ""
        table.add_row(f"[yellow]{escape(reason)}[/]", str(count), escape(examples) + more)
    return table


def _job_seconds(job: Job) -> float | None:
    if job.completed_at is None:
        return None
    return (job.completed_at - job.created_at).total_seconds()


def _labels_table(labels: Mapping[str, int]) -> Table:
    table = Table("Type", "Files", title="Classified as", title_justify="left")
    for label, count in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(escape(label), str(count))
    return table


def print_summary(
    job: Job,
    outcomes: Outcomes,
    *,
    out_dir: Path,
    written: int,
    kept: int,
    elapsed: float,
    labels: Mapping[str, int] | None = None,
) -> None:
    """Print the report; ``elapsed`` is the command's own time (scan, job, outputs)."""
    out.print(_counts_table(Tally.of_record(job)))
    if labels:
        out.print(_labels_table(labels))
    if outcomes.failed_total:
        out.print(_failed_table(outcomes))
    if outcomes.skip_reasons:
        out.print(_skipped_table(outcomes))
    job_s = _job_seconds(job)
    timing = f"Elapsed: {elapsed:.3f} s" + (f" (job: {job_s:.3f} s)" if job_s is not None else "")
    out.print(f"Job {job.id} {styled(job.status)}. {timing}", soft_wrap=True)
    if job.error_message:
        out.print(f"[red]{escape(job.error_message)}[/]")
    out.print(
        f"Outputs: {written} written, {kept} already there, in {escape(str(out_dir))}",
        soft_wrap=True,
    )


def print_unchanged(
    *,
    total: int,
    examples: list[str],
    job_id: str,
    out_dir: Path,
    elapsed: float,
    labels: Mapping[str, int] | None = None,
) -> None:
    """The report of a re-run over a folder unchanged since job ``job_id`` (``cli.unchanged``):
    the tables a new job would have printed (every file skipped as already processed, every
    output already there), and that no job was created."""
    reason = SkipReason.ALREADY_PROCESSED.value
    outcomes = Outcomes(skip_reasons=Counter({reason: total}), skip_examples={reason: examples})
    out.print(_counts_table(Tally(total=total, skipped=total)))
    if labels:
        out.print(_labels_table(labels))
    out.print(_skipped_table(outcomes))
    out.print(
        f"Nothing changed since job {job_id}: no new job. Elapsed: {elapsed:.3f} s", soft_wrap=True
    )
    out.print(
        f"Outputs: 0 written, {total} already there, in {escape(str(out_dir))}", soft_wrap=True
    )
