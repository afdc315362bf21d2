"""The offline engine on a few real documents of the shared corpus (CUAD contracts, invoices),
with the benchmark's schemas (``bench/extract/*.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from corpus import REPO, corpus_root
from reams import processors
from reams.processors.extract.conform import nullable_schema
from reams.processors.extract.offline import extract_offline
from reams.processors.extract.schema import check_schema

SCHEMAS = REPO / "bench" / "extract"
CUAD = "cuad/txt/"
CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "invoice2data/AmazonWebServices.pdf",
        "invoice_schema.json",
        {"invoice_number": "42183017", "date": "2014-08-03", "amount": 4.11, "currency": "USD"},
    ),
    (
        "invoice2data/saeco.pdf",
        "invoice_schema.json",
        {"invoice_number": "VF1005193039", "date": "2022-09-08", "amount": 49.99},
    ),
    (  # Dutch labels, the vendor's legal form, day-first month names
        "invoice2data/coolblue1.pdf",
        "fields_invoice.json",
        {
            "invoice_number": "993548900",
            "invoice_date": "2014-04-19",
            "total": 717.97,
            "vendor": "Coolblue B.V.",
            "currency": "EUR",
        },
    ),
    (  # French: "Facture n°", Total TTC over Total HT, the issuer in the footer
        "invoice2data/NetpresseInvoice.pdf",
        "fields_invoice.json",
        {
            "invoice_number": "2022089083",
            "invoice_date": "2022-11-28",
            "total": 56.02,
            "vendor": "NETPRESSE",
        },
    ),
    (  # German: "7. Mai 2014", "Total EUR 34,73" on page 2, AG
        "invoice2data/QualityHosting.pdf",
        "fields_invoice.json",
        {"invoice_date": "2014-05-07", "total": 34.73, "vendor": "QualityHosting AG"},
    ),
    (  # a receipt: letterhead company and address, TOTAL over "Total Points"
        "markitdown-tests/RECEIPT-2024-TXN-98765_retail_purchase.pdf",
        "fields_receipt.json",
        {
            "company": "TECHMART ELECTRONICS",
            "date": "2024-11-23",
            "address": "4567 Innovation Blvd, San Francisco, CA 94103",
            "total": 821.14,
        },
    ),
    (
        CUAD + "CybergyHoldingsInc_20140520_10-Q_EX-10.27_8605784_EX-10.27_Affiliate Agreement.txt",
        "cuad_schema.json",
        {"document_name": "MARKETING AFFILIATE AGREEMENT", "agreement_date": "2014-05-08"},
    ),
    (
        CUAD + "EuromediaHoldingsCorp_20070215_10SB12G_EX-10.B(01)_525118_EX-10.B(01)_Content "
        "License Agreement.txt",
        "cuad_schema.json",
        {
            "document_name": "VIDEO-ON-DEMAND CONTENT LICENSE AGREEMENT",
            "parties": ["Rogers Cable Communications Inc.", "EuroMedia Holdings Corp."],
            "agreement_date": "2006-07-11",
            "governing_law": "Florida",
            "renewal_term": "2 years",
        },
    ),
]


def corpus_file(relative: str) -> Path:
    path = corpus_root() / relative
    if not path.is_file():
        pytest.skip(f"shared corpus file {path} is not available on this machine")
    return path


@pytest.mark.parametrize(("relative", "schema_name", "expected"), CASES)
def test_real_documents(relative: str, schema_name: str, expected: dict[str, Any]) -> None:
    path = corpus_file(relative)
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    check_schema(schema)
    doc = processors.run("parse", path.read_bytes(), path.name, {})
    outcome = extract_offline(doc, schema)
    assert isinstance(outcome.result, dict)
    jsonschema.Draft202012Validator(nullable_schema(schema)).validate(outcome.result)
    assert {name: outcome.result.get(name) for name in expected} == expected
    meta = outcome.field_metadata["document_metadata"]
    for name in expected:
        entries = meta[name] if isinstance(meta[name], list) else [meta[name]]
        for entry in entries:
            citation = entry["citation"][0]
            assert 1 <= citation["page"] <= doc["document"]["page_count"]
            assert citation["matching_text"]
