"""No 500 anywhere: every route of the OpenAPI document, hit with garbage ids, garbage
parameters and garbage bodies, answers a 4xx (or a 2xx); the server logs no traceback."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from reams.api.app import create_app
from reams.settings import Settings
from servers import RunningServer

GARBAGE_IDS = ["nope", "dir-00000000-0000-0000-0000-000000000000", "%00", "..", "x" * 3000, "é🙂"]
GARBAGE_VALUES = ["", "garbage", "-1", "1e309", "99999999999999999999999", "true", "%FF", "\x00"]
GARBAGE_JSON: list[Any] = [{}, [], "text", 12, None, {"job_config": []}, {"name": 5}]


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def operations(http: httpx.Client) -> list[tuple[str, str, dict[str, Any]]]:
    spec = http.get("/openapi.json").json()
    return [
        (method.upper(), path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
    ]


def fill(path: str, value: str) -> str:
    """The path with every `{param}` replaced by ``value``."""
    return re.sub(r"\{[^}]+\}", lambda _m: value, path)


def send(http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    response = http.request(method, url, **kwargs)
    assert response.status_code < 500, f"{method} {url} {kwargs} -> {response.status_code}"
    return response


@pytest.mark.slow
def test_garbage_ids_and_params(http: httpx.Client) -> None:
    for method, path, op in operations(http):
        names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        for ident, value in itertools.product(GARBAGE_IDS, GARBAGE_VALUES[:4]):
            send(http, method, fill(path, ident), params={n: value for n in names})
        for value in GARBAGE_VALUES:
            send(http, method, fill(path, "nope"), params={n: value for n in names})


def test_garbage_bodies(http: httpx.Client) -> None:
    for method, path, _op in operations(http):
        if method not in {"POST", "PATCH"}:
            continue
        url = fill(path, "nope")
        for body in GARBAGE_JSON:
            send(http, method, url, json=body)
        send(http, method, url, content=b"\xff\xfe{", headers={"content-type": "application/json"})
        send(http, method, url, files={"file": ("x", b"x"), "upload_file": ("y", b"y")})
        send(http, method, url, content=b"--b\r\n", headers={"content-type": "multipart/form-data"})


def test_garbage_against_real_resources(http: httpx.Client) -> None:
    directory = http.post("/api/v1/beta/directories", json={"name": "sweep"}).json()["id"]
    upload = http.post(
        f"/api/v1/beta/directories/{directory}/files/upload", files={"upload_file": ("s.txt", b"s")}
    ).json()
    for body in [*GARBAGE_JSON, {"metadata": {"a": {"b": 1}}}, {"unique_id": None}]:
        send(http, "PATCH", f"/api/v1/beta/directories/{directory}", json=body)
        send(http, "PATCH", f"/api/v1/beta/directories/{directory}/files/{upload['id']}", json=body)
        send(http, "POST", f"/api/v1/beta/directories/{directory}/files", json=body)
        send(http, "POST", "/api/v1/beta/batch-processing", json=body)
    send(http, "POST", "/api/v1/beta/batch-processing", json={"job_config": {}, "item_ids": []})
    send(
        http, "POST", "/api/v1/beta/batch-processing",
        json={"job_config": {"parameters": None}, "directory_id": directory, "page_size": -1},
    )  # fmt: skip


@pytest.mark.slow
def test_server_logged_no_traceback(server: RunningServer, http: httpx.Client) -> None:
    test_garbage_ids_and_params(http)
    log = server.log()
    assert "Traceback" not in log and "internal error" not in log, log[-3000:]


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_unexpected_exceptions_are_a_bare_500(tmp_path: Path) -> None:
    # In-process on purpose: no route of the real server raises, so this one is added.
    from fastapi.testclient import TestClient

    app: FastAPI = create_app(Settings(data_dir=tmp_path))

    def explode() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"}
