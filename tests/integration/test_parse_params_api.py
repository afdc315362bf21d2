"""The batch API refuses parse parameters of the wrong type when a job is created (422, nothing
stored), and stays lenient on parse keys it does not know (recorded as ignored later)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from reams.api.app import create_app
from reams.settings import Settings

JOBS = "/api/v1/beta/batch-processing"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("parse-params") / "data"
    with TestClient(create_app(Settings(data_dir=Path(data), workers=1))) as client:
        yield client


@pytest.fixture(scope="module")
def directory(client: TestClient) -> str:
    made = client.post("/api/v1/beta/directories", json={"name": "params"})
    assert made.status_code == 200, made.text
    return str(made.json()["id"])


def _create(client: TestClient, directory: str, parameters: dict[str, object]) -> httpx.Response:
    return client.post(
        JOBS,
        json={
            "directory_id": directory,
            "job_config": {"job_name": "parse_raw_file_job", "parameters": parameters},
        },
    )


@pytest.mark.parametrize(
    ("parameters", "key"),
    [
        ({"max_pages": "abc"}, "max_pages"),
        ({"target_pages": "two"}, "target_pages"),
        ({"page_error_tolerance": 7}, "page_error_tolerance"),
        ({"invalidate_cache": "yes please"}, "invalidate_cache"),
    ],
)
def test_bad_parse_values_are_422_and_nothing_is_stored(
    client: TestClient, directory: str, parameters: dict[str, object], key: str
) -> None:
    before = client.get(JOBS).json()
    answer = _create(client, directory, parameters)
    assert answer.status_code == 422, answer.text
    assert key in answer.text
    assert client.get(JOBS).json() == before


def test_unknown_parse_keys_are_still_accepted(client: TestClient, directory: str) -> None:
    answer = _create(client, directory, {"max_pages": 2, "premium_mode": True})
    assert answer.status_code == 200, answer.text
