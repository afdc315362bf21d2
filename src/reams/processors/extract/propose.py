"""Proposing an extraction schema (`POST /api/v2/extract/schema/generate`).

* :func:`propose_offline` reads a sample document the way the offline extractor does
  (:class:`~reams.processors.extract.text.DocView`): each ``Label: value`` pair becomes a
  property typed by its value (a date is a ``string`` of format ``date``, an amount a
  ``number``, else a ``string``), and each table whose first row reads as column headings an
  array of objects with one property per column.
* :func:`propose_llm` asks the configured LLM for a schema from a prompt and/or the sample's
  text (and a schema to extend), then checks it like any extract schema.

Both return a JSON Schema ``{"type": "object", "properties": {...}}`` the extractor accepts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reams.domain.errors import ProcessorError
from reams.processors.extract.dates import find_dates
from reams.processors.extract.numbers import parse_amount
from reams.processors.extract.schema import check_schema
from reams.processors.extract.text import DocView, Table, tokens

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig

__all__ = ["propose_llm", "propose_offline"]

MAX_PROPERTIES = 60
MAX_DOCUMENT_CHARS = 30_000
_REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"data_schema": {"type": "object"}},
    "required": ["data_schema"],
}
_INSTRUCTIONS = (
    "You design JSON Schemas for extracting data from documents. Reply with a JSON object "
    '{"data_schema": <schema>} where <schema> is {"type": "object", "properties": {...}}: '
    "snake_case property names, a short description on every property, types string, number, "
    "integer, boolean, array or object (format date for dates), arrays of objects for tables "
    "and repeated items. Keep every property of a schema you are given to extend."
)


def _name(label: str) -> str:
    return "_".join(tokens(label))[:64].strip("_")


def _value_schema(value: str) -> dict[str, Any]:
    text = value.strip()
    dates = find_dates(text, partial=False)
    if dates and dates[0].end - dates[0].start >= len(text) - 2:
        return {"type": "string", "format": "date"}
    if parse_amount(text) is not None:
        return {"type": "number"}
    return {"type": "string"}


def _described(schema: dict[str, Any], label: str, example: str) -> dict[str, Any]:
    sample = re.sub(r"\s+", " ", example).strip()[:60]
    return {**schema, "description": f"{label} (for example: {sample})" if sample else label}


def _table_property(table: Table) -> tuple[str, dict[str, Any]] | None:
    header, *rows = table.rows
    names = [_name(cell) for cell in header]
    if not rows or not all(names) or len(set(names)) != len(names):
        return None
    if any(any(ch.isdigit() for ch in cell) for cell in header):
        return None
    first = rows[0]
    columns = {
        name: _described(_value_schema(first[i] if i < len(first) else ""), label, "")
        for i, (name, label) in enumerate(zip(names, header, strict=True))
    }
    item = {"type": "object", "properties": columns}
    name = "items" if "descript" in " ".join(names) else f"{names[0]}_rows"
    return name, {"type": "array", "description": f"Rows of the table ({', '.join(header)})",
                  "items": item}  # fmt: skip


def propose_offline(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A schema from the labelled fields and table headers of a parsed document (``parse``
    output); ProcessorError ``no_fields_found`` when it has neither."""
    view = DocView.build(doc)
    properties: dict[str, Any] = {}
    for table in view.tables:
        found = _table_property(table)
        if found is not None and found[0] not in properties:
            properties[found[0]] = found[1]
    for pair in view.pairs:
        name = _name(pair.key)
        if name and name not in properties and not pair.key[:1].isdigit():
            properties[name] = _described(_value_schema(pair.value), pair.key, pair.value)
        if len(properties) >= MAX_PROPERTIES:
            break
    if not properties:
        raise ProcessorError(
            "no_fields_found",
            "The sample document has no labelled fields (Label: value) or table headings to "
            "propose a schema from; describe the fields in a prompt with an LLM configured.",
        )
    return {"type": "object", "properties": properties}


def propose_llm(
    config: LlmConfig,
    *,
    prompt: str | None,
    document: str | None,
    data_schema: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """A schema proposed by the LLM endpoint ``config``; ProcessorError
    ``llm_bad_output`` when its answer is not a usable extraction schema."""
    from reams.processors.llm.client import chat_json

    parts = [f"What to extract: {prompt.strip()}" if prompt else "Propose fields worth extracting."]
    if data_schema:
        parts.append("Schema to extend:\n" + json.dumps(data_schema, ensure_ascii=False))
    if document:
        parts.append("Sample document:\n" + document[:MAX_DOCUMENT_CHARS])
    messages = [
        {"role": "system", "content": _INSTRUCTIONS},
        {"role": "user", "content": "\n\n".join(parts)},
    ]
    reply, _usage = chat_json(config, messages, _REPLY_SCHEMA, "reams_schema")
    schema = reply.get("data_schema")
    try:
        check_schema(schema)
    except ValueError as exc:
        raise ProcessorError(
            "llm_bad_output", f"The model's schema cannot be used for extraction: {exc}"
        ) from None
    assert isinstance(schema, dict)
    return schema
