"""The extract engine's result types and the evidence (field metadata) it attaches to values.

A *FieldMetadataEntry* is ``{"citation": [{"page": <1-based>, "matching_text": <snippet>}],
"confidence": <0..1>, "reasoning": <how it was found>}``. Metadata mirrors the result: nested
objects map to dicts of entries, arrays to a list with one entry (or dict) per element. A field
that was not found has no value in the result (or ``None`` when required) and **no entry** in the
metadata: the engines never emit placeholder entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_SNIPPET", "Candidate", "ExtractOutcome", "entry"]

MAX_SNIPPET = 300  # characters of source text quoted in a citation


@dataclass(frozen=True)
class ExtractOutcome:
    """What an extract engine returns for one document.

    ``result`` is one object (``per_doc``) or a list of objects (``per_page``,
    ``per_table_row``); ``field_metadata`` is ``{"document_metadata": {...}}``,
    ``{"page_metadata": [...]}`` or ``{"row_metadata": [...]}`` accordingly.
    """

    result: dict[str, Any] | list[dict[str, Any]]
    field_metadata: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """One possible value for a field, with the evidence that supports it."""

    value: Any
    page: int
    source: str
    confidence: float
    reasoning: str

    def metadata(self) -> dict[str, Any]:
        return entry(self.page, self.source, self.confidence, self.reasoning)


def entry(page: int, source: str, confidence: float, reasoning: str) -> dict[str, Any]:
    """A FieldMetadataEntry citing ``source`` (trimmed to :data:`MAX_SNIPPET`) on ``page``."""
    snippet = " ".join(source.split())
    if len(snippet) > MAX_SNIPPET:
        snippet = snippet[: MAX_SNIPPET - 1].rstrip() + "…"
    return {
        "citation": [{"page": page, "matching_text": snippet}],
        "confidence": round(max(0.0, min(1.0, confidence)), 3),
        "reasoning": reasoning,
    }
