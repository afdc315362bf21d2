"""v2 product jobs: one document through parse, classify or extract (`/api/v2/{product}`).

In reams a product job is a one-item batch job: the same engine, dedup and counters as every
batch job, created through :meth:`reams.service.jobs.Jobs.submit` with an origin that records
the product type, the saved configuration named and the input as the caller gave it. Its id is
the batch job's id (``bjb-...``); a batch item's result id (``pjb-`` / ``cjb-`` / ``ejb-...``)
is answered too, as a completed job.

* **Inputs** — a file id (``fil-...``) gets an entry in the project's hidden input directory
  (:mod:`reams.service.inputs`); a directory file id (``dfl-...``) is used as it is.
* **Configurations** — inline, or a saved configuration / built-in preset by
  ``configuration_id`` (both: the inline options override the saved ones); mapped onto reams's
  job configs by :mod:`reams.service.product_config`.
* **Status** — from the one item: ``COMPLETED`` when it has a result, ``FAILED`` when it failed
  (or was skipped without a result), ``CANCELLED`` when the job was cancelled before the item
  finished, ``RUNNING`` while it is processed, else ``PENDING``. A cancelled *classify* job
  presents as ``FAILED`` (error ``cancelled: ...``): the SDK's ``classify.wait_for_completion``
  ends only on ``COMPLETED`` or ``FAILED`` and would otherwise poll a cancelled job for hours.
* **Delete** — only a finished job (cancel it first; extract's ``force`` cancels it here). The
  job, its item and the results it produced go, with their blobs when nothing else uses them,
  so dedup forgets them: a later job over the same content processes it again. A result another
  job reused (skipped as already processed) stays for that job, out of dedup, and goes with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from reams.domain import ids
from reams.domain.errors import InvalidField, InvalidRequest, NotFound
from reams.domain.records import Item, Job, JobApi, JobOrigin, Result
from reams.domain.states import ACTIVE_JOB, ItemStatus, JobStatus
from reams.service import product_config
from reams.service.configurations import Configurations
from reams.service.inputs import entries_for_files
from reams.service.jobs import JobRequest, Jobs, check_config
from reams.service.results import load_output
from reams.store.base import decode_token, encode_token
from reams.store.blobs import BlobStore
from reams.store.protocols import Catalog
from reams.wire.configurations import validate_parameters

Output = dict[str, Any]

# product -> the product type of its saved configurations
PRODUCT_TYPES: Final = {"parse": "parse_v2", "classify": "classify_v2", "extract": "extract_v2"}
# v2 status filter -> the job states that can present it (the one item decides the rest)
STATUS_SCAN: Final[dict[str, frozenset[JobStatus]]] = {
    "PENDING": ACTIVE_JOB,
    "RUNNING": ACTIVE_JOB,
    "COMPLETED": frozenset({JobStatus.COMPLETED}),
    "FAILED": frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED}),
    "CANCELLED": frozenset({JobStatus.CANCELLED}),
    "THROTTLED": frozenset(),  # nothing is throttled in reams
}
V2_STATUSES: Final = tuple(STATUS_SCAN)


@dataclass(frozen=True)
class ProductJob:
    """What a v2 product view needs, whether it was asked for by job id or by result id."""

    id: str
    project_id: str
    product: str  # parse | classify | extract
    job_config: dict[str, Any]
    file_input: str  # as the caller gave it (fil-... or dfl-...)
    status: str  # PENDING | RUNNING | COMPLETED | FAILED | CANCELLED
    created_at: datetime
    updated_at: datetime
    name: str | None = None  # the document's file name
    error_message: str | None = None
    result: Result | None = None
    job: Job | None = None  # None when asked for by a batch item's result id
    item: Item | None = None

    @property
    def origin(self) -> JobOrigin | None:
        return self.job.origin if self.job is not None else None

    @property
    def configuration_id(self) -> str | None:
        return self.origin.configuration_id if self.origin is not None else None

    @property
    def started_at(self) -> datetime | None:
        return self.item.started_at if self.item is not None else None

    @property
    def completed_at(self) -> datetime | None:
        if self.item is not None:
            return self.item.completed_at
        return self.result.processed_at if self.result is not None else None


@dataclass(frozen=True)
class ListFilter:
    """The filters of a product list; ``None`` (or empty) filters nothing."""

    status: str | None = None
    job_ids: Sequence[str] | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    configuration_id: str | None = None
    file_input: str | None = None

    def keeps(self, job: ProductJob) -> bool:
        return (
            (self.status is None or job.status == self.status)
            and (self.configuration_id is None or job.configuration_id == self.configuration_id)
            and (self.file_input is None or job.file_input == self.file_input)
        )


@dataclass
class Products:
    """Create, read, list, cancel and delete v2 product jobs of one store."""

    catalog: Catalog
    blobs: BlobStore
    jobs: Jobs
    configurations: Configurations

    # -- create ----------------------------------------------------------------------------
    def create(
        self,
        *,
        project_id: str,
        product: str,
        file_input: str,
        configuration: Mapping[str, Any] | None = None,
        configuration_id: str | None = None,
        webhook_configuration_ids: Sequence[str] = (),
        webhooks: Sequence[object] = (),
        user_metadata: Mapping[str, str] | None = None,
    ) -> ProductJob:
        """Check, then submit a one-item job over ``file_input`` (``fil-`` or ``dfl-``)."""
        job_config = self.check(
            project_id=project_id,
            product=product,
            configuration=configuration,
            configuration_id=configuration_id,
            webhook_configuration_ids=webhook_configuration_ids,
            webhooks=webhooks,
            user_metadata=user_metadata,
        )
        (item_id,) = entries_for_files(self.catalog, project_id, [file_input])
        origin = JobOrigin(
            api=JobApi.PRODUCT,
            product_type=PRODUCT_TYPES[product],
            configuration_id=configuration_id,
            file_input=file_input,
            webhook_configuration_ids=tuple(webhook_configuration_ids),
        )
        request = JobRequest(
            project_id=project_id,
            job_config=job_config,
            item_ids=[item_id],
            origin=origin,
            webhooks=webhooks,
        )
        job = self.jobs.submit(request)
        return self._from_job(job, product)

    def check(
        self,
        *,
        project_id: str,
        product: str,
        configuration: Mapping[str, Any] | None = None,
        configuration_id: str | None = None,
        webhook_configuration_ids: Sequence[str] = (),
        webhooks: Sequence[object] = (),
        user_metadata: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The checked job config a create would submit (InvalidField / NotFound otherwise);
        callers that store something first (an upload) check before they do."""
        options = self._options(project_id, product, configuration, configuration_id)
        job_config = _job_config(product, options, user_metadata)
        check_config(job_config)
        # Unknown saved ids are NotFound, bad inline endpoints InvalidField, before anything.
        self.jobs.webhook_targets(
            JobRequest(
                project_id=project_id,
                job_config=job_config,
                origin=JobOrigin(
                    api=JobApi.PRODUCT, webhook_configuration_ids=tuple(webhook_configuration_ids)
                ),
                webhooks=webhooks,
            )
        )
        return job_config

    def _options(
        self,
        project_id: str,
        product: str,
        configuration: Mapping[str, Any] | None,
        configuration_id: str | None,
    ) -> dict[str, Any]:
        saved: dict[str, Any] = {}
        if configuration_id:
            saved = self.configurations.resolve(
                configuration_id, project_id=project_id, product_type=PRODUCT_TYPES[product]
            )
        elif configuration is None:
            needs = "rules" if product == "classify" else "data_schema"
            raise InvalidField(f"give configuration (with {needs}) or configuration_id")
        options = product_config.merged(saved, configuration or {})
        if product == "parse":  # typed like a saved parse_v2 configuration: names a bad key
            options = validate_parameters({**options, "product_type": "parse_v2"}, prefix="parse")
        return options

    # -- read ------------------------------------------------------------------------------
    def get(self, job_id: str, *, project_id: str, product: str) -> ProductJob:
        """The product job ``job_id``: a batch job id, or a batch item's result id."""
        if job_id.startswith(f"{ids.BATCH_JOB}-"):
            job = self.catalog.get_job(job_id, project_id=project_id)
            if job.job_type != product or job.total_items != 1:
                raise NotFound(f"{product} job", job_id)
            return self._from_job(job, product)
        result = self.catalog.get_result(job_id, project_id=project_id)
        if result.job_type != product:
            raise NotFound(f"{product} job", job_id)
        return self._from_result(result, product)

    def output(self, job: ProductJob) -> Output | None:
        """The stored output of a completed job (None before it completes)."""
        if job.result is None:
            return None
        return load_output(self.blobs.get, job.result, f"{job.product} result output")

    def list(
        self,
        *,
        project_id: str,
        product: str,
        page_size: int,
        page_token: str | None,
        filters: ListFilter | None = None,
    ) -> tuple[list[ProductJob], str | None]:
        """The product jobs created through the v2 API, newest first, a page at a time.

        The store narrows by job state, ids and creation time; the presented status, the
        configuration id and the input are checked on each job, so the token is a position in
        the narrowed list (a page may hold fewer rows than asked, even none, before the end).
        """
        wanted = filters or ListFilter()
        if wanted.status is not None and wanted.status not in STATUS_SCAN:
            raise InvalidField(f"status must be one of {', '.join(V2_STATUSES)}")
        position = decode_token(page_token)
        found: list[ProductJob] = []
        total = position + 1
        while len(found) < page_size and position < total:
            rows, total = self.catalog.list_jobs(
                project_id=project_id,
                limit=page_size,
                offset=position,
                job_type=product,
                api=JobApi.PRODUCT,
                status=[s.value for s in STATUS_SCAN[wanted.status]] if wanted.status else None,
                created_after=wanted.created_after,
                created_before=wanted.created_before,
                job_ids=list(wanted.job_ids) if wanted.job_ids else None,
            )
            for row in rows:
                position += 1
                view = self._from_job(row, product)
                if wanted.keeps(view):
                    found.append(view)
                if len(found) == page_size:
                    break
            if not rows:
                break
        return found, encode_token(position) if position < total else None

    # -- cancel and delete -----------------------------------------------------------------
    def cancel(self, job_id: str, *, project_id: str, product: str) -> ProductJob:
        """Cancel through :meth:`Jobs.cancel` (a finished job is a Conflict)."""
        view = self.get(job_id, project_id=project_id, product=product)
        if view.job is None:
            raise _result_not_job(job_id)
        self.jobs.cancel(view.job.id, project_id=project_id, reason=f"{product} job cancelled")
        return self.get(job_id, project_id=project_id, product=product)

    def delete(
        self, job_id: str, *, project_id: str, product: str, force: bool = False
    ) -> ProductJob:
        """Delete a finished job and what it produced; ``force`` cancels an unfinished one
        first (an item still being processed is a Conflict until it stops)."""
        view = self.get(job_id, project_id=project_id, product=product)
        if view.job is None:
            raise _result_not_job(job_id)
        if force and view.job.status in ACTIVE_JOB:
            self.jobs.cancel(view.job.id, project_id=project_id, reason="deleted")
        _, orphans = self.catalog.delete_job(view.job.id, project_id=project_id)
        for sha256 in orphans:
            self.blobs.delete(sha256)
        return view

    # -- views -----------------------------------------------------------------------------
    def _from_job(self, job: Job, product: str) -> ProductJob:
        items, _ = self.catalog.list_items(job.id, project_id=job.project_id, limit=1, offset=0)
        if not items:
            raise NotFound(f"{product} job", job.id)
        item = items[0]
        result = None
        if item.result_id is not None and item.status in (ItemStatus.COMPLETED, ItemStatus.SKIPPED):
            result = self.catalog.get_result(item.result_id, project_id=job.project_id)
        status, error = job_state(job, item, has_result=result is not None, product=product)
        origin = job.origin
        return ProductJob(
            id=job.id,
            project_id=job.project_id,
            product=product,
            job_config=job.job_config,
            file_input=(origin.file_input if origin else None) or item.item_id,
            status=status,
            created_at=job.created_at,
            updated_at=job.updated_at,
            name=item.item_name,
            error_message=error,
            result=result,
            job=job,
            item=item,
        )

    def _from_result(self, result: Result, product: str) -> ProductJob:
        file_id = self.catalog.item_file_id(result.item_id, project_id=result.project_id)
        return ProductJob(
            id=result.id,
            project_id=result.project_id,
            product=product,
            job_config=result.job_config,
            file_input=file_id or result.item_id,
            status="COMPLETED",
            created_at=result.processed_at,
            updated_at=result.processed_at,
            name=result.file_name,
            result=result,
        )


