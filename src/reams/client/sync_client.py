"""The blocking client: ``Client`` and its resource tree, shaped like the official SDK's.

Each method is one line on top of :mod:`reams.client.endpoints` (what to send) and the sync
transport (how to send it); the async twin in :mod:`reams.client.async_client` mirrors it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from typing import Unpack

from reams.client import endpoints as ep
from reams.client import params as p
from reams.client.config import BaseClient, ClientConfig
from reams.client.endpoints import documented
from reams.client.export import Exported, ExportFormat, ExportTarget, export_sync
from reams.client.folders import (
    DEFAULT_BATCH_BYTES,
    DEFAULT_BATCH_FILES,
    DEFAULT_PURPOSE,
    FolderUpload,
    UploadProgress,
)
from reams.client.transport import SyncTransport
from reams.client.waiting import Deadline, ProgressCallback, is_terminal
from reams.wire.batch import (
    BatchCancelResponse,
    BatchJob,
    BatchRetryResponse,
    BatchStatus,
    ItemProcessingResults,
)
from reams.wire.batch import JobItem as JobItemModel
from reams.wire.common import PresignedURL
from reams.wire.files import Directory, DirectoryFile, File
from reams.wire.parse import ParseResult
from reams.wire.uploads import BulkUpload
from reams.wire.webhooks import WebhookDelivery


class _Resource:
    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport


class Files(_Resource):
    """``client.files``: uploaded documents."""

    @documented(ep.files_create)
    def create(self, **params: Unpack[p.FileCreateParams]) -> File:
        return self._t.call(ep.files_create(params))

    @documented(ep.files_create_bulk)
    def create_bulk(self, **params: Unpack[p.FileBulkCreateParams]) -> BulkUpload:
        return self._t.call(ep.files_create_bulk(params))

    def upload_folder(
        self,
        path: str | os.PathLike[str],
        *,
        directory_id: str | None = None,
        batch_size: int = DEFAULT_BATCH_FILES,
        max_batch_bytes: int = DEFAULT_BATCH_BYTES,
        purpose: str = DEFAULT_PURPOSE,
        on_progress: UploadProgress | None = None,
    ) -> list[File]:
        """Upload every file of a folder (sorted, hidden files skipped) through the bulk upload
        (reams extension), ``batch_size`` files and at most ``max_batch_bytes`` per request.

        Each file's path relative to ``path`` is its ``external_file_id``; with
        ``directory_id`` every file is also added to that directory (unique id: that path).
        Returns the created files in order; ``on_progress(done, total)`` after each batch.
        A batch is all or none: a failed one raises, the batches before it stay created.
        """
        folder = FolderUpload.of(path, batch_size=batch_size, max_batch_bytes=max_batch_bytes)
        created: list[File] = []
        for batch in folder.batches():
            params = folder.params(batch, purpose=purpose, directory_id=directory_id)
            created += self.create_bulk(**params).files
            if on_progress is not None:
                on_progress(len(created), folder.total)
        return created

    @documented(ep.files_list)
    def list(self, **params: Unpack[p.FileListParams]) -> Iterator[File]:
        return self._t.paginate(ep.files_list(params))

    @documented(ep.files_retrieve)
    def retrieve(self, file_id: str, **params: Unpack[p.ExpandParams]) -> File:
        return self._t.call(ep.files_retrieve(file_id, params))

    @documented(ep.files_content)
    def content(self, file_id: str, **params: Unpack[p.FileContentParams]) -> PresignedURL:
        return self._t.call(ep.files_content(file_id, params))

    @documented(ep.files_delete)
    def delete(self, file_id: str, **params: Unpack[p.Scope]) -> None:
        self._t.call(ep.files_delete(file_id, params))


class DirectoryFiles(_Resource):
    """``client.beta.directories.files``: the entries of a directory."""

    @documented(ep.directory_files_add)
    def add(self, directory_id: str, **params: Unpack[p.DirectoryFileAddParams]) -> DirectoryFile:
        return self._t.call(ep.directory_files_add(directory_id, params))

    @documented(ep.directory_files_upload)
    def upload(
        self, directory_id: str, **params: Unpack[p.DirectoryFileUploadParams]
    ) -> DirectoryFile:
        return self._t.call(ep.directory_files_upload(directory_id, params))

    @documented(ep.directory_files_list)
    def list(
        self, directory_id: str, **params: Unpack[p.DirectoryFileListParams]
    ) -> Iterator[DirectoryFile]:
        return self._t.paginate(ep.directory_files_list(directory_id, params))

    @documented(ep.directory_files_get)
    def get(
        self, directory_file_id: str, **params: Unpack[p.DirectoryFileGetParams]
    ) -> DirectoryFile:
        return self._t.call(ep.directory_files_get(directory_file_id, params))

    @documented(ep.directory_files_update)
    def update(
        self, directory_file_id: str, **params: Unpack[p.DirectoryFileUpdateParams]
    ) -> DirectoryFile:
        return self._t.call(ep.directory_files_update(directory_file_id, params))

    @documented(ep.directory_files_delete)
    def delete(self, directory_file_id: str, **params: Unpack[p.InDirectory]) -> None:
        self._t.call(ep.directory_files_delete(directory_file_id, params))


class Directories(_Resource):
    """``client.beta.directories``: named sets of files that batch jobs run over."""

    def __init__(self, transport: SyncTransport) -> None:
        super().__init__(transport)
        self.files = DirectoryFiles(transport)

    @documented(ep.directories_create)
    def create(self, **params: Unpack[p.DirectoryCreateParams]) -> Directory:
        return self._t.call(ep.directories_create(params))

    @documented(ep.directories_list)
    def list(self, **params: Unpack[p.DirectoryListParams]) -> Iterator[Directory]:
        return self._t.paginate(ep.directories_list(params))

    @documented(ep.directories_get)
    def get(self, directory_id: str, **params: Unpack[p.Scope]) -> Directory:
        return self._t.call(ep.directories_get(directory_id, params))

    @documented(ep.directories_update)
    def update(self, directory_id: str, **params: Unpack[p.DirectoryUpdateParams]) -> Directory:
        return self._t.call(ep.directories_update(directory_id, params))

    @documented(ep.directories_delete)
    def delete(self, directory_id: str, **params: Unpack[p.Scope]) -> None:
        self._t.call(ep.directories_delete(directory_id, params))


class JobItems(_Resource):
    """``client.beta.batch.job_items``: the per-file items of batch jobs."""

    @documented(ep.job_items_list)
    def list(self, job_id: str, **params: Unpack[p.JobItemListParams]) -> Iterator[JobItemModel]:
        return self._t.paginate(ep.job_items_list(job_id, params))

    @documented(ep.job_items_processing_results)
    def get_processing_results(
        self, item_id: str, **params: Unpack[p.ProcessingResultsParams]
    ) -> ItemProcessingResults:
        return self._t.call(ep.job_items_processing_results(item_id, params))


class Batch(_Resource):
    """``client.beta.batch``: batch jobs (v1 batch-processing API), plus ``wait``."""

    def __init__(self, transport: SyncTransport) -> None:
        super().__init__(transport)
        self.job_items = JobItems(transport)

    @documented(ep.batch_create)
    def create(self, **params: Unpack[p.BatchCreateParams]) -> BatchJob:
        return self._t.call(ep.batch_create(params))

    @documented(ep.batch_list)
    def list(self, **params: Unpack[p.BatchListParams]) -> Iterator[BatchJob]:
        return self._t.paginate(ep.batch_list(params))

    @documented(ep.batch_get_status)
    def get_status(self, job_id: str, **params: Unpack[p.Scope]) -> BatchStatus:
        return self._t.call(ep.batch_get_status(job_id, params))

    @documented(ep.batch_cancel)
    def cancel(self, job_id: str, **params: Unpack[p.BatchCancelParams]) -> BatchCancelResponse:
        return self._t.call(ep.batch_cancel(job_id, params))

    @documented(ep.batch_retry)
    def retry(self, job_id: str, **params: Unpack[p.BatchRetryParams]) -> BatchRetryResponse:
        return self._t.call(ep.batch_retry(job_id, params))

    @documented(ep.batch_webhook_deliveries)
    def webhook_deliveries(
        self, job_id: str, **params: Unpack[p.Scope]
    ) -> Sequence[WebhookDelivery]:
        return self._t.call(ep.batch_webhook_deliveries(job_id, params)).root

    @documented(ep.batch_webhook_resend)
    def resend_webhook(
        self, job_id: str, delivery_id: str, **params: Unpack[p.Scope]
    ) -> WebhookDelivery:
        return self._t.call(ep.batch_webhook_resend(job_id, delivery_id, params))

    def wait(
        self,
        job_id: str,
        *,
        on_progress: ProgressCallback | None = None,
        poll_interval: float = 1.0,
        timeout: float | None = None,
        **params: Unpack[p.Scope],
    ) -> BatchStatus:
        """Poll until the job is completed, failed or cancelled; return its final status.

        ``on_progress(status)`` is called after every poll, the last one included. Raises
        ``TimeoutError`` when ``timeout`` seconds pass first (the job keeps running).
        """
        deadline = Deadline(timeout, job_id)
        while True:
            status = self.get_status(job_id, **params)
            if on_progress is not None:
                on_progress(status)
            if is_terminal(status):
                return status
            time.sleep(deadline.sleep_s(poll_interval))

    def export(
        self,
        job_id: str,
        *,
        to: ExportTarget,
        format: ExportFormat = "jsonl",
        project_id: str | None = None,
    ) -> Exported:
        """Stream the job's export (reams extension: jsonl, csv or zip) into the file ``to``."""
        return export_sync(self._t.http, job_id, format, to, project_id)


class Beta(_Resource):
    """``client.beta``: directories and batch processing."""

    def __init__(self, transport: SyncTransport) -> None:
        super().__init__(transport)
        self.directories = Directories(transport)
        self.batch = Batch(transport)


class Parsing(_Resource):
    """``client.parsing``: parse results, linked from a batch item's ``job_id``."""

    @documented(ep.parsing_get)
    def get(self, job_id: str, **params: Unpack[p.ParsingGetParams]) -> ParseResult:
        return self._t.call(ep.parsing_get(job_id, params))


class Client(BaseClient):
    """A blocking client for a reams server (or any server speaking the same API).

    ``base_url`` defaults to ``$REAMS_BASE_URL`` or ``http://127.0.0.1:8000``; ``api_key`` to
    ``$REAMS_API_KEY`` or a placeholder that servers in open mode accept. Both are read here
    only. Failed requests are retried like the official SDK does (``max_retries`` times).
    """

    def _setup(self, config: ClientConfig) -> None:
        self._transport = SyncTransport(config)
        self.files = Files(self._transport)
        self.beta = Beta(self._transport)
        self.parsing = Parsing(self._transport)

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
