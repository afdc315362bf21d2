"""What a worker process hands back: the encoded result blob and a little metadata.

Encoding happens in the worker, so the engine's own process only hashes and stores bytes; on
two cores that keeps the parent from competing with the workers for CPU. A large blob the
worker stores itself (``stored``), so that it never crosses the pipe nor is hashed and written
by the parent (:func:`reams.engine.isolation.keep_large`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson

METADATA_KEYS = ("detected_type", "page_count", "warnings", "ignored_options")


@dataclass(frozen=True)
class ProcessorOutput:
    """A processor's output as stored: JSON bytes, plus metadata kept on the result row."""

    blob: bytes
    metadata: dict[str, Any] | None
    duration_s: float = 0.0  # the processor's own time, measured in the worker
    # Not parsed: a PDF of this many pages, to parse in page parts (docs/slices.md).
    split_pages: int = 0
    # The sha256 of the blob when the worker put it into the blob store itself (``blob`` is
    # then empty); "" when the bytes are in ``blob``.
    stored: str = ""
    # The result id the worker wrote into the item's output files, when it wrote them
    # (``Task.outputs``); "" when they are left to the engine's process.
    result_id: str = ""


def encode(output: dict[str, Any], *, duration_s: float) -> ProcessorOutput:
    if output.get("type") == "parse_split":
        return ProcessorOutput(b"", None, duration_s, split_pages=int(output["pages"]))
    try:  # compact UTF-8 JSON, as the standard encoder writes it, in a fraction of its time
        blob = orjson.dumps(output)
    except (TypeError, orjson.JSONEncodeError):  # what orjson refuses (huge ints, odd keys)
        blob = json.dumps(output, ensure_ascii=False, separators=(",", ":")).encode()
    return ProcessorOutput(blob=blob, metadata=_metadata(output), duration_s=duration_s)


def encoded(blob: bytes, document: dict[str, Any], *, duration_s: float) -> ProcessorOutput:
    """An output the processor encoded itself (a merge of page parts), with its document."""
    return ProcessorOutput(
        blob=blob, metadata=_metadata({"document": document}), duration_s=duration_s
    )


def _metadata(output: dict[str, Any]) -> dict[str, Any] | None:
    document = output.get("document")
    if not isinstance(document, dict):
        return None
    metadata = {k: document[k] for k in METADATA_KEYS if k in document}
    # Classify / extract: which engine answered, and the LLM tokens it cost (per item).
    metadata |= {k: output[k] for k in ("engine", "usage") if output.get(k) is not None}
    return metadata