def _job_config(
    product: str, options: Mapping[str, Any], user_metadata: Mapping[str, str] | None
) -> dict[str, Any]:
    if product == "parse":
        return product_config.parse_job_config(options, user_metadata=user_metadata)
    if product == "classify":
        return product_config.classify_job_config(options)
    return product_config.extract_job_config(options)


def _result_not_job(job_id: str) -> InvalidRequest:
    return InvalidRequest(
        f"{job_id!r} is a batch item's result, not a job created through this API: "
        "it cannot be cancelled or deleted on its own"
    )


def job_state(job: Job, item: Item, *, has_result: bool, product: str) -> tuple[str, str | None]:
    """The v2 status of a one-item job, and the error message that goes with it."""
    if has_result:
        return "COMPLETED", None
    if item.status == ItemStatus.FAILED:
        return "FAILED", f"{item.error_code}: {item.error_message}"
    if job.status == JobStatus.CANCELLED or item.status == ItemStatus.CANCELLED:
        # classify.wait_for_completion ends on FAILED only (see the module docstring).
        status = "FAILED" if product == "classify" else "CANCELLED"
        return status, f"cancelled: {job.cancel_reason or 'the job was cancelled'}"
    if item.status == ItemStatus.SKIPPED:  # skipped without a result (too large)
        return "FAILED", f"skipped: {item.skip_reason}"
    if job.status == JobStatus.FAILED:
        return "FAILED", job.error_message or "the job failed"
    return ("RUNNING" if item.status == ItemStatus.PROCESSING else "PENDING"), None
