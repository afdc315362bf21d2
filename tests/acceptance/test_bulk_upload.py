"""Bulk upload (`POST /api/v1/beta/files/bulk`, a reams extension) against a real server:
files created in order with their ids and external ids, optionally into a directory in the
same transaction; limits and bad parts refused with a sentence and nothing half-created;
an `Idempotency-Key` replays; and the streamed single upload still stores exact bytes."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from llama_cloud import LlamaCloud

from servers import RunningServer, start_server

BULK = "/api/v1/beta/files/bulk"
MAX_FILES = 12


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    data_dir = tmp_path_factory.mktemp("bulk")
    running = start_server(data_dir, env={"REAMS_MAX_BULK_FILES": str(MAX_FILES)})
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": "Bearer test"}, timeout=60
    ) as client:
        yield client


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _parts(names: list[str]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (n, f"content of {n}\n".encode(), "text/plain")) for n in names]


def _names_in_project(http: httpx.Client, tag: str) -> list[str]:
    body = http.post("/api/v1/beta/files/query", json={"page_size": 1000}).json()
    return sorted(f["name"] for f in body["items"] if tag in f["name"])


def test_bulk_creates_every_file_in_order(http: httpx.Client, sdk: LlamaCloud) -> None:
    tag = _tag()
    names = [f"{tag}-{i}.txt" for i in range(4)]
    response = http.post(
        BULK,
        files=_parts(names),
        data={"purpose": "parse", "external_file_ids": [f"ext/{n}" for n in names]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [f["name"] for f in body["files"]] == names
    assert [f["external_file_id"] for f in body["files"]] == [f"ext/{n}" for n in names]
    assert {f["purpose"] for f in body["files"]} == {"parse"}
    assert body["directory_files"] is None
    listed = {f.id: f for f in sdk.files.list(file_ids=[f["id"] for f in body["files"]])}
    for created, name in zip(body["files"], names, strict=True):
        fetched = listed[created["id"]]  # the SDK reads what the bulk made
        assert fetched.name == name
        assert fetched.file_size == len(f"content of {name}\n")
        url = http.get(f"/api/v1/beta/files/{created['id']}/content").json()["url"]
        assert httpx.get(url).content == f"content of {name}\n".encode()


def test_bulk_into_a_directory_adds_an_entry_per_file(http: httpx.Client) -> None:
    tag = _tag()
    directory = http.post("/api/v1/beta/directories", json={"name": f"bulk-{tag}"}).json()
    names = [f"{tag}-{i}.md" for i in range(3)]
    response = http.post(
        BULK, files=_parts(names), data={"purpose": "user_data", "directory_id": directory["id"]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    entries = body["directory_files"]
    assert [e["file_id"] for e in entries] == [f["id"] for f in body["files"]]
    assert [e["unique_id"] for e in entries] == names
    listed = http.get(f"/api/v1/beta/directories/{directory['id']}/files").json()["items"]
    assert [e["display_name"] for e in listed] == names


def test_too_many_files_is_413_and_creates_nothing(http: httpx.Client) -> None:
    tag = _tag()
    response = http.post(
        BULK,
        files=_parts([f"{tag}-{i}.txt" for i in range(MAX_FILES + 1)]),
        data={"purpose": "parse"},
    )
    assert response.status_code == 413, response.text
    assert f"at most {MAX_FILES} files" in response.json()["detail"]
    assert "REAMS_MAX_BULK_FILES" in response.json()["detail"]
    assert _names_in_project(http, tag) == []


def test_one_bad_part_refuses_the_batch(http: httpx.Client) -> None:
    """An external id with a NUL character (the third of four): 422 naming the field, and
    none of the four files exists."""
    tag = _tag()
    names = [f"{tag}-{i}.txt" for i in range(4)]
    external = ["a", "b", "bad\x00id", "d"]
    response = http.post(
        BULK, files=_parts(names), data={"purpose": "parse", "external_file_ids": external}
    )
    assert response.status_code == 422, response.text
    assert "external_file_id" in response.json()["detail"]
    assert _names_in_project(http, tag) == []


def test_a_taken_unique_id_refuses_the_whole_batch(http: httpx.Client) -> None:
    tag = _tag()
    directory = http.post("/api/v1/beta/directories", json={"name": f"dup-{tag}"}).json()
    first = http.post(
        BULK,
        files=_parts([f"{tag}-a.txt"]),
        data={"purpose": "parse", "directory_id": directory["id"]},
    )
    assert first.status_code == 200, first.text
    again = http.post(
        BULK,
        files=_parts([f"{tag}-b.txt", f"{tag}-a.txt"]),
        data={"purpose": "parse", "directory_id": directory["id"]},
    )
    assert again.status_code == 409, again.text
    assert again.headers["x-should-retry"] == "false"
    assert _names_in_project(http, tag) == [f"{tag}-a.txt"]  # b was not created either


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "purpose"),
        ({"purpose": "nonsense"}, "purpose"),
        ({"purpose": "parse", "external_file_ids": ["only-one"]}, "external_file_ids"),
    ],
)
def test_bad_fields_are_422_lists(http: httpx.Client, data: dict[str, object], field: str) -> None:
    tag = _tag()
    response = http.post(BULK, files=_parts([f"{tag}-1.txt", f"{tag}-2.txt"]), data=data)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert _names_in_project(http, tag) == []


def test_no_files_and_an_unknown_directory_are_refused(http: httpx.Client) -> None:
    empty = http.post(BULK, data={"purpose": "parse"}, files=[("other", ("x.txt", b"x"))])
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "files"]
    tag = _tag()
    unknown = http.post(
        BULK, files=_parts([f"{tag}.txt"]), data={"purpose": "parse", "directory_id": "dir-nope"}
    )
    assert unknown.status_code == 404
    assert _names_in_project(http, tag) == []


def test_truncated_body_is_400_and_creates_nothing(http: httpx.Client) -> None:
    tag = _tag()
    request = http.build_request(
        "POST", BULK, files=_parts([f"{tag}-1.txt", f"{tag}-2.txt"]), data={"purpose": "parse"}
    )
    body = request.read()
    cut = body[: body.rindex(b"--") - 10]  # the closing boundary and a little more are gone
    response = http.post(
        BULK, content=cut, headers={"content-type": request.headers["content-type"]}
    )
    assert response.status_code == 400, response.text
    assert "multipart" in response.json()["detail"]
    assert _names_in_project(http, tag) == []


def test_idempotency_key_replays_the_batch(http: httpx.Client) -> None:
    tag = _tag()
    key = f"bulk-{uuid.uuid4()}"
    names = [f"{tag}-{i}.txt" for i in range(3)]
    first = http.post(
        BULK, files=_parts(names), data={"purpose": "parse"}, headers={"Idempotency-Key": key}
    )
    second = http.post(
        BULK, files=_parts(names), data={"purpose": "parse"}, headers={"Idempotency-Key": key}
    )
    assert first.status_code == second.status_code == 200, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert _names_in_project(http, tag) == sorted(names)  # three files, not six
    changed = http.post(
        BULK,
        files=[("files", (names[0], b"other bytes", "text/plain"))],
        data={"purpose": "parse"},
        headers={"Idempotency-Key": key},
    )
    assert changed.status_code == 422
    assert key in changed.json()["detail"]


def test_single_upload_streams_exact_bytes(http: httpx.Client, tmp_path: Path) -> None:
    """A file larger than the in-memory threshold (spilled to disk while it arrives) and an
    empty one are stored byte for byte, under the sha256 of their content."""
    big = hashlib.sha256(b"seed").digest() * (3 * 1024 * 1024 // 32 + 7)
    for name, data in [("big.bin", big), ("empty.txt", b"")]:
        created = http.post(
            "/api/v1/beta/files", files={"file": (name, data)}, data={"purpose": "parse"}
        )
        assert created.status_code == 200, created.text
        assert created.json()["file_size"] == len(data)
        url = http.get(f"/api/v1/beta/files/{created.json()['id']}/content").json()["url"]
        assert httpx.get(url).content == data


def test_openapi_documents_the_bulk_route(http: httpx.Client) -> None:
    doc = http.get("/openapi.json").json()
    operation = doc["paths"]["/api/v1/beta/files/bulk"]["post"]
    assert {"200", "400", "401", "404", "409", "413", "422"} <= set(operation["responses"])
    assert "unique_id" in operation["responses"]["409"]["description"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["required"] == ["files", "purpose"]
    assert schema["properties"]["files"]["items"] == {"type": "string", "format": "binary"}
    assert {"external_file_ids", "directory_id"} <= set(schema["properties"])
    params = {p["name"] for p in operation["parameters"]}
    assert "Idempotency-Key" in params
    single = doc["paths"]["/api/v1/beta/files"]["post"]["requestBody"]["content"]
    assert single["multipart/form-data"]["schema"]["required"] == ["file", "purpose"]


def test_many_small_files_past_the_memory_bound(http: httpx.Client) -> None:
    """Ten files of 950 KB (each kept in memory until it is complete, 9.5 MB in all: past the
    8 MiB a request holds, so the finished ones are committed early) arrive byte for byte."""
    tag = _tag()
    contents = [hashlib.sha256(f"{tag}{i}".encode()).digest() * 30_400 for i in range(10)]
    parts = [("files", (f"{tag}-{i}.bin", c)) for i, c in enumerate(contents)]
    response = http.post(BULK, files=parts, data={"purpose": "parse"})
    assert response.status_code == 200, response.text
    created = response.json()["files"]
    assert [f["file_size"] for f in created] == [len(c) for c in contents]
    for record, data in zip(created, contents, strict=True):
        url = http.get(f"/api/v1/beta/files/{record['id']}/content").json()["url"]
        assert httpx.get(url).content == data
