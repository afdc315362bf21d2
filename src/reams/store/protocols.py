"""The store's two seams, as the layers above see it.

:class:`Catalog` is what the application layer (and through it the API and the CLI) may do:
read and write projects, files, directories and jobs, create jobs with every item pending.
:class:`Work` is what engines do: claim items, record outcomes, move jobs through their
lifecycle, recover expired leases. :class:`Outbox` is the webhook sender's: claim due
deliveries, record attempts. :class:`Heartbeats` holds the rows of worker processes.
``Store`` implements all four; nothing outside the engine holds a ``Work``, so "only the
engine moves item states" is enforced by types, not by habit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from reams.domain.apikeys import ApiKey
from reams.domain.jobconfig import JobSettings
from reams.domain.records import (
    Directory,
    DirectoryFile,
    FileRecord,
    Item,
    Job,
    JobApi,
    JobOrigin,
    Project,
    Result,
    ScannedFile,
)
from reams.domain.states import ACTIVE_JOB, JobStatus
from reams.domain.webhooks import ClaimedDelivery, Delivery, DeliveryStatus, WebhookTarget
from reams.domain.workers import WorkerInfo, WorkerRecord
from reams.store.catalog import NewFile
from reams.store.folders import Entries
from reams.store.idempotency import IdempotencyRecord
from reams.store.moves import Completion, Settlement


class Catalog(Protocol):
    """Projects, keys, files, directories, folder mirrors, jobs and results (reads, creates)."""

    def ensure_project(self, name: str) -> Project: ...

    def create_api_key(self, *, project_id: str, key_hash: str, prefix: str) -> str: ...

    def list_api_keys(
        self,
        *,
        key_id: str | None = None,
        prefix: str | None = None,
        key_hash: str | None = None,
    ) -> list[ApiKey]:
        """Every key (oldest first), or those matching any of the given id, prefix or hash."""
        ...

    def revoke_api_key(self, key_id: str) -> ApiKey:
        """Mark a key revoked (idempotent); NotFound when there is none."""
        ...

    def project_for_key(self, key_hash: str) -> Project | None:
        """The project of a live (not revoked) key; read on every request, never cached."""
        ...

    def describe_project(self, project_id: str) -> tuple[Project, datetime]:
        """A project and when it was created; NotFound when there is none."""
        ...

    def create_file(
        self,
        *,
        project_id: str,
        name: str,
        sha256: str,
        size: int,
        purpose: str | None = None,
        external_file_id: str | None = None,
    ) -> FileRecord: ...

    def create_files(
        self,
        *,
        project_id: str,
        files: Sequence[NewFile],
        purpose: str | None = None,
        directory_id: str | None = None,
    ) -> tuple[list[FileRecord], list[DirectoryFile]]:
        """File rows, and with ``directory_id`` an entry for each, in one transaction: all of
        them or none (Conflict for a ``unique_id`` already in the directory)."""
        ...

    def get_file(self, file_id: str, *, project_id: str | None) -> FileRecord:
        """A live file; ``project_id=None`` only for signed downloads."""
        ...

    def list_files(
        self,
        *,
        project_id: str,
        page_size: int,
        page_token: str | None,
        file_name: str | None = None,
        external_file_id: str | None = None,
        file_ids: Sequence[str] | None = None,
        order_by: str | None = None,
    ) -> tuple[list[FileRecord], str | None]: ...

    def count_files(
        self,
        *,
        project_id: str,
        file_name: str | None = None,
        external_file_id: str | None = None,
        file_ids: Sequence[str] | None = None,
    ) -> int:
        """How many live files ``list_files`` with the same filters would page through."""
        ...

    def delete_file(self, file_id: str, *, project_id: str) -> None: ...

    def create_directory(
        self,
        *,
        project_id: str,
        name: str,
        description: str | None = None,
        type: str | None = None,
    ) -> Directory: ...

    def get_directory(
        self, directory_id: str, *, project_id: str, include_deleted: bool = False
    ) -> Directory: ...

    def list_directories(
        self,
        *,
        project_id: str,
        page_size: int,
        page_token: str | None,
        name: str | None = None,
        include_deleted: bool = False,
        types: Sequence[str] | None = None,
        exclude_names: Sequence[str] | None = None,
    ) -> tuple[list[Directory], str | None]: ...

    def update_directory(
        self, directory_id: str, *, project_id: str, changes: dict[str, Any]
    ) -> Directory: ...

    def delete_directory(self, directory_id: str, *, project_id: str) -> None:
        """Soft delete: the directory stays visible with ``include_deleted``."""
        ...

    def add_directory_files(
        self, *, project_id: str, directory_id: str, entries: Sequence[dict[str, Any]]
    ) -> list[DirectoryFile]:
        """Add entries (file_id, display_name, unique_id, metadata) in one transaction."""
        ...

    def get_directory_file(
        self, dfile_id: str, *, project_id: str, directory_id: str | None = None
    ) -> DirectoryFile: ...

    def list_directory_files(
        self,
        *,
        project_id: str,
        directory_id: str,
        page_size: int,
        page_token: str | None,
        filters: dict[str, Any] | None = None,
        include_deleted: bool = False,
    ) -> tuple[list[DirectoryFile], str | None]: ...

    def update_directory_file(
        self, dfile_id: str, *, project_id: str, directory_id: str, changes: dict[str, Any]
    ) -> DirectoryFile: ...

    def delete_directory_file(
        self, dfile_id: str, *, project_id: str, directory_id: str
    ) -> None: ...

    def count_directory_files(self, directory_id: str) -> int: ...

    def folder_directory(self, *, project_id: str, name: str, description: str) -> str:
        """The id of the directory called ``name``, created when there is none."""
        ...

    def folder_entries(self, directory_id: str) -> Entries:
        """What the directory holds now, by relative path."""
        ...

    def apply_folder_changes(
        self,
        *,
        project_id: str,
        directory_id: str,
        changed: Sequence[ScannedFile],
        known: Mapping[str, tuple[str, str]],
        gone: Collection[str],
    ) -> None:
        """New file versions, new entries and removals in one transaction, in bulk."""
        ...

    def create_job(
        self,
        *,
        project_id: str,
        settings: JobSettings,
        job_config: dict[str, Any],
        directory_id: str | None,
        item_ids: Sequence[str] | None,
        namespace: str | None = None,
        page_size: int | None = None,
        continue_as_new_threshold: int | None = None,
        origin: JobOrigin | None = None,
        webhooks: Sequence[WebhookTarget] = (),
        priority: int = 0,
    ) -> Job:
        """Write the job and all its items (pending) in one transaction, with its webhook
        endpoints and its ``*.pending`` event."""
        ...

    def list_deliveries(self, job_id: str, *, project_id: str | None) -> list[Delivery]:
        """A job's webhook deliveries, oldest first."""
        ...

    def resend_delivery(self, job_id: str, delivery_id: str, *, project_id: str | None) -> Delivery:
        """Send a settled delivery again now (Conflict while it is still open)."""
        ...

    def get_job(self, job_id: str, *, project_id: str | None) -> Job:
        """One job; ``project_id=None`` for engine-side reads (any project)."""
        ...

    def list_jobs(
        self,
        *,
        project_id: str,
        limit: int,
        offset: int,
        directory_id: str | None = None,
        job_type: str | Collection[str] | None = None,
        status: str | Collection[str] | None = None,
        api: JobApi | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        job_ids: Sequence[str] | None = None,
    ) -> tuple[list[Job], int]:
        """A page of the project's jobs, newest first, and how many match in all."""
        ...

    def list_items(
        self,
        job_id: str,
        *,
        project_id: str | None,
        limit: int,
        offset: int,
        status: str | None = None,
    ) -> tuple[list[Item], int]: ...

    def item_name(self, item_id: str, *, project_id: str) -> str:
        """The display name of a directory file, whether or not it was ever in a job."""
        ...

    def results_for_item(
        self, item_id: str, *, project_id: str, job_type: str | None = None
    ) -> list[Result]: ...

    def get_result(self, result_id: str, *, project_id: str | None) -> Result: ...

    def results_by_id(self, result_ids: Sequence[str]) -> dict[str, Result]:
        """Several results in one query (missing ids are simply absent)."""
        ...

    def item_file_id(self, item_id: str, *, project_id: str) -> str | None:
        """The file behind a directory-file item (None when it is gone)."""
        ...

    def job_results(
        self, job_id: str, *, project_id: str, offset: int, limit: int
    ) -> tuple[list[tuple[Result, str]], int]:
        """A page of a job's items that have a result, with each item's file id; and their count."""
        ...

    def retry_failed(
        self,
        job_id: str,
        *,
        project_id: str | None,
        error_codes: Sequence[str] = (),
        item_ids: Sequence[str] = (),
    ) -> tuple[Job, int]:
        """A user's retry: the job's failed items (filtered by error code and item id when
        given) back to ``pending``, a completed job back to ``running``, counters moved, in one
        transaction; returns the job after and how many items moved. Conflict when the job
        is cancelled or failed, or has no such failed item."""
        ...

    def claim_idempotency_key(
        self,
        *,
        project_id: str,
        key: str,
        request_hash: str,
        now: datetime,
        reusable_before: datetime,
        abandoned_before: datetime,
    ) -> IdempotencyRecord | None:
        """Claim an idempotency key (None: ours now) or return the row holding it; expired
        and abandoned rows are taken over."""
        ...

    def get_idempotency_key(self, *, project_id: str, key: str) -> IdempotencyRecord | None: ...

    def finish_idempotency_key(
        self, *, project_id: str, key: str, status_code: int, response: Any, now: datetime
    ) -> None:
        """Record the response of the request holding the key."""
        ...

    def release_idempotency_key(self, *, project_id: str, key: str) -> None:
        """Forget a key whose request failed, so it may be used again."""
        ...

    def sweep_idempotency_keys(self, *, created_before: datetime) -> int:
        """Delete keys created before ``created_before``; returns how many."""
        ...

    def delete_job(self, job_id: str, *, project_id: str) -> tuple[Job, list[str]]:
        """Delete a terminal job (no item processing; else Conflict), its items and its results
        (dedup forgets them); returns the job and the output blobs nothing refers to anymore."""
        ...

    def items_after(
        self, job_id: str, *, after_seq: int, limit: int
    ) -> list[tuple[int, Item, str | None]]:
        """Up to ``limit`` items with ``seq > after_seq`` in job order, each with its ``seq`` and
        its directory file's ``unique_id`` (keyset paging for exports and ``reams run``)."""
        ...


