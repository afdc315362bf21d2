"""Mapping error responses to the client's exception hierarchy (no server involved)."""

from __future__ import annotations

import json

import pytest

from reams.client import errors as e


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, e.BadRequestError),
        (401, e.AuthenticationError),
        (403, e.PermissionDeniedError),
        (404, e.NotFoundError),
        (409, e.ConflictError),
        (422, e.UnprocessableEntityError),
        (429, e.RateLimitError),
        (500, e.InternalServerError),
        (503, e.InternalServerError),
        (418, e.APIStatusError),
    ],
)
def test_each_status_maps_to_its_exception(status: int, cls: type[e.APIStatusError]) -> None:
    err = e.status_error(status, json.dumps({"detail": "nope"}))
    assert type(err) is cls
    assert isinstance(err, e.ReamsAPIError)
    assert err.status_code == status


def test_the_message_shows_the_servers_detail() -> None:
    err = e.status_error(404, '{"detail": "batch job \'bjb-1\' not found"}')
    assert err.detail == "batch job 'bjb-1' not found"
    assert str(err) == "batch job 'bjb-1' not found (HTTP 404)"


def test_fastapi_validation_lists_read_as_field_messages() -> None:
    detail = [
        {"loc": ["body", "job_config"], "msg": "Field required", "type": "missing"},
        {"loc": ["query", "limit"], "msg": "Input should be > 0", "type": "greater_than"},
    ]
    err = e.status_error(422, json.dumps({"detail": detail}))
    assert err.detail == detail
    assert err.message == "job_config: Field required; limit: Input should be > 0 (HTTP 422)"


def test_structured_details_and_plain_text_bodies_are_kept() -> None:
    err = e.status_error(409, json.dumps({"detail": {"directory_id": "dir-1"}}))
    assert err.detail == {"directory_id": "dir-1"}
    assert "dir-1" in str(err)
    proxy = e.status_error(502, "  <html>Bad Gateway</html> \n")
    assert proxy.body == "<html>Bad Gateway</html>"
    assert "Bad Gateway" in str(proxy)
    assert str(e.status_error(500, "")) == "HTTP 500"
