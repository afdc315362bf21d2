"""Directories and directory files through the official SDK (strict validation)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from llama_cloud import ConflictError, LlamaCloud, NotFoundError

from servers import RunningServer


def test_directory_lifecycle(sdk: LlamaCloud) -> None:
    made = sdk.beta.directories.create(name="contracts", description="signed ones")
    assert made.id.startswith("dir-")
    assert (made.name, made.description, made.deleted_at) == ("contracts", "signed ones", None)
    assert sdk.beta.directories.get(made.id).name == "contracts"

    renamed = sdk.beta.directories.update(made.id, name="contracts-2024")
    assert renamed.name == "contracts-2024"
    assert renamed.description == "signed ones", "a key not sent must stay as it was"
    cleared = sdk.beta.directories.update(made.id, description=None)
    assert (cleared.name, cleared.description) == ("contracts-2024", None)

    sdk.beta.directories.delete(made.id)
    with pytest.raises(NotFoundError):
        sdk.beta.directories.get(made.id)
    live = {d.id for d in sdk.beta.directories.list()}
    assert made.id not in live
    everything = {d.id: d for d in sdk.beta.directories.list(include_deleted=True)}
    assert everything[made.id].deleted_at is not None


def test_directory_list_pages_and_filters(sdk: LlamaCloud) -> None:
    made = [sdk.beta.directories.create(name=f"paged-{i}").id for i in range(5)]
    first = sdk.beta.directories.list(page_size=2)
    assert len(first.items) == 2 and first.next_page_token
    seen = [d.id for d in sdk.beta.directories.list(page_size=2)]
    assert len(seen) == len(set(seen))
    assert set(made) <= set(seen)
    assert [d.id for d in sdk.beta.directories.list(name="paged-3")] == [made[3]]


def test_create_with_data_source_is_rejected(server: RunningServer) -> None:
    response = httpx.post(
        f"{server.base_url}/api/v1/beta/directories",
        json={"name": "synced", "data_source_id": "dsr-1"},
    )
    assert response.status_code == 422
    assert "data sources are not supported" in response.json()["detail"]


def test_add_and_upload_entries(sdk: LlamaCloud, sample_docs: dict[str, Path]) -> None:
    directory = sdk.beta.directories.create(name="inbox")
    file = sdk.files.create(file=sample_docs["report.md"], purpose="parse")
    added = sdk.beta.directories.files.add(directory.id, file_id=file.id, metadata={"k": "v"})
    assert added.id.startswith("dfl-")
    assert (added.display_name, added.unique_id) == ("report.md", "report.md")
    assert added.file_id == file.id
    assert added.metadata == {"k": "v"}

    uploaded = sdk.beta.directories.files.upload(
        directory.id,
        upload_file=sample_docs["notes.html"],
        display_name="Meeting notes",
        external_file_id="crm-7",
        metadata=json.dumps({"tags": ["a", "b"], "pages": 3}),
    )
    assert uploaded.display_name == "Meeting notes"
    assert uploaded.unique_id == "crm-7", "unique_id defaults to the external id"
    assert uploaded.metadata == {"tags": ["a", "b"], "pages": 3}
    backing = sdk.files.list(file_ids=[uploaded.file_id or ""]).items
    assert [f.name for f in backing] == ["notes.html"]

    got = sdk.beta.directories.files.get(uploaded.id, directory_id=directory.id)
    assert got.id == uploaded.id and got.file_id == uploaded.file_id


def test_add_unknown_file_is_404(sdk: LlamaCloud) -> None:
    directory = sdk.beta.directories.create(name="strict")
    with pytest.raises(NotFoundError):
        sdk.beta.directories.files.add(directory.id, file_id="fil-does-not-exist")


def test_list_entries_pages_and_filters(sdk: LlamaCloud) -> None:
    directory = sdk.beta.directories.create(name="many")
    for i in range(5):
        sdk.beta.directories.files.upload(
            directory.id, upload_file=(f"doc-{i}.txt", f"doc {i}".encode())
        )
    first = sdk.beta.directories.files.list(directory.id, page_size=2)
    assert len(first.items) == 2 and first.next_page_token
    names = [e.display_name for e in sdk.beta.directories.files.list(directory.id, page_size=2)]
    assert names == [f"doc-{i}.txt" for i in range(5)]
    contains = sdk.beta.directories.files.list(directory.id, display_name_contains="c-3")
    assert [e.display_name for e in contains] == ["doc-3.txt"]
    by_unique = sdk.beta.directories.files.list(directory.id, unique_id="doc-1.txt")
    assert [e.display_name for e in by_unique] == ["doc-1.txt"]
    later = sdk.beta.directories.files.list(
        directory.id, updated_at_on_or_after="2999-01-01T00:00:00Z"
    )
    assert list(later) == []


def test_download_url_expand(sdk: LlamaCloud) -> None:
    directory = sdk.beta.directories.create(name="expanded")
    entry = sdk.beta.directories.files.upload(directory.id, upload_file=("x.txt", b"payload"))
    [plain] = sdk.beta.directories.files.list(directory.id)
    assert plain.download_url is None, "links are made only when asked for"
    [listed] = sdk.beta.directories.files.list(directory.id, expand=["download_url"])
    assert listed.id == entry.id
    assert listed.download_url is not None
    assert httpx.get(listed.download_url.url).content == b"payload"
    files = sdk.files.list(file_ids=[entry.file_id or ""], expand=["download_url"]).items
    assert files[0].download_url is not None
    assert httpx.get(files[0].download_url.url).content == b"payload"


def test_update_and_move(sdk: LlamaCloud) -> None:
    source = sdk.beta.directories.create(name="from")
    target = sdk.beta.directories.create(name="to")
    entry = sdk.beta.directories.files.upload(source.id, upload_file=("m.txt", b"m"))
    renamed = sdk.beta.directories.files.update(
        entry.id, directory_id=source.id, display_name="Moved file", metadata={"n": 1}
    )
    assert (renamed.display_name, renamed.metadata) == ("Moved file", {"n": 1})

    moved = sdk.beta.directories.files.update(
        entry.id, directory_id=source.id, target_directory_id=target.id
    )
    assert moved.directory_id == target.id
    assert [e.id for e in sdk.beta.directories.files.list(target.id)] == [entry.id]
    assert list(sdk.beta.directories.files.list(source.id)) == []
    with pytest.raises(NotFoundError):
        sdk.beta.directories.files.get(entry.id, directory_id=source.id)


def test_delete_entry(sdk: LlamaCloud) -> None:
    directory = sdk.beta.directories.create(name="trash")
    entry = sdk.beta.directories.files.upload(directory.id, upload_file=("t.txt", b"t"))
    sdk.beta.directories.files.delete(entry.id, directory_id=directory.id)
    with pytest.raises(NotFoundError):
        sdk.beta.directories.files.get(entry.id, directory_id=directory.id)
    assert list(sdk.beta.directories.files.list(directory.id)) == []
    kept = list(sdk.beta.directories.files.list(directory.id, include_deleted=True))
    assert [e.id for e in kept] == [entry.id] and kept[0].deleted_at is not None
    # The unique_id is free again once its entry is gone.
    again = sdk.beta.directories.files.upload(directory.id, upload_file=("t.txt", b"t2"))
    assert again.unique_id == "t.txt"


def test_duplicate_unique_id_conflicts_without_retries(server: RunningServer) -> None:
    requests: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [requests.append]})
    # Default retries on purpose: a 409 without `x-should-retry: false` would be sent 6 times.
    client = LlamaCloud(api_key="test", base_url=server.base_url, http_client=http)
    directory = client.beta.directories.create(name="dupes")
    client.beta.directories.files.upload(directory.id, upload_file=("same.txt", b"1"))
    requests.clear()
    started = time.monotonic()
    with pytest.raises(ConflictError) as caught:
        client.beta.directories.files.upload(
            directory.id, upload_file=("other.txt", b"2"), unique_id="same.txt"
        )
    assert len(requests) == 1
    assert time.monotonic() - started < 2
    assert caught.value.response.headers["x-should-retry"] == "false"
    entries = list(client.beta.directories.files.list(directory.id))
    assert [e.unique_id for e in entries] == ["same.txt"]
    orphan = client.files.list(file_name="other.txt").items
    assert orphan == [], "the file uploaded for a refused entry must not linger"
    client.close()


def test_type_filters(sdk: LlamaCloud) -> None:
    scratch = sdk.beta.directories.create(name="scratch", type="ephemeral")
    assert scratch.type == "ephemeral"
    assert sdk.beta.directories.create(name="kept").type == "user"
    ephemeral = {d.id for d in sdk.beta.directories.list(type="ephemeral")}
    assert ephemeral == {scratch.id}
    both = {d.type for d in sdk.beta.directories.list(types=["ephemeral", "user"])}
    assert both == {"ephemeral", "user"}
    assert list(sdk.beta.directories.list(types=["index"])) == []
