"""v2 batches: a product job (parse_v2 or extract_v2) for every file of a directory.

A v2 batch is one reams batch job, created through :class:`~reams.service.jobs.Jobs` like
every other; its configuration comes from a saved configuration or a built-in preset, and
its origin records the product type and configuration id its view shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from reams.domain.errors import InvalidField, NotFound
from reams.domain.records import Item, Job, JobApi, JobOrigin
from reams.domain.states import ItemStatus, JobType, v2_statuses_for
from reams.service.configurations import Configurations
from reams.service.jobs import JobRequest, Jobs
from reams.service.product_config import extract_job_config, parse_job_config
from reams.store.base import decode_token, encode_token
from reams.store.protocols import Catalog

JOB_TYPES: Final = {"parse_v2": JobType.PARSE, "extract_v2": JobType.EXTRACT}
RESULTS_PAGE = 1000


def job_config_for(product_type: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """A saved v2 configuration as a reams job config, mapped as the product creates map it
    (options with no offline meaning are reported as ignored in each result)."""
    if product_type == "extract_v2":
        return extract_job_config(parameters)
    return parse_job_config(parameters)


@dataclass(frozen=True)
class FileResult:
    """One file of a batch: its result id (the product job), or why it has none."""

    directory_file_id: str
    result_id: str | None
    error: str | None


class Batches:
    """Create, list, read and cancel v2 batches."""

    def __init__(self, *, catalog: Catalog, jobs: Jobs, configurations: Configurations) -> None:
        self._catalog = catalog
        self._jobs = jobs
        self._configurations = configurations

    def create(
        self,
        *,
        project_id: str,
        source_directory_id: str,
        product_type: str,
        configuration_id: str,
        webhook_configuration_ids: Sequence[str] = (),
        webhooks: Sequence[object] = (),
        priority: int = 0,
    ) -> Job:
        if product_type not in JOB_TYPES:
            raise InvalidField(
                f"config.job.type must be one of {', '.join(JOB_TYPES)}, got {product_type!r}"
            )
        parameters = self._configurations.resolve(
            configuration_id, project_id=project_id, product_type=product_type
        )
        origin = JobOrigin(
            api=JobApi.V2_BATCH,
            product_type=product_type,
            configuration_id=configuration_id,
            webhook_configuration_ids=tuple(webhook_configuration_ids),
        )
        return self._jobs.submit(
            JobRequest(
                project_id=project_id,
                job_config=job_config_for(product_type, parameters),
                directory_id=source_directory_id,
                origin=origin,
                webhooks=webhooks,
                priority=priority,
            )
        )

    def get(self, batch_id: str, *, project_id: str) -> Job:
        """A v2 batch; other jobs (v1 batches, product jobs) are not batches of this API."""
        job = self._catalog.get_job(batch_id, project_id=project_id)
        if job.origin is None or job.origin.api is not JobApi.V2_BATCH:
            raise NotFound("batch", batch_id)
        return job

    def list(
        self,
        *,
        project_id: str,
        page_size: int,
        page_token: str | None,
        status: str | None = None,
        source_directory_id: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> tuple[list[Job], str | None]:
        offset = decode_token(page_token)
        jobs, total = self._catalog.list_jobs(
            project_id=project_id,
            limit=page_size,
            offset=offset,
            api=JobApi.V2_BATCH,
            directory_id=source_directory_id,
            status=[s.value for s in v2_statuses_for(status)] if status else None,
            created_after=created_after,
            created_before=created_before,
        )
        following = offset + len(jobs)
        return jobs, encode_token(following) if following < total else None

    def cancel(self, batch_id: str, *, project_id: str) -> Job:
        self.get(batch_id, project_id=project_id)
        return self._jobs.cancel(batch_id, project_id=project_id, reason="batch cancelled")

    def results(self, job: Job) -> Iterator[FileResult]:
        """Every file of the batch in job order, a page of items at a time."""
        offset = 0
        while True:
            items, total = self._catalog.list_items(
                job.id, project_id=job.project_id, limit=RESULTS_PAGE, offset=offset
            )
            yield from (_file_result(i) for i in items)
            offset += len(items)
            if not items or offset >= total:
                return


def _file_result(item: Item) -> FileResult:
    if item.result_id is not None:
        return FileResult(item.item_id, item.result_id, None)
    if item.status is ItemStatus.FAILED:
        return FileResult(item.item_id, None, f"{item.error_code}: {item.error_message}")
    if item.status is ItemStatus.SKIPPED:
        return FileResult(item.item_id, None, f"skipped: {item.skip_reason}")
    if item.status is ItemStatus.CANCELLED:
        return FileResult(item.item_id, None, "cancelled")
    return FileResult(item.item_id, None, None)
