"""The nullable form of a JSON Schema: ``null`` allowed on every property, at every depth.

Shared by the offline extract engine (whose output validates against it) and the LLM engine (which
asks for it as the reply's ``data``), so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["nullable_schema"]


def nullable_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with ``null`` allowed on every property, at every depth (array items too
    keep their own type; their properties become nullable)."""
    out = _nullable_children(dict(schema))
    if isinstance(out.get("$defs"), Mapping):
        out["$defs"] = {k: _nullable_children(dict(v)) for k, v in out["$defs"].items()}
    return out


def _nullable_children(node: dict[str, Any]) -> dict[str, Any]:
    for key in ("anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            node[key] = [_nullable_children(dict(b)) for b in node[key]]
    if isinstance(node.get("items"), Mapping):
        node["items"] = _nullable_children(dict(node["items"]))
    if isinstance(node.get("properties"), Mapping):
        node["properties"] = {
            name: _or_null(_nullable_children(dict(sub)))
            for name, sub in node["properties"].items()
        }
    return node


def _or_null(node: dict[str, Any]) -> dict[str, Any]:
    declared = node.get("type")
    if (
        "$ref" in node
        or "const" in node
        or not (isinstance(declared, str | list) or "enum" in node)
    ):
        return {"anyOf": [node, {"type": "null"}]}
    if isinstance(declared, str) and declared != "null":
        node["type"] = [declared, "null"]
    elif isinstance(declared, list) and "null" not in declared:
        node["type"] = [*declared, "null"]
    if isinstance(node.get("enum"), list) and None not in node["enum"]:
        node["enum"] = [*node["enum"], None]
    return node
