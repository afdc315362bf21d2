"""Bounded costs over HTTP: uploads checked before their bodies are read, capped schema
validation, and numbers that cannot overflow into a 500.

A real server on loopback in ``keys`` mode with a small upload cap; uploads that must not be
read are sent over a raw socket, so the test controls (and counts) every byte put on the wire.
"""

from __future__ import annotations

import os
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

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


def _head(path: str, *, length: int | None, authorization: str | None) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
    ]
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
