"""The classify contract shared by the engines: a user's rule and one document's outcome."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One of the user's document types: its name and a natural-language description."""

    type: str
    description: str


@dataclass(frozen=True)
class ClassifyOutcome:
    """A document's class (None: no rule fits), confidence 0..1, the evidence in words, and the
    per-rule scores (0..1) for the output's debug view."""

    type: str | None
    confidence: float
    reasoning: str
    scores: dict[str, float]
