"""Extract fields by JSON Schema with an LLM, each value with verified evidence (page + quote).

The model answers ``{"data": <the user's schema, every property nullable>, "evidence":
[{"field": "json.path", "page": n, "quote": "verbatim"}]}`` through ``response_format``
json_schema. Targets: ``per_doc`` (one object for the document), ``per_page`` (one object per
page) and ``per_table_row`` (one object per entity).

A document longer than one request's budget (the model's context, :mod:`.chunks`) goes in
chunks cut at page and section boundaries with a small overlap, and the answers are merged
(:mod:`.merge`): ``per_doc`` by the schema's types, ``per_table_row`` as every chunk's rows less
those an overlap repeats; ``per_page`` asks once per page (a chunk never holds two pages) and
merges the chunks of a page too long for one request. The ``agentic`` tiers send each page's
image with its text to vision models (:mod:`.vision`). Every request's tokens count in the
usage, the failed ones too; an item that fails says what it used in its error message.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.llm.chunks import Chunk, budget_chars, chunk_pages
from reams.processors.llm.client import chat_json
from reams.processors.llm.config import LlmConfig
from reams.processors.llm.evidence import Verifier, field_metadata, normalize, parse_evidence
from reams.processors.llm.limits import Limiter
from reams.processors.llm.merge import join_rows, merge_values
from reams.processors.llm.prompts import (
    Page,
    correction,
    doc_pages,
    extract_messages,
    part_note,
    user_content,
)
from reams.processors.llm.usage import Usage, failed_with_usage
from reams.processors.llm.vision import VISION_TIERS, DocumentSource, VisionSession
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
    tier: str | None = None,
    source: DocumentSource | None = None,
    warnings: list[str] | None = None,
) -> tuple[Any, dict[str, Any], Usage]:
    """(result, field_metadata, usage) for ``doc``.

    ``result`` is the parsed object (``per_doc``) or a list (``per_page``: one per page;
    ``per_table_row``: one per entity). ``field_metadata`` is ``{"document_metadata": ...}``,
    ``{"page_metadata": [...]}`` or ``{"row_metadata": [...]}`` mirroring the result. Every
    request holds ``limiter`` (see :func:`~reams.processors.llm.client.chat_json`); one request
    carries at most ``max_chars`` characters of the document (less when the model's context is
    smaller). With an ``agentic`` ``tier`` and the document's ``source`` bytes, page images go
    with the text (:class:`~.vision.VisionSession`); what was done instead is added to
    ``warnings``.
    """
    if target not in TARGETS:
        raise ProcessorError(
            "invalid_parameters", f"Unknown extraction target {target!r}; use one of {TARGETS}."
        )
    pages = doc_pages(doc)
    notes = [] if warnings is None else warnings
    vision = VisionSession(
        wanted=tier in VISION_TIERS,
        vision=config.vision,
        source=source,
        warnings=notes,
        why=f"the {tier} tier",
    )
    job = _Job(schema, target, system_prompt, config, max_chars, Verifier(pages), limiter, vision)
    try:
        return job.run(pages, notes)
    except ProcessorError as exc:
        raise failed_with_usage(exc, job.usage) from None
    finally:
        vision.close()


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
    limiter: Limiter | None
    vision: VisionSession
    usage: Usage = field(default_factory=Usage)
    unread: list[int] = field(default_factory=list)  # image-only pages whose image was refused
    answered: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reply_schema = response_schema(self.schema, self.target)
        bare = extract_messages(self.schema, self.target, self.system_prompt, "", images=True)
        instructions = len(bare[0]["content"]) + len(json.dumps(self.reply_schema)) + 400
        self.budget = budget_chars(self.config.context_tokens, instructions, self.max_chars)

    def chunks(self, pages: Sequence[Page]) -> list[Chunk]:
        return chunk_pages(
            pages, self.budget, images=self.vision.on, max_images=self.config.max_images
        )

    def run(self, pages: Sequence[Page], warnings: list[str]) -> tuple[Any, dict[str, Any], Usage]:
        if self.target == "per_page":
            outcome = self.per_page(pages)
        elif self.target == "per_table_row":
            outcome = self.per_table_row(pages)
        else:
            outcome = self.per_doc(pages)
        if self.unread:
            listed = ", ".join(str(n) for n in self.unread[:20])
            if not self.answered:
                raise ProcessorError(
                    "llm_vision_unsupported",
                    f"The document's pages have no text layer and their images could not be "
                    f"sent to the LLM (pages {listed}): use a vision model, or parse with OCR.",
                )
            warnings.append(f"page(s) {listed} have no text and no image could be sent: not read")
        return outcome

    def per_doc(self, pages: Sequence[Page]) -> tuple[Any, dict[str, Any], Usage]:
        data, meta = self._one(self.chunks(pages))
        return data, {"document_metadata": meta}, self.usage

    def per_page(self, pages: Sequence[Page]) -> tuple[Any, dict[str, Any], Usage]:
        groups = [self.chunks([page]) for page in pages]
        answers = iter(self._ask_all([c for group in groups for c in _numbered(group)]))
        results: list[Any] = []
        metas: list[Any] = []
        for group in groups:
            data, meta = self._merged(group, [next(answers) for _ in group])
            results.append(data)
            metas.append(meta)
        return results, {"page_metadata": metas}, self.usage

    def per_table_row(self, pages: Sequence[Page]) -> tuple[Any, dict[str, Any], Usage]:
        chunks = self.chunks(pages)
        parts = self._ask_all(_numbered(chunks))
        rows = join_rows(
            [list(zip(data, meta, strict=False)) for data, meta in parts],
            in_overlap=lambda i, meta: _from_overlap(chunks[i].overlap, meta),
        )
        return [r for r, _ in rows], {"row_metadata": [m for _, m in rows]}, self.usage

    def _one(self, chunks: Sequence[Chunk]) -> tuple[Any, Any]:
        """One object from ``chunks`` (nulls for none; merged when several)."""
        return self._merged(chunks, self._ask_all(_numbered(chunks)))

    def _merged(
        self, chunks: Sequence[Chunk], answers: Sequence[tuple[Any, Any]]
    ) -> tuple[Any, Any]:
        """The chunks' answers as one (rows of arrays joined at the seams of ``chunks``)."""
        given = [p for p in answers if p[0] is not None]
        if len(given) <= 1:
            return given[0] if given else (_nulls(self.schema), {})
        data, meta = merge_values(
            answers,
            self.schema,
            self.schema,
            in_overlap=lambda i, meta: _from_overlap(chunks[i].overlap, meta),
        )
        return (_nulls(self.schema) if data is None else data), meta or {}

    def _ask_all(self, tasks: Sequence[tuple[Chunk, int, int]]) -> list[tuple[Any, Any]]:
        """The answers to ``tasks`` (chunk, index, count), in order.

        Text-only chunks are asked concurrently, up to half the endpoint's concurrency (the
        limiter still bounds the host), so a long document takes fewer round trips' time;
        each task counts its own usage, added up even when one fails. Chunks with images go
        one at a time (their pages are drawn by one PDF reader, and a refusal turns images off
        for the chunks after it).
        """
        workers = min(len(tasks), self.config.max_concurrency // 2)
        if workers <= 1 or self.vision.on:
            return [self._ask(chunk, i, n, self.usage) for chunk, i, n in tasks]
        usages = [Usage() for _ in tasks]
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reams-llm")
        try:
            futures = [
                pool.submit(self._ask, chunk, i, n, usage)
                for (chunk, i, n), usage in zip(tasks, usages, strict=True)
            ]
            return [future.result() for future in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            for usage in usages:
                self.usage.add(usage)

    def _ask(self, chunk: Chunk, index: int, count: int, usage: Usage) -> tuple[Any, Any]:
        """The chunk's answer; (None, None) when it has nothing left to read (no text, and
        its images were refused)."""
        while True:
            images = self.vision.urls(chunk.images)
            self.verifier.imaged.update(images)
            readable = set(images) | set(chunk.text_pages)
            self.unread += [p for p in chunk.pages if p not in readable and p not in self.unread]
            if not images and not chunk.has_text:
                return (None, None) if self.target != "per_table_row" else ([], [])
            notes = [part_note(index, count, chunk.pages)] if count > 1 else []
            blocks = [(n, text) for n, text in chunk.blocks() if n in readable]
            messages = extract_messages(
                self.schema,
                self.target,
                self.system_prompt,
                user_content(blocks, images),
                notes=notes,
                images=bool(images),
            )
            try:
                answer = self._request(messages, usage)
                with self._lock:
                    self.answered += 1
                return answer
            except ProcessorError as exc:
                if not (images and self.vision.refused(exc)):
                    raise

    def _request(self, messages: Sequence[Mapping[str, Any]], usage: Usage) -> tuple[Any, Any]:
        """One request (plus one correction if needed): the data and its metadata."""
        reply, _ = self._chat(messages, usage)
        data, evidence, problem = self._split(reply)
        if problem:
            usage.failed_requests += 1
            reply, _ = self._chat(correction(messages, reply, problem), usage)
            data, evidence, problem = self._split(reply)
        if problem:
            usage.failed_requests += 1
            raise ProcessorError(
                "llm_bad_output",
                f"The LLM's extraction reply was invalid twice ({problem}).",
                retryable=True,
            )
        is_list = self.target == "per_table_row"
        cites = parse_evidence(evidence, root_is_list=is_list)
        return data, field_metadata(data, cites, self.verifier)

    def _chat(
        self, messages: Sequence[Mapping[str, Any]], usage: Usage
    ) -> tuple[dict[str, Any], Usage]:
        return chat_json(
            self.config,
            messages,
            self.reply_schema,
            SCHEMA_NAME,
            limiter=self.limiter,
            usage=usage,
        )

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


def _numbered(chunks: Sequence[Chunk]) -> list[tuple[Chunk, int, int]]:
    """(chunk, its index, how many) for each of one document's (or page's) chunks."""
    return [(chunk, index, len(chunks)) for index, chunk in enumerate(chunks)]


def _from_overlap(overlap: tuple[int, str] | None, meta: Any) -> bool:
    """Whether every citation of a row lies in the ``overlap`` (a row cited nowhere may too)."""
    if overlap is None:
        return False
    page, text = overlap[0], normalize(overlap[1])
    return all(p == page and normalize(quote) in text for p, quote in _citations(meta))


def _citations(meta: Any) -> list[tuple[Any, str]]:
    """(page, quote) of every citation in a row's metadata."""
    if isinstance(meta, Mapping):
        cited = meta.get("citation")
        if isinstance(cited, list):
            return [
                (c.get("page"), str(c.get("matching_text", "")))
                for c in cited
                if isinstance(c, Mapping)
            ]
        return [c for child in meta.values() for c in _citations(child)]
    if isinstance(meta, list):
        return [c for child in meta for c in _citations(child)]
    return []
