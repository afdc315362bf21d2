"""Reading what jobs produced: their items page by page and the stored result outputs.

The API's result endpoints and ``reams run``'s output files both read results here, so a
result blob is decoded one way and a missing one means the same thing everywhere.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from reams.domain.errors import NotFound
from reams.domain.records import Item, Result
from reams.domain.states import TERMINAL_ITEM
from reams.store.blobs import BlobStore
from reams.store.protocols import Catalog

Output = dict[str, Any]
PAGE = 500


def load_output(read: Callable[[str], bytes], result: Result, what: str) -> Output:
    """The output blob of ``result`` as JSON; NotFound when the blob is gone."""
    try:
        return dict(orjson.loads(read(result.output_sha256)))
    except KeyError:  # the blob is gone (e.g. a data dir restored partially)
        raise NotFound(what, result.id) from None


def result_of_type(
    get: Callable[..., Result], result_id: str, project_id: str, job_type: str
) -> Result:
    """The result ``result_id`` when it is a ``job_type`` result; NotFound otherwise."""
    result = get(result_id, project_id=project_id)
    if result.job_type != job_type:
        raise NotFound(f"{job_type} job", result_id)
    return result


def job_item_pages(catalog: Catalog, job_id: str) -> Iterator[list[Item]]:
    """Every item of a job, in job order, a page at a time."""
    offset = 0
    while True:
        page, total = catalog.list_items(job_id, project_id=None, limit=PAGE, offset=offset)
        if page:
            yield page
        offset += len(page)
        if not page or offset >= total:
            return


@dataclass
class ResultLoader:
    """Loads result outputs by result id; ``prefetch`` reads a page of result rows at once."""

    catalog: Catalog
    blobs: BlobStore
    rows: dict[str, Result] = field(default_factory=dict)

    def prefetch(self, items: list[Item]) -> None:
        self.rows = self.catalog.results_by_id([i.result_id for i in items if i.result_id])

    def __call__(self, result_id: str) -> Output:
        result = self.rows.get(result_id) or self.catalog.get_result(result_id, project_id=None)
        return load_output(self.blobs.get, result, "result output")


# The files ``reams run --out`` writes and ``…/export?format=zip`` packs: one naming and
# serialising rule for both, so an exported zip unpacks into what a local run writes.
ANALYSIS_KEYS = ("result", "extract_result", "extract_metadata", "scores", "engine", "usage")


def output_names(item_name: str, job_type: str) -> list[str] | None:
    """The relative (POSIX) paths of an item's output files: ``<name>.md`` and ``<name>.json``
    for parse, ``<name>.json`` otherwise; None when the name would lead outside the output
    folder (absolute, or climbing with ``..``)."""
    name = posixpath.normpath(item_name.replace("\\", "/"))
    if not item_name or name.startswith("/") or name in (".", "..") or name.startswith("../"):
        return None
    return [f"{name}.md", f"{name}.json"] if job_type == "parse" else [f"{name}.json"]


def output_document(item: Item, output: Output) -> dict[str, Any]:
    """The ``<name>.json`` document of an item: its file, result id and the result output."""
    document = {"file": item.item_name, "result_id": item.result_id, "type": output.get("type")}
    if output.get("type") in ("classify", "extract"):
        return (
            document
            | {k: output[k] for k in ANALYSIS_KEYS if k in output}
            | {"document": output.get("document")}
        )
    return document | {"document": output.get("document"), "pages": output.get("pages", [])}


def pretty_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, several times
    faster (the standard encoder drops to pure Python as soon as it indents): the output
    files ``reams run`` writes for every item, and the export's."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except (TypeError, orjson.JSONEncodeError):  # what orjson refuses (huge ints, odd keys)
        return json.dumps(value, ensure_ascii=False, indent=2)


def output_texts(names: list[str], item: Item, output: Output) -> list[tuple[str, str]]:
    """(relative path, text) of each output file named by :func:`output_names`, JSON last."""
    document = pretty_json(output_document(item, output))
    if len(names) == 2:
        return [(names[0], str(output.get("markdown_full") or "")), (names[1], document)]
    return [(names[0], document)]


@dataclass
class FinishedItems:
    """Hands out each item of a job once, as soon as it is in a terminal state.

    A frontier (``after``, a ``seq``) below which every item was handed out, and the ids handed
    out beyond it: a poll reads from the frontier on, at most ``window`` items (keyset pages).
    Workers claim items in job order, so that is the items in flight and the few finished among
    them; the cost of a poll does not grow with the job.
    """

    catalog: Catalog
    job_id: str
    window: int = 2000
    page: int = 128  # a poll reads on while a page holds finished items: the first page
    # without one (items in flight and pending) ends it, so small pages waste little
    after: int = -1
    ahead: set[str] = field(default_factory=set)

    def poll(self, *, final: bool = False) -> Iterator[list[Item]]:
        """Pages of items finished since the last poll. ``final`` (the job is over): every item
        not handed out yet, whatever its state, to the end of the job."""
        after, scanned, contiguous = self.after, 0, True
        while final or scanned < self.window:
            rows = self.catalog.items_after(self.job_id, after_seq=after, limit=self.page)
            if not rows:
                return
            after, scanned = rows[-1][0], scanned + len(rows)
            fresh: list[Item] = []
            any_done = False
            for seq, item, _ in rows:
                done = final or item.status in TERMINAL_ITEM
                any_done |= done
                if done and item.id not in self.ahead:
                    fresh.append(item)
                    if not contiguous:
                        self.ahead.add(item.id)
                if contiguous and done:
                    self.after = seq
                    self.ahead.discard(item.id)
                elif not done:
                    contiguous = False
            if fresh:
                yield fresh
            if len(rows) < self.page or not any_done:
                return
