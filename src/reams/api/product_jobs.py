"""What the v2 product routes (`/api/v2/parse`, `/api/v2/classify`, `/api/v2/extract`) share:
the product service as a dependency, the list query parameters and the cursor envelope.

The use cases themselves (create from a file, list, get, cancel, delete) are
:class:`reams.service.products.Products`; see its module docstring for what a product job is in
reams (a one-item batch job), how its status is derived and what a delete removes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query

from reams.api.deps import ServicesDep
from reams.service.products import V2_STATUSES, ListFilter, Products


def get_products(services: ServicesDep) -> Products:
    """The product service over the process's store, blobs, jobs and configurations."""
    return Products(
        catalog=services.catalog,
        blobs=services.blobs,
        jobs=services.jobs,
        configurations=services.configurations,
    )


ProductsDep = Annotated[Products, Depends(get_products)]


def list_filter(
    status: Annotated[
        str | None,
        Query(
            description="PENDING, RUNNING, COMPLETED, FAILED or CANCELLED (THROTTLED: none).",
            json_schema_extra={"enum": list(V2_STATUSES)},  # other values: a 422 sentence
        ),
    ] = None,
    job_ids: Annotated[list[str] | None, Query(description="Only these job ids.")] = None,
    created_at_on_or_after: Annotated[
        datetime | None, Query(description="Created at or after this time (ISO 8601).")
    ] = None,
    created_at_on_or_before: Annotated[
        datetime | None, Query(description="Created at or before this time (ISO 8601).")
    ] = None,
) -> ListFilter:
    return ListFilter(
        status=status,
        job_ids=job_ids,
        created_after=created_at_on_or_after,
        created_before=created_at_on_or_before,
    )


ListFilterDep = Annotated[ListFilter, Depends(list_filter)]
