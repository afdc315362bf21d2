"""Job priority over HTTP (reams extension): accepted on the v1 and v2 batch creates, shown on
the job, refused with a 422 naming the field when it is not a bounded integer."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from servers import RunningServer

API = "/api/v1/beta"
BAD = ["5", 2.5, True, 101, -101]


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def directory(http: httpx.Client) -> str:
    directory_id = str(http.post(f"{API}/directories", json={"name": "prio"}).json()["id"])
    response = http.post(
        f"{API}/directories/{directory_id}/files/upload",
        files={"upload_file": ("a.txt", b"priority test")},
    )
    assert response.status_code == 200, response.text
    return directory_id


def test_v1_create_takes_a_priority_and_shows_it(http: httpx.Client, directory: str) -> None:
    body = {"job_config": {}, "directory_id": directory, "priority": 7}
    created = http.post(f"{API}/batch-processing", json=body)
    assert created.status_code == 200, created.text
    job_id = created.json()["id"]
    assert created.json()["priority"] == 7
    status = http.get(f"{API}/batch-processing/{job_id}").json()
    assert status["job"]["priority"] == 7
    plain = http.post(f"{API}/batch-processing", json={"job_config": {}, "directory_id": directory})
    assert plain.json()["priority"] == 0
    whole = http.post(f"{API}/batch-processing", json={**body, "priority": -2.0})
    assert whole.status_code == 200, whole.text  # JSON Schema's integer: 2.0 is one
    assert whole.json()["priority"] == -2


@pytest.mark.parametrize("bad", BAD)
def test_v1_refuses_a_bad_priority(http: httpx.Client, directory: str, bad: object) -> None:
    body = {"job_config": {}, "directory_id": directory, "priority": bad}
    response = http.post(f"{API}/batch-processing", json=body)
    assert response.status_code == 422, response.text
    assert any(e["loc"][-1] == "priority" for e in response.json()["detail"])


def test_v2_batch_takes_a_priority(http: httpx.Client, directory: str) -> None:
    body = {
        "source_directory_id": directory,
        "config": {"job": {"type": "parse_v2", "configuration_id": "cfg-PARSE_AGENTIC"}},
        "priority": -3,
    }
    created = http.post("/api/v2/batches", json=body)
    assert created.status_code == 200, created.text
    assert created.json()["priority"] == -3
    again = http.get(f"/api/v2/batches/{created.json()['id']}").json()
    assert again["priority"] == -3
    assert http.post("/api/v2/batches", json={**body, "priority": 1000}).status_code == 422
