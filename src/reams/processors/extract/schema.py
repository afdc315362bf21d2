"""Extraction schemas: what is supported, the nullable form, and type helpers.

A schema is JSON Schema (draft 2020-12) with an object at the top level. Supported keywords:
``type`` (object, array, string, number, integer, boolean, null, or a list of them),
``properties``, ``required``, ``additionalProperties``, ``items``, ``enum``, ``const``,
``format`` (``date``/``date-time`` are normalised; others are kept as plain strings),
``anyOf``/``oneOf`` (of types, typically a type and null), local ``$ref`` into ``$defs``, the
annotations (``description``, ``title``, ``default``, ``examples``, ``$schema``, ``$id``,
``$comment``) and the simple value constraints (``minimum``, ``maximum``, ``minLength``,
``maxLength``, ``pattern``, ``minItems``, ``maxItems``, ...), which values are checked against.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jsonschema
import jsonschema.exceptions

from reams.domain.schema_limits import (
    MAX_DEPTH,
    MAX_JSON_DEPTH,
    MAX_PROPERTIES,
    MAX_SCHEMA_BYTES,
)
from reams.processors.schema_nullable import nullable_schema

# The limits (one definition, in the domain) are checked wherever a schema is accepted, before
# any costly look at it.
__all__ = [
    "MAX_DEPTH",
    "MAX_JSON_DEPTH",
    "MAX_PROPERTIES",
    "MAX_SCHEMA_BYTES",
    "check_limits",
    "check_schema",
    "nullable_schema",
    "resolve",
    "value_type",
]

TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})
ANNOTATIONS = frozenset(
    {"description", "title", "default", "examples", "$schema", "$id", "$comment", "deprecated"}
)
CONSTRAINTS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)
STRUCTURE = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "enum", "const", "format"}
)
COMBINATORS = frozenset({"anyOf", "oneOf", "$ref", "$defs"})
SUPPORTED = TYPES | ANNOTATIONS | CONSTRAINTS | STRUCTURE | COMBINATORS


def check_schema(schema: object) -> None:
    """Raise ``ValueError`` naming the JSON path when ``schema`` is invalid or unsupported.

    The limits come first, in one linear pass, so that a schema past them costs no more than
    reading it; the keywords' values are then checked against :data:`META_SCHEMA`."""
    if not isinstance(schema, Mapping):
        raise ValueError("$: the schema must be a JSON object")
    check_limits(schema)
    error = jsonschema.exceptions.best_match(_META.iter_errors(dict(schema)))
    if error is not None:
        where = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.path)
        raise ValueError(f"{where}: invalid JSON Schema: {error.message}")
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), Mapping):
        raise ValueError('$: the top level must be {"type": "object", "properties": {...}}')
    if not schema["properties"]:
        raise ValueError("$.properties: the schema must declare at least one property")
    _check_node(schema, "$", schema, 0)
    _check_ref_cycles(schema)


