"""Commands that talk to a running server through the client: jobs, status, items, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from reams.cli.console import EXIT_FAILURE, api_errors, eta, out, styled, when
from reams.cli.progress import Tally, add_job_task, job_progress, show
from reams.domain.states import ItemStatus, JobStatus

if TYPE_CHECKING:  # the client is imported when a remote command runs, not for `reams run`
    from reams.client import BatchJob, BatchStatus, Client, JobItem

# A CLI user waits for an answer; the SDK's 5 retries would take ~15 s to report a dead server.
CLI_MAX_RETRIES = 2
PAGE = 200


@dataclass(frozen=True)
class Remote:
    """Where the server is; filled by the global ``--base-url`` / ``--api-key`` options."""

    base_url: str | None = None
    api_key: str | None = None

    def client(self) -> Client:
        from reams.client import Client

        return Client(self.base_url, self.api_key, max_retries=CLI_MAX_RETRIES)


def _remote(ctx: typer.Context) -> Remote:
    return ctx.obj if isinstance(ctx.obj, Remote) else Remote()


def _job_row(job: BatchJob) -> list[str]:
    tally = Tally.of_wire(job)
    counts = [tally.total, tally.completed, tally.failed, tally.skipped]
    return [job.id, job.job_type, _state(job), *map(str, counts), _percent(tally)]


def _state(job: BatchJob) -> str:
    state = styled(job.status)
    if job.dispatch_error:  # reams extension: not started yet, not waiting for workers
        state += " [yellow](not started)[/]"
    return state


def _percent(tally: Tally) -> str:
    return f"{100.0 * tally.done / tally.total if tally.total else 100.0:.0f}%"


def _jobs_table(found: list[BatchJob]) -> Table:
    table = Table("Job", "Type", "Status", "Items", "Done", "Failed", "Skipped", "Progress")
    table.add_column("Created")
    # Ids are never shortened: a user copies them into the next command.
    ids = table.columns[0]
    ids.no_wrap, ids.overflow = True, "ignore"
    ids.min_width = max((len(job.id) for job in found), default=0)
    for job in found:
        table.add_row(*_job_row(job), when(job.created_at))
    return table


def _print_stacked(found: list[BatchJob]) -> None:
    """The job list for a terminal too narrow for the table: two lines a job, the id whole."""
    for job in found:
        tally = Tally.of_wire(job)
        out.print(
            f"[bold]{job.id}[/]  {job.job_type}  {_state(job)}  {_percent(tally)}",
            soft_wrap=True,
        )
        created = when(job.created_at)
        out.print(f"    {tally.total} items · {tally.counts_text()} · created {created}")


def jobs(
    ctx: typer.Context,
    status: JobStatus | None = typer.Option(None, "--status", help="Only jobs in this state."),
    limit: int = typer.Option(20, "--limit", min=1, help="Show at most this many jobs."),
) -> None:
    """List batch jobs, newest first (job ids in full, whatever the terminal's width)."""
    with api_errors(), _remote(ctx).client() as client:
        listed = client.beta.batch.list(
            status=status.value if status else None, limit=min(limit, PAGE)
        )
        found = list(islice(listed, limit))
    print_jobs(found)


def print_jobs(found: list[BatchJob]) -> None:
    """A table of the jobs, or two lines a job when the terminal is too narrow for it."""
    if not found:
        out.print("No batch jobs.")
        return
    table = _jobs_table(found)
    wide = out.options.update_width(1 << 16)  # the width the table wants, not the terminal's
    if Measurement.get(out, wide, table).maximum <= out.width:
        out.print(table)
    else:
        _print_stacked(found)


def _waiting(job: BatchJob) -> str:
    since = when(job.dispatch_error_at)
    return (
        f"[yellow]for the orchestrator since {since}: its workflow could not be started yet "
        f"(it starts by itself when the orchestrator answers)[/]\n"
        f"[dim]{escape(job.dispatch_error or '')}[/]"
    )


def _status_table(status: BatchStatus) -> Table:
    job, tally = status.job, Tally.of_wire(status.job)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        ("Job", f"{job.id} ({job.job_type})"),
        ("Status", styled(job.status)),
        ("Progress", f"{status.progress_percentage:.1f}% — {tally.done} of {tally.total} items"),
        ("Counts", tally.counts_text() + f" · {job.pending_items or 0} pending"),
        ("ETA", eta(job.estimated_completion_at, left=tally.total - tally.done)),
        ("Created", when(job.created_at)),
        ("Started", when(job.started_at)),
        ("Finished", when(job.completed_at)),
    ]
    if job.error_message:
        rows.append(("Error", f"[red]{escape(job.error_message)}[/]"))
    if job.dispatch_error:  # reams extension: the orchestrator (Temporal) is away
        rows.insert(2, ("Waiting", _waiting(job)))
    if job.pages_total:  # reams extension: huge PDFs parsed in page parts
        rows.insert(3, ("Pages", f"{job.pages_done or 0:,} of {job.pages_total:,} in page parts"))
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def status(
    ctx: typer.Context,
    job_id: str = typer.Argument(..., help="Batch job id (bjb-...)."),
    watch: bool = typer.Option(False, "--watch", "-w", help="Follow until the job finishes."),
    interval: float = typer.Option(1.0, "--interval", min=0.1, help="Seconds between polls."),
) -> None:
    """Show a job's counts, progress and ETA (exit code 1 if the job failed)."""
    with api_errors(), _remote(ctx).client() as client:
        if watch:
            with job_progress(out) as bar:
                task = add_job_task(bar, job_id)
                final = client.beta.batch.wait(
                    job_id,
                    poll_interval=interval,
                    on_progress=lambda s: show(bar, task, Tally.of_wire(s.job)),
                )
        else:
            final = client.beta.batch.get_status(job_id)
    out.print(_status_table(final))
    if final.job.status == "failed":
        raise typer.Exit(EXIT_FAILURE)


