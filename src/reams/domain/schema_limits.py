"""The limits of an extraction schema (JSON Schema), one definition for every place that takes
one: job creation (``processors.extract.schema.check_schema``), schema generation and
``POST /api/v2/extract/schema/validation`` — whose request body the API caps before reading it
(:data:`MAX_SCHEMA_REQUEST_BYTES`).

LlamaCloud documents 5,000 properties and 120,000 characters of strings as its limits.
"""

from __future__ import annotations

from typing import Final

MAX_DEPTH: Final = 12  # nested schema nodes (properties, items, anyOf, ...)
MAX_JSON_DEPTH: Final = 64  # nested JSON objects and arrays, whatever they mean
MAX_PROPERTIES: Final = 5_000  # properties across the whole schema, nested ones and $defs too
MAX_SCHEMA_BYTES: Final = 512 * 1024  # the schema as compact UTF-8 JSON
# A request carrying a schema: room for indentation and the request's other fields.
MAX_SCHEMA_REQUEST_BYTES: Final = 4 * MAX_SCHEMA_BYTES
