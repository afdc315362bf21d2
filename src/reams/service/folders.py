"""Mirroring a local folder into a directory, for ``reams run`` (no server involved).

Each regular file under the folder becomes a directory file whose ``unique_id`` is its path
relative to the folder. Unchanged files cost one ``stat`` (with a stat cache) or one hash, and
no write, so a re-run over thousands of files is quick; changed files get a new file version;
vanished files leave the directory. Files are not copied into the blob store: a reference to
each stands in for its blob (``store.blobs``), checked against the hash whenever it is read.
The file system is read here; the store only sees records.

Symbolic links are followed only while they stay inside the folder: a link to a file elsewhere
(``ln -s /etc/hostname docs/x``) is skipped and reported, unless ``follow_links`` is given, which
also descends into linked folders (each real folder once, so a link loop ends). A single file may
stand in for the folder: it is then the only entry, named by its file name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

# Imported where used: ``reams run`` over an unchanged folder (``unchanged_run``) walks the folder
# before any of the store or the records is imported.
if TYPE_CHECKING:
    from reams.domain.records import Job, ScannedFile
    from reams.store.blobs import BlobStore
    from reams.store.protocols import Catalog


def walk(
    root: Path,
    *,
    exclude: Path | None = None,
    follow_links: bool = False,
    outside: list[str] | None = None,
) -> Iterator[tuple[Path, os.stat_result]]:
    """Regular files under ``root`` with their ``stat``, in a stable order (a folder's files
    by name, then its folders by name), skipping hidden entries and ``exclude``.

    A symbolic link whose target lies outside ``root`` is skipped (its relative path appended to
    ``outside``) unless ``follow_links``; links inside ``root`` are fine (linked folders are not
    descended then: their files are found under their real path). One ``scandir`` per folder
    and one ``stat`` per file: the listing says what is a link.
    """
    real_root = root.resolve()
    if real_root.is_file():
        yield root, root.stat()
        return
    links = _Links(root, real_root, follow=follow_links, outside=outside)
    yield from _walk_folder(root, exclude, links)


def _walk_folder(
    here: Path, exclude: Path | None, links: _Links
) -> Iterator[tuple[Path, os.stat_result]]:
    try:
        with os.scandir(here) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:  # unreadable, or gone meanwhile: as os.walk, go on without it
        return
    folders: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = here / entry.name
        link = entry.is_symlink()
        try:
            is_folder = entry.is_dir()  # through a link, as os.walk classifies
            st = None if is_folder else entry.stat()
        except OSError:  # a dangling link, or removed meanwhile
            continue
        if is_folder:
            kept = (exclude is None or path.resolve() != exclude) and links.keep_folder(path, link)
            if kept and (links.follow or not link):
                folders.append(path)
        elif st is not None and stat.S_ISREG(st.st_mode) and links.keep_file(path, link):
            yield path, st
    for folder in folders:
        yield from _walk_folder(folder, exclude, links)


class _Links:
    """Which symbolic links a walk follows, and the ones it skipped."""

    def __init__(
        self, root: Path, real_root: Path, *, follow: bool, outside: list[str] | None
    ) -> None:
        self.root, self.real_root, self.follow = root, real_root, follow
        self.outside = outside
        self.seen = {real_root}  # real folders walked (with follow: a loop ends)

    def _leaves(self, path: Path, link: bool) -> bool:
        return link and not path.resolve().is_relative_to(self.real_root)

    def _skip(self, path: Path) -> bool:
        if self.outside is not None:
            self.outside.append(path.relative_to(self.root).as_posix())
        return False

    def keep_folder(self, path: Path, link: bool) -> bool:
        if not self.follow:
            # Linked folders are not descended: only report those leaving the folder.
            if self._leaves(path, link):
                self._skip(path)
            return True
        real = path.resolve()
        if real in self.seen:
            return False
        self.seen.add(real)
        return True

    def keep_file(self, path: Path, link: bool) -> bool:
        if self.follow or not self._leaves(path, link):
            return True
        return self._skip(path)


# A file read whole when it is at most this big; a bigger one is hashed in chunks.
READ_WHOLE_BYTES = 8 << 20
# A file changed this recently may change again within its timestamp's resolution: it is never
# trusted to the stat cache (git's "racily clean" rule), so the next run hashes it again.
RACY_NS = 2_000_000_000
STAT_CACHE_VERSION = 1


def _hash_file(path: Path) -> tuple[str, os.stat_result]:
    """The file's sha256, and its ``stat`` as it was read (a small file in one read)."""
    with path.open("rb") as fh:
        st = os.fstat(fh.fileno())
        if st.st_size <= READ_WHOLE_BYTES:
            return hashlib.sha256(fh.read()).hexdigest(), os.fstat(fh.fileno())
        digest = hashlib.sha256()
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
        return digest.hexdigest(), os.fstat(fh.fileno())


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


