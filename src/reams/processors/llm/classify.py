"""Classify a parsed document with an LLM: one of the user's rule types, or None.

The model reads the start of the document (``max_chars``). In ``MULTIMODAL`` mode, given the
document's bytes, the first pages' images (at most ``max_images``) go with their text to a vision
model (:mod:`.vision`), pages without a text layer included.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.llm.client import chat_json
from reams.processors.llm.config import LlmConfig
from reams.processors.llm.limits import Limiter
from reams.processors.llm.prompts import (
    Page,
    classify_messages,
    correction,
    doc_pages,
    page_blocks,
    user_content,
)
from reams.processors.llm.usage import Usage, failed_with_usage
from reams.processors.llm.vision import DocumentSource, VisionSession

__all__ = ["classify_llm", "classify_schema"]

SCHEMA_NAME = "reams_classify"


def classify_schema(types: Sequence[str]) -> dict[str, Any]:
    """The structured-output schema of a classification reply."""
    return {
        "type": "object",
        "properties": {
            "type": {"type": ["string", "null"], "enum": [*types, None]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "reasoning": {"type": "string"},
        },
        "required": ["type", "confidence", "reasoning"],
        "additionalProperties": False,
    }


def classify_llm(
    doc: Mapping[str, Any],
    rules: Sequence[tuple[str, str]],
    *,
    threshold: float,
    config: LlmConfig,
    max_chars: int = 24_000,
    limiter: Limiter | None = None,
    mode: str = "FAST",
    source: DocumentSource | None = None,
    warnings: list[str] | None = None,
) -> tuple[dict[str, Any], Usage]:
    """``{"type", "confidence", "reasoning"}`` for ``doc`` and the usage of the requests.

    ``type`` is one of the rule types, or None when none fits or the model's confidence is below
    ``threshold``. An invalid reply is sent back once for correction, then ``llm_bad_output``.
    Every request holds ``limiter`` (see :func:`~reams.processors.llm.client.chat_json`).
    ``mode`` ``MULTIMODAL`` with the document's ``source`` sends page images too; what was done
    instead is added to ``warnings``.
    """
    types = [t for t, _ in rules]
    if not types:
        raise ProcessorError("invalid_parameters", "Classification needs at least one rule.")
    vision = VisionSession(
        wanted=mode == "MULTIMODAL",
        vision=config.vision,
        source=source,
        warnings=[] if warnings is None else warnings,
        why="MULTIMODAL",
    )
    usage = Usage()
    try:
        while True:
            content = _content(doc_pages(doc), max_chars, vision, config.max_images)
            if not content:
                empty = {"type": None, "confidence": 0.0, "reasoning": "The document has no text."}
                return empty, usage
            try:
                result = _ask(config, rules, content, limiter, usage)
                break
            except ProcessorError as exc:
                if not (isinstance(content, list) and vision.refused(exc)):
                    raise
    except ProcessorError as exc:
        raise failed_with_usage(exc, usage) from None
    finally:
        vision.close()
    if result["type"] is not None and result["confidence"] < threshold:
        result["type"] = None
    return result, usage


def _content(pages: list[Page], max_chars: int, vision: VisionSession, max_images: int) -> Any:
    """The user message's content: the pages' text, the first ``max_images`` pages' images
    after their text when vision is on (a page without text then too); "" for nothing to read."""
    images = vision.urls([p.number for p in pages[:max_images]])
    with_text = {p.number for p in pages if p.body}
    blocks = [
        (number, text)
        for number, text in page_blocks(pages, max_chars, keep_empty=True)
        if number in with_text or number in images
    ]
    content = user_content(blocks, images)
    return content if images or str(content).strip() else ""


def _ask(
    config: LlmConfig,
    rules: Sequence[tuple[str, str]],
    content: Any,
    limiter: Limiter | None,
    usage: Usage,
) -> dict[str, Any]:
    """One classification (plus one correction if the reply is invalid)."""
    types = [t for t, _ in rules]
    schema = classify_schema(types)
    messages = classify_messages(rules, content)
    reply, _ = chat_json(config, messages, schema, SCHEMA_NAME, limiter=limiter, usage=usage)
    result, problem = _validate(reply, types)
    if result is None:
        usage.failed_requests += 1
        retry = correction(messages, reply, problem)
        reply, _ = chat_json(config, retry, schema, SCHEMA_NAME, limiter=limiter, usage=usage)
        result, problem = _validate(reply, types)
    if result is None:
        usage.failed_requests += 1
        raise ProcessorError(
            "llm_bad_output",
            f"The LLM's classification reply was invalid twice ({problem}).",
            retryable=True,
        )
    return result


def _validate(reply: Mapping[str, Any], types: Sequence[str]) -> tuple[dict[str, Any] | None, str]:
    """The normalised reply, or None and what is wrong with it."""
    chosen, problem = _chosen_type(reply.get("type"), types)
    if problem:
        return None, problem
    confidence = reply.get("confidence")
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not math.isfinite(confidence)
        or not 0 <= confidence <= 1
    ):
        return None, f"confidence must be a number from 0 to 1, got {confidence!r}"
    reasoning = reply.get("reasoning")
    if reasoning is not None and not isinstance(reasoning, str):
        return None, "reasoning must be a string"
    result = {"type": chosen, "confidence": float(confidence), "reasoning": reasoning or ""}
    return result, ""


def _chosen_type(value: Any, types: Sequence[str]) -> tuple[str | None, str]:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "null", "none")):
        return None, ""
    if not isinstance(value, str):
        return None, f"type must be a string or null, got {value!r}"
    if value in types:
        return value, ""
    folded = {t.strip().casefold(): t for t in types}
    match = folded.get(value.strip().casefold())
    if match is not None:
        return match, ""
    return None, f"type {value!r} is not one of {list(types)!r} (or null)"
