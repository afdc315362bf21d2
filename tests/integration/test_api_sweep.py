"""No 500 anywhere: every route of the OpenAPI document, hit with garbage ids, garbage
parameters and garbage bodies, answers a 4xx (or a 2xx); the server logs no traceback.

And the OpenAPI tells the truth about it: every status code a route answers is documented for
that operation, and every 4xx JSON body validates against the schema documented for it."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from jsonschema import Draft202012Validator

from reams.api.app import create_app
from reams.settings import Settings
from servers import RunningServer, create_api_key

GARBAGE_IDS = ["nope", "dir-00000000-0000-0000-0000-000000000000", "%00", "..", "x" * 3000, "é🙂"]
GARBAGE_VALUES = ["", "garbage", "-1", "1e309", "99999999999999999999999", "true", "%FF", "\x00"]
GARBAGE_JSON: list[Any] = [{}, [], "text", 12, None, {"job_config": []}, {"name": 5}]


@dataclass
class Spec:
    """The server's OpenAPI document, and what a response must agree with in it."""

    doc: dict[str, Any]
    problems: dict[str, str] = field(default_factory=dict)  # kind -> an example
    checked: int = 0

    def operations(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [
            (method.upper(), path, op)
            for path, item in self.doc["paths"].items()
            for method, op in item.items()
        ]

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """The operation the server routes ``method path`` to (literal segments first, as
        the routes are declared), or None for a path no route matches."""
        matches = [
            (template, item[method.lower()])
            for template, item in self.doc["paths"].items()
            if method.lower() in item and _template_re(template).fullmatch(path)
        ]
        matches.sort(key=lambda m: m[0].count("{"))
        return matches[0] if matches else None

    def check(self, response: httpx.Response) -> None:
        """Record what in ``response`` the document does not describe."""
        self.checked += 1
        request = response.request
        path = request.url.raw_path.decode().split("?", 1)[0]
        status = response.status_code
        found = self.operation(request.method, path)
        if found is None:  # a client-normalised path ("..") no route serves: routing answers
            where = f"{request.method} {path} (no route) -> {status}"
            if status not in {307, 404, 405}:
                self.problems[where] = response.text[:200]
            schema: dict[str, Any] | None = {"$ref": "#/components/schemas/ErrorBody"}
        else:
            template, op = found
            where = f"{request.method} {template} -> {status}"
            documented = op.get("responses", {})
            if str(status) not in documented:
                self.problems[f"{where} undocumented"] = response.text[:200]
                return
            content = documented[str(status)].get("content", {})
            schema = content.get("application/json", {}).get("schema")
        if not 400 <= status < 500:
            return
        if schema is None:
            self.problems[f"{where}: no JSON schema for the body"] = response.text[:200]
            return
        validator = Draft202012Validator({"allOf": [schema], "components": self.doc["components"]})
        errors = [e.message for e in validator.iter_errors(response.json())]
        if errors:
            self.problems[f"{where}: body breaks its schema"] = f"{response.text[:200]} {errors}"

    def assert_clean(self) -> None:
        report = "\n".join(f"{kind}: {example}" for kind, example in sorted(self.problems.items()))
        assert not self.problems, (
            f"{len(self.problems)} kinds of answer (of {self.checked}) disagree with the "
            f"OpenAPI:\n{report}"
        )


def _template_re(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)))


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def spec(http: httpx.Client) -> Iterator[Spec]:
    checked = Spec(http.get("/openapi.json").json())
    yield checked
    checked.assert_clean()


def fill(path: str, value: str) -> str:
    """The path with every `{param}` replaced by ``value``."""
    return re.sub(r"\{[^}]+\}", lambda _m: value, path)


def send(http: httpx.Client, spec: Spec, method: str, url: str, **kwargs: Any) -> httpx.Response:
    response = http.request(method, url, **kwargs)
    assert response.status_code < 500, f"{method} {url} {kwargs} -> {response.status_code}"
    spec.check(response)
    return response


@pytest.mark.slow
def test_garbage_ids_and_params(http: httpx.Client, spec: Spec) -> None:
    for method, path, op in spec.operations():
        names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        for ident, value in itertools.product(GARBAGE_IDS, GARBAGE_VALUES[:4]):
            send(http, spec, method, fill(path, ident), params={n: value for n in names})
        for value in GARBAGE_VALUES:
            send(http, spec, method, fill(path, "nope"), params={n: value for n in names})


def test_garbage_bodies(http: httpx.Client, spec: Spec) -> None:
    for method, path, _op in spec.operations():
        if method not in {"POST", "PATCH", "PUT"}:
            continue
        url = fill(path, "nope")
        for body in GARBAGE_JSON:
            send(http, spec, method, url, json=body)
        send(
            http, spec, method, url,
            content=b"\xff\xfe{", headers={"content-type": "application/json"},
        )  # fmt: skip
        send(http, spec, method, url, files={"file": ("x", b"x"), "upload_file": ("y", b"y")})
        send(
            http, spec, method, url,
            content=b"--b\r\n", headers={"content-type": "multipart/form-data"},
        )  # fmt: skip