class Work(Protocol):
    """The engine's side: claims, outcomes, job lifecycle and recovery (compare-and-set)."""

    def get_job(self, job_id: str, *, project_id: str | None) -> Job:
        """One job; ``project_id=None`` for engine-side reads (any project)."""
        ...

    def job_status(self, job_id: str) -> JobStatus:
        """Only the job's status: one indexed read, cheap enough to ask before each item."""
        ...

    def get_item(self, item_row_id: str) -> Item: ...

    def get_result(self, result_id: str, *, project_id: str | None) -> Result: ...

    def find_result(self, *, project_id: str, sha256: str, parameters_hash: str) -> Result | None:
        """The earliest cacheable result for this content and configuration, if any."""
        ...

    def find_results(
        self, *, project_id: str, sha256s: Sequence[str], parameters_hash: str
    ) -> dict[str, Result]:
        """``find_result`` for several contents in one query, by sha256 (absent: none)."""
        ...

    def claim(
        self, *, owner: str, lease_s: float, limit: int = 1, job_ids: Sequence[str] | None = None
    ) -> list[Item]:
        """Take up to ``limit`` due pending items of active jobs: projects in turn (least
        recently served first), then by job priority and age (domain.fairness)."""
        ...

    def should_yield(self, job_id: str) -> bool:
        """Whether a worker serving only ``job_id`` should let its slot go to a job that ranks
        ahead of it, has items due and fewer items in flight."""
        ...

    def renew_leases(self, *, owner: str, item_row_ids: Sequence[str], lease_s: float) -> int: ...

    def complete(self, item: Item, *, owner: str, completion: Completion) -> bool:
        """Record a result and complete the item, atomically; False if the lease was lost."""
        ...

    def fail(self, item: Item, *, owner: str, code: str, message: str) -> bool: ...

    def settle(self, outcomes: Sequence[Settlement], *, owner: str) -> list[bool]:
        """Record several in-flight items' terminal outcomes in one transaction; per item,
        False where the lease was lost (that outcome is discarded)."""
        ...

    def retry_later(
        self, item: Item, *, owner: str, code: str, message: str, delay_s: float
    ) -> bool: ...

    def skip(self, item: Item, *, owner: str, reason: str, result_id: str | None) -> bool: ...

    def release(self, item: Item, *, owner: str) -> bool:
        """Give an unfinished item back (engine shutting down); the attempt does not count."""
        ...

    # Page parts of huge documents (docs/slices.md); ``claim`` hands them out as items whose
    # ``part`` is set. Each is a compare-and-set on the part's lease: False when it was lost.
    def split_item(self, item: Item, *, owner: str, pages: int, part_pages: int) -> bool:
        """Hand an in-flight item's pages to page parts and a merge (it stays processing)."""
        ...

    def finish_part(self, item: Item, *, owner: str, output_sha256: str) -> bool:
        """A page part's output; the last one makes its item's merge due."""
        ...

    def retry_part(
        self, item: Item, *, owner: str, code: str, message: str, delay_s: float
    ) -> bool: ...

    def release_part(self, item: Item, *, owner: str) -> bool: ...

    def fail_parts(self, item: Item, *, owner: str, code: str, message: str) -> bool:
        """A page part failed for good: its item fails, its other parts are dropped."""
        ...

    def part_outputs(self, item_row_id: str) -> list[str]:
        """The blobs of an item's page parts, in page order."""
        ...

    def active_job_ids(self, *, statuses: Sequence[JobStatus] = tuple(ACTIVE_JOB)) -> list[str]: ...

    def mark_dispatched(self, job_id: str) -> bool: ...

    def finalize_if_done(self, job_id: str) -> Job | None:
        """Complete a job whose items are all terminal; returns it if this call completed it."""
        ...

    def fail_job(self, job_id: str, message: str) -> bool: ...

    def record_dispatch_error(self, job_id: str, message: str) -> None:
        """Its orchestration could not be started yet: say why on the (active) job."""
        ...

    def clear_dispatch_error(self, job_id: str) -> bool:
        """Its orchestration started: clear the reason (True if one was recorded)."""
        ...

    def cancel_job(self, job_id: str, *, reason: str | None) -> Job:
        """Cancel: the job ends as ``cancelled`` and its pending items become ``cancelled``."""
        ...

    def skip_already_processed(self, job_id: str, *, project_id: str, parameters_hash: str) -> int:
        """Skip every pending item whose content was processed with the same configuration."""
        ...

    def skip_too_large(self, job_id: str, *, max_bytes: int) -> int: ...

    def reclaim_expired(self, *, max_losses: int) -> int:
        """Return items whose worker died (lease expired) to pending, or fail them for good
        once lost ``max_losses`` times; a loss is counted apart from attempts."""
        ...

    def reclaim_orphans(self, *, instance: str, owner: str, max_losses: int) -> int:
        """At once, items leased to earlier (dead) boots of engine ``instance`` (owners
        ``<instance>:<boot>`` other than ``owner``); counted as losses."""
        ...

    def cancel_leftovers(self, job_id: str) -> int:
        """Cancel the pending items of a cancelled job."""
        ...

    def next_times(self, job_id: str) -> tuple[datetime | None, datetime | None]:
        """When the job's next pending item is due (now, if one is), and when the first lease …"""
        ...

    def lease_expiry(self, item_row_id: str) -> datetime | None: ...


class Outbox(Protocol):
    """The webhook sender's side: claim due deliveries, record each attempt."""

    def claim_deliveries(
        self, *, owner: str, lease_s: float, limit: int, now: datetime | None = None
    ) -> list[ClaimedDelivery]: ...

    def settle_delivery(
        self,
        seq: int,
        *,
        owner: str,
        status: DeliveryStatus,
        status_code: int | None,
        error: str | None,
        next_attempt_at: datetime | None = None,
    ) -> bool: ...


class Heartbeats(Protocol):
    """``reams worker`` processes: each writes its row, beats, and says when it stops; the
    API's readiness and ``reams workers`` read the rows."""

    def worker_heartbeat(self, info: WorkerInfo, *, items_done: int) -> None:
        """One cheap UPDATE of ``last_seen_at``; the first beat inserts the row."""
        ...

    def worker_stopped(self, worker_id: str, *, items_done: int) -> None: ...

    def sweep_workers(self, *, older_than_s: float) -> int:
        """Delete rows of workers stopped or unseen for longer than ``older_than_s``."""
        ...

    def list_workers(
        self, *, task_queue: str | None = None, running_only: bool = False
    ) -> list[WorkerRecord]:
        """The most recently seen first; ``running_only``: not stopped."""
        ...
