"""The offline extract engine on documents the real parser reads: values, evidence, targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from docgen import make_html, make_pdf
from reams import processors
from reams.processors.extract.conform import nullable_schema
from reams.processors.extract.offline import extract_offline

INVOICE_TEXT = """ACME Supplies Ltd.
12 Harbour Road, Leeds

INVOICE

Invoice Number: INV-2024-0042
Invoice Date: March 5, 2024
Due Date: 04/04/2024
Customer: Northwind Traders

Subtotal: $1,020.00
VAT (20%): $204.00
Total Amount Due: $1,224.00

Payment terms: Net 30
"""

INVOICE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": 'The invoice number ("Invoice No.")'},
        "invoice_date": {"type": "string", "format": "date", "description": "Date of issue"},
        "due_date": {"type": "string", "format": "date"},
        "total": {"type": "number", "description": 'Total amount due ("Total Amount Due")'},
        "subtotal": {"type": "number", "description": "Amount before tax"},
        "currency": {"type": "string", "description": "ISO currency code"},
        "payment_terms": {"type": "string", "enum": ["Net 30", "Net 60", "Due on receipt"]},
        "purchase_order": {"type": "string", "description": "The buyer's PO number"},
    },
    "required": ["invoice_number", "total", "purchase_order"],
}


def parse(data: bytes, filename: str) -> dict[str, Any]:
    return processors.run("parse", data, filename, {})


def validates(result: Any, schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(nullable_schema(schema)).validate(result)


def test_labelled_values_from_a_text_invoice() -> None:
    doc = parse(INVOICE_TEXT.encode(), "invoice.txt")
    outcome = extract_offline(doc, INVOICE_SCHEMA)
    assert outcome.result == {
        "invoice_number": "INV-2024-0042",
        "invoice_date": "2024-03-05",
        "due_date": "2024-04-04",
        "total": 1224.0,
        "subtotal": 1020.0,
        "currency": "USD",
        "payment_terms": "Net 30",
        "purchase_order": None,
    }
    validates(outcome.result, INVOICE_SCHEMA)
    meta = outcome.field_metadata["document_metadata"]
    assert set(meta) == set(outcome.result) - {"purchase_order"}  # not found: no entry
    total = meta["total"]
    assert total["citation"] == [{"page": 1, "matching_text": "Total Amount Due: $1,224.00"}]
    assert 0 < total["confidence"] <= 1
    assert "Total Amount Due" in total["reasoning"]
    assert meta["invoice_date"]["citation"][0]["matching_text"] == "Invoice Date: March 5, 2024"


def test_a_document_without_the_fields_invents_nothing() -> None:
    doc = parse(b"Meeting notes\n\nWe talked about the weather and lunch.\n", "notes.txt")
    outcome = extract_offline(doc, INVOICE_SCHEMA)
    assert outcome.result == {"invoice_number": None, "total": None, "purchase_order": None}
    assert outcome.field_metadata == {"document_metadata": {}}


CONTRACT_PAGES = [
    "# DISTRIBUTION AGREEMENT\n\n"
    'This Distribution Agreement (the "Agreement") is made and entered into as of the 5th day '
    'of March, 2010, by and between Alpha Widgets, Inc., a Delaware corporation ("Supplier"), '
    'and Beta Retail LLC, a Texas limited liability company ("Distributor").\n\n'
    "1. Term. This Agreement shall continue for three (3) years and shall renew automatically "
    "for successive one (1) year periods.",
    "2. Assignment. Distributor may not assign this Agreement without the prior written "
    "consent of Supplier.\n\n"
    "3. Governing Law. This Agreement shall be governed by and construed in accordance with "
    "the laws of the State of New York, without regard to its conflict of laws rules.",
]

CONTRACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "document_name": {"type": "string", "description": "The title of the contract"},
        "parties": {"type": "array", "items": {"type": "string"}, "description": "Who signs"},
        "agreement_date": {
            "type": "string",
            "format": "date",
            "description": 'When it was made ("dated as of", "made and entered into")',
        },
        "governing_law": {"type": "string", "description": "Jurisdiction whose law governs"},
        "renewal_term": {"type": "string", "description": 'Length of renewals ("renew")'},
        "anti_assignment": {
            "type": "boolean",
            "description": 'Is consent required to assign ("may not assign")',
        },
        "source_code_escrow": {
            "type": "boolean",
            "description": 'Must source code be deposited in escrow ("source code escrow")',
        },
    },
    "required": ["document_name", "anti_assignment", "source_code_escrow"],
}


def test_contract_fields_from_a_two_page_pdf(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "contract.pdf", CONTRACT_PAGES)
    doc = parse(pdf.read_bytes(), "contract.pdf")
    outcome = extract_offline(doc, CONTRACT_SCHEMA)
    result = outcome.result
    assert isinstance(result, dict)
    validates(result, CONTRACT_SCHEMA)
    assert result["document_name"] == "DISTRIBUTION AGREEMENT"
    assert result["parties"] == ["Alpha Widgets, Inc.", "Beta Retail LLC"]
    assert result["agreement_date"] == "2010-03-05"
    assert result["governing_law"] == "New York"
    assert result["renewal_term"] == "1 year"
    assert result["anti_assignment"] is True
    assert result["source_code_escrow"] is False
    meta = outcome.field_metadata["document_metadata"]
    assert meta["governing_law"]["citation"][0]["page"] == 2
    assert "laws of the State of New York" in meta["governing_law"]["citation"][0]["matching_text"]
    assert meta["anti_assignment"]["citation"][0]["page"] == 2
    assert meta["source_code_escrow"]["citation"] == []  # absence is a finding, with no citation
    assert [m["citation"][0]["page"] for m in meta["parties"]] == [1, 1]


LINE_ITEMS = [
    ["Description", "Qty", "Unit price", "Amount"],
    ["Steel bolts M8", "100", "$0.25", "$25.00"],
    ["Hex nuts M8", "100", "$0.10", "$10.00"],
    ["Washers", "200", "$0.05", "$10.00"],
]
ITEM = {
    "type": "object",
    "properties": {
        "description": {"type": "string"},
        "quantity": {"type": "integer", "description": 'How many ("Qty")'},
        "unit_price": {"type": "number"},
        "amount": {"type": "number"},
    },
    "required": ["description"],
}


def test_table_rows_become_an_array_of_objects(tmp_path: Path) -> None:
    html = make_html(
        tmp_path / "order.html",
        title="Purchase order",
        paragraphs=["Order Number: PO-7", "Order Date: 2024-01-15"],
        table=LINE_ITEMS,
    )
    schema = {
        "type": "object",
        "properties": {
            "order_number": {"type": "string"},
            "items": {"type": "array", "items": ITEM},
        },
    }
    outcome = extract_offline(parse(html.read_bytes(), "order.html"), schema)
    validates(outcome.result, schema)
    assert outcome.result == {
        "order_number": "PO-7",
        "items": [
            {"description": "Steel bolts M8", "quantity": 100, "unit_price": 0.25, "amount": 25.0},
            {"description": "Hex nuts M8", "quantity": 100, "unit_price": 0.1, "amount": 10.0},
            {"description": "Washers", "quantity": 200, "unit_price": 0.05, "amount": 10.0},
        ],
    }
    item_meta = outcome.field_metadata["document_metadata"]["items"]
    assert len(item_meta) == 3
    assert item_meta[1]["unit_price"]["citation"][0]["matching_text"] == (
        "Hex nuts M8 | 100 | $0.10 | $10.00"
    )


def test_per_table_row_target(tmp_path: Path) -> None:
    html = make_html(tmp_path / "t.html", title="Items", paragraphs=["Intro"], table=LINE_ITEMS)
    outcome = extract_offline(parse(html.read_bytes(), "t.html"), ITEM, target="per_table_row")
    assert isinstance(outcome.result, list)
    assert [row["description"] for row in outcome.result] == [
        "Steel bolts M8",
        "Hex nuts M8",
        "Washers",
    ]
    assert len(outcome.field_metadata["row_metadata"]) == 3
    for row in outcome.result:
        validates(row, ITEM)


def test_per_page_target(tmp_path: Path) -> None:
    pages = [
        f"Receipt Number: R-{n}\n\nReceipt Date: 2024-02-0{n}\n\nTotal: {n}0.00 EUR"
        for n in (1, 2, 3)
    ]
    pdf = make_pdf(tmp_path / "receipts.pdf", pages)
    schema = {
        "type": "object",
        "properties": {
            "receipt_number": {"type": "string"},
            "receipt_date": {"type": "string", "format": "date"},
            "total": {"type": "number"},
        },
    }
    outcome = extract_offline(parse(pdf.read_bytes(), "receipts.pdf"), schema, target="per_page")
    assert outcome.result == [
        {"receipt_number": "R-1", "receipt_date": "2024-02-01", "total": 10.0},
        {"receipt_number": "R-2", "receipt_date": "2024-02-02", "total": 20.0},
        {"receipt_number": "R-3", "receipt_date": "2024-02-03", "total": 30.0},
    ]
    pages_meta = outcome.field_metadata["page_metadata"]
    assert [m["total"]["citation"][0]["page"] for m in pages_meta] == [1, 2, 3]


def test_nested_objects_use_the_parent_name(tmp_path: Path) -> None:
    text = "Shipping Address: 1 Dock Street\nBilling Address: 9 Bank Lane\nOrder total: 99.50\n"
    schema = {
        "type": "object",
        "properties": {
            "shipping": {"type": "object", "properties": {"address": {"type": "string"}}},
            "billing": {"type": "object", "properties": {"address": {"type": "string"}}},
            "order_total": {"type": "number"},
        },
    }
    outcome = extract_offline(parse(text.encode(), "o.txt"), schema)
    assert outcome.result == {
        "shipping": {"address": "1 Dock Street"},
        "billing": {"address": "9 Bank Lane"},
        "order_total": 99.5,
    }
    meta = outcome.field_metadata["document_metadata"]
    assert (
        meta["billing"]["address"]["citation"][0]["matching_text"] == "Billing Address: 9 Bank Lane"
    )


@pytest.mark.parametrize(
    "schema",
    [
        INVOICE_SCHEMA,
        CONTRACT_SCHEMA,
        {"type": "object", "properties": {"items": {"type": "array", "items": ITEM}}},
    ],
)
@pytest.mark.parametrize("source", ["invoice", "contract", "empty"])
def test_results_always_validate(schema: dict[str, Any], source: str) -> None:
    data = {
        "invoice": INVOICE_TEXT,
        "contract": "\n\n".join(CONTRACT_PAGES),
        "empty": "Nothing to see here.",
    }[source]
    doc = parse(data.encode(), f"{source}.txt")
    for target in ("per_doc", "per_page"):
        outcome = extract_offline(doc, schema, target=target)  # type: ignore[arg-type]
        rows = outcome.result if isinstance(outcome.result, list) else [outcome.result]
        for row in rows:
            validates(row, schema)


def test_output_is_deterministic() -> None:
    doc = parse("\n\n".join(CONTRACT_PAGES).encode(), "c.txt")
    first = extract_offline(doc, CONTRACT_SCHEMA)
    assert extract_offline(doc, CONTRACT_SCHEMA) == first
