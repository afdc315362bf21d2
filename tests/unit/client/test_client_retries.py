"""Retry decisions of the client: the SDK's rules (spec §1.3), checked without any server."""

from __future__ import annotations

import email.utils

import pytest

from reams.client.retries import backoff_s, next_delay, retry_after_s, should_retry


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        *[(400, False), (401, False), (404, False), (422, False)],
        *[(408, True), (409, True), (429, True), (500, True), (502, True), (503, True)],
    ],
)
def test_retryable_statuses_match_the_sdk(status: int, expected: bool) -> None:
    assert should_retry(status, {}) is expected


def test_x_should_retry_header_overrides_the_status() -> None:
    assert should_retry(409, {"x-should-retry": "false"}) is False
    assert should_retry(500, {"x-should-retry": "false"}) is False
    assert should_retry(400, {"x-should-retry": "true"}) is True


def test_retry_after_ms_wins_over_retry_after() -> None:
    assert retry_after_s({"retry-after-ms": "250", "retry-after": "9"}) == 0.25


def test_retry_after_accepts_seconds_floats_and_http_dates() -> None:
    assert retry_after_s({"retry-after": "3"}) == 3.0
    assert retry_after_s({"retry-after": "1.5"}) == 1.5
    date = email.utils.formatdate(1_000_010, usegmt=True)
    assert retry_after_s({"retry-after": date}, now=1_000_000) == pytest.approx(10.0)
    assert retry_after_s({"retry-after": "soon"}) is None
    assert retry_after_s({}) is None


def test_backoff_doubles_from_half_a_second_and_caps_at_eight() -> None:
    no_jitter = [backoff_s(n, jitter=lambda: 0.0) for n in range(6)]
    assert no_jitter == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_jitter_shortens_the_delay_by_at_most_a_quarter() -> None:
    assert backoff_s(1, jitter=lambda: 0.999) == pytest.approx(0.75, abs=0.001)
    for _ in range(100):
        assert 0.375 < backoff_s(0) <= 0.5


def test_a_reasonable_server_hint_replaces_the_backoff() -> None:
    assert backoff_s(5, {"retry-after": "2"}) == 2.0
    # Hints beyond a minute (or not positive) are ignored, as the SDK does.
    assert backoff_s(0, {"retry-after": "3600"}, jitter=lambda: 0.0) == 0.5
    assert backoff_s(0, {"retry-after": "0"}, jitter=lambda: 0.0) == 0.5


def test_next_delay_stops_when_retries_run_out_or_the_error_is_final() -> None:
    assert next_delay(0, 5, status_code=503) is not None
    assert next_delay(5, 5, status_code=503) is None
    assert next_delay(0, 0, status_code=None) is None
    assert next_delay(0, 5, status_code=404) is None
    assert next_delay(2, 5, status_code=None) is not None
