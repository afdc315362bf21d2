"""Mirroring a local folder into a directory, for ``reams run`` (no server involved).

Each regular file under the folder becomes a directory file whose ``unique_id`` is its path
relative to the folder. Unchanged files cost one hash and no write, so a re-run over thousands
of files is quick; changed files get a new file version; vanished files leave the directory.
The file system is read here; the store only sees records.

Symbolic links are followed only while they stay inside the folder: a link to a file elsewhere
(``ln -s /etc/hostname docs/x``) is skipped and reported, unless ``follow_links`` is given, which
also descends into linked folders (each real folder once, so a link loop ends). A single file may
stand in for the folder: it is then the only entry, named by its file name.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from reams.domain.records import Job, JobApi, ScannedFile
from reams.store.blobs import BlobStore
from reams.store.protocols import Catalog


def walk(
    root: Path,
    *,
    exclude: Path | None = None,
    follow_links: bool = False,
    outside: list[str] | None = None,
) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order, skipping hidden entries and ``exclude``.

    A symbolic link whose target lies outside ``root`` is skipped (its relative path appended to
    ``outside``) unless ``follow_links``; links inside ``root`` are fine (linked folders are not
    descended then: their files are found under their real path).
    """
    real_root = root.resolve()
    if real_root.is_file():
        yield root
        return
    links = _Links(root, real_root, follow=follow_links, outside=outside)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_links):
        here = Path(dirpath)
        dirnames[:] = [
            d
            for d in sorted(dirnames)
            if not d.startswith(".")
            and (exclude is None or (here / d).resolve() != exclude)
            and links.keep_folder(here / d)
        ]
        for name in sorted(filenames):
            path = here / name
            if not name.startswith(".") and path.is_file() and links.keep_file(path):
                yield path


class _Links:
    """Which symbolic links a walk follows, and the ones it skipped."""

    def __init__(
        self, root: Path, real_root: Path, *, follow: bool, outside: list[str] | None
    ) -> None:
        self.root, self.real_root, self.follow = root, real_root, follow
        self.outside = outside
        self.seen = {real_root}  # real folders walked (with follow: a loop ends)

    def _leaves(self, path: Path) -> bool:
        return path.is_symlink() and not path.resolve().is_relative_to(self.real_root)

    def _skip(self, path: Path) -> bool:
        if self.outside is not None:
            self.outside.append(path.relative_to(self.root).as_posix())
        return False

    def keep_folder(self, path: Path) -> bool:
        if not self.follow:
            # os.walk does not descend linked folders: only report those leaving the folder.
            if self._leaves(path):
                self._skip(path)
            return True
        real = path.resolve()
        if real in self.seen:
            return False
        self.seen.add(real)
        return True

    def keep_file(self, path: Path) -> bool:
        if self.follow or not self._leaves(path):
            return True
        return self._skip(path)


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def scan(
    root: Path,
    *,
    exclude: Path | None = None,
    follow_links: bool = False,
    outside: list[str] | None = None,
) -> list[ScannedFile]:
    """Every file under ``root`` with its relative path, hash and size (see :func:`walk`)."""
    found = []
    for path in walk(root, exclude=exclude, follow_links=follow_links, outside=outside):
        sha, size = _hash_file(path)
        relpath = path.name if path == root else path.relative_to(root).as_posix()
        found.append(ScannedFile(relpath, path.name, sha, size))
    return found


def mirror_folder(
    catalog: Catalog,
    blobs: BlobStore,
    *,
    project_id: str,
    root: Path,
    exclude: Path | None = None,
    follow_links: bool = False,
    outside: list[str] | None = None,
) -> str:
    """Make the directory ``local:<root>`` mirror the folder (or the one file ``root``); returns
    the directory id. Links leaving the folder are skipped into ``outside`` (see :func:`walk`)."""
    root = root.resolve()
    directory_id = catalog.folder_directory(
        project_id=project_id, name=f"local:{root}", description=f"Files under {root}"
    )
    files = scan(root, exclude=exclude, follow_links=follow_links, outside=outside)
    known = catalog.folder_entries(directory_id)
    changed = [f for f in files if known.get(f.relpath, ("", ""))[1] != f.sha256]
    for f in changed:
        if not blobs.exists(f.sha256):
            source = root if root.is_file() else root / f.relpath
            blobs.put(source.read_bytes())
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
