"""Extract fields by JSON Schema with an LLM, each value with verified evidence (page + quote).

The model answers ``{"data": <the user's schema, every property nullable>, "evidence":
[{"field": "json.path", "page": n, "quote": "verbatim"}]}`` through ``response_format``
json_schema. Targets: ``per_doc`` (one request over the document), ``per_page`` (one request per
page) and ``per_table_row`` (one request per chunk of pages; the rows are concatenated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.llm.client import chat_json
from reams.processors.llm.config import LlmConfig
from reams.processors.llm.evidence import Verifier, field_metadata, parse_evidence
from reams.processors.llm.limits import Limiter
from reams.processors.llm.prompts import Page, correction, doc_pages, extract_messages, render_pages
from reams.processors.llm.usage import Usage
from reams.processors.schema_nullable import nullable_schema

__all__ = ["TARGETS", "extract_llm", "nullable_schema", "response_schema"]

TARGETS = ("per_doc", "per_page", "per_table_row")
SCHEMA_NAME = "reams_extract"
_DEFS = ("$defs", "definitions")
_EVIDENCE_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "field": {"type": "string"},
            "page": {"type": "integer"},
            "quote": {"type": "string"},
        },
        "required": ["field", "page", "quote"],
        "additionalProperties": False,
    },
}


def extract_llm(
    doc: Mapping[str, Any],
    schema: Mapping[str, Any],
    *,
    target: str = "per_doc",
    system_prompt: str | None,
    config: LlmConfig,
    max_chars: int = 60_000,
    limiter: Limiter | None = None,
) -> tuple[Any, dict[str, Any], Usage]:
    """(result, field_metadata, usage) for ``doc``.

    ``result`` is the parsed object (``per_doc``) or a list (``per_page``: one per page;
    ``per_table_row``: one per entity). ``field_metadata`` is ``{"document_metadata": ...}``,
    ``{"page_metadata": [...]}`` or ``{"row_metadata": [...]}`` mirroring the result. Every
    request holds ``limiter`` (see :func:`~reams.processors.llm.client.chat_json`).
    """
    if target not in TARGETS:
        raise ProcessorError(
            "invalid_parameters", f"Unknown extraction target {target!r}; use one of {TARGETS}."
        )
    pages = doc_pages(doc)
    job = _Job(schema, target, system_prompt, config, max_chars, Verifier(pages), limiter)
    if target == "per_page":
        return job.per_page(pages)
    if target == "per_table_row":
        return job.per_table_row(pages)
    return job.per_doc(pages)


def response_schema(schema: Mapping[str, Any], target: str) -> dict[str, Any]:
    """The structured-output schema: ``{"data": ..., "evidence": [...]}`` (``$defs`` hoisted)."""
    data = nullable_schema(schema)
    defs = {key: data.pop(key) for key in _DEFS if key in data}
    if target == "per_table_row":
        data = {"type": "array", "items": data}
    out: dict[str, Any] = {
        "type": "object",
        "properties": {"data": data, "evidence": _EVIDENCE_SCHEMA},
        "required": ["data", "evidence"],
    }
    out.update(defs)
    return out


def _nulls(schema: Mapping[str, Any]) -> dict[str, Any]:
    props = schema.get("properties")
    return {key: None for key in props} if isinstance(props, Mapping) else {}


@dataclass
class _Job:
    schema: Mapping[str, Any]
    target: str
    system_prompt: str | None
    config: LlmConfig
    max_chars: int
    verifier: Verifier
    limiter: Limiter | None = None
    usage: Usage = field(default_factory=Usage)

    def per_doc(self, pages: Sequence[Page]) -> tuple[Any, dict[str, Any], Usage]:
        if not any(p.body for p in pages):
            return _nulls(self.schema), {"document_metadata": {}}, self.usage
        data, meta = self._ask(pages)
        return data, {"document_metadata": meta}, self.usage

    def per_page(self, pages: Sequence[Page]) -> tuple[Any, dict[str, Any], Usage]:
        results: list[Any] = []
        metas: list[Any] = []
        for page in pages:
            if not page.body:
                results.append(_nulls(self.schema))
                metas.append({})
                continue
            data, meta = self._ask([page])
            results.append(data)
            metas.append(meta)
        return results, {"page_metadata": metas}, self.usage

    def per_table_row(self, pages: Sequence[Page]) -> tuple[Any, dict[str, Any], Usage]:
        rows: list[Any] = []
        metas: list[Any] = []
        for chunk in _chunks(pages, self.max_chars):
            data, meta = self._ask(chunk)
            rows.extend(data)
            metas.extend(meta)
        return rows, {"row_metadata": metas}, self.usage

    def _ask(self, pages: Sequence[Page]) -> tuple[Any, Any]:
        """One request (plus one correction if needed): the data and its metadata."""
        schema = response_schema(self.schema, self.target)
        document = render_pages(pages, self.max_chars)
        messages = extract_messages(self.schema, self.target, self.system_prompt, document)
        reply, used = chat_json(self.config, messages, schema, SCHEMA_NAME, limiter=self.limiter)
        self.usage.add(used)
        data, evidence, problem = self._split(reply)
        if problem:
            retry = correction(messages, reply, problem)
            reply, used = chat_json(self.config, retry, schema, SCHEMA_NAME, limiter=self.limiter)
            self.usage.add(used)
            data, evidence, problem = self._split(reply)
        if problem:
            raise ProcessorError(
                "llm_bad_output",
                f"The LLM's extraction reply was invalid twice ({problem}).",
                retryable=True,
            )
        is_list = self.target == "per_table_row"
        cites = parse_evidence(evidence, root_is_list=is_list)
        return data, field_metadata(data, cites, self.verifier)

    def _split(self, reply: Mapping[str, Any]) -> tuple[Any, Any, str]:
        """(data, evidence, problem) from a reply; a bare data object is accepted too."""
        if "data" in reply and set(reply) <= {"data", "evidence"}:
            data, evidence = reply["data"], reply.get("evidence")
        else:
            data, evidence = dict(reply), []
        if self.target == "per_table_row":
            return _as_rows(data), evidence, "" if _as_rows(data) is not None else _NOT_ROWS
        if data is None:
            return _nulls(self.schema), evidence, ""
        want_list = self.schema.get("type") == "array"
        if isinstance(data, list if want_list else dict):
            return data, evidence, ""
        kind = "an array" if want_list else "an object"
        return None, None, f"`data` must be {kind}, got {type(data).__name__}"


_NOT_ROWS = "`data` must be an array with one object per entity"


def _as_rows(data: Any) -> list[Any] | None:
    if data is None:
        return []
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1 and len(data) == 1:
            return lists[0]
    return None


def _chunks(pages: Sequence[Page], max_chars: int) -> list[list[Page]]:
    """Consecutive non-empty pages grouped so each group fits in ``max_chars``."""
    chunks: list[list[Page]] = []
    size = 0
    for page in pages:
        if not page.body:
            continue
        if chunks and size + len(page.body) <= max_chars:
            chunks[-1].append(page)
            size += len(page.body)
        else:
            chunks.append([page])
            size = len(page.body)
    return chunks