class StatCache:
    """The hash of each file as last read, under the file's stat signature (size, mtime,
    ctime, inode, device): a file whose signature is unchanged is not read again, as git's
    index and rsync do. Kept in a file of the data folder per mirrored folder; a missing or
    unreadable cache only means every file is hashed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.started_ns = time.time_ns()
        self.old: dict[str, list[Any]] = {}
        self.new: dict[str, list[Any]] = {}
        if path is None:
            return
        try:
            saved = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return
        if isinstance(saved, dict) and saved.get("version") == STAT_CACHE_VERSION:
            files = saved.get("files")
            self.old = files if isinstance(files, dict) else {}

    def lookup(self, relpath: str, st: os.stat_result) -> str | None:
        """The file's hash if its signature is the one it was read under."""
        entry = self.old.get(relpath)
        if entry is None or entry[:-1] != _signature(st):
            return None
        sha = entry[-1]
        return sha if isinstance(sha, str) else None

    def remember(self, relpath: str, st: os.stat_result, sha: str) -> None:
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.started_ns - RACY_NS:
            self.new[relpath] = [*_signature(st), sha]

    def save(self) -> None:
        if self.path is None or self.new == self.old:
            return
        data = orjson.dumps({"version": STAT_CACHE_VERSION, "files": self.new})
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        part = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(part, self.path)
        except OSError:  # a cache: the next run hashes again
            part.unlink(missing_ok=True)


def _read_file(path: Path, blobs: BlobStore) -> tuple[ScannedFile, os.stat_result]:
    """Hash the file and let it stand in for its blob (a reference, no copy: see
    ``store.blobs``); its ``stat`` as read, which the reference and the stat cache keep."""
    from reams.domain.records import ScannedFile

    sha, st = _hash_file(path)
    blobs.refer(sha, str(path), st)
    return ScannedFile("", path.name, sha, st.st_size), st


def mirror_folder(
    catalog: Catalog,
    blobs: BlobStore,
    *,
    project_id: str,
    root: Path,
    exclude: Path | None = None,
    follow_links: bool = False,
    outside: list[str] | None = None,
    cache_dir: Path | None = None,
    on_read: Callable[[], object] | None = None,
    scan: Scan | None = None,
) -> str:
    """Make the directory ``local:<root>`` mirror the folder (or the one file ``root``); returns
    the directory id. Links leaving the folder are skipped into ``outside`` (see :func:`walk`).

    With ``cache_dir``, a file whose stat signature has not changed since an earlier mirror is
    not read (:class:`StatCache`): a re-run over unchanged files reads no file at all.
    ``on_read`` is called once, before the first file that has to be read: the first sign that
    the folder holds work (``reams run`` starts its worker processes then, not on a re-run).
    ``scan`` receives each file's stat signature as its content was hashed (see
    :func:`save_run_record`)."""
    from reams.domain.records import ScannedFile

    root = root.resolve()
    directory_id = catalog.folder_directory(
        project_id=project_id, name=f"local:{root}", description=f"Files under {root}"
    )
    known = catalog.folder_entries(directory_id)
    cache = StatCache(None if cache_dir is None else cache_dir / f"{directory_id}.json")
    files: list[ScannedFile] = []
    changed: list[ScannedFile] = []
    for path, st in walk(root, exclude=exclude, follow_links=follow_links, outside=outside):
        relpath = path.name if path == root else path.relative_to(root).as_posix()
        before = known.get(relpath, ("", ""))[1]
        sha = cache.lookup(relpath, st)
        if sha is not None:
            found = ScannedFile(relpath, path.name, sha, st.st_size)
            blobs.refer(sha, str(path), st)
        else:
            if on_read is not None:
                on_read()
                on_read = None
            scanned, st = _read_file(path, blobs)
            found = dataclasses.replace(scanned, relpath=relpath)
        cache.remember(relpath, st, found.sha256)
        if scan is not None:
            scan.add(relpath, st, cache.started_ns)
        files.append(found)
        if found.sha256 != before:
            changed.append(found)
    # Durable before any job can name these files' contents.
    blobs.save_references(directory_id, (f.sha256 for f in files))
    gone = set(known) - {f.relpath for f in files}
    catalog.apply_folder_changes(
        project_id=project_id, directory_id=directory_id, changed=changed, known=known, gone=gone
    )
    cache.save()
    return directory_id


def last_folder_job(catalog: Catalog, *, project_id: str, root: Path, job_type: str) -> Job | None:
    """The newest ``reams run`` job of ``job_type`` over the folder ``root``, if any."""
    from reams.domain.records import JobApi

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


# -- a run over an unchanged folder ------------------------------------------------------------
# ``reams run`` over a folder whose every file ended done leaves a record of what that outcome
# depended on; the same command over the same files, with nothing else changed, then has nothing
# to run, which ``unchanged_run`` tells from a walk of the folder and a stat of each watched
# path, without opening the store (``reams.cli.unchanged``).

