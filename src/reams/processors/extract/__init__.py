"""Extract fields from a document by a JSON Schema, each value with its evidence.

The document is parsed first (all pages, or the job's ``target_pages`` / ``max_pages``), then the
offline engine (:mod:`.offline`: label/value pairs, key phrases from field names and
descriptions, tables onto arrays, typed coercion) or the configured LLM (the schema as its
structured-output format) finds the values. Either way the raw values go through
:func:`~.conform.conform`, so the result always validates against the schema: a field that is
not found is null (required fields) or absent (optional ones), never invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reams.domain.errors import InvalidField
from reams.processors.analysis import choose_engine, document_summary, parse_for_analysis

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig
    from reams.processors.llm.limits import Limiter

__all__ = ["check_parameters", "extract"]


def check_parameters(parameters: Mapping[str, Any]) -> None:
    """Raise InvalidField when the job's ``data_schema`` is not usable."""
    from reams.processors.extract.schema import check_schema

    try:
        check_schema(parameters["data_schema"])
    except ValueError as exc:
        raise InvalidField(f"job_config.data_schema: {exc}") from None


def _conform_all(value: Any, schema: Mapping[str, Any], target: str) -> Any:
    from reams.processors.extract.conform import conform

    if target == "per_doc":
        return conform(value if isinstance(value, Mapping) else {}, schema)
    rows = value if isinstance(value, list) else []
    return [conform(row if isinstance(row, Mapping) else {}, schema) for row in rows]


def _strip_metadata(node: Any, *, citations: bool, confidence: bool) -> Any:
    """Drop what the job asked not to have (``cite_sources`` / ``confidence_scores`` false)."""
    if isinstance(node, list):
        return [_strip_metadata(n, citations=citations, confidence=confidence) for n in node]
    if not isinstance(node, dict):
        return node
    drop = set() if citations else {"citation"}
    drop |= set() if confidence else {"confidence"}
    return {
        k: _strip_metadata(v, citations=citations, confidence=confidence)
        for k, v in node.items()
        if k not in drop
    }


def extract(
    data: bytes,
    filename: str,
    parameters: Mapping[str, Any],
    *,
    llm: LlmConfig | None,
    limiter: Limiter | None = None,
) -> dict[str, Any]:
    """The extract processor: the output stored for one item (``limiter``: see :func:`run`)."""
    check_parameters(parameters)
    engine = choose_engine(parameters["engine"], llm)
    doc = parse_for_analysis(data, filename, parameters["parsing"], default_max_pages=None)
    schema = parameters["data_schema"]
    target = parameters["extraction_target"]
    output: dict[str, Any] = {"type": "extract", "engine": engine.describe()}
    warnings = list(engine.warnings)
    if engine.llm is not None:
        from reams.processors.llm.extract import extract_llm
        from reams.processors.llm.vision import DocumentSource

        raw, field_metadata, usage = extract_llm(
            doc,
            schema,
            target=target,
            system_prompt=parameters.get("system_prompt"),
            config=engine.llm,
            limiter=limiter,
            tier=parameters.get("tier"),
            source=DocumentSource(data, filename),
            warnings=warnings,
        )
        output["usage"] = usage.to_dict()
    else:
        from reams.processors.extract.offline import extract_offline

        outcome = extract_offline(doc, schema, target=target)
        raw, field_metadata = outcome.result, outcome.field_metadata
        warnings += outcome.warnings
    output["extract_result"] = _conform_all(raw, schema, target)
    output["extract_metadata"] = {
        "field_metadata": _strip_metadata(
            field_metadata,
            citations=parameters["cite_sources"],
            confidence=parameters["confidence_scores"],
        ),
        "parse_tier": "reams",
    }
    output["document"] = document_summary(doc, warnings)
    return output
