"""Merge the answers of a document's chunks into one, by the schema's types.

Each chunk gives a value and its field metadata (:mod:`.evidence`). For one object
(``per_doc``, or a page read in several chunks) the merge walks the schema:

* a scalar takes the best supported value across chunks: evidence first (a value with a quote
  verified in the page beats any number of uncited or unverified ones: one chunk's verified
  ``true`` beats five chunks' uncited ``false``), then the sum of the chunks' confidences (two
  chunks stating a total beat one), values compared after normalisation (case, spacing, Markdown
  marks; numbers as numbers); ties go to the earlier chunk, so among values stated once each the
  first non-null one wins;
* an object merges property by property;
* an array of scalars is the union, in first-seen order;
* an array of objects (and ``per_table_row`` rows) is every chunk's rows in order, less the rows
  the overlap at a seam repeats (:func:`join_rows`).

Metadata follows the value kept (the citation of the chunk that gave it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reams.processors.llm.evidence import CONF_FOUND_BY_VALUE, CONF_VERIFIED, normalize

__all__ = ["join_rows", "merge_values", "same_row"]

Pair = tuple[Any, Any]  # (value, its field metadata)
NEUTRAL = 0.5  # the weight of a value without metadata
VERIFIED = CONF_VERIFIED  # confidences of a quote found on its page (see .evidence)
FOUND = CONF_FOUND_BY_VALUE  # ... of a quote or the value found elsewhere in the document


OverlapTest = Callable[[int, Any], bool]  # (chunk index, a row's metadata) -> read from overlap?


def merge_values(
    parts: Sequence[Pair],
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    *,
    in_overlap: OverlapTest | None = None,
) -> Pair:
    """One (value, metadata) from the chunks' ``parts``: one per chunk, in document order (a
    chunk with no answer gives ``(None, None)``). ``in_overlap``: see :func:`join_rows`, for
    arrays of objects at any depth."""
    return _Merge(root, in_overlap).values(parts, schema)


class _Merge:
    def __init__(self, root: Mapping[str, Any], in_overlap: OverlapTest | None) -> None:
        self.root = root
        self.in_overlap = in_overlap

    def values(self, parts: Sequence[Pair], schema: Mapping[str, Any]) -> Pair:
        """``parts`` stay aligned with the chunks (for ``in_overlap``): a part that does not
        fit the kind counts as empty."""
        present = [(v, m) for v, m in parts if v is not None]
        if not present:
            return None, None
        node = _resolve(schema, self.root)
        kind = _kind(node, present[0][0])
        if kind == "object":
            return self.objects([_as(dict, v, m) for v, m in parts], node)
        if kind == "array":
            return self.arrays([_as(list, v, m) for v, m in parts], node)
        return _merge_scalar(present)

    def objects(self, parts: Sequence[Pair], node: Mapping[str, Any]) -> Pair:
        props = node.get("properties")
        props = props if isinstance(props, Mapping) else {}
        keys = list(props)
        for value, _ in parts:
            keys += [k for k in value if k not in keys]
        data: dict[str, Any] = {}
        meta: dict[str, Any] = {}
        for key in keys:
            children = [
                (v.get(key), m.get(key) if isinstance(m, Mapping) else None) for v, m in parts
            ]
            value, child_meta = self.values(children, props.get(key) or {})
            data[key] = value
            if value is not None and child_meta is not None:
                meta[key] = child_meta
        return data, meta

    def arrays(self, parts: Sequence[Pair], node: Mapping[str, Any]) -> Pair:
        items = _resolve(node.get("items") or {}, self.root)
        sample = next((x for v, _ in parts for x in v if x is not None), None)
        if _kind(items, sample) in ("object", "array"):
            rows = join_rows([_pairs(v, m) for v, m in parts], in_overlap=self.in_overlap)
        else:
            rows = _union([_pairs(v, m) for v, m in parts])
        return [r for r, _ in rows], [m for _, m in rows]


def _as(kind: type, value: Any, meta: Any) -> Pair:
    """(value, meta) when ``value`` is a ``kind`` (dict / list), else an empty one."""
    if kind is dict:
        return (value, meta) if isinstance(value, Mapping) else ({}, {})
    return (value, meta) if isinstance(value, list) else ([], [])


def _pairs(values: list[Any], meta: Any) -> list[Pair]:
    metas = meta if isinstance(meta, list) else []
    return [(v, metas[i] if i < len(metas) else None) for i, v in enumerate(values)]


def _union(parts: Sequence[Sequence[Pair]]) -> list[Pair]:
    seen: set[str] = set()
    out: list[Pair] = []
    for part in parts:
        for value, meta in part:
            key = _key(value)
            if value is not None and key not in seen:
                seen.add(key)
                out.append((value, meta))
    return out


def _merge_scalar(parts: Sequence[Pair]) -> Pair:
    weight: dict[str, float] = {}
    best: dict[str, Pair] = {}
    for value, meta in parts:
        key = _key(value)
        confidence = _confidence(meta)
        weight[key] = weight.get(key, 0.0) + confidence
        if key not in best or confidence > _confidence(best[key][1]):
            best[key] = (value, meta)

    def support(key: str) -> tuple[int, float]:
        return _evidence_rank(_confidence(best[key][1])), weight[key]

    winner = max(weight, key=support)  # the first of equals: dicts keep order
    return best[winner]


def _evidence_rank(confidence: float) -> int:
    """Verified quote (2), evidence found elsewhere in the document (1), none (0)."""
    return 2 if confidence >= VERIFIED else 1 if confidence >= FOUND else 0


def _confidence(meta: Any) -> float:
    if isinstance(meta, Mapping):
        value = meta.get("confidence")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return NEUTRAL


def join_rows(
    parts: Sequence[Sequence[Pair]], *, in_overlap: Callable[[int, Any], bool] | None = None
) -> list[Pair]:
    """Every part's rows in order; at each seam, the first rows of a part that repeat the last
    rows of the part before (:func:`same_row`) are dropped, the fuller of the two kept.

    ``in_overlap(i, meta)``, when given, says whether a row of part ``i`` was read from the
    overlap that part starts with; a row read elsewhere is never a repeat (two equal rows on
    either side of a seam are two rows).
    """
    out: list[Pair] = []
    previous: Sequence[Pair] = []
    for index, part in enumerate(parts):
        eligible = len(part)
        if in_overlap is not None:
            eligible = next(
                (i for i, (_, m) in enumerate(part) if not in_overlap(index, m)), eligible
            )
        repeated = _seam(previous, part[:eligible])
        start = len(out) - repeated
        for offset in range(repeated):
            out[start + offset] = _fuller(out[start + offset], part[offset])
        out.extend(part[repeated:])
        previous = part
    return out


def _seam(previous: Sequence[Pair], head: Sequence[Pair]) -> int:
    """The largest k such that the last k rows of ``previous`` are the first k of ``head``."""
    for k in range(min(len(previous), len(head)), 0, -1):
        tail = previous[len(previous) - k :]
        if all(same_row(a[0], b[0]) for a, b in zip(tail, head[:k], strict=True)):
            return k
    return 0


def same_row(a: Any, b: Any) -> bool:
    """Whether two rows are one: equal where both have a value, and one's values a subset of
    the other's (a row cut at a seam has fewer)."""
    if not isinstance(a, Mapping) or not isinstance(b, Mapping):
        return a is not None and _key(a) == _key(b)
    filled_a = {k for k, v in a.items() if not _empty(v)}
    filled_b = {k for k, v in b.items() if not _empty(v)}
    common = filled_a & filled_b
    if not common or not (filled_a <= filled_b or filled_b <= filled_a):
        return False
    return all(_key(a[k]) == _key(b[k]) for k in common)


