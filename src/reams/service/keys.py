"""API keys: create, list and revoke (``reams keys``).

Keys are written straight to this machine's database; a server in ``REAMS_AUTH_MODE=keys``
looks the key up on every request (nothing is cached), so a revoked key is refused with 401
from the next request on, by every server and worker sharing the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from reams.domain.apikeys import ApiKey, hash_api_key, key_prefix, new_api_key
from reams.domain.errors import Conflict, NotFound
from reams.domain.records import Project
from reams.store.protocols import Catalog


@dataclass(frozen=True)
class NewKey:
    """A key just made: ``key`` is the secret, shown once and never stored."""

    key: str
    id: str
    project: Project


def create_key(catalog: Catalog, *, project: str) -> NewKey:
    """A new key for the project named ``project`` (created when there is none)."""
    found = catalog.ensure_project(project)
    key = new_api_key()
    key_id = catalog.create_api_key(
        project_id=found.id, key_hash=hash_api_key(key), prefix=key_prefix(key)
    )
    return NewKey(key=key, id=key_id, project=found)


def list_keys(catalog: Catalog, *, project: str | None = None) -> list[ApiKey]:
    """Every key, oldest first; only those of the project named (or with id) ``project``."""
    keys = catalog.list_api_keys()
    if project is None:
        return keys
    return [k for k in keys if project in (k.project_name, k.project_id)]


def find_key(catalog: Catalog, ref: str) -> ApiKey:
    """The key ``ref`` names: its id (``key-...``), its listed prefix, or the key itself.

    NotFound when none matches; Conflict when a prefix is shared by several keys (then the
    id, or the key itself, tells them apart).
    """
    ref = ref.strip()
    found = catalog.list_api_keys(key_id=ref, prefix=ref, key_hash=hash_api_key(ref))
    if not found:
        raise NotFound("API key", ref)
    if len(found) > 1:
        ids = ", ".join(k.id for k in found)
        raise Conflict(f"{len(found)} keys match {ref!r} ({ids}): name one by its id")
    return found[0]


def revoke_key(catalog: Catalog, ref: str) -> tuple[ApiKey, bool]:
    """Revoke the key ``ref`` names (see :func:`find_key`); the key, and whether it was live
    until now (False: it had been revoked before, and keeps that time)."""
    key = find_key(catalog, ref)
    return catalog.revoke_api_key(key.id), not key.revoked