def _detail(item: JobItem) -> str:
    if item.skip_reason:
        return escape(item.skip_reason)
    if item.error_code or item.error_message:
        code = f"[bold]{escape(item.error_code or 'error')}[/]"
        return f"{code}: {escape(item.error_message or '')}"
    return ""


def items(
    ctx: typer.Context,
    job_id: str = typer.Argument(..., help="Batch job id (bjb-...)."),
    status: ItemStatus | None = typer.Option(None, "--status", help="Only items in this state."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Show at most this many."),
) -> None:
    """List a job's items: name, status, and why it was skipped or failed."""
    table = Table("Item", "Status", "Skip reason / error", "Attempts")
    table.columns[0].overflow = "fold"
    table.columns[2].overflow = "fold"
    with api_errors(), _remote(ctx).client() as client:
        found = client.beta.batch.job_items.list(
            job_id, status=status.value if status else None, limit=PAGE
        )
        for item in islice(found, limit):
            attempts = str(item.attempts) if item.attempts is not None else "-"
            table.add_row(escape(item.item_name), styled(item.status), _detail(item), attempts)
    out.print(table if table.row_count else "No items.")


def cancel(
    ctx: typer.Context,
    job_id: str = typer.Argument(..., help="Batch job id (bjb-...)."),
    reason: str | None = typer.Option(None, "--reason", help="Recorded with the job."),
) -> None:
    """Cancel a job: pending items are cancelled at once, items in flight may finish."""
    with api_errors(), _remote(ctx).client() as client:
        answer = client.beta.batch.cancel(job_id, reason=reason)
    out.print(f"{escape(answer.message)}")
    out.print(f"Job {answer.job_id}: {styled(answer.status)}, {answer.processed_items} processed.")


def retry(
    ctx: typer.Context,
    job_id: str = typer.Argument(..., help="Batch job id (bjb-...)."),
    code: list[str] = typer.Option(
        [], "--code", help="Retry only items that failed with this error code (repeatable)."
    ),
    item: list[str] = typer.Option(
        [], "--item", help="Retry only this item (directory file id, repeatable)."
    ),
) -> None:
    """Retry a job's failed items (all of them, or those matching --code / --item)."""
    with api_errors(), _remote(ctx).client() as client:
        answer = client.beta.batch.retry(job_id, error_codes=code or None, item_ids=item or None)
    out.print(
        f"Job {answer.job_id}: {answer.retried_items} item(s) retried, {styled(answer.status)}."
    )


def webhooks(
    ctx: typer.Context,
    job_id: str = typer.Argument(..., help="Batch job id (bjb-...)."),
    resend: str | None = typer.Option(
        None, "--resend", help="Send this delivery (whd-...) again now, then list."
    ),
) -> None:
    """List a job's webhook deliveries: event, endpoint, status, attempts, last answer."""
    table = Table("Delivery", "Event", "URL", "Status", "Attempts", "Last answer", "Next try")
    table.columns[2].overflow = "fold"
    table.columns[5].overflow = "fold"
    with api_errors(), _remote(ctx).client() as client:
        if resend is not None:
            again = client.beta.batch.resend_webhook(job_id, resend)
            out.print(f"Delivery {again.id} ({again.event}) queued to send again.")
        for d in client.beta.batch.webhook_deliveries(job_id):
            answer = " ".join(
                x for x in (str(d.last_status_code or ""), escape(d.last_error or "")) if x
            )
            table.add_row(
                d.id, d.event, escape(d.url), styled(d.status), str(d.attempts),
                answer or "-", when(d.next_attempt_at),
            )  # fmt: skip
    out.print(table if table.row_count else "No webhook deliveries (the job names no endpoint).")