def check_limits(schema: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` naming the limit when ``schema`` nests deeper than
    :data:`MAX_JSON_DEPTH`, declares more than :data:`MAX_PROPERTIES` properties or is larger
    than :data:`MAX_SCHEMA_BYTES` (iteratively: no recursion limit, and it stops early)."""
    properties = 0
    stack: list[tuple[object, int]] = [(schema, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Mapping):
            children: list[object] = list(node.values())
            inner = node.get("properties")
            if isinstance(inner, Mapping):
                properties += len(inner)
                if properties > MAX_PROPERTIES:
                    raise ValueError(
                        f"$: the schema declares more than {MAX_PROPERTIES} properties "
                        "(the limit counts nested ones)"
                    )
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"$: the schema nests deeper than {MAX_JSON_DEPTH} levels of JSON")
        stack.extend((child, depth + 1) for child in children)
    size = len(json.dumps(schema, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_SCHEMA_BYTES:
        raise ValueError(
            f"$: the schema is {size} bytes of JSON, more than the limit of {MAX_SCHEMA_BYTES}"
        )


def _subschemas() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": {"$ref": "#"}}


# The Draft 2020-12 meta-schema reduced to the keywords reams supports (any other keyword is
# refused by name afterwards), with static references only: the official meta-schema's
# $dynamicRef costs ~1 ms per property, this one a tenth of that. Subschemas must be objects
# (the extractors read them as such), never the booleans JSON Schema also allows.
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
_TYPE_NAMES: dict[str, Any] = {"enum": sorted(TYPES)}
META_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "type": {
            "anyOf": [
                _TYPE_NAMES,
                {"type": "array", "items": _TYPE_NAMES, "minItems": 1, "uniqueItems": True},
            ]
        },
        "properties": _subschemas(),
        "$defs": _subschemas(),
        "required": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "additionalProperties": {"anyOf": [{"type": "boolean"}, {"$ref": "#"}]},
        "items": {"$ref": "#"},
        "enum": {"type": "array"},
        "format": {"type": "string"},
        "anyOf": {"type": "array", "minItems": 1, "items": {"$ref": "#"}},
        "oneOf": {"type": "array", "minItems": 1, "items": {"$ref": "#"}},
        "$ref": {"type": "string", "format": "uri-reference"},
        "$schema": {"type": "string", "format": "uri"},
        "$id": {"type": "string", "format": "uri-reference"},
        "$comment": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "deprecated": {"type": "boolean"},
        "examples": {"type": "array"},
        "minimum": {"type": "number"},
        "maximum": {"type": "number"},
        "exclusiveMinimum": {"type": "number"},
        "exclusiveMaximum": {"type": "number"},
        "multipleOf": {"type": "number", "exclusiveMinimum": 0},
        "minLength": _COUNT,
        "maxLength": _COUNT,
        "minItems": _COUNT,
        "maxItems": _COUNT,
        "pattern": {"type": "string", "format": "regex"},
        "uniqueItems": {"type": "boolean"},
    },
}
_META = jsonschema.Draft202012Validator(
    META_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def _refs_in(node: object) -> set[str]:
    """Names of the ``$defs`` entries that ``node`` refers to, at any depth."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                found.add(ref.rsplit("/", 1)[-1])
            stack.extend(v for k, v in current.items() if k != "$defs")
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _check_ref_cycles(root: Mapping[str, Any]) -> None:
    """A ``$ref`` that leads back to itself describes unbounded data: refused."""
    defs = root.get("$defs") or {}
    edges = {name: _refs_in(sub) for name, sub in defs.items()}
    for start in edges:
        seen, stack = set(), list(edges[start])
        while stack:
            name = stack.pop()
            if name == start:
                raise ValueError(
                    f"$.$defs.{start}: recursive schemas (a $ref cycle) are not supported"
                )
            if name not in seen:
                seen.add(name)
                stack.extend(edges.get(name, ()))


def _check_node(node: Mapping[str, Any], path: str, root: Mapping[str, Any], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"{path}: the schema nests deeper than {MAX_DEPTH} levels")
    unknown = sorted(set(node) - SUPPORTED)
    if unknown:
        raise ValueError(f"{path}: unsupported keyword {unknown[0]!r}")
    if "$ref" in node:
        _check_ref(node["$ref"], path, root)
    _check_required(node, path)
    for name, sub in (node.get("properties") or {}).items():
        _check_node(sub, f"{path}.properties.{name}", root, depth + 1)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), Mapping):
            _check_node(node[key], f"{path}.{key}", root, depth + 1)
    for key in ("anyOf", "oneOf"):
        for index, sub in enumerate(node.get(key) or []):
            _check_node(sub, f"{path}.{key}[{index}]", root, depth + 1)
    for name, sub in (node.get("$defs") or {}).items():
        _check_node(sub, f"{path}.$defs.{name}", root, depth + 1)


def _check_ref(ref: str, path: str, root: Mapping[str, Any]) -> None:
    if not ref.startswith("#/$defs/") or ref.count("/") != 2:
        raise ValueError(f"{path}.$ref: only local references '#/$defs/<name>' are supported")
    if ref.split("/")[-1] not in (root.get("$defs") or {}):
        raise ValueError(f"{path}.$ref: {ref!r} does not name an entry of $defs")


def _check_required(node: Mapping[str, Any], path: str) -> None:
    required = node.get("required")
    if required is None:
        return
    known = node.get("properties") or {}
    for name in required:
        if name not in known:
            raise ValueError(f"{path}.required: {name!r} is not one of the properties")


def resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    """``node`` with a local ``$ref`` followed (a few hops at most)."""
    for _ in range(8):
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            return node
        target = (root.get("$defs") or {}).get(ref.split("/")[-1])
        if not isinstance(target, Mapping):
            return node
        node = target
    return node


def value_type(node: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """The main non-null type of ``node`` and the branch that declares it.

    ``anyOf``/``oneOf`` pick their first non-null branch; an ``enum`` without a type is a
    string; no type at all is ``"any"``.
    """
    node = resolve(node, root)
    declared = node.get("type")
    if isinstance(declared, str):
        return declared, node
    if isinstance(declared, list):
        non_null = [t for t in declared if t != "null"]
        return (non_null[0] if non_null else "null"), node
    for key in ("anyOf", "oneOf"):
        for branch in node.get(key) or []:
            kind, found = value_type(branch, root)
            if kind != "null":
                return kind, found
    if "enum" in node or "const" in node:
        return "string", node
    return "any", node