def test_garbage_against_real_resources(http: httpx.Client, spec: Spec) -> None:
    directory = http.post("/api/v1/beta/directories", json={"name": "sweep"}).json()["id"]
    upload = http.post(
        f"/api/v1/beta/directories/{directory}/files/upload", files={"upload_file": ("s.txt", b"s")}
    ).json()
    for body in [*GARBAGE_JSON, {"metadata": {"a": {"b": 1}}}, {"unique_id": None}]:
        send(http, spec, "PATCH", f"/api/v1/beta/directories/{directory}", json=body)
        send(
            http, spec, "PATCH",
            f"/api/v1/beta/directories/{directory}/files/{upload['id']}", json=body,
        )  # fmt: skip
        send(http, spec, "POST", f"/api/v1/beta/directories/{directory}/files", json=body)
        send(http, spec, "POST", "/api/v1/beta/batch-processing", json=body)
    send(
        http, spec, "POST", "/api/v1/beta/batch-processing",
        json={"job_config": {}, "item_ids": []},
    )  # fmt: skip
    send(
        http, spec, "POST", "/api/v1/beta/batch-processing",
        json={"job_config": {"parameters": None}, "directory_id": directory, "page_size": -1},
    )  # fmt: skip


def test_conflicts_and_key_reuse_are_documented(http: httpx.Client, spec: Spec) -> None:
    """The 409s and the 422 of a reused Idempotency-Key, each answered for real."""
    directory = send(http, spec, "POST", "/api/v1/beta/directories", json={"name": "c"}).json()
    entries = f"/api/v1/beta/directories/{directory['id']}/files"
    upload = send(
        http, spec, "POST", f"{entries}/upload", files={"upload_file": ("c.txt", b"c")}
    ).json()
    twin = {"file_id": upload["file_id"], "unique_id": upload["unique_id"]}
    assert send(http, spec, "POST", entries, json=twin).status_code == 409
    key = {"Idempotency-Key": "sweep-reused"}
    send(http, spec, "POST", "/api/v1/beta/directories", json={"name": "k1"}, headers=key)
    reused = send(http, spec, "POST", "/api/v1/beta/directories", json={"name": "k2"}, headers=key)
    assert reused.status_code == 422
    jobs = "/api/v1/beta/batch-processing"
    job = send(
        http, spec, "POST", jobs,
        json={"directory_id": directory["id"], "job_config": {"job_name": "parse_raw_file_job"}},
    ).json()  # fmt: skip
    send(http, spec, "POST", f"{jobs}/{job['id']}/cancel", json={})
    deadline = time.monotonic() + 30
    while send(http, spec, "GET", f"{jobs}/{job['id']}").json()["job"]["status"] not in {
        "cancelled", "completed", "failed"
    }:  # fmt: skip
        assert time.monotonic() < deadline
        time.sleep(0.2)
    for action in ("cancel", "retry"):
        again = send(http, spec, "POST", f"{jobs}/{job['id']}/{action}", json={})
        assert again.status_code in {200, 409}, again.text


def test_every_error_answer_is_documented_with_the_error_body(tmp_path: Path) -> None:
    """No route is left on FastAPI's list-only 422 schema; the rules reached every route."""
    doc = create_app(Settings(data_dir=tmp_path)).openapi()
    assert "HTTPValidationError" not in str(doc)
    detail = doc["components"]["schemas"]["ErrorBody"]["properties"]["detail"]["anyOf"]
    assert {"type": "string"} in detail  # reams's own errors: a sentence
    for path, item in doc["paths"].items():
        for method, op in item.items():
            responses = op["responses"]
            for code, response in responses.items():
                if code.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)
                    assert response["description"], (method, path, code)
            params = {p["name"] for p in op.get("parameters", [])}
            if path.startswith("/api/") and "project_id" in params:
                assert {"401", "404"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
                assert "413" in responses, (method, path)
            if "Idempotency-Key" in params:
                assert {"409", "422"} <= set(responses), (method, path)
    conflict = doc["paths"]["/api/v2/parse/{job_id}/cancel"]["post"]["responses"]["409"]
    assert conflict["headers"]["x-should-retry"]


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_key_mode_answers_are_documented(tmp_path: Path) -> None:
    """In key mode every operation, asked with no key, a wrong key or another project's
    `project_id`, answers a status its OpenAPI documents, with a body of its schema."""
    from fastapi.testclient import TestClient

    settings = Settings(data_dir=tmp_path, auth_mode="keys", workers=1)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        key, _ = create_api_key(tmp_path, "sweep")
        spec = Spec(client.get("/openapi.json").json())
        answers: set[int] = set()
        for method, path, _op in spec.operations():
            url = fill(path, "nope")
            for headers, params in [
                ({}, {}),
                ({"Authorization": "Bearer wrong"}, {}),
                ({"Authorization": f"Bearer {key}"}, {"project_id": "prj-other"}),
            ]:
                answers.add(
                    send(client, spec, method, url, headers=headers, params=params).status_code
                )
        spec.assert_clean()
        assert {401, 404} <= answers


@pytest.mark.slow
def test_server_logged_no_traceback(server: RunningServer, http: httpx.Client, spec: Spec) -> None:
    test_garbage_ids_and_params(http, spec)
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
