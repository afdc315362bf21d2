"""Projects and files through the llama-cloud 2.19 SDK against a real reams server (open auth),
with strict response validation: `projects.list/get`, `files.query`, `files.retrieve`,
`files.content` and `files.delete`."""

from __future__ import annotations

import time
import uuid

import httpx
import llama_cloud
import pytest
from llama_cloud import LlamaCloud

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # files.query


def _upload(client: LlamaCloud, name: str, data: bytes, **kwargs: str) -> str:
    return client.files.create(file=(name, data), purpose="user_data", **kwargs).id


def test_projects_list_and_get(client: LlamaCloud) -> None:
    (project,) = client.projects.list()
    assert project.id.startswith("prj-")
    assert project.organization_id == "org-reams"
    assert project.is_default is True
    assert project.created_at is not None and project.updated_at == project.created_at
    assert client.projects.get(project.id) == project
    assert client.projects.list(project_name=project.name) == [project]
    assert client.projects.list(project_name="nobody") == []
    with pytest.raises(llama_cloud.NotFoundError):
        client.projects.get("prj-00000000-0000-0000-0000-000000000000")


def test_files_query_filters_and_pages(client: LlamaCloud) -> None:
    tag = uuid.uuid4().hex[:8]
    made = [_upload(client, f"{tag}-{i}.txt", f"file {i}".encode()) for i in range(3)]
    tagged = _upload(client, f"{tag}-ext.md", b"# ext", external_file_id=f"ext-{tag}")
    project_id = client.projects.list()[0].id

    page = client.files.query(filter={"file_ids": made}, order_by="name", page_size=2)
    assert [f.name for f in page.items] == [f"{tag}-0.txt", f"{tag}-1.txt"]
    assert page.total_size == 3 and page.next_page_token
    rest = client.files.query(
        filter={"file_ids": made}, order_by="name", page_size=2, page_token=page.next_page_token
    )
    assert [f.name for f in rest.items] == [f"{tag}-2.txt"] and not rest.next_page_token

    def ids(**flt: object) -> list[str]:
        return [f.id for f in client.files.query(filter=flt, page_size=100).items]  # type: ignore[arg-type]

    assert ids(external_file_id=f"ext-{tag}") == [tagged]
    assert ids(file_name=f"{tag}-1.txt") == [made[1]]
    assert ids(file_ids=made, project_id=project_id) == made[::-1]  # newest first
    assert ids(file_ids=made, only_manually_uploaded=True) == made[::-1]
    assert ids(file_ids=made, data_source_id="dsr-1") == []  # no data sources in reams
    assert ids(file_ids=made, project_id="prj-other") == []


def test_files_retrieve_content_delete(client: LlamaCloud) -> None:
    fid = _upload(client, "notes.txt", b"hello from 2.19", external_file_id="ext-notes")
    got = client.files.retrieve(fid)
    assert (got.id, got.name, got.file_type, got.external_file_id) == (
        fid,
        "notes.txt",
        "txt",
        "ext-notes",
    )
    with_link = client.files.retrieve(fid, expand=["download_url"])
    assert with_link.download_url is not None
    assert httpx.get(with_link.download_url.url).content == b"hello from 2.19"

    presigned = client.files.content(fid, expires_at_seconds=90)
    assert 30 < presigned.expires_at.timestamp() - time.time() <= 91
    assert httpx.get(presigned.url).content == b"hello from 2.19"

    client.files.delete(fid)
    with pytest.raises(llama_cloud.NotFoundError):
        client.files.retrieve(fid)
    with pytest.raises(llama_cloud.NotFoundError):
        client.files.content(fid)
    assert client.files.query(filter={"file_ids": [fid]}).items == []
    assert httpx.get(presigned.url).status_code == 404
