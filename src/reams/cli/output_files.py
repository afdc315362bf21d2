"""Writing a local run's results next to each other: ``OUT/<relpath>.md`` and ``.json``.

Results come from the store (the blob a result points at), so the files in OUT are a view:
deleting OUT and re-running rebuilds it from earlier results without parsing anything again.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reams.domain.records import Item
from reams.domain.states import ItemStatus
from reams.service.results import output_contents, output_names, write_atomically

NO_TYPE = "(no rule fits)"
KNOWN_TARGETS = 1024  # items whose targets are remembered (a page of finished items is 128)


@dataclass
class _Folder:
    """An output folder as found once: its real path and its entries (name: a symlink?)."""

    real: str
    entries: dict[str, bool]

    @classmethod
    def read(cls, path: str) -> _Folder:
        real = os.path.realpath(path)
        entries: dict[str, bool] = {}
        try:
            with os.scandir(real) as listing:
                for entry in listing:
                    entries[entry.name] = entry.is_symlink()
        except OSError:  # not there yet (made on the first write), or not a folder
            pass
        return cls(real, entries)


@dataclass
class OutputWriter:
    """Writes the outputs of items that have a result; counts what it did.

    Whether an output is already there is answered from one listing of each output folder,
    taken the first time the folder is asked about: a re-run over 100,000 skipped files is
    a set lookup per file, not a stat and a symlink check per output.
    """

    out: Path
    load: Callable[[str], dict[str, Any]]
    job_type: str = "parse"  # parse writes .md and .json; classify and extract .json only
    written: int = 0
    kept: int = 0
    labels: Counter[str] = field(default_factory=Counter)  # classify: files per type
    # The real path of every output of the items written or kept so far, for the record of an
    # unchanged run (``cli.unchanged``); None once an item had an output not at its own path
    # under OUT (behind a symbolic link, or none at all).
    outputs: list[str] | None = field(default_factory=list)
    root: Path = field(init=False)
    _root: str = field(init=False)
    _folders: dict[str, _Folder] = field(init=False, default_factory=dict)
    # The targets of the items of the page being written: asked by needs_output, then by write.
    _known: dict[str, list[tuple[str, bool]] | None] = field(init=False, default_factory=dict)
    _made: set[str] = field(init=False, default_factory=set)
    # Items whose outputs a worker wrote (``targets``, ``worker_wrote``: the engine's route),
    # with the result id they name; asked from the engine's threads while this one writes.
    _by_worker: dict[str, str] = field(init=False, default_factory=dict)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.root = self.out.resolve()  # once: a re-run asks for every file's targets
        self._root = str(self.root)

    def _count_label(self, output: dict[str, Any]) -> None:
        if output.get("type") == "classify":
            self.labels[(output.get("result") or {}).get("type") or NO_TYPE] += 1

    # -- the engine's route (``engine.steps.OutputRoute``) ------------------------------------
    def targets(self, item: Item) -> tuple[str, ...]:
        """Where a worker that keeps the item's large result writes its outputs: the files
        :meth:`write` would write, found the same way (inside OUT, links followed)."""
        with self._lock:
            found = self._targets(item)
        return () if found is None else tuple(path for path, _ in found)

    def worker_wrote(self, item: Item, result_id: str) -> None:
        self._by_worker[item.id] = result_id

    def _targets(self, item: Item) -> list[tuple[str, bool]] | None:
        if item.id in self._known:
            return self._known[item.id]
        if len(self._known) >= KNOWN_TARGETS:
            self._known.clear()
        names = output_names(item.item_name, self.job_type)
        found = None if names is None else [self._inside(name) for name in names]
        paths = None if found is None or None in found else [p for p in found if p is not None]
        self._known[item.id] = paths
        return paths

    def _inside(self, name: str) -> tuple[str, bool] | None:
        """``OUT/name`` resolved and whether it exists, or None when it leads outside OUT
        (never written there, whatever a name or a symlink says)."""
        parent, base = os.path.split(os.path.join(self._root, name))
        folder = self._folders.get(parent)
        if folder is None:
            folder = self._folders[parent] = _Folder.read(parent)
        path = os.path.join(folder.real, base)
        link = folder.entries.get(base)
        if link:  # an existing symlink: where it leads decides
            path = os.path.realpath(path)
            exists = os.path.exists(path)
        else:
            exists = link is not None
        inside = path == self._root or path.startswith(self._root + os.sep)
        if path != os.path.join(parent, base) or link:  # a link on the way: not its own path
            self.outputs = None
        return (path, exists) if inside else None

    def needs_output(self, item: Item) -> bool:
        """Whether :meth:`write` will read the item's result (to write it, or to count its
        label): the others need no result row loaded."""
        if item.result_id is None:
            return False
        if self.job_type == "classify":
            return True
        if item.status == ItemStatus.COMPLETED:
            return self._by_worker.get(item.id) != item.result_id
        with self._lock:
            found = self._targets(item)
        return found is not None and not all(exists for _, exists in found)

    def write(self, item: Item) -> None:
        """A new result is always written (here, or by the worker that made it); an earlier
        one only where OUT lacks it."""
        with self._lock:
            found = self._targets(item)
        if item.result_id is None or found is None:
            self.outputs = None
            return
        if self.outputs is not None:
            self.outputs.extend(path for path, _ in found)
        if (
            item.status == ItemStatus.COMPLETED
            and self._by_worker.pop(item.id, None) == item.result_id
        ):
            self.written += 1
            if self.job_type == "classify":
                self._count_label(self.load(item.result_id))
            return
        if item.status != ItemStatus.COMPLETED and all(exists for _, exists in found):
            self.kept += 1
            if self.job_type == "classify":  # small: read for the per-type summary
                self._count_label(self.load(item.result_id))
            return
        output = self.load(item.result_id)
        self._count_label(output)
        names = [path for path, _ in found]
        contents = output_contents(names, item.item_name, item.result_id, output)
        for path, data in reversed(contents):  # the JSON first
            write_atomically(path, data, self._made)
        self.written += 1
