"""``per_table_row`` extraction: one object per body row of every table whose header names
the schema's top-level properties."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reams.processors.extract.tables import map_header, rows_to_objects
from reams.processors.extract.text import DocView, field_terms

__all__ = ["per_table_rows"]


def per_table_rows(
    view: DocView, schema: Mapping[str, Any], *, dayfirst: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Objects and their metadata, in reading order, from every table that maps on ``schema``."""
    props = schema.get("properties") or {}
    terms = {name: field_terms(name, sub) for name, sub in props.items()}
    rows: list[dict[str, Any]] = []
    metas: list[dict[str, Any]] = []
    for table in view.tables:
        mapped = map_header(table, terms)
        if mapped is None:
            continue
        for obj, meta in rows_to_objects(mapped, schema, schema, dayfirst=dayfirst):
            rows.append(obj)
            metas.append(meta)
    return rows, metas
