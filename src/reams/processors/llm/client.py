"""A small, careful client for OpenAI-compatible ``/chat/completions`` with JSON replies.

:func:`chat_json` sends one conversation and returns the reply parsed as a JSON object, with the
token usage of every request it made. It holds the caller's limiter (the engine lends host-wide
concurrency slots, see :mod:`.limits`) around each request, retries 429 / 5xx / timeouts /
connection errors with exponential backoff and jitter (honouring ``Retry-After``), re-asks once when
the reply is not JSON, and falls back once from ``response_format: json_schema`` to ``json_object``
(schema in the prompt) when the endpoint rejects the former with 400/422 (and drops ``temperature``
once if a 400 names it, as some reasoning models require). The API key never appears in messages or
logs.

Every request's tokens count, the failed ones too (a reply that was not JSON, an HTTP error whose
body reports ``usage``): they are added to the caller's :class:`Usage` as they arrive, so they are
counted even when the call ends in an error. Messages may carry OpenAI content parts (text and
``image_url``); an endpoint that refuses the images is reported as ``llm_vision_unsupported``.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import httpx

from reams.domain.errors import ProcessorError
from reams.processors.llm.config import LlmConfig, safe_url
from reams.processors.llm.limits import Limiter, LimiterError, LimiterTimeout
from reams.processors.llm.replies import (
    error_detail,
    error_usage,
    has_images,
    message_text,
    retry_after,
)
from reams.processors.llm.usage import Usage

__all__ = ["chat_json", "parse_json_object"]

log = logging.getLogger("reams.processors.llm")

_REASK = (
    "Your previous reply was not a single valid JSON object. Reply again with only the JSON "
    "object described above: no prose, no code fences."
)
_FENCE = re.compile(r"^\s*```[a-zA-Z0-9_-]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
# What an endpoint's error says when the model cannot take images (OpenAI, vLLM, Ollama, llama.cpp).
_NO_IMAGES = re.compile(
    r"image|vision|multi-?modal|content part|content.{0,20}must be a string|expected.{0,10}string",
    re.IGNORECASE,
)

Message = Mapping[str, Any]


def chat_json(
    config: LlmConfig,
    messages: Sequence[Message],
    schema: Mapping[str, Any],
    name: str,
    *,
    limiter: Limiter | None = None,
    usage: Usage | None = None,
) -> tuple[dict[str, Any], Usage]:
    """Ask the endpoint for a JSON object matching ``schema``; return it and the usage.

    Raises :class:`ProcessorError` with code ``llm_unavailable`` / ``llm_rate_limited`` (retryable,
    after ``max_retries`` retries), ``llm_auth_failed`` (401/403), ``llm_request_rejected`` (other
    4xx, with the server's message), ``llm_bad_output`` (retryable: not JSON twice in a row) or
    ``llm_misconfigured`` (the limiter cannot work, e.g. its slots directory is unusable), or
    ``llm_vision_unsupported`` (not retryable: the messages carry images and the endpoint says
    the model takes none). Each request holds ``limiter`` (none: no limit); when it admits none in
    time (the engine's slots wait ``timeout_s``), ``llm_unavailable``. Tokens are added to
    ``usage`` (a new one when not given) as replies arrive, and it is returned.
    """
    usage = Usage() if usage is None else usage
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    with httpx.Client(timeout=config.timeout_s, headers=headers) as http:
        call = _Call(
            config=config, http=http, usage=usage, schema=schema, name=name, limiter=limiter
        )
        return call.run(list(messages)), usage


def parse_json_object(content: str) -> dict[str, Any] | None:
    """``content`` as a JSON object (code fences and ``<think>`` blocks stripped), else None."""
    text = _THINK.sub("", content).strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    for candidate in (text, text[text.find("{") : text.rfind("}") + 1]):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


@dataclass
class _Failure:
    """Why the last attempt failed and how long the server asked us to wait."""

    problem: str
    rate_limited: bool = False
    retry_after: float | None = None


class _Fallback(Exception):
    """The endpoint rejected ``json_schema``: resend at once with ``json_object``."""


@dataclass
class _Call:
    config: LlmConfig
    http: httpx.Client
    usage: Usage
    schema: Mapping[str, Any]
    name: str
    limiter: Limiter | None = None
    json_schema_mode: bool = True
    send_temperature: bool = True
    _endpoint: str = field(init=False)

    def __post_init__(self) -> None:
        self._endpoint = safe_url(self.config.chat_url)

    def run(self, messages: list[Message]) -> dict[str, Any]:
        content = self._complete(messages)
        parsed = parse_json_object(content)
        if parsed is not None:
            return parsed
        self.usage.failed_requests += 1
        log.warning("LLM reply from %s was not JSON; asking again", self._endpoint)
        retry = [
            *messages,
            {"role": "assistant", "content": content[:4000]},
            {"role": "user", "content": _REASK},
        ]
        content = self._complete(retry)
        parsed = parse_json_object(content)
        if parsed is not None:
            return parsed
        self.usage.failed_requests += 1
        raise ProcessorError(
            "llm_bad_output",
            f"The LLM at {self._endpoint} twice replied with something that is not a JSON "
            f"object (last reply starts: {self._redact(content[:80])!r}).",
            retryable=True,
        )

    # -- one logical request, with retries -------------------------------------------------

    def _complete(self, messages: list[Message]) -> str:
        failures = 0
        while True:
            try:
                return self._attempt(messages)
            except _Fallback:
                self.usage.failed_requests += 1
                continue
            except _RetryableFailure as exc:
                failure = exc.failure
            self.usage.failed_requests += 1
            failures += 1
            if failures > self.config.max_retries:
                raise self._give_up(failure, failures)
            delay = self._backoff(failures, failure.retry_after)
            log.warning(
                "LLM request to %s failed (%s); retry %d/%d in %.2fs",
                self._endpoint,
                failure.problem,
                failures,
                self.config.max_retries,
                delay,
            )
            time.sleep(delay)

    def _attempt(self, messages: list[Message]) -> str:
        body = self._body(messages)
        try:
            with self._hold():
                self.usage.requests += 1
                response = self.http.post(self.config.chat_url, json=body)
        except LimiterTimeout as exc:
            raise ProcessorError(
                "llm_unavailable",
                f"No LLM concurrency slot for {self._endpoint} became free: {exc}.",
                retryable=True,
            ) from None
        except LimiterError as exc:
            raise ProcessorError("llm_misconfigured", f"{exc}.", retryable=False) from None
        except httpx.TimeoutException:
            raise _RetryableFailure(
                _Failure(f"no reply within {self.config.timeout_s:g}s")
            ) from None
        except httpx.TransportError as exc:
            raise _RetryableFailure(_Failure(f"connection error {type(exc).__name__}")) from None
        if response.status_code == 200:
            return self._content(response)
        self.usage.add_reply(error_usage(response))
        try:
            raise self._judge(response, images=has_images(messages))
        except ProcessorError:
            self.usage.failed_requests += 1
            raise

    def _hold(self) -> AbstractContextManager[object]:
        return nullcontext() if self.limiter is None else self.limiter(self.config)

    def _body(self, messages: list[Message]) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.config.model}
        if self.send_temperature:
            body["temperature"] = 0
        if self.json_schema_mode:
            body["messages"] = messages
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": self.name, "schema": dict(self.schema), "strict": False},
            }
        else:
            body["messages"] = _with_schema_prompt(messages, self.schema)
            body["response_format"] = {"type": "json_object"}
        return body

    # -- reading replies ---------------------------------------------------------------------

    def _content(self, response: httpx.Response) -> str:
        try:
            payload = response.json()
        except ValueError:
            return ""
        if not isinstance(payload, dict):
            return ""
        self.usage.add_reply(payload.get("usage"))
        return message_text(payload)

    def _judge(self, response: httpx.Response, *, images: bool) -> Exception:
        status = response.status_code
        detail = self._redact(error_detail(response))
        if images and status in (400, 413, 415, 422) and _NO_IMAGES.search(detail):
            return ProcessorError(
                "llm_vision_unsupported",
                f"The LLM endpoint {self._endpoint} refused the page images (HTTP {status}): "
                f"{detail.rstrip('.')}. Use a vision model, or set REAMS_LLM_VISION=false to send "
                "text only.",
                retryable=False,
            )
        if status in (401, 403):
            return ProcessorError(
                "llm_auth_failed",
                f"The LLM endpoint {self._endpoint} refused the credentials (HTTP {status}): "
                f"{detail}. Check REAMS_LLM_API_KEY.",
                retryable=False,
            )
        if status == 429:
            return _RetryableFailure(
                _Failure(
                    f"HTTP 429: {detail}", rate_limited=True, retry_after=retry_after(response)
                )
            )
        if status >= 500 or status == 408:
            return _RetryableFailure(
                _Failure(f"HTTP {status}: {detail}", retry_after=retry_after(response))
            )
        if status in (400, 422) and self._adapt(status, detail):
            return _Fallback()
        return ProcessorError(
            "llm_request_rejected",
            f"The LLM endpoint {self._endpoint} rejected the request (HTTP {status}): {detail}",
            retryable=False,
        )

    def _adapt(self, status: int, detail: str) -> bool:
        """Drop what the endpoint rejected (``temperature``, then json_schema); False if nothing."""
        if self.send_temperature and "temperature" in detail.lower():
            log.warning("LLM endpoint %s rejected temperature; sending none", self._endpoint)
            self.send_temperature = False
            return True
        if self.json_schema_mode:
            log.warning(
                "LLM endpoint %s rejected response_format json_schema (HTTP %d); "
                "falling back to json_object",
                self._endpoint,
                status,
            )
            self.json_schema_mode = False
            return True
        return False

    def _give_up(self, failure: _Failure, failures: int) -> ProcessorError:
        code = "llm_rate_limited" if failure.rate_limited else "llm_unavailable"
        return ProcessorError(
            code,
            f"The LLM endpoint {self._endpoint} failed {failures} times in a row; "
            f"last: {failure.problem}.",
            retryable=True,
        )

    def _backoff(self, failures: int, retry_after: float | None) -> float:
        cap = self.config.max_backoff_s
        if retry_after is not None:
            return min(cap, retry_after) * random.uniform(1.0, 1.1)
        base = self.config.backoff_s * 2.0 ** (failures - 1)
        return min(cap, base) * random.uniform(0.5, 1.0)

    def _redact(self, text: str) -> str:
        key = self.config.api_key
        return text.replace(key, "***") if key else text


class _RetryableFailure(Exception):
    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.problem)
        self.failure = failure


def _with_schema_prompt(messages: list[Message], schema: Mapping[str, Any]) -> list[dict[str, Any]]:
    note = (
        "Reply with a single JSON object that validates against this JSON Schema:\n```json\n"
        + json.dumps(schema, ensure_ascii=False)
        + "\n```"
    )
    out: list[dict[str, Any]] = [dict(m) for m in messages]
    if out and out[0].get("role") == "system" and isinstance(out[0].get("content"), str):
        out[0]["content"] = out[0]["content"] + "\n\n" + note
    else:
        out.insert(0, {"role": "system", "content": note})
    return out
