"""``upload_folder``: a local folder's files sent through the bulk upload, in batches.

The walk goes in a stable order (sorted by relative path) and skips hidden files and folders,
as ``reams run`` does. Each file's path relative to the folder (POSIX, ``invoices/a.pdf``) is
its ``external_file_id``, and so its unique id in a directory: two ``a.pdf`` in different
subfolders stay apart. A batch holds at most ``batch_size`` files and ``max_batch_bytes``
bytes (a larger file goes alone); it is read into memory once, so a retried request (with the
same ``Idempotency-Key``) sends the same bytes and creates nothing twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reams.client import params as p

DEFAULT_BATCH_FILES = 100
DEFAULT_BATCH_BYTES = 32 * 1024 * 1024
DEFAULT_PURPOSE = "user_data"

# on_progress(files uploaded so far, files in the folder), after every batch.
UploadProgress = Callable[[int, int], None]


def folder_files(root: Path) -> list[Path]:
    """The regular, non-hidden files under ``root`` (or ``root`` itself, a file), sorted by
    their path relative to ``root``."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise FileNotFoundError(f"no such folder: {root}")
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        found += [here / n for n in sorted(filenames) if not n.startswith(".")]
    return sorted(
        (path for path in found if path.is_file()), key=lambda f: f.relative_to(root).parts
    )


@dataclass(frozen=True)
class FolderUpload:
    """The files of one ``upload_folder`` call, cut into batches."""

    root: Path
    files: list[Path]
    batch_size: int
    max_batch_bytes: int

    @classmethod
    def of(
        cls, root: str | os.PathLike[str], *, batch_size: int, max_batch_bytes: int
    ) -> FolderUpload:
        if batch_size < 1 or max_batch_bytes < 1:
            raise ValueError("batch_size and max_batch_bytes must be at least 1")
        path = Path(root)
        return cls(path, folder_files(path), batch_size, max_batch_bytes)

    @property
    def total(self) -> int:
        return len(self.files)

    def batches(self) -> Iterator[list[Path]]:
        batch: list[Path] = []
        size = 0
        for path in self.files:
            length = path.stat().st_size
            if batch and (len(batch) >= self.batch_size or size + length > self.max_batch_bytes):
                yield batch
                batch, size = [], 0
            batch.append(path)
            size += length
        if batch:
            yield batch

    def external_id(self, path: Path) -> str:
        base = self.root if self.root.is_dir() else self.root.parent
        return path.relative_to(base).as_posix()

    def params(
        self, batch: list[Path], *, purpose: str, directory_id: str | None
    ) -> p.FileBulkCreateParams:
        """One bulk request's arguments (the files' bytes read now)."""
        params: p.FileBulkCreateParams = {
            "files": [(path.name, path.read_bytes()) for path in batch],
            "purpose": purpose,
            "external_file_ids": [self.external_id(path) for path in batch],
        }
        if directory_id is not None:
            params["directory_id"] = directory_id
        return params
