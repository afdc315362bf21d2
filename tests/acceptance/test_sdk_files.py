"""Files through the official SDK (strict validation): upload, list across pages, signed
content URL fetched with plain httpx, delete."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from llama_cloud import LlamaCloud, NotFoundError


def test_create_returns_the_file(sdk: LlamaCloud, sample_docs: dict[str, Path]) -> None:
    path = sample_docs["report.md"]
    created = sdk.files.create(file=path, purpose="parse", external_file_id="ext-report")
    assert created.id.startswith("fil-")
    assert created.name == "report.md"
    assert created.file_type == "md"
    assert created.purpose == "parse"
    assert created.external_file_id == "ext-report"
    listed = list(sdk.files.list(external_file_id="ext-report"))
    assert [f.id for f in listed] == [created.id]


def test_list_pages_through_every_file(sdk: LlamaCloud) -> None:
    made = {
        sdk.files.create(file=(f"page-{i}.txt", f"file {i}".encode()), purpose="user_data").id
        for i in range(5)
    }
    first = sdk.files.list(page_size=2, order_by="name")
    assert len(first.items) == 2
    assert first.next_page_token
    seen = [f.id for f in sdk.files.list(page_size=2, order_by="name")]
    assert len(seen) == len(set(seen)), "a file appeared on two pages"
    assert made <= set(seen)
    names = [f.name for f in sdk.files.list(page_size=2, order_by="name")]
    assert names == sorted(names)


def test_list_filters(sdk: LlamaCloud) -> None:
    a = sdk.files.create(file=("filter-a.txt", b"a"), purpose="user_data")
    b = sdk.files.create(file=("filter-b.txt", b"b"), purpose="user_data")
    by_ids = {f.id for f in sdk.files.list(file_ids=[a.id, b.id])}
    assert by_ids == {a.id, b.id}
    by_name = [f.id for f in sdk.files.list(file_name="filter-b.txt")]
    assert by_name == [b.id]


def test_content_url_downloads_the_same_bytes(
    sdk: LlamaCloud, sample_docs: dict[str, Path]
) -> None:
    path = sample_docs["sales.csv"]
    created = sdk.files.create(file=path, purpose="parse")
    presigned = sdk.files.get(created.id, expires_at_seconds=120)
    assert 60 < presigned.expires_at.timestamp() - time.time() <= 121
    response = httpx.get(presigned.url)  # no Authorization header: the URL is the credential
    assert response.status_code == 200
    assert response.content == path.read_bytes()
    assert 'filename="sales.csv"' in response.headers["content-disposition"]
    assert response.headers["content-type"].startswith("text/csv")


def test_delete_makes_it_unknown(sdk: LlamaCloud) -> None:
    created = sdk.files.create(file=("gone.txt", b"bye"), purpose="user_data")
    url = sdk.files.get(created.id).url
    sdk.files.delete(created.id)
    with pytest.raises(NotFoundError):
        sdk.files.get(created.id)
    with pytest.raises(NotFoundError):
        sdk.files.delete(created.id)
    assert created.id not in {f.id for f in sdk.files.list(page_size=1000)}
    assert httpx.get(url).status_code == 404
