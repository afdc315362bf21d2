"""Writing a local run's results next to each other: ``OUT/<relpath>.md`` and ``.json``.

Results come from the store (the blob a result points at), so the files in OUT are a view:
deleting OUT and re-running rebuilds it from earlier results without parsing anything again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reams.domain.records import Item
from reams.domain.states import ItemStatus
from reams.store.blobs import BlobStore
from reams.store.transitions import Store

PAGE = 500


def job_items(store: Store, job_id: str) -> Iterator[Item]:
    """Every item of a job, in job order, a page at a time."""
    offset = 0
    while True:
        page, total = store.list_items(job_id, project_id=None, limit=PAGE, offset=offset)
        yield from page
        offset += len(page)
        if not page or offset >= total:
            return


def result_loader(store: Store, blobs: BlobStore) -> Callable[[str], dict[str, Any]]:
    def load(result_id: str) -> dict[str, Any]:
        result = store.get_result(result_id, project_id=None)
        output: dict[str, Any] = json.loads(blobs.get(result.output_sha256))
        return output

    return load


def _atomic_write(target: Path, text: str) -> None:
    # A Ctrl-C mid-write must not leave a truncated file that a re-run would then keep.
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


@dataclass
class OutputWriter:
    """Writes the outputs of items that have a result; counts what it did."""

    out: Path
    load: Callable[[str], dict[str, Any]]
    written: int = 0
    kept: int = 0

    def targets(self, item: Item) -> tuple[Path, Path] | None:
        base = (self.out / item.item_name).resolve()
        if not base.is_relative_to(self.out.resolve()):
            return None  # never write outside OUT, whatever a name says
        return base.with_name(base.name + ".md"), base.with_name(base.name + ".json")

    def write(self, item: Item) -> None:
        """A new result is always written; an earlier one only where OUT lacks it."""
        paths = self.targets(item)
        if item.result_id is None or paths is None:
            return
        md, js = paths
        if item.status != ItemStatus.COMPLETED and md.exists() and js.exists():
            self.kept += 1
            return
        output = self.load(item.result_id)
        _atomic_write(js, json.dumps(_json_document(item, output), ensure_ascii=False, indent=2))
        _atomic_write(md, str(output.get("markdown_full") or ""))
        self.written += 1


def _json_document(item: Item, output: dict[str, Any]) -> dict[str, Any]:
    return {
        "file": item.item_name,
        "result_id": item.result_id,
        "type": output.get("type"),
        "document": output.get("document"),
        "pages": output.get("pages", []),
    }
