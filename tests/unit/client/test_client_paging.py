"""Auto-pagination rules and response parsing, on hand-made responses."""

from __future__ import annotations

import httpx
import pytest

from reams.client.errors import NotFoundError, ResponseValidationError
from reams.client.paging import Page, PagedRequest, page_parser, paged
from reams.client.request import parse_model
from reams.wire.batch import BatchJob
from reams.wire.files import File

JOB = {"id": "bjb-1", "job_type": "parse", "project_id": "p", "status": "pending", "total_items": 0}


def response(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("GET", "http://h/x"))


def offset_pages(limit: int) -> PagedRequest[BatchJob]:
    return paged(BatchJob, "offset", path="/jobs", query={"limit": limit, "status": "running"})


def jobs(n: int) -> list[BatchJob]:
    return [BatchJob.model_validate(JOB) for _ in range(n)]


def test_offset_paging_repeats_the_query_and_stops_at_total_size() -> None:
    first = offset_pages(2)
    second = first.following(Page(jobs(2), total_size=5))
    assert second is not None
    assert dict(second.request.query) == {"limit": 2, "status": "running", "offset": 2}
    third = second.following(Page(jobs(2), total_size=5))
    assert third is not None and third.request.query["offset"] == 4
    assert third.following(Page(jobs(1), total_size=5)) is None


def test_offset_paging_stops_without_total_size_or_on_an_empty_page() -> None:
    assert offset_pages(2).following(Page(jobs(2), total_size=None)) is None
    assert offset_pages(2).following(Page([], total_size=10)) is None


def test_cursor_paging_follows_the_token_until_it_is_empty() -> None:
    first = paged(File, "cursor", path="/files", query={"page_size": 1})
    file = File(id="f", name="a.pdf", project_id="p")
    nxt = first.following(Page([file], next_page_token="t1"))
    assert nxt is not None and dict(nxt.request.query) == {"page_size": 1, "page_token": "t1"}
    assert first.following(Page([file], next_page_token=None)) is None
    assert first.following(Page([], next_page_token="t2")) is None


def test_page_parser_reads_both_envelopes() -> None:
    parse = page_parser(BatchJob)
    page = parse(response(200, {"items": [JOB], "total_size": 7, "limit": 1}))
    assert page.total_size == 7 and page.items[0].id == "bjb-1"
    cursor = page_parser(File)(response(200, {"items": [], "next_page_token": ""}))
    assert cursor.next_page_token is None


def test_malformed_pages_and_models_raise_validation_errors() -> None:
    with pytest.raises(ResponseValidationError):
        page_parser(BatchJob)(response(200, {"jobs": []}))
    with pytest.raises(ResponseValidationError):
        parse_model(BatchJob)(response(200, {"id": "x"}))
    not_json = httpx.Response(200, text="<html>", request=httpx.Request("GET", "http://h/x"))
    with pytest.raises(ResponseValidationError):
        parse_model(BatchJob)(not_json)


def test_error_statuses_raise_before_parsing() -> None:
    with pytest.raises(NotFoundError, match="gone"):
        page_parser(BatchJob)(response(404, {"detail": "gone"}))
