"""``reams serve``: run the API server (with the embedded engine) on this machine."""

from __future__ import annotations

import re

import typer
from rich.markup import escape

from reams.cli.console import out
from reams.settings import Settings

_PASSWORD = re.compile(r"(?P<head>[a-z0-9+.-]+://[^:/@]*:)(?P<password>[^/]*)(?P<tail>@)", re.I)


def mask_password(url: str) -> str:
    """A database URL safe to print: ``postgresql://u:***@host/db``."""
    return _PASSWORD.sub(r"\g<head>***\g<tail>", url)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
) -> None:
    """Serve the LlamaCloud-compatible batch API (and run its jobs) until Ctrl-C."""
    import uvicorn

    # Imported here: the API (FastAPI, SQLAlchemy) is only needed by this command.
    from reams.api.app import create_app

    settings = Settings()
    out.print(f"Data directory: {escape(str(settings.data_dir.resolve()))}")
    out.print(f"Database:       {escape(mask_password(settings.resolved_database_url()))}")
    out.print(f"Engine:         {settings.engine}")
    out.print(f"Auth mode:      {settings.auth_mode}")
    out.print(f"Serving on      http://{host}:{port}  (API docs at /docs)")
    uvicorn.run(create_app(settings), host=host, port=port)
