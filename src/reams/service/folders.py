"""Mirroring a local folder into a directory, for ``reams run`` (no server involved).

Each regular file under the folder becomes a directory file whose ``unique_id`` is its path
relative to the folder. Unchanged files cost one hash and no write, so a re-run over thousands
of files is quick; changed files get a new file version; vanished files leave the directory.
The file system is read here; the store only sees records.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from reams.domain.records import Job, JobApi, ScannedFile
from reams.store.blobs import BlobStore
from reams.store.protocols import Catalog


def walk(root: Path, *, exclude: Path | None = None) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order, skipping hidden entries and ``exclude``."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and (exclude is None or (here / d).resolve() != exclude)
        )
        for name in sorted(filenames):
            if not name.startswith(".") and (here / name).is_file():
                yield here / name


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def scan(root: Path, *, exclude: Path | None = None) -> list[ScannedFile]:
    """Every file under ``root`` with its relative path, hash and size."""
    found = []
    for path in walk(root, exclude=exclude):
        sha, size = _hash_file(path)
        found.append(ScannedFile(path.relative_to(root).as_posix(), path.name, sha, size))
    return found


def mirror_folder(
    catalog: Catalog,
    blobs: BlobStore,
    *,
    project_id: str,
    root: Path,
    exclude: Path | None = None,
) -> str:
    """Make the directory ``local:<root>`` mirror the folder; returns the directory id."""
    root = root.resolve()
    directory_id = catalog.folder_directory(
        project_id=project_id, name=f"local:{root}", description=f"Files under {root}"
    )
    files = scan(root, exclude=exclude)
    known = catalog.folder_entries(directory_id)
    changed = [f for f in files if known.get(f.relpath, ("", ""))[1] != f.sha256]
    for f in changed:
        if not blobs.exists(f.sha256):
            blobs.put((root / f.relpath).read_bytes())
    gone = set(known) - {f.relpath for f in files}
    catalog.apply_folder_changes(
        project_id=project_id, directory_id=directory_id, changed=changed, known=known, gone=gone
    )
    return directory_id


def last_folder_job(catalog: Catalog, *, project_id: str, root: Path, job_type: str) -> Job | None:
    """The newest ``reams run`` job of ``job_type`` over the folder ``root``, if any."""
    directory_id = catalog.folder_directory(
        project_id=project_id, name=f"local:{root.resolve()}", description=f"Files under {root}"
    )
    jobs, _ = catalog.list_jobs(
        project_id=project_id,
        limit=1,
        offset=0,
        directory_id=directory_id,
        job_type=job_type,
        api=JobApi.CLI,
    )
    return jobs[0] if jobs else None
