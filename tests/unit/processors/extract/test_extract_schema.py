"""check_schema(): clear errors naming the JSON path; nullable_schema() allows null everywhere."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from reams.processors.extract.schema import check_schema, nullable_schema


def test_a_good_schema_passes() -> None:
    check_schema(
        {
            "type": "object",
            "$defs": {"party": {"type": "string", "description": "A party"}},
            "properties": {
                "parties": {"type": "array", "items": {"$ref": "#/$defs/party"}},
                "date": {"type": "string", "format": "date"},
                "total": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                "kind": {"enum": ["a", "b"]},
            },
            "required": ["date"],
        }
    )


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([], "$: the schema must be a JSON object"),
        ({"type": "array", "items": {}}, "$: the top level must be"),
        ({"type": "object"}, "$: the top level must be"),
        ({"type": "object", "properties": {}}, "$.properties: the schema must declare"),
        ({"type": "object", "properties": {"a": {"type": "strin"}}}, "$.properties.a.type"),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]},
            "$.required: 'b' is not one of the properties",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": "a"},
            "$.required",
        ),
        (
            {"type": "object", "properties": {"a": {"not": {"type": "string"}}}},
            "$.properties.a: unsupported keyword 'not'",
        ),
        (
            {"type": "object", "properties": {"a": {"$ref": "http://example.com/s.json"}}},
            "$.properties.a.$ref: only local references",
        ),
        (
            {"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}},
            "does not name an entry of $defs",
        ),
        (
            {
                "type": "object",
                "properties": {
                    "rows": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"x": {"if": {}}}},
                    }
                },
            },
            "$.properties.rows.items.properties.x: unsupported keyword 'if'",
        ),
    ],
)
def test_bad_schemas_name_the_path(schema: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        check_schema(schema)
    assert message in str(raised.value)


def test_nullable_schema_allows_null_on_every_property() -> None:
    schema = {
        "type": "object",
        "$defs": {"money": {"type": "number"}},
        "properties": {
            "a": {"type": "string"},
            "b": {"enum": ["x", "y"]},
            "c": {"$ref": "#/$defs/money"},
            "d": {"type": "object", "properties": {"e": {"type": "integer"}}, "required": ["e"]},
            "f": {
                "type": "array",
                "items": {"type": "object", "properties": {"g": {"type": "boolean"}}},
            },
        },
        "required": ["a", "b", "c", "d", "f"],
    }
    nullable = nullable_schema(schema)
    validator = jsonschema.Draft202012Validator(nullable)
    validator.validate({"a": None, "b": None, "c": None, "d": None, "f": None})
    validator.validate({"a": "s", "b": "x", "c": 1.5, "d": {"e": None}, "f": [{"g": None}]})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"a": 3, "b": None, "c": None, "d": None, "f": None})
    assert schema["properties"]["a"] == {"type": "string"}  # the input is not modified


def _nested(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        node = {"type": "object", "properties": {"x": node}}
    return {"type": "object", "properties": {"n": node}}


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        (
            {
                "$defs": {"n": {"type": "object", "properties": {"child": {"$ref": "#/$defs/n"}}}},
                "type": "object",
                "properties": {"root": {"$ref": "#/$defs/n"}},
            },
            "$ref cycle",
        ),
        (
            {
                "$defs": {
                    "a": {"type": "object", "properties": {"b": {"$ref": "#/$defs/b"}}},
                    "b": {"type": "array", "items": {"$ref": "#/$defs/a"}},
                },
                "type": "object",
                "properties": {"root": {"$ref": "#/$defs/a"}},
            },
            "$ref cycle",
        ),
        (_nested(500), "levels of JSON"),
    ],
)
def test_unbounded_schemas_are_refused_not_crashed_on(schema: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError) as info:
        check_schema(schema)
    assert words in str(info.value)


def test_a_definition_used_twice_is_not_a_cycle() -> None:
    address = {"type": "object", "properties": {"city": {"type": "string"}}}
    check_schema(
        {
            "$defs": {"address": address},
            "type": "object",
            "properties": {
                "home": {"$ref": "#/$defs/address"},
                "work": {"$ref": "#/$defs/address"},
            },
        }
    )
