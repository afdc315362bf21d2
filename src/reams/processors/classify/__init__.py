"""Classify a document by natural-language rules: ``{type | null, confidence, reasoning}``.

The document is parsed first (the first pages by default, or the job's ``max_pages`` /
``target_pages``), then the offline engine (:mod:`.offline`: semantic similarity from a small
static embedding model shipped in the package, plus lexical evidence) or the configured LLM
decides. ``type`` is null when no rule reaches the confidence threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reams.processors.analysis import (
    CLASSIFY_DEFAULT_MAX_PAGES,
    choose_engine,
    document_summary,
    parse_for_analysis,
)

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig
    from reams.processors.llm.limits import Limiter

__all__ = ["classify"]

# The LLM states its own confidence; below this it is told to answer null.
LLM_DEFAULT_THRESHOLD = 0.5


def classify(
    data: bytes,
    filename: str,
    parameters: Mapping[str, Any],
    *,
    llm: LlmConfig | None,
    limiter: Limiter | None = None,
) -> dict[str, Any]:
    """The classify processor: the output stored for one item (``limiter``: see :func:`run`)."""
    engine = choose_engine(parameters["engine"], llm, wants_model=parameters["mode"] != "FAST")
    doc = parse_for_analysis(
        data, filename, parameters["parsing"], default_max_pages=CLASSIFY_DEFAULT_MAX_PAGES
    )
    rules = parameters["rules"]
    threshold = parameters.get("confidence_threshold")
    output: dict[str, Any] = {"type": "classify", "engine": engine.describe()}
    warnings = list(engine.warnings)
    if engine.llm is not None:
        from reams.processors.llm.classify import classify_llm
        from reams.processors.llm.vision import DocumentSource

        pairs = [(rule["type"], rule["description"]) for rule in rules]
        result, usage = classify_llm(
            doc,
            pairs,
            threshold=LLM_DEFAULT_THRESHOLD if threshold is None else threshold,
            config=engine.llm,
            limiter=limiter,
            mode=parameters["mode"],
            source=DocumentSource(data, filename),
            warnings=warnings,
        )
        output |= {"result": result, "usage": usage.to_dict()}
    else:
        from reams.processors.classify.model import Rule
        from reams.processors.classify.offline import classify_offline

        outcome = classify_offline(
            doc, [Rule(r["type"], r["description"]) for r in rules], threshold=threshold
        )
        output |= {
            "result": {
                "type": outcome.type,
                "confidence": round(outcome.confidence, 4),
                "reasoning": outcome.reasoning,
            },
            "scores": {k: round(v, 4) for k, v in outcome.scores.items()},
        }
    output["document"] = document_summary(doc, warnings)
    return output
