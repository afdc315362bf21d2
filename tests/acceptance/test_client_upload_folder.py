"""``client.files.upload_folder`` (sync and async) against a real server: a folder with
subfolders and hidden entries goes up in batches through the bulk upload, in order, each file
named by its relative path; into a directory; retried batches create nothing twice."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reams import AsyncClient, Client
from reams.client import ConflictError, NotFoundError
from servers import RunningServer

VISIBLE = ["a.txt", "b.md", "sub/a.txt", "sub/deeper/c.csv", "z.txt"]
HIDDEN = [".env", ".git/config", "sub/.cache/x.txt", "sub/.hidden.txt"]


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[Client]:
    with Client(server.base_url, "test", max_retries=0) as c:
        yield c


def make_folder(root: Path) -> Path:
    tag = uuid.uuid4().hex[:8]
    folder = root / f"folder-{tag}"
    for index, name in enumerate([*VISIBLE, *HIDDEN]):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{tag} file {index} {name}\n".encode())
    return folder


def test_upload_folder_in_batches(client: Client, tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    progress: list[tuple[int, int]] = []
    created = client.files.upload_folder(
        folder, batch_size=2, purpose="parse", on_progress=lambda d, t: progress.append((d, t))
    )
    assert [f.external_file_id for f in created] == VISIBLE  # sorted, hidden ones skipped
    assert [f.name for f in created] == [Path(n).name for n in VISIBLE]
    assert progress == [(2, 5), (4, 5), (5, 5)]  # three requests of at most two files
    for record, name in zip(created, VISIBLE, strict=True):
        assert record.purpose == "parse"
        url = client.files.content(record.id).url
        assert httpx.get(url).content == (folder / name).read_bytes()


def test_upload_folder_into_a_directory(client: Client, tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    directory = client.beta.directories.create(name=f"up-{folder.name}")
    created = client.files.upload_folder(folder, directory_id=directory.id, batch_size=3)
    entries = list(client.beta.directories.files.list(directory.id))
    assert [e.unique_id for e in entries] == VISIBLE  # two a.txt, told apart by their path
    assert [e.file_id for e in entries] == [f.id for f in created]
    with pytest.raises(ConflictError):  # the same paths again: the first batch is refused
        client.files.upload_folder(folder, directory_id=directory.id, batch_size=3)


def test_byte_budget_splits_batches(client: Client, tmp_path: Path) -> None:
    folder = tmp_path / f"sized-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    for name, size in [("1.bin", 600), ("2.bin", 600), ("3.bin", 2000), ("4.bin", 10)]:
        (folder / name).write_bytes(name.encode() * (size // len(name)))
    seen: list[int] = []
    created = client.files.upload_folder(
        folder, max_batch_bytes=1000, on_progress=lambda done, _: seen.append(done)
    )
    assert seen == [1, 2, 3, 4]  # 600+600 > 1000; 2000 goes alone; 10 after it
    assert [f.name for f in created] == ["1.bin", "2.bin", "3.bin", "4.bin"]


def test_retried_batch_is_created_once(server: RunningServer, tmp_path: Path) -> None:
    """A batch whose answer is lost is sent again with the same Idempotency-Key: the files
    exist once (the retry replays the first answer)."""
    folder = make_folder(tmp_path)
    lost = {"count": 0}

    def lose_first_answer(response: httpx.Response) -> None:
        if response.request.url.path.endswith("/bulk") and lost["count"] == 0:
            lost["count"] += 1
            response.read()
            raise httpx.ReadError("answer lost", request=response.request)

    with Client(server.base_url, "test", max_retries=2) as retrying:
        before = sum(1 for _ in retrying.files.list(page_size=1000))
        retrying._transport.http.event_hooks["response"] = [lose_first_answer]
        created = retrying.files.upload_folder(folder)
        assert lost["count"] == 1  # the first answer was lost: the batch was sent twice
        after = sum(1 for _ in retrying.files.list(page_size=1000))
    assert [f.external_file_id for f in created] == VISIBLE
    assert after - before == len(VISIBLE)  # created once


def test_async_upload_folder(server: RunningServer, tmp_path: Path) -> None:
    folder = make_folder(tmp_path)

    async def run() -> None:
        async with AsyncClient(server.base_url, "test", max_retries=0) as client:
            directory = await client.beta.directories.create(name=f"async-{folder.name}")
            created = await client.files.upload_folder(
                folder, directory_id=directory.id, batch_size=4
            )
            assert [f.external_file_id for f in created] == VISIBLE
            entries = [e async for e in client.beta.directories.files.list(directory.id)]
            assert [e.file_id for e in entries] == [f.id for f in created]
            with pytest.raises(NotFoundError):
                await client.files.upload_folder(folder, directory_id="dir-missing")

    asyncio.run(run())


def test_missing_folder_and_bad_batch_size(client: Client, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        client.files.upload_folder(tmp_path / "absent")
    with pytest.raises(ValueError, match="batch_size"):
        client.files.upload_folder(tmp_path, batch_size=0)
    assert client.files.upload_folder(_empty(tmp_path)) == []


def _empty(root: Path) -> Path:
    folder = root / "empty"
    folder.mkdir()
    (folder / ".only-hidden").write_text("x")
    return folder
