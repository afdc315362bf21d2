"""``reams run``'s early worker parses the folder's first files while the command starts.

The command's own start-up (its imports, the store, the folder's scan, the job) takes a few
tenths of a second after its early child is ready (``isolation.start_early``): on two cores,
one of them idle. Given the folder, the early child parses its first files in the order the
scan will list them (a folder's files by name, then its folders by name, hidden entries
skipped) with the parameters of a plain ``reams run DIR`` (``{"type": "parse"}``), until
the engine's first task arrives. A task for one of those files, with exactly those parameters
and the same content (the sha256 the scan gave it), is answered with that output; any other
task is run as always, and what was parsed ahead for nothing is dropped.

Bounded: small files only (a large one is left to its task, under the memory cap and timeout
the child gets later), at most ``MAX_FILES`` files and ``MAX_BYTES`` of output, and a file
taking longer than ``FILE_S`` ends the prefetch (a timer interrupts it).
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reams.engine.base import DEFAULT_SLICE_PAGES
from reams.engine.processor_output import ProcessorOutput, encode

if TYPE_CHECKING:
    from reams.engine.isolation import Task

log = logging.getLogger(__name__)

PARAMETERS: dict[str, Any] = {"type": "parse"}  # the job parameters of a plain ``reams run``
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 500
MAX_BYTES = 64 * 1024 * 1024
FILE_S = 0.5


class _TooSlow(Exception):
    pass


@dataclass(frozen=True)
class Parsed:
    name: str  # the item name the scan gives the file (its path in the folder)
    sha256: str
    output: dict[str, Any]
    encoded: ProcessorOutput


class Prefetch:
    """The first files of ``root`` (``out`` excluded), parsed ahead by path."""

    def __init__(self, root: str, out: str = "") -> None:
        self.root = Path(root).resolve()
        self.out = Path(out).resolve() if out else None
        self.split_above = _split_above()
        self.parsed: dict[str, Parsed] = {}
        # How many of the folder's files, in the scan's order, the prefetch has gone past (large
        # ones it leaves to their tasks included): the items its parses may answer are among
        # the job's first ``position`` (``ahead``).
        self.position = 0
        self._files = self._walk()
        self._bytes = 0
        self._done = self.split_above is None

    def run_while(self, idle: Callable[[], bool]) -> None:
        """Parse the next files while ``idle()`` says nothing else is waiting."""
        if self._done:
            return
        from reams import processors

        previous = signal.signal(signal.SIGALRM, _interrupt)
        try:
            while idle():
                try:
                    path, name, small = next(self._files)
                except StopIteration:
                    self._done = True
                    return
                self.position += 1
                if small and not self._parse(processors.run, path, name):
                    self._done = True
                    return
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _parse(self, run: Callable[..., dict[str, Any]], path: Path, name: str) -> bool:
        """Parse one file ahead; False when the prefetch should end here."""
        if len(self.parsed) >= MAX_FILES or self._bytes >= MAX_BYTES:
            return False
        try:
            data = path.read_bytes()
        except OSError:
            return True
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, FILE_S)
        try:
            output = run("parse", data, name, PARAMETERS, split_above=self.split_above)
        except _TooSlow:
            return False
        except Exception:  # its task will say what is wrong with it, under the real limits
            return True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        encoded = encode(output, duration_s=time.perf_counter() - started)
        if encoded.split_pages:
            return True
        sha256 = hashlib.sha256(data).hexdigest()
        self.parsed[str(path)] = Parsed(name, sha256, output, encoded)
        self._bytes += len(encoded.blob)
        return True

    def take(self, task: Task) -> Parsed | None:
        """The output parsed ahead for ``task``, when it is exactly that work."""
        found = self.parsed.pop(task.path, None)
        if found is None:
            return None
        same = (
            task.job_type == "parse"
            and task.parameters == PARAMETERS
            and task.pages is None
            and not task.merge
            and task.split_above == self.split_above
            and task.filename == found.name
            and task.sha256 == found.sha256
        )
        return found if same else None

    @property
    def ahead(self) -> int:
        """How many of the job's first items the work parsed ahead may answer: 0 when none."""
        return self.position if self.parsed else 0

    def stop(self) -> None:
        """Parse nothing more (what was parsed stays, for the tasks it answers)."""
        self._done = True

    def _walk(self) -> Iterator[tuple[Path, str, bool]]:
        """The folder's files in the scan's order, each with whether it is small enough to
        parse ahead."""
        if self.root.is_file():
            yield self.root, self.root.name, _small(self.root)
            return
        yield from self._folder(self.root)

    def _folder(self, here: Path) -> Iterator[tuple[Path, str, bool]]:
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        folders: list[Path] = []
        for entry in entries:
            if entry.name.startswith(".") or entry.is_symlink():
                continue  # links are the scan's to judge: their files are simply not ahead
            path = here / entry.name
            try:
                if entry.is_dir():
                    if path != self.out:
                        folders.append(path)
                elif entry.is_file():
                    small = entry.stat().st_size <= MAX_FILE_BYTES
                    yield path, path.relative_to(self.root).as_posix(), small
            except OSError:
                continue
        for folder in folders:
            yield from self._folder(folder)


def _small(path: Path) -> bool:
    try:
        return path.stat().st_size <= MAX_FILE_BYTES
    except OSError:
        return False


def _split_above() -> int | None:
    """The page count above which the job's tasks split a PDF (``REAMS_SLICE_PAGES``), read as
    the settings read it; None (no prefetch) when it is not a plain number."""
    raw = os.environ.get("REAMS_SLICE_PAGES")
    if raw is None:
        return DEFAULT_SLICE_PAGES
    try:
        return int(raw.strip())
    except ValueError:
        return None


def _interrupt(signum: int, frame: object) -> None:
    raise _TooSlow
