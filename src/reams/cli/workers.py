"""``reams workers``: the ``reams worker`` processes on record, read from this machine's
database settings (``REAMS_DATABASE_URL`` / ``REAMS_DATA_DIR``; no server needed).

Each worker writes a heartbeat row every ``REAMS_TEMPORAL_WORKER_HEARTBEAT_S`` seconds. A
worker is ``alive`` while its last heartbeat is at most three intervals old, ``stale`` after
(killed, hung, or cut off from the database), ``stopped`` once it shut down gracefully.
"""

from __future__ import annotations

from datetime import datetime

import typer
from rich.markup import escape
from rich.table import Table

from reams.bootstrap import build
from reams.cli.console import out
from reams.settings import Settings

STATE_STYLES = {"alive": "green", "stale": "yellow", "stopped": "dim"}


def ago(seconds: float) -> str:
    """'3 s ago', '4 min ago', '2 h ago'."""
    if seconds < 90:
        return f"{seconds:.0f} s ago"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.0f} h ago"


def _started(moment: datetime) -> str:
    """Local time; the date only when it is not today."""
    local = moment.astimezone()
    today = datetime.now().astimezone().date()
    return local.strftime("%H:%M:%S" if local.date() == today else "%Y-%m-%d %H:%M")


def workers(
    queue: str | None = typer.Option(None, "--queue", help="Only workers of this task queue."),
) -> None:
    """List Temporal workers (`reams worker`) with their last heartbeat, slots and items done."""
    # The engine is built by the composition root but never started: this only reads rows.
    services = build(Settings())
    try:
        found = services.workers.list(task_queue=queue)
    finally:
        services.close()
    if not found:
        out.print("No worker has sent a heartbeat (rows are kept a day after a worker stops).")
        return
    table = Table("Host", "PID", "Queue")
    table.columns[0].overflow = table.columns[2].overflow = "fold"
    for name in ("Slots", "Items done", "Started", "Last seen", "State"):
        table.add_column(name, no_wrap=True)
    for view in found:
        w = view.worker
        style = STATE_STYLES[view.state]
        queue_text = w.task_queue if w.namespace == "default" else f"{w.namespace}/{w.task_queue}"
        table.add_row(
            escape(w.hostname),
            str(w.pid),
            escape(queue_text),
            str(w.slots),
            str(w.items_done),
            _started(w.started_at),
            ago(view.seen_ago_s),
            f"[{style}]{view.state}[/]",
        )
    out.print(table)
    alive = sum(1 for v in found if v.state == "alive")
    out.print(f"{alive} alive of {len(found)} on record.")
