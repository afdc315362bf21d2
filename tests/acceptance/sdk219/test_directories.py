"""Directories, directory files and files through the llama-cloud 2.19 SDK (strict response
validation) against a real reams server: the surface the 2.13 tests cover, as 2.19 calls it
(`files.retrieve` / `files.content`, `target_directory_id` for moves)."""

from __future__ import annotations

import uuid

import httpx
import llama_cloud
import pytest
from llama_cloud import LlamaCloud


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_directory_lifecycle_and_listing(client: LlamaCloud) -> None:
    name = _name("contracts")
    made = client.beta.directories.create(name=name, description="signed ones")
    assert made.id.startswith("dir-") and made.name == name
    assert client.beta.directories.get(made.id).description == "signed ones"
    renamed = client.beta.directories.update(made.id, name=f"{name}-2024")
    assert (renamed.name, renamed.description) == (f"{name}-2024", "signed ones")
    assert [d.id for d in client.beta.directories.list(name=f"{name}-2024")] == [made.id]
    client.beta.directories.delete(made.id)
    with pytest.raises(llama_cloud.NotFoundError):
        client.beta.directories.get(made.id)
    assert made.id not in {d.id for d in client.beta.directories.list()}


def test_connector_subscriptions_are_refused_with_a_reason(client: LlamaCloud) -> None:
    with pytest.raises(llama_cloud.UnprocessableEntityError) as refused:
        client.beta.directories.create(name=_name("synced"), connector_subscription_id="cs-1")
    assert "connector" in str(refused.value.body)


def test_directory_files_add_upload_list_update_move_delete(client: LlamaCloud) -> None:
    first = client.beta.directories.create(name=_name("in"))
    second = client.beta.directories.create(name=_name("out"))
    file = client.files.create(file=("a.txt", b"alpha"), purpose="parse")
    added = client.beta.directories.files.add(
        first.id, file_id=file.id, unique_id="a", display_name="a.txt"
    )
    uploaded = client.beta.directories.files.upload(first.id, upload_file=("b.md", b"# beta"))
    listed = {f.id for f in client.beta.directories.files.list(first.id)}
    assert listed == {added.id, uploaded.id}
    got = client.beta.directories.files.get(added.id, directory_id=first.id)
    assert (got.unique_id, got.file_id) == ("a", file.id)
    renamed = client.beta.directories.files.update(
        added.id, directory_id=first.id, display_name="alpha.txt", metadata={"k": "v"}
    )
    assert renamed.display_name == "alpha.txt"
    moved = client.beta.directories.files.update(
        added.id, directory_id=first.id, target_directory_id=second.id
    )
    assert moved.directory_id == second.id
    assert [f.id for f in client.beta.directories.files.list(second.id)] == [added.id]
    client.beta.directories.files.delete(uploaded.id, directory_id=first.id)
    assert list(client.beta.directories.files.list(first.id)) == []


def test_files_create_list_retrieve_content_delete(client: LlamaCloud) -> None:
    name = f"{_name('doc')}.txt"
    made = client.files.create(file=(name, b"hello reams"), purpose="parse")
    assert made.name == name
    assert made.id in {f.id for f in client.files.list(file_name=name)}
    assert client.files.retrieve(made.id).id == made.id
    link = client.files.content(made.id)
    assert httpx.get(link.url).content == b"hello reams"
    client.files.delete(made.id)
    with pytest.raises(llama_cloud.NotFoundError):
        client.files.retrieve(made.id)
