"""conform(): coercion of raw values to an extraction schema, always valid against the
nullable form of the schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from reams.processors.extract.conform import conform, nullable_schema


def valid(value: Any, schema: dict[str, Any]) -> Any:
    jsonschema.Draft202012Validator(nullable_schema(schema)).validate(value)
    return value


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


DATE = {"type": "string", "format": "date"}


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("August 3 , 2014", "2014-08-03"),
        ("3 Aug 2014", "2014-08-03"),
        ("2014-08-03", "2014-08-03"),
        ("8/3/2014", "2014-08-03"),
        ("03.08.2014", "2014-08-03"),
        ("20/03/2023", "2023-03-20"),
        ("the 5th day of March, 2010", "2010-03-05"),
        ("18 april 2014", "2014-04-18"),
        ("1er juillet 2015", "2015-07-01"),
        ("5/8/14", "2014-05-08"),
        ("Dec. 31, 2004", "2004-12-31"),
        ("not a date", None),
        ("31/31/2020", None),
    ],
)
def test_dates_become_iso(raw: str, iso: str | None) -> None:
    schema = obj(d=DATE)
    assert valid(conform({"d": raw}, schema), schema) == ({"d": iso} if iso else {})


def test_date_time_becomes_full_iso() -> None:
    schema = obj(t={"type": "string", "format": "date-time"})
    assert conform({"t": "2014-08-03 10:22"}, schema) == {"t": "2014-08-03T10:22:00"}
    assert conform({"t": "3 Aug 2014"}, schema) == {"t": "2014-08-03T00:00:00"}


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("$1,234.56", 1234.56),
        ("1.234,56 €", 1234.56),
        ("1 234,56", 1234.56),
        ("EUR 12.00", 12.0),
        ("(45.00)", -45.0),
        ("4,11", 4.11),
        ("1,234", 1234.0),
        (7, 7),
        (2.5, 2.5),
        ("twelve", None),
        (True, None),
    ],
)
def test_amounts_become_numbers(raw: Any, number: float | None) -> None:
    schema = obj(n={"type": "number"})
    result = valid(conform({"n": raw}, schema), schema)
    assert result.get("n") == number


def test_integers_need_whole_numbers() -> None:
    schema = obj(i={"type": "integer"})
    assert conform({"i": "1,200"}, schema) == {"i": 1200}
    assert conform({"i": "12.0"}, schema) == {"i": 12}
    assert conform({"i": "12.5"}, schema) == {}


@pytest.mark.parametrize(
    ("raw", "flag"),
    [("yes", True), ("No", False), ("true", True), (0, False), (1, True), ("maybe", None)],
)
def test_booleans(raw: Any, flag: bool | None) -> None:
    schema = obj(b={"type": "boolean"})
    assert conform({"b": raw}, schema).get("b") == flag


def test_enum_matches_case_space_and_punctuation_insensitively() -> None:
    schema = obj(terms={"type": "string", "enum": ["Net 30", "Due on receipt"]})
    assert conform({"terms": "net-30"}, schema) == {"terms": "Net 30"}
    assert conform({"terms": "DUE ON RECEIPT"}, schema) == {"terms": "Due on receipt"}
    assert conform({"terms": "net 60"}, schema) == {}


def test_required_fields_are_present_as_null_and_optional_ones_omitted() -> None:
    schema = {**obj(a={"type": "string"}, b={"type": "number"}), "required": ["a"]}
    assert valid(conform({}, schema), schema) == {"a": None}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({"a": None})


def test_nested_objects_and_arrays_conform_recursively() -> None:
    item = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "price": {"type": "number"}},
        "required": ["name"],
        "additionalProperties": False,
    }
    schema = obj(
        seller={**obj(name={"type": "string"}, since=DATE), "additionalProperties": False},
        lines={"type": "array", "items": item},
        tags={"type": "array", "items": {"type": "string"}},
    )
    raw = {
        "seller": {"name": " ACME ", "since": "May 8, 2014", "extra": 1},
        "lines": [{"name": "Widget", "price": "$3.00", "sku": "x"}, "junk", {"price": "2"}],
        "tags": "one",
    }
    result = valid(conform(raw, schema), schema)
    assert result == {
        "seller": {"name": "ACME", "since": "2014-05-08"},
        "lines": [{"name": "Widget", "price": 3.0}, {"name": None, "price": 2.0}],
        "tags": ["one"],
    }


def test_refs_any_of_and_constraints() -> None:
    schema = {
        "type": "object",
        "$defs": {"money": {"type": "number", "minimum": 0}},
        "properties": {
            "total": {"$ref": "#/$defs/money"},
            "note": {"anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}]},
            "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
    }
    result = valid(conform({"total": "-3", "note": "too long", "code": "EUR"}, schema), schema)
    assert result == {"code": "EUR"}
    assert conform({"total": "12.5", "note": "ok"}, schema) == {"total": 12.5, "note": "ok"}


def test_unknown_properties_kept_unless_forbidden() -> None:
    schema = obj(a={"type": "string"})
    assert conform({"a": "x", "b": 1}, schema) == {"a": "x", "b": 1}
    closed = {**schema, "additionalProperties": False}
    assert conform({"a": "x", "b": 1}, closed) == {"a": "x"}


SCHEMAS: list[dict[str, Any]] = [
    {**obj(a={"type": "string"}, n={"type": "number"}, d=DATE), "required": ["a", "n", "d"]},
    {
        **obj(
            flag={"type": "boolean"},
            kind={"enum": ["a", "b"]},
            when={"type": "string", "format": "date-time"},
            nested={**obj(i={"type": "integer"}), "required": ["i"]},
        ),
        "required": ["flag", "kind", "nested"],
    },
    obj(
        rows={
            "type": "array",
            "items": {**obj(x={"type": "number"}, y={"type": "string"}), "required": ["x"]},
        },
        any_value={},
        multi={"type": ["string", "number"]},
    ),
]
RAW_VALUES: list[Any] = [
    None,
    "",
    "12",
    "$1,234.56",
    "2014-08-03",
    "yes",
    7,
    -1.5,
    True,
    [1, "a", None],
    {"x": "3", "y": 4},
    [{"x": "2,5"}, {"y": "z"}],
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_every_conformed_value_validates(schema: dict[str, Any]) -> None:
    names = list(schema["properties"])
    for index, raw in enumerate(RAW_VALUES):
        record = {
            name: RAW_VALUES[(index + offset) % len(RAW_VALUES)]
            for offset, name in enumerate(names)
        }
        valid(conform(record, schema), schema)
        valid(conform({name: raw for name in names}, schema), schema)
