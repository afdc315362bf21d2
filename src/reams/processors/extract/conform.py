"""Coerce raw values (from the offline engine or an LLM's JSON) to an extraction schema.

The guarantee: ``conform(value, schema)`` validates against ``nullable_schema(schema)``.
Strings become numbers, integers or booleans when that is unambiguous; dates become ISO 8601
(``format: date`` → ``YYYY-MM-DD``, ``date-time`` → full ISO); enums match case-, space- and
punctuation-insensitively; objects and arrays conform recursively. Whatever cannot conform is
``None``: a required property is then present as ``None``, an optional one is omitted; array
elements that cannot conform are dropped. Unknown properties are dropped when
``additionalProperties`` is false.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jsonschema

from reams.processors.extract.dates import parse_date, parse_datetime
from reams.processors.extract.numbers import parse_amount
from reams.processors.extract.schema import (
    CONSTRAINTS,
    check_schema,
    nullable_schema,
    value_type,
)

__all__ = ["check_schema", "conform", "conform_node", "nullable_schema"]

_TRUE = frozenset({"true", "yes", "y", "1", "on", "present", "x", "ja", "oui", "checked"})
_FALSE = frozenset({"false", "no", "n", "0", "off", "absent", "none", "nee", "non", "unchecked"})


def conform(value: Any, schema: Mapping[str, Any]) -> Any:
    """``value`` coerced to ``schema`` (see the module docstring), or ``None``."""
    return _conform(value, schema, schema)


def _conform(value: Any, node: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    if value is None:
        return None
    kind, branch = value_type(node, root)
    if kind == "object":
        return _object(value, branch, root)
    if kind == "array":
        return _array(value, branch, root)
    coerced = _scalar(value, kind, branch)
    if coerced is None:
        return None
    return coerced if _fits(coerced, branch) else None


def _scalar(value: Any, kind: str, node: Mapping[str, Any]) -> Any:
    if "const" in node:
        return node["const"] if _same(value, node["const"]) else None
    if isinstance(node.get("enum"), list):
        return _enum(value, node["enum"])
    if kind == "string":
        return _string(value, node.get("format"))
    if kind in ("number", "integer"):
        return _number(value, integer=kind == "integer")
    if kind == "boolean":
        return _boolean(value)
    if kind == "any":
        return value if isinstance(value, str | int | float | bool) else None
    return None


def _key(value: Any) -> str:
    return re.sub(r"[\W_]+", "", str(value).casefold())


def _same(value: Any, option: Any) -> bool:
    if isinstance(option, str) or isinstance(value, str):
        return _key(value) == _key(option) and _key(option) != ""
    return bool(value == option and type(value) is type(option))


def _enum(value: Any, options: list[Any]) -> Any:
    for option in options:
        if option is not None and _same(value, option):
            return option
    return None


def _string(value: Any, fmt: Any) -> str | None:
    if isinstance(value, bool | Mapping | list):
        return None
    text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
    if isinstance(value, float) and value == int(value):
        text = str(int(value))
    if not text:
        return None
    if fmt == "date":
        return parse_date(text)
    if fmt == "date-time":
        return parse_datetime(text)
    return text


def _number(value: Any, *, integer: bool) -> int | float | None:
    if isinstance(value, bool):
        return None
    number: float | None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        number = parse_amount(value)
    else:
        return None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        return None
    if integer:
        return int(number) if number == int(number) else None
    return int(number) if isinstance(value, int) else number


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {0: False, 1: True}.get(int(value)) if value in (0, 1) else None
    if isinstance(value, str):
        text = value.strip().casefold().rstrip(".")
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def _object(value: Any, node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    properties: Mapping[str, Any] = node.get("properties") or {}
    required = set(node.get("required") or [])
    out: dict[str, Any] = {}
    for name, sub in properties.items():
        conformed = _conform(value.get(name), sub, root)
        if conformed is not None or name in required:
            out[name] = conformed
    extra = node.get("additionalProperties", True)
    for name, raw in value.items():
        if name in properties or extra is False:
            continue
        kept = raw if extra is True else _conform(raw, extra, root)
        if kept is not None:
            out[name] = kept
    return out


def _array(value: Any, node: Mapping[str, Any], root: Mapping[str, Any]) -> list[Any] | None:
    if isinstance(value, str | Mapping) or not isinstance(value, list | tuple):
        value = [value]
    items = node.get("items")
    out = [c for v in value if (c := _conform(v, items, root) if items else v) is not None]
    if node.get("uniqueItems"):
        unique: list[Any] = []
        for item in out:
            if item not in unique:
                unique.append(item)
        out = unique
    return out if _fits(out, node) else None


def _fits(value: Any, node: Mapping[str, Any]) -> bool:
    """Whether ``value`` meets the node's simple constraints (minimum, pattern, ...)."""
    constraints = {k: node[k] for k in CONSTRAINTS if k in node}
    if not constraints:
        return True
    return bool(_validator(repr(sorted(constraints.items()))).is_valid(value))


@lru_cache(maxsize=256)
def _validator(constraints: str) -> jsonschema.Draft202012Validator:
    import ast

    return jsonschema.Draft202012Validator(dict(ast.literal_eval(constraints)))


def conform_node(value: Any, node: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    """:func:`conform` for a sub-schema ``node`` of ``root`` (whose ``$defs`` it may use)."""
    return _conform(value, node, root)
