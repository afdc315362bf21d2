"""``reams keys``: API keys, created directly in this machine's database (no server needed).

Only a key's hash and a short prefix are stored, so the key itself is shown exactly once.
"""

from __future__ import annotations

import typer
from rich.markup import escape

from reams.bootstrap import build
from reams.cli.console import err, out
from reams.domain.apikeys import hash_api_key, key_prefix, new_api_key
from reams.settings import Settings

keys_app = typer.Typer(help="Manage API keys (writes to the local database).", no_args_is_help=True)


@keys_app.command("create")
def create(
    project: str = typer.Option(..., "--project", help="Project the key gives access to."),
) -> None:
    """Create an API key for a project (the project is created if needed)."""
    # The engine is built by the composition root but never started: this only writes rows.
    services = build(Settings())
    try:
        found = services.catalog.ensure_project(project)
        key = new_api_key()
        services.catalog.create_api_key(
            project_id=found.id, key_hash=hash_api_key(key), prefix=key_prefix(key)
        )
    finally:
        services.close()
    # The key alone on stdout, so `reams keys create --project p > key.txt` captures just it.
    out.print(key, markup=False, soft_wrap=True)
    err.print(f"Created an API key for project [bold]{escape(found.name)}[/] ({found.id}).")
    err.print("Store it now: it is not shown again, only its hash is kept.")
    err.print("The server checks keys only with [bold]REAMS_AUTH_MODE=keys[/].")
