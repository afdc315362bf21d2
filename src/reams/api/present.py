"""Presenting domain records as wire models (the "map" step of every route).

Records hold plain strings for states and types; the wire models hold the exact enum Literals
the SDK validates strictly, so the casts below are where that promise is made.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from reams.domain.records import Directory, DirectoryFile, FileRecord, Item, Job, Result
from reams.domain.states import (
    TERMINAL_ITEM,
    TERMINAL_JOB,
    ItemStatus,
    JobStatus,
    progress_percentage,
)
from reams.wire import batch as wb
from reams.wire import files as wf
from reams.wire.common import PresignedURL

DirectoryTypeName = Literal["ephemeral", "index", "user"]

# The v1 record and the v2 products carry a user; reams has projects and keys, not users.
USER_ID = "reams"


def file_model(rec: FileRecord, *, download_url: PresignedURL | None = None) -> wf.File:
    return wf.File(
        id=rec.id,
        name=rec.name,
        project_id=rec.project_id,
        file_type=rec.file_type,
        file_size=rec.size,
        purpose=rec.purpose,
        external_file_id=rec.external_file_id,
        created_at=rec.created_at,
        updated_at=rec.created_at,
        last_modified_at=rec.created_at,
        expires_at=rec.expires_at,
        download_url=download_url,
    )


def directory_model(rec: Directory) -> wf.Directory:
    return wf.Directory(
        id=rec.id,
        name=rec.name,
        project_id=rec.project_id,
        description=rec.description,
        data_source_id=rec.data_source_id,
        type=cast(DirectoryTypeName | None, rec.type),
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        deleted_at=rec.deleted_at,
    )


def directory_file_model(
    rec: DirectoryFile, *, download_url: PresignedURL | None = None
) -> wf.DirectoryFile:
    return wf.DirectoryFile(
        id=rec.id,
        directory_id=rec.directory_id,
        display_name=rec.display_name,
        project_id=rec.project_id,
        unique_id=rec.unique_id,
        file_id=rec.file_id,
        metadata=rec.metadata,
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        deleted_at=rec.deleted_at,
        download_url=download_url,
    )


def _job_effective_at(job: Job) -> datetime:
    """When the job's current status took effect."""
    if job.status in TERMINAL_JOB:
        return job.completed_at or job.updated_at
    if job.status == JobStatus.RUNNING:
        return job.started_at or job.updated_at
    return job.updated_at


def _item_effective_at(item: Item) -> datetime:
    """When the item's current status took effect."""
    if item.status in TERMINAL_ITEM:
        return item.completed_at or item.updated_at
    if item.status == ItemStatus.PROCESSING:
        return item.started_at or item.updated_at
    return item.updated_at


def batch_job_model(job: Job) -> wb.BatchJob:
    c = job.counts
    waits_for_nothing = JobStatus(job.status) in TERMINAL_JOB
    return wb.BatchJob(
        id=job.id,
        job_type=cast(wb.JobTypeName, job.job_type),
        project_id=job.project_id,
        status=cast(wb.JobStatusName, job.status),
        total_items=job.total_items,
        processed_items=c.completed,
        failed_items=c.failed,
        skipped_items=c.skipped,
        pending_items=c.pending,
        processing_items=c.processing,
        cancelled_items=c.cancelled,
        directory_id=job.directory_id,
        workflow_id=job.workflow_id,
        created_at=job.created_at,
        updated_at=job.updated_at,
        started_at=job.started_at,
        completed_at=job.completed_at,
        error_message=job.error_message,
        estimated_completion_at=job.estimated_completion_at,
        effective_at=_job_effective_at(job),
        # reams extension, only while it holds: an ended job waits for nothing.
        dispatch_error=None if waits_for_nothing else job.dispatch_error,
        dispatch_error_at=None if waits_for_nothing else job.dispatch_error_at,
        priority=job.priority,
        pages_total=job.pages_total,
        pages_done=job.pages_done,
    )


def batch_status_model(job: Job) -> wb.BatchStatus:
    progress = progress_percentage(
        total=job.total_items,
        terminal=job.counts.terminal,
        job_terminal=JobStatus(job.status) in TERMINAL_JOB,
    )
    return wb.BatchStatus(job=batch_job_model(job), progress_percentage=progress)


def job_item_model(item: Item) -> wb.JobItem:
    return wb.JobItem(
        item_id=item.item_id,
        item_name=item.item_name,
        status=cast(wb.ItemStatusName, item.status),
        job_id=item.result_id,
        skip_reason=item.skip_reason,
        error_code=item.error_code,
        error_message=item.error_message,
        attempts=item.attempts,
        losses=item.losses,
        started_at=item.started_at,
        completed_at=item.completed_at,
        effective_at=_item_effective_at(item),
        job_record_id=item.result_id,
    )


def processing_result_model(result: Result, *, output_uri: str) -> wb.ProcessingResult:
    return wb.ProcessingResult(
        result_id=result.id,
        item_id=result.item_id,
        job_type=cast(wb.JobTypeName, result.job_type),
        job_config=result.job_config,
        output_s3_path=output_uri,
        parameters_hash=result.parameters_hash,
        processed_at=result.processed_at,
        output_metadata=result.output_metadata,
    )
