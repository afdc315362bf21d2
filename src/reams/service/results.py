"""Reading what jobs produced: their items page by page and the stored result outputs.

The API's result endpoints and ``reams run``'s output files both read results here, so a
result blob is decoded one way and a missing one means the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import orjson

from reams.domain.errors import NotFound
from reams.domain.outputs import Output, output_contents, output_names
from reams.domain.records import Item, Result
from reams.domain.states import TERMINAL_ITEM
from reams.store.blobs import BlobStore
from reams.store.files import write_atomically
from reams.store.protocols import Catalog

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


# The files of an item's result (``reams run --out``, the zip export): named and written by
# the one rule of ``domain.outputs`` and ``store.files``, offered here to the commands.
__all__ = [
    "FinishedItems",
    "ResultLoader",
    "job_item_pages",
    "load_output",
    "output_contents",
    "output_names",
    "result_of_type",
    "write_atomically",
]


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
            # Worked out aside and taken on just before the page is handed out: a Ctrl-C
            # meanwhile loses no item (the next poll reads the same rows again).
            frontier, ahead = self.after, set(self.ahead)
            for seq, item, _ in rows:
                done = final or item.status in TERMINAL_ITEM
                any_done |= done
                if done and item.id not in ahead:
                    fresh.append(item)
                    if not contiguous:
                        ahead.add(item.id)
                if contiguous and done:
                    frontier = seq
                    ahead.discard(item.id)
                elif not done:
                    contiguous = False
            self.after, self.ahead = frontier, ahead
            if fresh:
                yield fresh
            if len(rows) < self.page or not any_done:
                return
