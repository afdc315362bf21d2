"""Document numbers on generated receipts and invoices unlike the corpus ones: labels in the
common European languages (compounds, abbreviations, "ID" for number), and values that are
telephone numbers, VAT ids or IBANs refused."""

from __future__ import annotations

from typing import Any

import pytest

from reams import processors
from reams.processors.extract.everyday import _code
from reams.processors.extract.offline import extract_offline

RECEIPT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "receipt_number": {
            "type": "string",
            "description": "The number of the receipt, order or transaction.",
        }
    },
}
INVOICE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The number of the invoice."}
    },
}


def number(text: str, schema: dict[str, Any]) -> Any:
    doc = processors.run("parse", text.encode(), "doc.txt", {})
    result = extract_offline(doc, schema).result
    assert isinstance(result, dict)
    return result.get(next(iter(schema["properties"])))


@pytest.mark.parametrize(
    ("label", "schema"),
    [
        ("Bonnummer:", RECEIPT),
        ("Beleg-Nr.", RECEIPT),
        ("Booking ID", RECEIPT),
        ("Transaction ID:", RECEIPT),
        ("TXN:", RECEIPT),
        ("Doc No", RECEIPT),
        ("Receipt #", RECEIPT),
        ("Fattura n.", INVOICE),
        ("Auftragsnummer:", RECEIPT),
    ],
)
def test_labels_of_document_numbers(label: str, schema: dict[str, Any]) -> None:
    text = f"Bakkerij Zonnehoek\nMarktplein 3\n4811 AB Breda\n\n{label}   KX-20931\nTotal 12.40\n"
    assert number(text, schema) == "KX-20931"


@pytest.mark.parametrize(
    "value",
    [
        "+31 76 522 1234",
        "(415) 555-0199",
        "080 100 444 66",
        "NL123456789B01",
        "DE 123456789",
        "ATU12345678",
        "NL91ABNA0417164300",
        "DE89 3704 0044 0532 0130 00",
    ],
)
def test_telephone_numbers_vat_ids_and_ibans_are_not_document_numbers(value: str) -> None:
    assert _code(value) is None
    assert number(f"Nordlicht Handel\nNo.: {value}\nTotal 12.40\n", INVOICE) is None


@pytest.mark.parametrize("value", ["2024-12-5678", "INV/2023/03/0008", "F 1234K20/1234/12"])
def test_codes_with_dashes_and_slashes_stay_numbers(value: str) -> None:
    assert _code(value) == value


def test_a_number_sign_opening_an_address_is_not_the_number() -> None:
    text = "KEDAI RUNCIT MAJU SDN BHD\nNO. 61, JALAN BUKIT BINTANG\nDoc No   FS37699\n"
    assert number(text, RECEIPT) == "FS37699"


def test_a_label_ending_in_a_number_sign_over_its_value() -> None:
    text = "Asesoría Robles S.L.\nFactura Nº\nR5536824\nFecha 07/11/2023\n"
    assert number(text, INVOICE) == "R5536824"
