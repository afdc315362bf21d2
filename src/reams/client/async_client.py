"""The asyncio client: ``AsyncClient``, the twin of :mod:`reams.client.sync_client`.

Same tree, same arguments, same endpoint builders; methods are awaited, and ``list`` methods
return async iterators (``async for``) that fetch pages as needed.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import AsyncIterator, Sequence
from typing import Unpack

from reams.client import endpoints as ep
from reams.client import params as p
from reams.client.config import BaseClient, ClientConfig
from reams.client.endpoints import documented
from reams.client.export import Exported, ExportFormat, ExportTarget, export_async
from reams.client.folders import (
    DEFAULT_BATCH_BYTES,
    DEFAULT_BATCH_FILES,
    DEFAULT_PURPOSE,
    FolderUpload,
    UploadProgress,
)
from reams.client.transport import AsyncTransport
from reams.client.waiting import AsyncProgressCallback, Deadline, is_terminal
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
    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport


class AsyncFiles(_Resource):
    """``client.files``: uploaded documents."""

    @documented(ep.files_create)
    async def create(self, **params: Unpack[p.FileCreateParams]) -> File:
        return await self._t.call(ep.files_create(params))

    @documented(ep.files_create_bulk)
    async def create_bulk(self, **params: Unpack[p.FileBulkCreateParams]) -> BulkUpload:
        return await self._t.call(ep.files_create_bulk(params))

    async def upload_folder(
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
        folder = await asyncio.to_thread(
            FolderUpload.of, path, batch_size=batch_size, max_batch_bytes=max_batch_bytes
        )
        created: list[File] = []
        for batch in folder.batches():
            params = await asyncio.to_thread(
                folder.params, batch, purpose=purpose, directory_id=directory_id
            )
            created += (await self.create_bulk(**params)).files
            if on_progress is not None:
                on_progress(len(created), folder.total)
        return created

    @documented(ep.files_list)
    def list(self, **params: Unpack[p.FileListParams]) -> AsyncIterator[File]:
        return self._t.paginate(ep.files_list(params))

    @documented(ep.files_retrieve)
    async def retrieve(self, file_id: str, **params: Unpack[p.ExpandParams]) -> File:
        return await self._t.call(ep.files_retrieve(file_id, params))

    @documented(ep.files_content)
    async def content(self, file_id: str, **params: Unpack[p.FileContentParams]) -> PresignedURL:
        return await self._t.call(ep.files_content(file_id, params))

    @documented(ep.files_delete)
    async def delete(self, file_id: str, **params: Unpack[p.Scope]) -> None:
        await self._t.call(ep.files_delete(file_id, params))


class AsyncDirectoryFiles(_Resource):
    """``client.beta.directories.files``: the entries of a directory."""

    @documented(ep.directory_files_add)
    async def add(
        self, directory_id: str, **params: Unpack[p.DirectoryFileAddParams]
    ) -> DirectoryFile:
        return await self._t.call(ep.directory_files_add(directory_id, params))

    @documented(ep.directory_files_upload)
    async def upload(
        self, directory_id: str, **params: Unpack[p.DirectoryFileUploadParams]
    ) -> DirectoryFile:
        return await self._t.call(ep.directory_files_upload(directory_id, params))

    @documented(ep.directory_files_list)
    def list(
        self, directory_id: str, **params: Unpack[p.DirectoryFileListParams]
    ) -> AsyncIterator[DirectoryFile]:
        return self._t.paginate(ep.directory_files_list(directory_id, params))

    @documented(ep.directory_files_get)
    async def get(
        self, directory_file_id: str, **params: Unpack[p.DirectoryFileGetParams]
    ) -> DirectoryFile:
        return await self._t.call(ep.directory_files_get(directory_file_id, params))

    @documented(ep.directory_files_update)
    async def update(
        self, directory_file_id: str, **params: Unpack[p.DirectoryFileUpdateParams]
    ) -> DirectoryFile:
        return await self._t.call(ep.directory_files_update(directory_file_id, params))

    @documented(ep.directory_files_delete)
    async def delete(self, directory_file_id: str, **params: Unpack[p.InDirectory]) -> None:
        await self._t.call(ep.directory_files_delete(directory_file_id, params))


class AsyncDirectories(_Resource):
    """``client.beta.directories``: named sets of files that batch jobs run over."""

    def __init__(self, transport: AsyncTransport) -> None:
        super().__init__(transport)
        self.files = AsyncDirectoryFiles(transport)

    @documented(ep.directories_create)
    async def create(self, **params: Unpack[p.DirectoryCreateParams]) -> Directory:
        return await self._t.call(ep.directories_create(params))

    @documented(ep.directories_list)
    def list(self, **params: Unpack[p.DirectoryListParams]) -> AsyncIterator[Directory]:
        return self._t.paginate(ep.directories_list(params))

    @documented(ep.directories_get)
    async def get(self, directory_id: str, **params: Unpack[p.Scope]) -> Directory:
        return await self._t.call(ep.directories_get(directory_id, params))

    @documented(ep.directories_update)
    async def update(
        self, directory_id: str, **params: Unpack[p.DirectoryUpdateParams]
    ) -> Directory:
        return await self._t.call(ep.directories_update(directory_id, params))

    @documented(ep.directories_delete)
    async def delete(self, directory_id: str, **params: Unpack[p.Scope]) -> None:
        await self._t.call(ep.directories_delete(directory_id, params))


class AsyncJobItems(_Resource):
    """``client.beta.batch.job_items``: the per-file items of batch jobs."""

    @documented(ep.job_items_list)
    def list(
        self, job_id: str, **params: Unpack[p.JobItemListParams]
    ) -> AsyncIterator[JobItemModel]:
        return self._t.paginate(ep.job_items_list(job_id, params))

    @documented(ep.job_items_processing_results)
    async def get_processing_results(
        self, item_id: str, **params: Unpack[p.ProcessingResultsParams]
    ) -> ItemProcessingResults:
        return await self._t.call(ep.job_items_processing_results(item_id, params))


class AsyncBatch(_Resource):
    """``client.beta.batch``: batch jobs (v1 batch-processing API), plus ``wait``."""

    def __init__(self, transport: AsyncTransport) -> None:
        super().__init__(transport)
        self.job_items = AsyncJobItems(transport)

    @documented(ep.batch_create)
    async def create(self, **params: Unpack[p.BatchCreateParams]) -> BatchJob:
        return await self._t.call(ep.batch_create(params))

    @documented(ep.batch_list)
    def list(self, **params: Unpack[p.BatchListParams]) -> AsyncIterator[BatchJob]:
        return self._t.paginate(ep.batch_list(params))

    @documented(ep.batch_get_status)
    async def get_status(self, job_id: str, **params: Unpack[p.Scope]) -> BatchStatus:
        return await self._t.call(ep.batch_get_status(job_id, params))

    @documented(ep.batch_cancel)
    async def cancel(
        self, job_id: str, **params: Unpack[p.BatchCancelParams]
    ) -> BatchCancelResponse:
        return await self._t.call(ep.batch_cancel(job_id, params))

    @documented(ep.batch_retry)
    async def retry(self, job_id: str, **params: Unpack[p.BatchRetryParams]) -> BatchRetryResponse:
        return await self._t.call(ep.batch_retry(job_id, params))

    @documented(ep.batch_webhook_deliveries)
    async def webhook_deliveries(
        self, job_id: str, **params: Unpack[p.Scope]
    ) -> Sequence[WebhookDelivery]:
        return (await self._t.call(ep.batch_webhook_deliveries(job_id, params))).root

    @documented(ep.batch_webhook_resend)
    async def resend_webhook(
        self, job_id: str, delivery_id: str, **params: Unpack[p.Scope]
    ) -> WebhookDelivery:
        return await self._t.call(ep.batch_webhook_resend(job_id, delivery_id, params))

    async def wait(
        self,
        job_id: str,
        *,
        on_progress: AsyncProgressCallback | None = None,
        poll_interval: float = 1.0,
        timeout: float | None = None,
        **params: Unpack[p.Scope],
    ) -> BatchStatus:
        """Await the end of the job (completed, failed or cancelled); return its final status.

        ``on_progress(status)``, a plain or an async callable, is called after every poll,
        the last one included. Raises ``TimeoutError`` when ``timeout`` seconds pass first
        (the job keeps running).
        """
        deadline = Deadline(timeout, job_id)
        while True:
            status = await self.get_status(job_id, **params)
            if on_progress is not None and inspect.isawaitable(called := on_progress(status)):
                await called
            if is_terminal(status):
                return status
            await asyncio.sleep(deadline.sleep_s(poll_interval))

    async def export(
        self,
        job_id: str,
        *,
        to: ExportTarget,
        format: ExportFormat = "jsonl",
        project_id: str | None = None,
    ) -> Exported:
        """Stream the job's export (reams extension: jsonl, csv or zip) into the file ``to``."""
        return await export_async(self._t.http, job_id, format, to, project_id)


class AsyncBeta(_Resource):
    """``client.beta``: directories and batch processing."""

    def __init__(self, transport: AsyncTransport) -> None:
        super().__init__(transport)
        self.directories = AsyncDirectories(transport)
        self.batch = AsyncBatch(transport)


class AsyncParsing(_Resource):
    """``client.parsing``: parse results, linked from a batch item's ``job_id``."""

    @documented(ep.parsing_get)
    async def get(self, job_id: str, **params: Unpack[p.ParsingGetParams]) -> ParseResult:
        return await self._t.call(ep.parsing_get(job_id, params))


class AsyncClient(BaseClient):
    """The asyncio twin of :class:`reams.client.Client`: same arguments, same tree, awaited."""

    def _setup(self, config: ClientConfig) -> None:
        self._transport = AsyncTransport(config)
        self.files = AsyncFiles(self._transport)
        self.beta = AsyncBeta(self._transport)
        self.parsing = AsyncParsing(self._transport)

    async def close(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
