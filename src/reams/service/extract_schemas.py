"""Proposing an extraction schema: the use case behind `POST /api/v2/extract/schema/generate`.

With an LLM configured (``REAMS_LLM_BASE_URL`` + ``REAMS_LLM_MODEL``), the model proposes a schema
from the prompt and/or the sample file's text, extending ``data_schema`` when one is given.
Without one, reams proposes a schema from the sample file's labelled fields and table headings
(what the offline extractor reads); a given ``data_schema`` keeps its properties and gains the
proposed ones. A ``data_schema`` alone is checked and returned. A prompt alone needs the LLM:
that is a 400 naming the settings. The sample is parsed in the API process (its first pages
only), like a small parse job.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, Final

from reams.domain.errors import InvalidField, InvalidRequest, ProcessorError
from reams.processors.analysis import parse_for_analysis
from reams.processors.extract.propose import propose_llm, propose_offline
from reams.processors.extract.schema import check_schema
from reams.processors.llm.config import LlmConfig
from reams.store.blobs import BlobStore
from reams.store.protocols import Catalog

SAMPLE_PAGES: Final = 20
NO_LLM: Final = (
    "generating a schema from a prompt needs an LLM: set REAMS_LLM_BASE_URL and REAMS_LLM_MODEL "
    "(and REAMS_LLM_API_KEY if the endpoint wants one), or pass file_id: a sample document "
    "whose labelled fields and table headings reams proposes offline"
)


def _checked(schema: object, where: str) -> dict[str, Any]:
    try:
        check_schema(schema)
    except ValueError as exc:
        raise InvalidField(f"{where}: {exc}") from None
    assert isinstance(schema, dict)
    return schema


def _extended(base: Mapping[str, Any] | None, proposed: Mapping[str, Any]) -> dict[str, Any]:
    if not base:
        return dict(proposed)
    properties = {**proposed.get("properties", {}), **base.get("properties", {})}
    return {**proposed, **base, "properties": properties}


def generate_schema(
    *,
    catalog: Catalog,
    blobs: BlobStore,
    llm: LlmConfig | None,
    project_id: str,
    prompt: str | None = None,
    file_id: str | None = None,
    data_schema: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """(configuration name, proposed JSON Schema)."""
    base = _checked(dict(data_schema), "data_schema") if data_schema is not None else None
    prompt = (prompt or "").strip() or None
    if prompt is None and file_id is None:
        if base is None:
            raise InvalidField("give a prompt, a file_id (a sample document) or a data_schema")
        return name or "extract-schema", base
    if llm is None and file_id is None:
        raise InvalidRequest(NO_LLM)
    doc, file_name = (
        (None, None) if file_id is None else _sample(catalog, blobs, project_id, file_id)
    )
    try:
        if llm is not None:
            text = doc.get("markdown_full") if doc is not None else None
            proposed = propose_llm(llm, prompt=prompt, document=text, data_schema=base)
        else:
            assert doc is not None
            proposed = propose_offline(doc)
    except ProcessorError as exc:
        raise InvalidField(f"no schema could be proposed: {exc}") from None
    stem = PurePosixPath(file_name).stem if file_name else None
    return name or (f"{stem}-schema" if stem else "extract-schema"), _extended(base, proposed)


def _sample(
    catalog: Catalog, blobs: BlobStore, project_id: str, file_id: str
) -> tuple[dict[str, Any], str]:
    rec = catalog.get_file(file_id, project_id=project_id)
    try:
        data = blobs.get(rec.sha256)
    except KeyError:
        raise InvalidField(f"file_id {file_id!r}: its content is gone") from None
    try:
        doc = parse_for_analysis(data, rec.name, {}, default_max_pages=SAMPLE_PAGES)
    except ProcessorError as exc:
        raise InvalidField(f"file_id {file_id!r} cannot be read: {exc}") from None
    return doc, rec.name
