"""The bulk upload request as the client builds it: one `files` part per file, in order,
repeated `external_file_ids`, and an Idempotency-Key so a retry creates nothing twice."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP

import httpx

from reams.client import endpoints as ep
from reams.client.request import to_httpx, with_idempotency_key


def _parts(request: httpx.Request) -> list[tuple[str, str | None, bytes]]:
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.read())
    return [
        (part.get_param("name", header="content-disposition"), part.get_filename(),
         part.get_payload(decode=True))
        for part in message.iter_parts()
    ]  # fmt: skip


def test_bulk_request_repeats_parts_in_order() -> None:
    api = ep.files_create_bulk(
        {
            "files": [("a.txt", b"A"), ("b.txt", b"BB"), ("c.txt", b"CCC")],
            "purpose": "parse",
            "external_file_ids": ["x/a.txt", "", "z/c.txt"],
            "directory_id": "dir-1",
        }
    )
    assert api.idempotent and api.path == "/api/v1/beta/files/bulk"
    with httpx.Client(base_url="http://127.0.0.1:1") as client:
        request = to_httpx(client, with_idempotency_key(api))
    assert request.headers["Idempotency-Key"].startswith("reams-client-")
    parts = _parts(request)
    fields = [(name, payload) for name, filename, payload in parts if filename is None]
    files = [(name, filename, payload) for name, filename, payload in parts if filename]
    assert files == [
        ("files", "a.txt", b"A"),
        ("files", "b.txt", b"BB"),
        ("files", "c.txt", b"CCC"),
    ]
    assert fields == [
        ("purpose", b"parse"),
        ("external_file_ids", b"x/a.txt"),
        ("external_file_ids", b""),
        ("external_file_ids", b"z/c.txt"),
        ("directory_id", b"dir-1"),
    ]
