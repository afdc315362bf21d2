"""What the SDK never sends: malformed bodies, odd parameters, forged download links.

Plain httpx against a real server on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from servers import RunningServer, start_server

API = "/api/v1/beta"


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def upload(http: httpx.Client, name: str = "a.txt", data: bytes = b"hello") -> str:
    response = http.post(f"{API}/files", files={"file": (name, data)}, data={"purpose": "parse"})
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def test_malformed_json_is_422_with_detail(http: httpx.Client) -> None:
    response = http.post(
        f"{API}/directories", content=b'{"name": "x",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "json_invalid"


def test_missing_required_field_is_422_list(http: httpx.Client) -> None:
    response = http.post(f"{API}/batch-processing", json={"directory_id": "dir-x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "job_config"]


def test_upload_without_purpose_is_422(http: httpx.Client) -> None:
    response = http.post(f"{API}/files", files={"file": ("a.txt", b"x")})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "purpose"]


def test_upload_metadata_must_be_a_json_object(http: httpx.Client) -> None:
    directory = http.post(f"{API}/directories", json={"name": "meta"}).json()["id"]
    for bad in ("{not json", "[1, 2]", '{"nested": {"a": 1}}'):
        response = http.post(
            f"{API}/directories/{directory}/files/upload",
            files={"upload_file": ("m.txt", b"m")},
            data={"metadata": bad},
        )
        assert response.status_code == 422, bad
        assert "metadata must be a JSON object" in response.json()["detail"]
    listed = http.get(f"{API}/directories/{directory}/files").json()["items"]
    assert listed == []


def test_unknown_expand_is_422_listing_allowed(http: httpx.Client) -> None:
    response = http.get("/api/v2/parse/pjb-x", params={"expand": ["text", "images"]})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "images" in detail and "markdown_full" in detail and "job_metadata" in detail


def test_foreign_page_token_is_400(http: httpx.Client) -> None:
    response = http.get(f"{API}/files", params={"page_token": "garbage!"})
    assert response.status_code == 400
    assert "page_token" in response.json()["detail"]


def test_conflict_carries_no_retry_header(http: httpx.Client) -> None:
    directory = http.post(f"{API}/directories", json={"name": "dup"}).json()["id"]
    file_id = upload(http)
    body = {"file_id": file_id, "unique_id": "same"}
    assert http.post(f"{API}/directories/{directory}/files", json=body).status_code == 200
    again = http.post(f"{API}/directories/{directory}/files", json=body)
    assert again.status_code == 409
    assert again.headers["x-should-retry"] == "false"
    assert "unique_id" in again.json()["detail"]


def _signed(http: httpx.Client, file_id: str) -> tuple[str, dict[str, str]]:
    url = http.get(f"{API}/files/{file_id}/content").json()["url"]
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_download_requires_a_valid_signature(http: httpx.Client) -> None:
    file_id = upload(http, "secret.txt", b"top secret")
    path, query = _signed(http, file_id)
    assert http.get(path, params=query).content == b"top secret"
    forged = {**query, "signature": "0" * 64}
    later = {**query, "expires": str(int(query["expires"]) + 3600)}
    other_id = upload(http, "other.txt", b"other")
    for params, target in ((forged, path), (later, path), ({}, path)):
        response = http.get(target, params=params)
        assert response.status_code == 403, params
        assert response.json()["detail"]
    moved = http.get(path.replace(file_id, other_id), params=query)
    assert moved.status_code == 403, "a signature is bound to its file"


def test_expired_link_is_403(http: httpx.Client) -> None:
    file_id = upload(http, "brief.txt", b"brief")
    url = http.get(f"{API}/files/{file_id}/content", params={"expires_at_seconds": 1}).json()["url"]
    time.sleep(2.1)
    response = httpx.get(url)
    assert response.status_code == 403
    assert "expired" in response.json()["detail"]


def test_download_link_uses_public_url(tmp_path_factory: pytest.TempPathFactory) -> None:
    public = "https://reams.example.test/base"
    server = start_server(tmp_path_factory.mktemp("public"), env={"REAMS_PUBLIC_URL": public})
    try:
        with httpx.Client(base_url=server.base_url) as client:
            file_id = upload(client)
            url = client.get(f"{API}/files/{file_id}/content").json()["url"]
        assert url.startswith(f"{public}/download/files/{file_id}?")
    finally:
        server.stop()


def test_upload_over_the_limit_is_413(tmp_path_factory: pytest.TempPathFactory) -> None:
    server = start_server(tmp_path_factory.mktemp("small"), env={"REAMS_MAX_UPLOAD_BYTES": "1024"})
    try:
        with httpx.Client(base_url=server.base_url) as client:
            big = client.post(
                f"{API}/files", files={"file": ("big.bin", b"x" * 4096)}, data={"purpose": "parse"}
            )
            assert big.status_code == 413
            assert "1024" in big.json()["detail"]
            assert client.get(f"{API}/files").json()["items"] == []
            assert upload(client, "ok.txt", b"x" * 1024)
    finally:
        server.stop()


def test_openapi_documents_the_status_definitions(http: httpx.Client) -> None:
    description = http.get("/openapi.json").json()["info"]["description"]
    assert "`processed_items` counts *completed* items" in description
    assert "progress_percentage" in description and "orchestration failed" in description
    assert http.get("/docs").status_code == 200


def test_query_string_encoding_of_ids(http: httpx.Client) -> None:
    odd = "dir-%2F..%2Fetc"
    response = http.get(f"{API}/directories/{odd}?{urlencode({'project_id': 'x'})}")
    assert response.status_code == 404
