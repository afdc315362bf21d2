"""``reams export JOB --format jsonl|csv|zip --out PATH``: download a job's export from a server.

The server streams the export (``GET …/{job_id}/export``) and the client writes it chunk by
chunk to ``PATH.part``, renamed to PATH when complete; a running job's export holds what is
done so far.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape

from reams.cli.console import EXIT_USAGE, api_errors, err, fail, out
from reams.cli.remote import _remote


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    zip = "zip"


def export(
    ctx: typer.Context,
    job_id: str = typer.Argument(..., help="Batch job id (bjb-...)."),
    format: Format = typer.Option(Format.jsonl, "--format", "-f", help="jsonl, csv or zip."),
    out_path: Path | None = typer.Option(
        None, "--out", "-o", help="File to write (default: ./<job>.<format>)."
    ),
) -> None:
    """Export a job's results (finished items so far) as JSON Lines, CSV or a zip of outputs."""
    target = out_path.expanduser() if out_path else None
    if target is not None and target.is_dir():
        fail(f"--out {target} is a folder; give a file name", code=EXIT_USAGE)
    with api_errors(), _remote(ctx).client() as client:
        name = target or Path(f"{job_id}.{format.value}")
        name.parent.mkdir(parents=True, exist_ok=True)
        with err.status(f"Exporting {escape(job_id)} as {format.value} …"):
            written = client.beta.batch.export(job_id, format=format.value, to=name)
    size = written.stat().st_size
    out.print(f"Wrote {escape(str(written))} ({size:,} bytes).")
