"""Bounded costs over HTTP: uploads checked before their bodies are read, capped schema
validation, and numbers that cannot overflow into a 500.

A real server on loopback in ``keys`` mode with a small upload cap; uploads that must not be
read are sent over a raw socket, so the test controls (and counts) every byte put on the wire.
"""

from __future__ import annotations

import base64
import json
import os
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from reams.domain.paging import MAX_OFFSET
from reams.domain.schema_limits import (
    MAX_DEPTH,
    MAX_JSON_DEPTH,
    MAX_PROPERTIES,
    MAX_SCHEMA_BYTES,
    MAX_SCHEMA_REQUEST_BYTES,
)
from servers import RunningServer, create_api_key, start_server

MAX_UPLOAD = 1024 * 1024  # REAMS_MAX_UPLOAD_BYTES of the server under test
HUGE = 300 * 1024 * 1024
BOUNDARY = "reams-test-boundary"
UPLOAD_PATHS = (
    "/api/v1/beta/files",
    "/api/v2/parse/upload",
    "/api/v1/beta/directories/dir-x/files/upload",
)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    data_dir = tmp_path_factory.mktemp("hardening")
    tmp = data_dir / "tmp"
    tmp.mkdir()
    running = start_server(
        data_dir,
        env={
            "REAMS_AUTH_MODE": "keys",
            "REAMS_MAX_UPLOAD_BYTES": str(MAX_UPLOAD),
            "TMPDIR": str(tmp),  # where the multipart parser spools uploads
        },
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def key(keyed: RunningServer) -> str:
    return create_api_key(keyed.data_dir, "hardening")[0]


@pytest.fixture(scope="module")
def http(keyed: RunningServer, key: str) -> Iterator[httpx.Client]:
    headers = {"authorization": f"Bearer {key}"}
    with httpx.Client(base_url=keyed.base_url, timeout=30, headers=headers) as client:
        yield client


@pytest.fixture(scope="module")
def anonymous(keyed: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=keyed.base_url, timeout=30) as client:
        yield client


# --- raw HTTP, so that the test decides how much of a body is ever sent -----------------------


def _connect(server: RunningServer) -> socket.socket:
    url = urlsplit(server.base_url)
    sock = socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=10)
    return sock