RUN_RECORD_VERSION = 1
# A path written less than this long before its signature is taken could be written again
# within the same tick of the clock that stamps files (Linux stamps them from a coarse clock,
# one tick is at most 10 ms) and keep its signature: a record waits that long, once, if needed.
# Twice the longest tick: every run pays it at its end (the outputs were just written).
SETTLE_NS = 20_000_000


@dataclass
class Scan:
    """What a mirror hashed: each file's relative path and stat signature, in walk order.
    ``trusted`` turns False when a file had changed too recently for its signature to tell a
    later change (the stat cache's racy rule, ``RACY_NS``)."""

    files: list[list[Any]] = field(default_factory=list)
    trusted: bool = True

    def add(self, relpath: str, st: os.stat_result, started_ns: int) -> None:
        self.files.append([relpath, *_signature(st)])
        if max(st.st_mtime_ns, st.st_ctime_ns) >= started_ns - RACY_NS:
            self.trusted = False


def _path_signature(path: str) -> list[int] | None:
    """The path's own stat signature (a link is not followed), with its mode; None if absent."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return [st.st_mode, *_signature(st)]


def _settled(paths: list[str]) -> list[list[int] | None] | None:
    """The signatures of ``paths`` once the newest of them is SETTLE_NS old (waiting for that
    once), so that any later write shows in them; None when they keep changing or a stamp lies
    in the future (a clock that cannot tell)."""
    for _ in range(2):
        now = time.time_ns()
        signed = [_path_signature(p) for p in paths]
        stamps = [max(s[2], s[3]) for s in signed if s is not None]  # mtime, ctime
        newest = max(stamps, default=0)
        if newest > now:
            return None
        if now - newest >= SETTLE_NS:
            return signed
        time.sleep((SETTLE_NS - (now - newest)) / 1e9)
    return None


def save_run_record(
    path: Path,
    *,
    key: str,
    scan: Scan,
    required: Iterable[str],
    absent: Iterable[str] = (),
    facts: dict[str, Any],
) -> bool:
    """Keep, at ``path``, what a run's outcome depended on, for :func:`unchanged_run`: the
    caller's ``key`` (its options), every file's signature as it was hashed, the signature of
    each ``required`` path (which must exist and be no symbolic link: the store's database, the
    outputs; real paths) and the absence of each ``absent`` one (the database's journals); and
    the caller's ``facts``. Written only when every signature can tell a later change (``Scan``'s
    racy rule, ``SETTLE_NS``); otherwise an earlier record at ``path`` is removed. Returns
    whether the record was written."""
    must, must_not = list(dict.fromkeys(required)), list(dict.fromkeys(absent))
    signed = _settled(must + must_not) if scan.trusted else None
    ok = (
        signed is not None
        and all(s is not None and not stat.S_ISLNK(s[0]) for s in signed[: len(must)])
        and all(s is None for s in signed[len(must) :])
    )
    if not ok or signed is None:
        path.unlink(missing_ok=True)
        return False
    watched = [[p, s] for p, s in zip(must + must_not, signed, strict=True)]
    record = {"version": RUN_RECORD_VERSION, "key": key, "files": scan.files, "watched": watched}
    data = orjson.dumps(record | {"facts": facts})
    part = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as sink:
            sink.write(data)
        os.replace(part, path)
    except OSError:  # only a shortcut lost: the next run is a full one
        part.unlink(missing_ok=True)
        return False
    return True


def start_worker_early(prefetch: tuple[str, str] | None = None) -> None:
    """Start the worker child that a local run of a folder will need, now: its start-up then
    overlaps the command's own imports and the scan (``engine.isolation.start_early``);
    ``prefetch`` (folder, OUT): it parses the first files meanwhile (``engine.prefetch``).
    Imported here, not at the top: the shortcut of an unchanged run never needs it."""
    from reams.engine.isolation import start_early

    start_early(prefetch)


def unchanged_run(
    path: Path, *, key: str, root: Path, exclude: Path | None = None, follow_links: bool = False
) -> dict[str, Any] | None:
    """The ``facts`` of the record at ``path`` when nothing it depended on has changed: the same
    ``key``, every watched path with the same signature (or still absent), and a walk of ``root``
    finding the same files in the same order with the same stat signatures (no file is read).
    None on any difference, a link leaving the folder, or no readable record."""
    try:
        record = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(record, dict) or record.get("version") != RUN_RECORD_VERSION:
        return None
    files, watched, facts = record.get("files"), record.get("watched"), record.get("facts")
    if record.get("key") != key or not isinstance(facts, dict):
        return None
    if not isinstance(files, list) or not isinstance(watched, list):
        return None
    for entry in watched:
        if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[0], str):
            return None
        if _path_signature(entry[0]) != entry[1]:
            return None
    outside: list[str] = []
    seen = 0
    for found, st in walk(root, exclude=exclude, follow_links=follow_links, outside=outside):
        relpath = found.name if found == root else found.relative_to(root).as_posix()
        if seen >= len(files) or files[seen] != [relpath, *_signature(st)]:
            return None
        seen += 1
    return facts if seen == len(files) and not outside else None
