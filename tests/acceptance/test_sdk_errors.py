"""Error answers as the official SDK raises them: unknown ids, invalid batch requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from llama_cloud import LlamaCloud, NotFoundError, UnprocessableEntityError

GHOST = "nope-0000"


def unknown_id_calls(sdk: LlamaCloud, directory_id: str) -> dict[str, Callable[[], Any]]:
    d, f, b = sdk.beta.directories, sdk.files, sdk.beta.batch
    return {
        "files.get": lambda: f.get(GHOST),
        "files.delete": lambda: f.delete(GHOST),
        "directories.get": lambda: d.get(GHOST),
        "directories.update": lambda: d.update(GHOST, name="x"),
        "directories.delete": lambda: d.delete(GHOST),
        "directory_files.add (directory)": lambda: d.files.add(GHOST, file_id=GHOST),
        "directory_files.upload": lambda: d.files.upload(GHOST, upload_file=("a.txt", b"a")),
        "directory_files.list": lambda: list(d.files.list(GHOST)),
        "directory_files.get": lambda: d.files.get(GHOST, directory_id=directory_id),
        "directory_files.update": lambda: d.files.update(
            GHOST, directory_id=directory_id, display_name="x"
        ),
        "directory_files.delete": lambda: d.files.delete(GHOST, directory_id=directory_id),
        "batch.create (directory)": lambda: b.create(job_config={}, directory_id=GHOST),
        "batch.create (items)": lambda: b.create(job_config={}, item_ids=[GHOST]),
        "batch.get_status": lambda: b.get_status(GHOST),
        "batch.cancel": lambda: b.cancel(GHOST),
        "job_items.list": lambda: list(b.job_items.list(GHOST)),
        "processing_results": lambda: b.job_items.get_processing_results(GHOST),
        "parsing.get": lambda: sdk.parsing.get(job_id=GHOST, expand=["text"]),
    }


def test_unknown_ids_are_not_found(sdk: LlamaCloud) -> None:
    directory = sdk.beta.directories.create(name="real")
    for name, call in unknown_id_calls(sdk, directory.id).items():
        with pytest.raises(NotFoundError) as caught:
            call()
        assert "not found" in caught.value.body["detail"], name  # type: ignore[index]


def test_batch_needs_a_source(sdk: LlamaCloud) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        sdk.beta.batch.create(job_config={})
    assert "directory_id or item_ids" in str(caught.value.body)


@pytest.mark.parametrize(
    "job_config",
    [
        {"job_name": "not_a_parse_job"},
        {"parameters": {"type": "extract"}},
        {"parameters": {"job_timeout_in_seconds": -5}},
        {"parameters": "fast please"},
        {"rules": []},
        {
            "rules": [
                {"type": "invoice", "description": "a"},
                {"type": "invoice", "description": "b"},
            ]
        },
        {"data_schema": {"type": "object", "properties": {"total": {"type": "money"}}}},
        {
            "data_schema": {
                "type": "object",
                "properties": {"a": {"type": "string"}},
                "required": "a",
            }
        },
    ],
)
def test_invalid_job_config_is_422(sdk: LlamaCloud, job_config: dict[str, Any]) -> None:
    directory = sdk.beta.directories.create(name="cfg")
    with pytest.raises(UnprocessableEntityError) as caught:
        sdk.beta.batch.create(job_config=job_config, directory_id=directory.id)  # type: ignore[arg-type]
    assert caught.value.body["detail"]  # type: ignore[index]
    assert list(sdk.beta.batch.list(directory_id=directory.id)) == [], "nothing was created"


def test_bad_filters_are_422(sdk: LlamaCloud) -> None:
    with pytest.raises(UnprocessableEntityError):
        sdk.beta.batch.list(status="finished")  # type: ignore[arg-type]
    with pytest.raises(UnprocessableEntityError):
        sdk.beta.batch.list(job_type="translate")  # type: ignore[arg-type]
    with pytest.raises(UnprocessableEntityError):
        sdk.files.list(order_by="size")
    with pytest.raises(UnprocessableEntityError):
        sdk.files.list(page_size=5000)
