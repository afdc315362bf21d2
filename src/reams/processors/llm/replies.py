"""What an OpenAI-compatible endpoint's reply says: the message text, an error's detail and
usage, how long it asks us to wait; and whether a request carries images."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

__all__ = ["error_detail", "error_usage", "has_images", "message_text", "retry_after"]

_MAX_MESSAGE_CHARS = 300


def message_text(payload: Mapping[str, Any]) -> str:
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return ""
    message = choices[0].get("message")
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def has_images(messages: Sequence[Mapping[str, Any]]) -> bool:
    return any(
        isinstance(part, Mapping) and part.get("type") == "image_url"
        for message in messages
        if isinstance(message.get("content"), list)
        for part in message["content"]
    )


def error_usage(response: httpx.Response) -> Any:
    """The ``usage`` an error body reports (some endpoints bill failed generations), else None."""
    try:
        payload = response.json()
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    usage = payload.get("usage")
    if usage is None and isinstance(error, dict):
        usage = error.get("usage")
    return usage


def error_detail(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    detail: Any = None
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict):
            detail = error.get("message")
        detail = detail or error or payload.get("detail") or payload.get("message")
    if not detail:
        detail = response.text or response.reason_phrase
    text = " ".join(str(detail).split())
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[: _MAX_MESSAGE_CHARS - 1] + "…"
    return text or "no detail"


def retry_after(response: httpx.Response) -> float | None:
    millis = response.headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