def _fuller(a: Pair, b: Pair) -> Pair:
    return b if _filled(b[0]) > _filled(a[0]) else a


def _filled(value: Any) -> int:
    if isinstance(value, Mapping):
        return sum(_filled(v) for v in value.values())
    if isinstance(value, list):
        return sum(_filled(v) for v in value)
    return 0 if _empty(value) else 1


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _key(value: Any) -> str:
    """A comparable form: strings normalised, numbers as floats, containers recursively."""
    return json.dumps(_normal(value), sort_keys=True, ensure_ascii=False)


def _normal(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, Mapping):
        return {str(k): _normal(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return str(value)


def _resolve(schema: Any, root: Mapping[str, Any], depth: int = 0) -> Mapping[str, Any]:
    """``schema`` with ``$ref`` followed (within ``root``) and a nullable ``anyOf`` unwrapped."""
    if not isinstance(schema, Mapping) or depth > 32:
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part) if isinstance(node, Mapping) else None
        return _resolve(node, root, depth + 1)
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list):
            real = [o for o in options if isinstance(o, Mapping) and o.get("type") != "null"]
            if len(real) == 1:
                return _resolve(real[0], root, depth + 1)
    return schema


def _kind(schema: Mapping[str, Any], sample: Any) -> str:
    """``object`` / ``array`` / ``scalar``: from the schema, else from a value."""
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    if declared in ("object", "array"):
        return str(declared)
    if declared is None and "properties" in schema:
        return "object"
    if declared is None and "items" in schema:
        return "array"
    if declared is None:
        return (
            "object"
            if isinstance(sample, Mapping)
            else "array"
            if isinstance(sample, list)
            else "scalar"
        )
    return "scalar"
