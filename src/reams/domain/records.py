"""Frozen records the store hands out. They mirror the tables, not the wire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from reams.domain.jobconfig import JobSettings
from reams.domain.states import ItemStatus, JobStatus, JobType, PartKind


@dataclass(frozen=True)
class Project:
    id: str
    name: str


@dataclass(frozen=True)
class FileRecord:
    id: str
    project_id: str
    name: str
    file_type: str | None
    purpose: str | None
    external_file_id: str | None
    sha256: str
    size: int
    created_at: datetime
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Directory:
    id: str
    project_id: str
    name: str
    description: str | None
    data_source_id: str | None
    type: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True)
class DirectoryFile:
    id: str
    directory_id: str
    project_id: str
    file_id: str | None
    display_name: str
    unique_id: str
    metadata: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True)
class ScannedFile:
    """A regular file found under a local folder: its path relative to the folder and content."""

    relpath: str
    name: str
    sha256: str
    size: int


def file_type_of(name: str) -> str | None:
    """The file type a name declares (its lower-case extension), or None."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem and ext and len(ext) <= 16 else None


@dataclass(frozen=True)
class Counts:
    pending: int = 0
    processing: int = 0
    completed: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return (
            self.pending
            + self.processing
            + self.completed
            + self.failed
            + self.skipped
            + self.cancelled
        )

    @property
    def terminal(self) -> int:
        return self.completed + self.failed + self.skipped + self.cancelled


class JobApi(StrEnum):
    """Which door a job came in by; decides which views present it."""

    V1_BATCH = "v1_batch"  # POST /api/v1/beta/batch-processing
    V2_BATCH = "v2_batch"  # POST /api/v2/batches
    PRODUCT = "product"  # POST /api/v2/parse|classify|extract (one document)
    CLASSIFIER = "classifier"  # POST /api/v1/classifier/jobs
    CLI = "cli"  # reams run


@dataclass(frozen=True)
class JobOrigin:
    """What a job's views need that its configuration does not say: the API it was created
    through, the product type and saved configuration named, and the input as given."""

    api: JobApi
    product_type: str | None = None  # parse_v2 | extract_v2 | classify_v2
    configuration_id: str | None = None
    file_input: str | None = None  # the file as the caller named it (fil-..., dfl-...)
    webhook_configuration_ids: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "api": self.api.value,
            "product_type": self.product_type,
            "configuration_id": self.configuration_id,
            "file_input": self.file_input,
            "webhook_configuration_ids": list(self.webhook_configuration_ids),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JobOrigin:
        return cls(
            api=JobApi(data["api"]),
            product_type=data.get("product_type"),
            configuration_id=data.get("configuration_id"),
            file_input=data.get("file_input"),
            webhook_configuration_ids=tuple(data.get("webhook_configuration_ids") or ()),
        )


@dataclass(frozen=True)
class Job:
    id: str
    project_id: str
    job_type: JobType
    status: JobStatus
    directory_id: str | None
    workflow_id: str
    job_config: dict[str, Any]
    parameters_hash: str
    total_items: int
    counts: Counts
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    error_message: str | None
    cancel_reason: str | None
    namespace: str | None
    # Resolved and checked once at creation; engines read this, not ``job_config``.
    settings: JobSettings
    estimated_completion_at: datetime | None = None
    page_size: int | None = None
    continue_as_new_threshold: int | None = None
    origin: JobOrigin | None = None
    # Orders the job among its project's jobs (higher first; see domain.fairness).
    priority: int = 0
    # Why the orchestration (a Temporal workflow) could not be started yet, and since when;
    # None once it started (and always on the local engine).
    dispatch_error: str | None = None
    dispatch_error_at: datetime | None = None
    # Pages of the job's documents parsed in page parts, and how many of those are done.
    pages_total: int = 0
    pages_done: int = 0

    def __post_init__(self) -> None:
        # Rows hold the values; records hold the enums (a StrEnum still equals its value).
        object.__setattr__(self, "job_type", JobType(self.job_type))
        object.__setattr__(self, "status", JobStatus(self.status))
        origin: Any = self.origin
        if isinstance(origin, Mapping):
            object.__setattr__(self, "origin", JobOrigin.from_json(origin))


@dataclass(frozen=True)
class Item:
    id: str
    job_id: str
    project_id: str
    item_id: str
    item_name: str
    file_id: str
    sha256: str
    size: int
    status: ItemStatus
    skip_reason: str | None
    error_code: str | None
    error_message: str | None
    attempts: int
    result_id: str | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    # Claims lost with their process (server or worker killed): not the item's fault, so not
    # counted in ``attempts``; ``attempts + losses`` is how many times it was claimed.
    losses: int = 0
    # Set when what was claimed is a page part of the item (docs/slices.md): then ``id`` is
    # the part's id for a page range, the item's for its merge.
    part: PagePart | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", ItemStatus(self.status))

    @property
    def row_id(self) -> str:
        """The item's own row id, also when this is one of its page parts."""
        return self.part.item_row_id if self.part is not None else self.id


@dataclass(frozen=True)
class PagePart:
    """A claimed page part: pages ``first_page``..``last_page`` (0-based, inclusive) of the
    item ``item_row_id`` to parse, or (``kind`` merge) the step that joins them."""

    id: str
    item_row_id: str
    kind: PartKind
    part_no: int
    first_page: int
    last_page: int
    attempts: int

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1


@dataclass(frozen=True)
class Result:
    id: str
    project_id: str
    job_id: str
    item_row_id: str
    item_id: str
    job_type: str
    job_config: dict[str, Any]
    parameters_hash: str
    sha256: str
    output_sha256: str
    output_metadata: dict[str, Any] | None
    processed_at: datetime
    file_name: str
