"""``reams keys``: API keys, created, listed and revoked directly in this machine's database
(no server needed).

Only a key's hash and a short prefix are stored, so the key itself is shown exactly once. A
revoked key is refused (401) by every server on this database from its next request on.
"""

from __future__ import annotations

import json

import typer
from rich.markup import escape

from reams.bootstrap import build
from reams.cli.console import err, fail, out, when
from reams.domain.apikeys import ApiKey
from reams.domain.errors import Conflict, InvalidField, NotFound
from reams.service import keys as key_service
from reams.settings import Settings

keys_app = typer.Typer(
    help="Manage API keys (reads and writes the local database).", no_args_is_help=True
)


@keys_app.command("create")
def create(
    project: str = typer.Option(..., "--project", help="Project the key gives access to."),
) -> None:
    """Create an API key for a project (the project is created if needed)."""
    # The engine is built by the composition root but never started: this only writes rows.
    services = build(Settings())
    try:
        made = key_service.create_key(services.catalog, project=project)
    except InvalidField as exc:
        fail(f"--project: {exc}", code=2)
    finally:
        services.close()
    # The key alone on stdout, so `reams keys create --project p > key.txt` captures just it.
    out.print(made.key, markup=False, soft_wrap=True)
    err.print(
        f"Created API key {made.id} for project [bold]{escape(made.project.name)}[/] "
        f"({made.project.id})."
    )
    err.print("Store it now: it is not shown again, only its hash is kept.")
    err.print("The server checks keys only with [bold]REAMS_AUTH_MODE=keys[/].")


def _as_json(key: ApiKey) -> dict[str, object]:
    return {
        "id": key.id,
        "prefix": key.prefix,
        "project_id": key.project_id,
        "project": key.project_name,
        "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


@keys_app.command("list")
def list_(
    project: str | None = typer.Option(
        None, "--project", help="Only the keys of this project (name or id)."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON array on stdout."),
) -> None:
    """List API keys: id, prefix, project, created, revoked (the keys themselves are not kept;
    when each key was last used is not recorded)."""
    services = build(Settings())
    try:
        found = key_service.list_keys(services.catalog, project=project)
    finally:
        services.close()
    if as_json:
        out.print(json.dumps([_as_json(k) for k in found], indent=2), markup=False)
        return
    if not found:
        err.print("No API keys." if project is None else f"No API keys for {escape(project)}.")
        return
    # Plain aligned lines, never wrapped or cut: ids are what `reams keys revoke` takes.
    rows = [("ID", "PREFIX", "PROJECT", "CREATED", "REVOKED")]
    for key in found:
        revoked = when(key.revoked_at) if key.revoked_at else "-"
        rows.append((key.id, key.prefix, key.project_name, when(key.created_at), revoked))
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    for row in rows:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        out.print(f"{line}  {row[4]}", markup=False, soft_wrap=True)
    live = sum(1 for k in found if not k.revoked)
    err.print(f"{live} active of {len(found)}.")


@keys_app.command("revoke")
def revoke(
    key: str = typer.Argument(
        ..., help="The key's id (key-...), its prefix as `reams keys list` shows it, or the key."
    ),
) -> None:
    """Revoke an API key: servers refuse it (401) from their next request on."""
    services = build(Settings())
    try:
        revoked, was_live = key_service.revoke_key(services.catalog, key)
    except (NotFound, Conflict) as exc:
        fail(str(exc))
    finally:
        services.close()
    what = f"{revoked.id} ({escape(revoked.prefix)}…, project {escape(revoked.project_name)})"
    if was_live:
        out.print(f"Revoked API key {what}.")
    else:
        out.print(f"API key {what} was already revoked at {when(revoked.revoked_at)}.")
