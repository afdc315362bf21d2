"""What classify and extract share: parsing the document first, and choosing the engine.

Both read the parse output (``pages[*].markdown`` / ``items``, ``markdown_full``), so they parse
with the same code as a parse job. The engine is chosen per item, on the worker that runs it:

* ``engine: offline`` — always the offline engine (no network);
* ``engine: llm`` — the configured LLM endpoint; without one the item fails with
  ``llm_not_configured`` (not retried);
* ``engine: auto`` (the default; classify ``mode: FAST``, any extract ``tier``) — the LLM when the
  worker has one configured (``REAMS_LLM_BASE_URL`` + ``REAMS_LLM_MODEL``), else offline.
  ``mode: MULTIMODAL`` asks for a model; without one, reams uses the offline engine and says so
  in the output's warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reams.domain.errors import ProcessorError

if TYPE_CHECKING:  # imported where used: offline and parse-only workers need not load httpx
    from reams.processors.llm.config import LlmConfig

# Classification reads the start of a document; parsing a 600-page manual whole would only cost.
CLASSIFY_DEFAULT_MAX_PAGES = 20


@dataclass(frozen=True)
class EngineChoice:
    """The engine an item runs on, and what the output should say about the choice."""

    name: str  # "offline" | "llm"
    llm: LlmConfig | None = None
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        if self.llm is None:
            return {"name": self.name}
        return {"name": self.name, "model": self.llm.model}


def choose_engine(
    requested: str, llm: LlmConfig | None, *, wants_model: bool = False
) -> EngineChoice:
    """Resolve ``requested`` (auto | offline | llm) against the worker's LLM configuration."""
    config = llm
    if requested == "offline":
        return EngineChoice("offline")
    if config is not None:
        return EngineChoice("llm", config)
    if requested == "llm":
        raise ProcessorError(
            "llm_not_configured",
            "This job asks for the LLM engine, but the worker has no LLM endpoint: set "
            "REAMS_LLM_BASE_URL and REAMS_LLM_MODEL (and REAMS_LLM_API_KEY if needed), or use "
            "engine 'auto' or 'offline'.",
        )
    warnings = (
        ["MULTIMODAL asks for a model, but no LLM endpoint is configured: used the offline engine"]
        if wants_model
        else []
    )
    return EngineChoice("offline", None, warnings)


def parse_for_analysis(
    data: bytes, filename: str, parsing: Mapping[str, Any], *, default_max_pages: int | None
) -> dict[str, Any]:
    """Parse a document with the analysis job's page selection; the parse output dict."""
    from reams.processors.parse import ParseOptions, parse_document

    parameters: dict[str, Any] = {}
    max_pages = parsing.get("max_pages", default_max_pages)
    if max_pages:
        parameters["max_pages"] = max_pages
    if parsing.get("target_pages") is not None:
        parameters["target_pages"] = parsing["target_pages"]
    options = ParseOptions.from_parameters(parameters)
    return parse_document(data, filename, options).to_dict()


def document_summary(doc: Mapping[str, Any], extra_warnings: list[str]) -> dict[str, Any]:
    """The parse facts kept beside an analysis result (type, pages, language, warnings)."""
    document = dict(doc.get("document") or {})
    document["warnings"] = [*document.get("warnings", []), *extra_warnings]
    document["parsed_pages"] = sum(1 for p in doc.get("pages", []) if p.get("success", True))
    return document