def _head(
    path: str,
    *,
    length: int | None,
    authorization: str | None,
    content_type: str = f"multipart/form-data; boundary={BOUNDARY}",
) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {content_type}"]
    lines.append(
        f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    )
    if authorization is not None:
        lines.append(f"Authorization: {authorization}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _part_head() -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="purpose"\r\n\r\nparse\r\n'
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


def _read_response(sock: socket.socket, timeout: float = 10.0) -> tuple[int, bytes]:
    """(status, raw response) of the one response on ``sock`` (the server closes after it)."""
    sock.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep and b"content-length:" in head.lower():
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            if len(body) >= length:
                break
    assert data, "no response"
    return int(data.split(b" ", 2)[1]), data


def _spooled_files(server: RunningServer) -> list[str]:
    """The server's open files under its TMPDIR (spooled uploads; unlinked ones included)."""
    tmp = str(server.data_dir / "tmp")
    found = []
    fd_dir = Path(f"/proc/{server.pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(tmp):
            found.append(target)
    return found


# --- 1. uploads: auth and size before the body ------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer reams_not-a-key", "Basic abc"])
@pytest.mark.parametrize("path", UPLOAD_PATHS)
def test_unauthenticated_upload_is_401_before_the_body_is_read(
    keyed: RunningServer, path: str, authorization: str | None
) -> None:
    """A 300 MB upload without a (valid) key: the 401 comes while only the headers and the
    first 64 KiB were sent — the server did not wait for, read or spool the rest."""
    sock = _connect(keyed)
    try:
        sock.sendall(_head(path, length=HUGE, authorization=authorization))
        sent = len(_part_head()) + 64 * 1024
        sock.sendall(_part_head() + b"x" * (64 * 1024))
        started = time.monotonic()
        status, raw = _read_response(sock)
        assert time.monotonic() - started < 5
    finally:
        sock.close()
    assert status == 401, raw
    assert b'"detail"' in raw and b"API key" in raw
    assert b"connection: close" in raw.lower()
    assert sent < HUGE / 1000  # the answer came after 0.02 % of the body
    assert _spooled_files(keyed) == []
    assert not list((keyed.data_dir / "tmp").iterdir())


@pytest.mark.parametrize("path", UPLOAD_PATHS)
def test_declared_length_over_the_cap_is_413_at_once(
    keyed: RunningServer, key: str, path: str
) -> None:
    sock = _connect(keyed)
    try:
        sock.sendall(_head(path, length=HUGE, authorization=f"Bearer {key}"))
        started = time.monotonic()
        status, raw = _read_response(sock)
        assert time.monotonic() - started < 5
    finally:
        sock.close()
    assert status == 413, raw
    assert b"REAMS_MAX_UPLOAD_BYTES" in raw and str(MAX_UPLOAD).encode() in raw


def test_chunked_upload_over_the_cap_is_413_and_leaves_no_temp_file(
    keyed: RunningServer, key: str
) -> None:
    """No Content-Length: the body is counted as it streams; past the cap the read fails, the
    spooled temporary file is closed (and so deleted), and the answer is 413."""
    sock = _connect(keyed)
    status, raw, sent = 0, b"", 0
    try:
        sock.sendall(_head("/api/v1/beta/files", length=None, authorization=f"Bearer {key}"))
        chunk = b"y" * (64 * 1024)
        first = _part_head() + chunk
        sock.sendall(b"%x\r\n%s\r\n" % (len(first), first))
        sent = len(first)
        while sent < 8 * MAX_UPLOAD:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        status, raw = _read_response(sock)
    finally:
        sock.close()
    assert status == 413, raw
    assert b"REAMS_MAX_UPLOAD_BYTES" in raw
    assert sent < 8 * MAX_UPLOAD  # the server answered while the client was still sending
    deadline = time.monotonic() + 5
    while _spooled_files(keyed) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _spooled_files(keyed) == []
    assert not list((keyed.data_dir / "tmp").iterdir())
    assert not list((keyed.data_dir).rglob(".up-*"))  # no blob-store temp file either


def test_uploads_within_the_cap_still_work(http: httpx.Client) -> None:
    data = b"z" * (MAX_UPLOAD - 10)
    response = http.post(
        "/api/v1/beta/files", files={"file": ("ok.txt", data)}, data={"purpose": "parse"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["file_size"] == len(data) or response.json().get("id")
    over = http.post(
        "/api/v1/beta/files", files={"file": ("over.txt", b"z" * (MAX_UPLOAD + 1))},
        data={"purpose": "parse"},
    )  # fmt: skip
    assert over.status_code == 413, over.text  # within the form cap, over the file cap


def test_anonymous_form_post_is_401(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/api/v1/beta/files", files={"file": ("a.txt", b"abc")}, data={"purpose": "parse"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "API key" in response.json()["detail"]


# --- 2. schema validation: the key, and the limits job creation applies -----------------------

VALIDATION = "/api/v2/extract/schema/validation"


def _flat(properties: int, description: str = "a field") -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            f"field_{i}": {"type": "string", "description": description} for i in range(properties)
        },
    }


def _deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        node = {"type": "object", "properties": {"x": node}}
    return {"type": "object", "properties": {"n": node}}


def test_schema_validation_needs_the_key(anonymous: httpx.Client) -> None:
    body = {"data_schema": _flat(1)}
    missing = anonymous.post(VALIDATION, json=body)
    assert missing.status_code == 401
    assert "API key" in missing.json()["detail"]
    wrong = anonymous.post(VALIDATION, json=body, headers={"authorization": "Bearer reams_no"})
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "invalid API key"}


def test_schema_validation_accepts_a_schema_within_the_limits(http: httpx.Client) -> None:
    response = http.post(VALIDATION, json={"data_schema": _flat(3)})
    assert response.status_code == 200, response.text
    assert set(response.json()["data_schema"]["properties"]) == {"field_0", "field_1", "field_2"}


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        (_flat(MAX_PROPERTIES + 1), f"more than {MAX_PROPERTIES} properties"),
        (_flat(4, "d" * (MAX_SCHEMA_BYTES // 4)), f"the limit of {MAX_SCHEMA_BYTES}"),
        (_deep(MAX_DEPTH + 1), f"deeper than {MAX_DEPTH} levels"),
        (_deep(200), f"deeper than {MAX_JSON_DEPTH} levels of JSON"),
        ({"type": "object", "properties": {"a": True}}, "$.properties.a"),  # was a 500
    ],
    ids=["properties", "bytes", "depth", "json-depth", "boolean-subschema"],
)
def test_oversize_schemas_are_422_naming_the_limit(
    http: httpx.Client, schema: dict[str, Any], words: str
) -> None:
    response = http.post(VALIDATION, json={"data_schema": schema})
    assert response.status_code == 422, response.text
    assert words in response.json()["detail"]


@pytest.mark.parametrize(("with_key", "status"), [(False, 401), (True, 413)])
def test_schema_bodies_are_checked_before_they_are_read(
    keyed: RunningServer, key: str, with_key: bool, status: int
) -> None:
    """A 300 MB schema request: 401 without a key, 413 with one, before the body is sent."""
    sock = _connect(keyed)
    try:
        authorization = f"Bearer {key}" if with_key else None
        head = _head(
            VALIDATION, length=HUGE, authorization=authorization, content_type="application/json"
        )
        sock.sendall(head + b'{"data_schema": {"type": "object", "properties": {')
        started = time.monotonic()
        got, raw = _read_response(sock)
        assert time.monotonic() - started < 5
    finally:
        sock.close()
    assert got == status, raw
    assert b'"detail"' in raw
    if status == 413:
        assert str(MAX_SCHEMA_REQUEST_BYTES).encode() in raw


def test_a_20000_property_schema_is_refused_quickly(http: httpx.Client) -> None:
    body = {"data_schema": _flat(20_000)}
    started = time.monotonic()
    response = http.post(VALIDATION, json=body)
    elapsed = time.monotonic() - started
    assert response.status_code == 422
    assert f"more than {MAX_PROPERTIES} properties" in response.json()["detail"]
    assert elapsed < 1.0, elapsed


def test_the_largest_allowed_schema_validates_in_bounded_time(http: httpx.Client) -> None:
    started = time.monotonic()
    response = http.post(VALIDATION, json={"data_schema": _flat(MAX_PROPERTIES)})
    assert response.status_code == 200, response.text[:300]
    assert time.monotonic() - started < 5  # ~0.7 s here: a tenth of the official meta-schema


def test_job_creation_applies_the_same_limit(http: httpx.Client) -> None:
    file_id = _upload(http)
    response = http.post(
        "/api/v2/extract",
        json={"file_input": file_id, "configuration": {"data_schema": _flat(MAX_PROPERTIES + 1)}},
    )
    assert response.status_code == 422, response.text
    assert f"more than {MAX_PROPERTIES} properties" in response.json()["detail"]


# --- 3. numbers: every out-of-range or non-ASCII number is a 4xx with a detail ----------------


def _upload(http: httpx.Client) -> str:
    response = http.post(
        "/api/v1/beta/files", files={"file": ("n.txt", b"numbers")}, data={"purpose": "parse"}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def _assert_4xx(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.json()["detail"]


OVERFLOW = str(2**63)  # 9223372036854775808: one past SQLite's and PostgreSQL's bigint


@pytest.mark.parametrize("offset", [OVERFLOW, str(MAX_OFFSET + 1), "1" * 5000, "²", "-1"])
def test_offsets_past_the_bound_are_422(http: httpx.Client, offset: str) -> None:
    _assert_4xx(http.get("/api/v1/beta/batch-processing", params={"offset": offset}))
    items = http.get("/api/v1/beta/batch-processing/bjb-x/items", params={"offset": offset})
    _assert_4xx(items)
    assert http.get("/api/v1/beta/batch-processing", params={"offset": MAX_OFFSET}).is_success


@pytest.fixture(scope="module")
def classifier_job(http: httpx.Client) -> str:
    file_id = _upload(http)
    response = http.post(
        "/api/v1/classifier/jobs",
        json={"file_ids": [file_id], "rules": [{"type": "note", "description": "a short note"}]},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


@pytest.mark.parametrize("token", [OVERFLOW, "²", "١٢", "1" * 5000, "-1", " 1"])
def test_classifier_page_tokens_are_400(
    http: httpx.Client, classifier_job: str, token: str
) -> None:
    results = http.get(
        f"/api/v1/classifier/jobs/{classifier_job}/results", params={"page_token": token}
    )
    _assert_4xx(results)
    _assert_4xx(http.get("/api/v1/classifier/jobs", params={"page_token": token}))


def _token(payload: bytes) -> str:
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        _token(json.dumps({"o": 2**63}).encode()),
        _token(json.dumps({"o": MAX_OFFSET + 1}).encode()),
        _token(b'{"o": true}'),
        _token(b'{"o": ' + b"9" * 5000 + b"}"),
        "²",
        "A" * 10_000,
    ],
    ids=["overflow", "past-bound", "bool", "huge", "superscript", "long"],
)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/beta/files",
        "/api/v1/beta/directories",
        "/api/v2/parse",
        "/api/v2/extract",
        "/api/v2/batches",
    ],
)
def test_cursor_page_tokens_past_the_bound_are_400(
    http: httpx.Client, path: str, token: str
) -> None:
    _assert_4xx(http.get(path, params={"page_token": token}))


def test_file_query_page_token_past_the_bound_is_400(http: httpx.Client) -> None:
    token = _token(json.dumps({"o": 2**63}).encode())
    _assert_4xx(http.post("/api/v1/beta/files/query", json={"page_token": token}))


@pytest.mark.parametrize(
    ("expires", "signature"),
    [("²", "abc"), ("1" * 5000, "abc"), (OVERFLOW + "0" * 30, "abc"), ("4102444800", "²")],
)
def test_download_links_with_odd_numbers_are_403(
    anonymous: httpx.Client, http: httpx.Client, expires: str, signature: str
) -> None:
    file_id = _upload(http)
    response = anonymous.get(
        f"/download/files/{file_id}", params={"expires": expires, "signature": signature}
    )
    assert response.status_code == 403, response.text
    assert response.json()["detail"]
