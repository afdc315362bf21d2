"""Building requests from method arguments: paths, queries, bodies, uploads, headers.

Requests are built with a real ``httpx.Client`` but never sent.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from reams.client import endpoints as ep
from reams.client.config import ClientConfig
from reams.client.request import encode_query, path, to_httpx, upload_part


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    config = ClientConfig.resolve("http://h:1/prefix", "k", timeout=5, max_retries=0)
    with httpx.Client(**config.client_kwargs(user_agent="t")) as client:  # type: ignore[arg-type]
        yield client


def test_path_params_are_single_encoded_segments() -> None:
    assert path("/a/{}/b/{}", "x/y", "z w") == "/a/x%2Fy/b/z%20w"
    for bad in ("", ".", ".."):
        with pytest.raises(ValueError):
            path("/a/{}", bad)


def test_query_drops_none_repeats_lists_and_lowers_booleans() -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    assert encode_query({"a": None, "b": True, "c": ["x", "y"], "d": when, "e": 3}) == {
        "b": "true",
        "c": ["x", "y"],
        "d": "2026-01-01T00:00:00+00:00",
        "e": 3,
    }


def test_requests_go_under_a_prefixed_base_url_with_repeated_list_params(
    http: httpx.Client,
) -> None:
    req = to_httpx(http, ep.parsing_get("pjb-1", {"expand": ["markdown", "text"]}))
    assert str(req.url) == "http://h:1/prefix/api/v2/parse/pjb-1?expand=markdown&expand=text"
    assert req.headers["authorization"] == "Bearer k"
    assert req.headers["accept"] == "application/json"


def test_batch_create_sends_scope_in_query_and_namespace_as_header(http: httpx.Client) -> None:
    call = ep.batch_create(
        {"job_config": {}, "directory_id": "dir-1", "project_id": "p", "temporal_namespace": "ns"}
    )
    req = to_httpx(http, call)
    assert req.method == "POST"
    assert req.url.path == "/prefix/api/v1/beta/batch-processing"
    assert req.url.params["project_id"] == "p"
    assert req.headers["temporal-namespace"] == "ns"
    assert json.loads(req.content) == {"job_config": {}, "directory_id": "dir-1"}


def test_explicit_none_goes_into_json_bodies_but_omitted_keys_do_not() -> None:
    assert ep.directories_update("dir-1", {"description": None}).json_body == {"description": None}
    assert ep.batch_cancel("bjb-1", {}).json_body == {}
    assert ep.batch_cancel("bjb-1", {"reason": "r"}).json_body == {"reason": "r"}


def test_directory_file_calls_put_the_directory_in_the_path_not_the_body() -> None:
    call = ep.directory_files_update(
        "dfl-1", {"directory_id": "dir-1", "target_directory_id": "dir-2", "metadata": {"k": 1}}
    )
    assert call.method == "PATCH"
    assert call.path == "/api/v1/beta/directories/dir-1/files/dfl-1"
    assert call.json_body == {"target_directory_id": "dir-2", "metadata": {"k": 1}}
    get = ep.directory_files_get("dfl-1", {"directory_id": "dir-1", "expand": ["download_url"]})
    assert dict(get.query) == {"expand": ["download_url"]}


def test_deletes_accept_anything(http: httpx.Client) -> None:
    req = to_httpx(http, ep.files_delete("fil-1", {}))
    assert req.method == "DELETE"
    assert req.headers["accept"] == "*/*"


def test_uploads_are_multipart_with_text_parts_and_json_metadata(http: httpx.Client) -> None:
    call = ep.directory_files_upload(
        "dir-1",
        {"upload_file": ("a.pdf", b"%PDF", "application/pdf"), "metadata": {"k": "v"}},
    )
    assert call.data == {"metadata": '{"k": "v"}'}
    req = to_httpx(http, call)
    body = req.read()
    assert req.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="upload_file"; filename="a.pdf"' in body
    assert b"Content-Type: application/pdf" in body
    assert b'name="metadata"' in body


def test_upload_parts_accept_bytes_files_paths_and_tuples(tmp_path: Path) -> None:
    f = tmp_path / "doc.md"
    f.write_bytes(b"# hi")
    assert upload_part(b"x") == ("upload", b"x", "application/octet-stream")
    assert upload_part(f) == ("doc.md", b"# hi", "application/octet-stream")
    with f.open("rb") as fh:
        assert upload_part(fh)[:2] == ("doc.md", b"# hi")
    assert upload_part(("n.txt", io.BytesIO(b"y"))) == ("n.txt", b"y", "application/octet-stream")
