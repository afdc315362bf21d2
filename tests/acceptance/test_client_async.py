"""``reams.AsyncClient`` against a real server: the same tree, awaited, with async paging."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reams import AsyncClient
from reams.client import BatchStatus, NotFoundError
from servers import RunningServer


async def _round_trip(base_url: str, docs: dict[str, Path]) -> None:
    async with AsyncClient(base_url, "test", max_retries=0) as client:
        directory = await client.beta.directories.create(name="async")
        for path in docs.values():
            await client.beta.directories.files.upload(directory.id, upload_file=path)
        names = [f.display_name async for f in client.beta.directories.files.list(
            directory.id, page_size=1
        )]  # fmt: skip
        assert sorted(names) == sorted(docs)
        job = await client.beta.batch.create(job_config={}, directory_id=directory.id)
        seen: list[float] = []

        async def record(status: BatchStatus) -> None:
            seen.append(status.progress_percentage)

        final = await client.beta.batch.wait(job.id, on_progress=record, poll_interval=0.05)
        assert final.job.status == "completed" and seen[-1] == 100.0
        items = [i async for i in client.beta.batch.job_items.list(job.id, limit=1)]
        assert len(items) == len(docs)
        listed = [j.id async for j in client.beta.batch.list(limit=1)]
        assert job.id in listed
        with pytest.raises(NotFoundError, match="not found"):
            await client.beta.batch.get_status("bjb-missing")


def test_async_client_round_trip(server: RunningServer, sample_docs: dict[str, Path]) -> None:
    asyncio.run(_round_trip(server.base_url, sample_docs))
