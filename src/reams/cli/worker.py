"""``reams worker``: run a Temporal worker that processes batch jobs (the Temporal engine).

Run any number, on any machines that reach Temporal, the database and the blob storage. The
API servers (``REAMS_ENGINE=temporal reams serve``) only start workflows; workers run them.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys

import typer
from rich.markup import escape

from reams.cli.console import err, out
from reams.cli.serve import describe_temporal, mask_password
from reams.logs import configure as configure_logs
from reams.settings import Settings

log = logging.getLogger(__name__)


def worker(
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Isolated processes (activity slots); default REAMS_WORKERS."
    ),
    log_level: str | None = typer.Option(
        None, "--log-level", help="Python logging level (default REAMS_LOG_LEVEL, else WARNING)."
    ),
) -> None:
    """Process batch jobs from Temporal until SIGTERM or Ctrl-C (then finish the items in hand)."""
    base = Settings()
    level = log_level or (base.log_level if "REAMS_LOG_LEVEL" in os.environ else "WARNING")
    configure_logs(level=level, fmt=base.log_format)
    if importlib.util.find_spec("temporalio") is None:  # the optional `temporal` extra
        err.print("[red]reams worker needs temporalio: pip install 'reams[temporal]'[/]")
        raise typer.Exit(1)
    settings = Settings() if workers is None else Settings(workers=workers)
    _describe(settings)
    code = _serve(settings)
    # The worker is shut down and every connection closed by now. Skip interpreter teardown:
    # temporalio's native threads can abort it with SIGABRT (exit 134) after a clean run
    # (sdk-python #300), which would report a clean shutdown as a crash.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _describe(settings: Settings) -> None:
    out.print(
        f"Temporal:  {escape(describe_temporal(settings))}  task queue "
        f"{escape(settings.temporal_task_queue)}"
    )
    out.print(f"Database:  {escape(mask_password(settings.resolved_database_url()))}")
    out.print(f"Slots:     {settings.workers} isolated worker processes")


def _serve(settings: Settings) -> int:
    from reams.bootstrap import build_worker

    try:
        build_worker(settings).serve()
    except Exception:
        log.exception("the worker stopped on an error")
        return 1
    out.print("Worker stopped.")
    return 0
