"""Pure parts of the LLM engine: reply parsing, schemas, prompts, evidence verification."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx
import jsonschema
import pytest

from reams.processors.llm.classify import classify_schema
from reams.processors.llm.client import parse_json_object
from reams.processors.llm.evidence import Verifier, field_metadata, parse_evidence, parse_path
from reams.processors.llm.extract import nullable_schema, response_schema
from reams.processors.llm.prompts import Page, doc_pages, render_pages
from reams.processors.llm.replies import retry_after


@pytest.mark.parametrize(
    "content",
    [
        '{"a": 1}',
        '```json\n{"a": 1}\n```',
        '```\n{"a": 1}\n```',
        '<think>hmm {"a": 2}</think>\n{"a": 1}',
        'Here you go: {"a": 1} Hope it helps.',
    ],
)
def test_parse_json_object_accepts_common_wrappings(content: str) -> None:
    assert parse_json_object(content) == {"a": 1}


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"a": ', "42"])
def test_parse_json_object_rejects_non_objects(content: str) -> None:
    assert parse_json_object(content) is None


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "address": {"type": "object", "properties": {"city": {"type": "string"}}},
        "items": {
            "type": "array",
            "items": {"type": "object", "properties": {"price": {"type": "number"}}},
        },
        "ref": {"$ref": "#/$defs/Party"},
    },
    "required": ["name"],
    "$defs": {"Party": {"type": "object", "properties": {"id": {"type": "integer"}}}},
}


def test_nullable_schema_accepts_nulls_everywhere_but_keeps_types() -> None:
    nullable = nullable_schema(SCHEMA)
    assert SCHEMA["properties"]["name"] == {"type": "string"}  # input untouched
    all_null = {
        "name": None,
        "kind": None,
        "address": {"city": None},
        "items": [{"price": None}],
        "ref": {"id": None},
    }
    jsonschema.validate(all_null, nullable)
    jsonschema.validate({"name": None, "address": None, "items": None, "ref": None}, nullable)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": 3}, nullable)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "c"}, nullable)


def test_response_schema_wraps_data_and_evidence_and_hoists_defs() -> None:
    schema = response_schema(SCHEMA, "per_doc")
    assert set(schema["properties"]) == {"data", "evidence"}
    assert "$defs" in schema and "$defs" not in schema["properties"]["data"]
    reply = {
        "data": {"name": "x", "ref": {"id": 3}},
        "evidence": [{"field": "name", "page": 1, "quote": "x"}],
    }
    jsonschema.validate(reply, schema)
    rows = response_schema(SCHEMA, "per_table_row")
    assert rows["properties"]["data"]["type"] == "array"
    jsonschema.validate({"data": [{"name": "x"}], "evidence": []}, rows)


def test_classify_schema_allows_only_the_types_or_null() -> None:
    schema = classify_schema(["invoice", "receipt"])
    jsonschema.validate({"type": None, "confidence": 0.1, "reasoning": ""}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"type": "memo", "confidence": 0.1, "reasoning": ""}, schema)


def test_pages_are_labelled_and_cut_to_the_budget() -> None:
    doc = {
        "pages": [
            {"page_number": 1, "markdown": "# One\n\nalpha", "text": "One alpha"},
            {"page_number": 2, "markdown": "", "text": ""},
            {"page_number": 3, "markdown": "x" * 100, "text": "x" * 100},
        ]
    }
    pages = doc_pages(doc)
    assert [p.number for p in pages] == [1, 2, 3]
    full = render_pages(pages, 10_000)
    assert '<page number="1">\n# One\n\nalpha\n</page>' in full
    assert 'number="2"' not in full  # empty pages are skipped
    cut = render_pages(pages, 50)
    assert cut.count("x") < 50 and "cut here" in cut


def test_doc_without_pages_uses_markdown_full() -> None:
    pages = doc_pages({"markdown_full": "hello", "text_full": "hello"})
    assert pages == [Page(number=1, markdown="hello", text="hello")]


@pytest.mark.parametrize(
    ("field", "root_is_list", "expected"),
    [
        ("customer.name", False, ("customer", "name")),
        ("items[0].price", False, ("items", 0, "price")),
        ("items.0.price", False, ("items", 0, "price")),
        ("/items/0/price", False, ("items", 0, "price")),
        ("$.data.total", False, ("total",)),
        ("[2].sku", True, (2, "sku")),
        ("rows[2].sku", True, (2, "sku")),
    ],
)
def test_parse_path(field: str, root_is_list: bool, expected: tuple[object, ...]) -> None:
    assert parse_path(field, root_is_list=root_is_list) == expected


PAGES = [
    Page(
        1, "**Invoice number:** INV-7\n\nTotal: 1,250.50", "Invoice number: INV-7 Total: 1,250.50"
    ),
    Page(2, "Customer:   ACME   Corp", "Customer: ACME Corp"),
]


def test_verified_quotes_become_citations() -> None:
    data = {"number": "INV-7", "total": 1250.5, "customer": {"name": "ACME Corp"}, "x": None}
    evidence = [
        {"field": "number", "page": 1, "quote": "invoice NUMBER: inv-7"},  # case/markup-insensitive
        {"field": "total", "page": 1, "quote": "Total: 1,250.50"},
        {"field": "customer.name", "page": 1, "quote": "Customer: ACME Corp"},  # wrong page
    ]
    meta = field_metadata(data, parse_evidence(evidence, root_is_list=False), Verifier(PAGES))
    assert meta["number"]["citation"] == [{"page": 1, "matching_text": "invoice NUMBER: inv-7"}]
    assert meta["number"]["confidence"] == 0.95
    assert meta["total"]["confidence"] == 0.9  # value reformatted: verified, not in quote
    assert meta["customer"]["name"]["citation"][0]["page"] == 2  # corrected
    assert meta["customer"]["name"]["confidence"] < meta["total"]["confidence"]
    assert "x" not in meta


def test_invented_quotes_are_dropped_and_confidence_lowered() -> None:
    data = {"number": "INV-8", "note": "ACME Corp", "other": "zzz"}
    evidence = [{"field": "number", "page": 1, "quote": "Invoice number: INV-8"}]
    meta = field_metadata(data, parse_evidence(evidence, root_is_list=False), Verifier(PAGES))
    assert meta["number"]["citation"] == []
    assert meta["number"]["confidence"] <= 0.3
    assert meta["note"]["citation"] == [{"page": 2, "matching_text": "ACME Corp"}]  # found by value
    assert meta["other"] == {
        "citation": [],
        "confidence": 0.5,
        "reasoning": "llm (no evidence given)",
    }


def test_malformed_evidence_entries_are_ignored() -> None:
    raw = [
        None,
        {"field": 3},
        {"field": "a", "page": "2", "quote": "q"},
        {"field": "b", "quote": ""},
    ]
    assert parse_evidence(raw, root_is_list=False) == {("a",): [(2, "q")]}
    assert parse_evidence("junk", root_is_list=False) == {}


def test_metadata_mirrors_lists() -> None:
    rows = [{"sku": "ACME Corp"}, None]
    evidence = [{"field": "[0].sku", "page": 2, "quote": "ACME Corp"}]
    meta = field_metadata(rows, parse_evidence(evidence, root_is_list=True), Verifier(PAGES))
    assert meta[0]["sku"]["citation"] == [{"page": 2, "matching_text": "ACME Corp"}]
    assert meta[1] is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_header(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(httpx.Response(429, headers=headers)) == expected


def test_retry_after_http_date() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    delay = retry_after(httpx.Response(429, headers={"Retry-After": when}))
    assert delay is not None and 25 < delay <= 30
