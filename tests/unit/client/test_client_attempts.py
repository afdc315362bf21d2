"""The retry loop's decisions (shared by the sync and async transports), and wait's clock."""

from __future__ import annotations

import time

import httpx
import pytest

from reams.client.config import OPEN_MODE_KEY, ClientConfig
from reams.client.errors import APIConnectionError, APITimeoutError
from reams.client.transport import Attempts
from reams.client.waiting import Deadline, is_terminal
from reams.wire.batch import BatchStatus

REQ = httpx.Request("GET", "http://h/x")


def attempts(max_retries: int = 2) -> Attempts:
    return Attempts(max_retries=max_retries, base_url="http://h/")


def test_success_is_returned_at_once() -> None:
    ok = httpx.Response(200, request=REQ)
    assert attempts().next(ok) is ok


def test_retryable_errors_sleep_until_retries_run_out_then_return_the_response() -> None:
    a = attempts(2)
    busy = httpx.Response(503, request=REQ, headers={"retry-after": "1"})
    assert a.next(busy) == 1.0
    assert a.next(busy) == 1.0
    assert a.next(busy) is busy  # the parser turns it into InternalServerError


def test_final_errors_are_not_retried() -> None:
    conflict = httpx.Response(409, request=REQ, headers={"x-should-retry": "false"})
    assert attempts().next(conflict) is conflict


def test_connection_errors_retry_then_raise() -> None:
    a = attempts(1)
    assert isinstance(a.next(httpx.ConnectError("refused", request=REQ)), float)
    with pytest.raises(APIConnectionError, match="cannot reach the reams server"):
        a.next(httpx.ConnectError("refused", request=REQ))
    with pytest.raises(APITimeoutError):
        attempts(0).next(httpx.ReadTimeout("slow", request=REQ))


def test_config_reads_the_environment_only_when_arguments_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REAMS_BASE_URL", "http://env:9")
    monkeypatch.delenv("REAMS_API_KEY", raising=False)
    config = ClientConfig.resolve(None, None, timeout=60, max_retries=5)
    assert (config.base_url, config.api_key) == ("http://env:9/", OPEN_MODE_KEY)
    assert config.timeout.connect == 5.0 and config.timeout.read == 60
    explicit = ClientConfig.resolve("http://arg", "key", timeout=60, max_retries=5)
    assert (explicit.base_url, explicit.api_key) == ("http://arg/", "key")


def status(state: str) -> BatchStatus:
    job = {"id": "b", "job_type": "parse", "project_id": "p", "status": state, "total_items": 1}
    return BatchStatus.model_validate({"job": job, "progress_percentage": 0})


def test_terminal_statuses() -> None:
    assert [is_terminal(status(s)) for s in ("running", "dispatched", "completed")] == [
        False,
        False,
        True,
    ]
    assert is_terminal(status("failed")) and is_terminal(status("cancelled"))


def test_deadline_clips_the_last_sleep_then_times_out() -> None:
    assert Deadline(None, "b").sleep_s(1.0) == 1.0
    clock = Deadline(0.05, "b")
    assert clock.sleep_s(1.0) <= 0.05
    time.sleep(0.06)
    with pytest.raises(TimeoutError, match="did not finish within"):
        clock.sleep_s(1.0)
