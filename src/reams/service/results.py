"""Reading what jobs produced: their items page by page and the stored result outputs.

The API's result endpoints and ``reams run``'s output files both read results here, so a
result blob is decoded one way and a missing one means the same thing everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reams.domain.errors import NotFound
from reams.domain.records import Item, Result
from reams.store.blobs import BlobStore
from reams.store.protocols import Catalog

Output = dict[str, Any]
PAGE = 500


def load_output(read: Callable[[str], bytes], result: Result, what: str) -> Output:
    """The output blob of ``result`` as JSON; NotFound when the blob is gone."""
    try:
        return dict(json.loads(read(result.output_sha256)))
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
