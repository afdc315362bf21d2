"""Arrays of objects from tables: the table whose header cells best name the item's properties
gives one object per body row (a table continued without a header on later pages too)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reams.processors.extract.labels import label_score, typed_value
from reams.processors.extract.model import entry
from reams.processors.extract.schema import value_type
from reams.processors.extract.text import DocView, FieldTerms, Table, field_terms

__all__ = ["Mapped", "map_header", "rows_to_objects", "table_items"]

MIN_CELL_SCORE = 0.5
HEADER_ROWS = 3  # a header may sit below a caption row or two


@dataclass(frozen=True)
class Mapped:
    """A table whose header row names some properties: column index per property."""

    table: Table
    header_row: int
    columns: dict[str, int]
    score: float


def _property_terms(item: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, FieldTerms]:
    props = item.get("properties") or {}
    return {name: field_terms(name, sub) for name, sub in props.items()}


def map_header(table: Table, terms: Mapping[str, FieldTerms]) -> Mapped | None:
    """The best header row of ``table`` and the column each property reads from."""
    best: Mapped | None = None
    for row_index, row in enumerate(table.rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        total = 0.0
        for name, field in terms.items():
            scores = [(label_score(field, cell), col) for col, cell in enumerate(row) if cell]
            score, col = max(scores, default=(0.0, -1))
            if score >= MIN_CELL_SCORE and col not in columns.values():
                columns[name] = col
                total += score
        if columns and (best is None or total > best.score):
            best = Mapped(table, row_index, columns, total)
    return best


def rows_to_objects(
    mapped: Mapped,
    item: Mapping[str, Any],
    root: Mapping[str, Any],
    *,
    start: int | None = None,
    dayfirst: bool = False,
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(object, metadata) for each body row that fills at least one property."""
    props = item.get("properties") or {}
    terms = _property_terms(item, root)
    first = mapped.header_row + 1 if start is None else start
    out = []
    for row in mapped.table.rows[first:]:
        obj: dict[str, Any] = {}
        meta: dict[str, Any] = {}
        for name, col in mapped.columns.items():
            cell = row[col] if col < len(row) else ""
            kind, node = value_type(props[name], root)
            value = typed_value(cell, kind, node, terms[name], dayfirst=dayfirst) if cell else None
            if value is not None:
                obj[name] = value
                reasoning = f"table column {col + 1} on page {mapped.table.page}"
                meta[name] = entry(mapped.table.page, " | ".join(row), 0.7, reasoning)
        if _is_item(obj, mapped):
            out.append((obj, meta))
    return out


def _is_item(obj: Mapping[str, Any], mapped: Mapped) -> bool:
    need = 1 if len(mapped.columns) == 1 else 2
    return len(obj) >= need


def table_items(
    view: DocView, item: Mapping[str, Any], root: Mapping[str, Any], *, dayfirst: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Objects and their metadata from every table that maps onto ``item``'s properties."""
    terms = _property_terms(item, root)
    if not terms:
        return [], []
    objects: list[dict[str, Any]] = []
    metadata: list[dict[str, Any]] = []
    previous: Mapped | None = None
    for table in view.tables:
        mapped = map_header(table, terms)
        start = None
        weak = mapped is None or len(mapped.columns) < 2
        if weak and previous is not None and len(table.rows[0]) == len(previous.table.rows[0]):
            mapped, start = Mapped(table, -1, previous.columns, previous.score), 0
        if mapped is None or (len(mapped.columns) < min(2, len(terms))):
            previous = None
            continue
        for obj, meta in rows_to_objects(mapped, item, root, start=start, dayfirst=dayfirst):
            objects.append(obj)
            metadata.append(meta)
        previous = mapped
    return objects, metadata
