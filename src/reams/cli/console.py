"""Terminal output shared by the commands: consoles, error exits and value formatting.

Expected errors end the command with a red one-line message and a non-zero exit code, never a
traceback: a traceback tells a user nothing they can act on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import NoReturn

from rich.console import Console
from rich.markup import escape

# Results go to stdout, diagnostics to stderr, so `reams keys create ... > key.txt` stays clean.
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

STATUS_STYLES = {
    "completed": "green",
    "failed": "red",
    "cancelled": "magenta",
    "skipped": "yellow",
    "running": "cyan",
    "processing": "cyan",
    "dispatched": "blue",
    "pending": "dim",
}


def fail(message: str, *, code: int = EXIT_FAILURE) -> NoReturn:
    import typer  # here: a ``reams run`` with nothing to run prints without loading typer

    err.print(f"[bold red]Error:[/] [red]{escape(message)}[/]")
    raise typer.Exit(code)


@contextmanager
def api_errors() -> Iterator[None]:
    """Turn client errors into a red message and exit code 1."""
    # Imported here: `reams run` and `reams serve` never load the HTTP client.
    from reams.client import APIConnectionError, ReamsAPIError

    try:
        yield
    except APIConnectionError as exc:
        fail(f"{exc.message}. Is `reams serve` running there? (see --base-url)")
    except ReamsAPIError as exc:
        fail(exc.message)
    except TimeoutError as exc:
        fail(str(exc))


def styled(status: str) -> str:
    style = STATUS_STYLES.get(status, "")
    return f"[{style}]{escape(status)}[/]" if style else escape(status)


def when(moment: datetime | None) -> str:
    """A timestamp in local time, to the second; '-' when absent."""
    if moment is None:
        return "-"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


def eta(moment: datetime | None, *, left: int = 0) -> str:
    """How far away an estimated completion time is, for a job with ``left`` items to go.

    Never a countdown at zero while items remain: an estimate that has passed says so.
    """
    if moment is None:
        return "unknown (not enough progress yet)" if left else "-"
    remaining = (moment - datetime.now(UTC)).total_seconds()
    if remaining < 1 and left:
        return (
            f"unknown: {left} item(s) still to go, past the estimate of {when(moment)} "
            "(progress has slowed or stalled)"
        )
    if remaining < 1:
        return "-"
    return f"~{rough_duration(remaining)} (at {when(moment)})"


def rough_duration(seconds: float) -> str:
    """A duration to the second (an estimate has no hundredths)."""
    return f"{round(seconds)} s" if seconds < 60 else duration(seconds)
