"""The typer app of the ``reams`` command: wires the commands of the other modules into one
(``reams.cli.main`` calls it, after trying the shortcut of an unchanged ``reams run``)."""

from __future__ import annotations

import typer

from reams.cli import remote
from reams.cli.export import export
from reams.cli.keys import keys_app
from reams.cli.run import run
from reams.cli.serve import serve
from reams.cli.worker import worker
from reams.cli.workers import workers

app = typer.Typer(
    name="reams",
    help="Self-hosted batch document processing that speaks the LlamaCloud batch API.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    base_url: str | None = typer.Option(
        None, "--base-url", envvar="REAMS_BASE_URL", help="Server URL for remote commands."
    ),
    api_key: str | None = typer.Option(
        None, "--api-key", envvar="REAMS_API_KEY", help="API key for remote commands."
    ),
) -> None:
    """Process documents locally (run), serve the API (serve), run Temporal workers (worker),
    or query a server."""
    ctx.obj = remote.Remote(base_url=base_url, api_key=api_key)


app.command()(serve)
app.command()(run)
app.command()(worker)
app.command()(workers)
app.command()(remote.jobs)
app.command()(remote.status)
app.command()(remote.items)
app.command()(remote.cancel)
app.command()(remote.retry)
app.command()(remote.webhooks)
app.command()(export)
app.add_typer(keys_app, name="keys")
