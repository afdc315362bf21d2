"""A document's own number before its second or another document's one: an "Alt Order #",
an "Original invoice no." on a credit note, a label of alternatives ("Order / Rev") read by
its first part. Written from a cinema booking order and credit notes, with other names."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import text_field

ORDER: dict[str, Any] = {
    "type": "object",
    "properties": {"order_number": {"type": "string", "description": "The number of the order."}},
}
INVOICE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The number of the invoice."}
    },
}


@pytest.mark.parametrize(
    ("label", "second"),
    [
        ("Order / Rev:", "Alt Order #:"),
        ("Order No.:", "Alternate Order Number:"),
        ("Bestellnummer:", "Frühere Bestellnummer:"),
        ("Order / Rev:", "Previous order no.:"),
    ],
)
def test_the_orders_own_number_before_its_alternate(label: str, second: str) -> None:
    text = (
        "ORION PICTURE HOUSES\nBOOKING ORDER\n"
        f"{label}\t2025-03-4411\tVenue:\tRiverside Screens\n"
        f"{second}\tSPRING-FEST-25\tContact:\tLena Brooks\n"
        "Estimate:\tEST-812\tRegion:\tWEST\n"
    )
    assert text_field(text, ORDER, "order_number") == "2025-03-4411"


def test_an_alternate_number_alone_is_still_read() -> None:
    # guard: with no other number, the second one is the document's only number
    text = "ORION PICTURE HOUSES\nBOOKING ORDER\nAlt Order #:\tSPRING-FEST-25\n"
    assert text_field(text, ORDER, "order_number") == "SPRING-FEST-25"


def test_a_credit_notes_original_invoice_is_not_its_number() -> None:
    text = (
        "Harbourline Supplies Ltd\n12 Quay Street\nBristol BS1 4DJ\n\nCREDIT NOTE\n"
        "Original invoice no.:\tINV-30817\nCredit note no.:\tCN-00412\nDate:\t03/02/2025\n"
        "Total credit:\t£120.00\n"
    )
    credit = {
        "type": "object",
        "properties": {
            "credit_note_number": {
                "type": "string",
                "description": "The number of the credit note.",
            }
        },
    }
    assert text_field(text, credit, "credit_note_number") == "CN-00412"


def test_a_field_asking_for_the_original_invoice_gets_it() -> None:
    # guard: the qualifier counts against a label only when the field does not ask for it
    text = "CREDIT NOTE\nOriginal invoice no.:\tINV-30817\nCredit note no.:\tCN-00412\n"
    original = {
        "type": "object",
        "properties": {
            "original_invoice_number": {
                "type": "string",
                "description": "The number of the invoice this credit note corrects.",
            }
        },
    }
    assert text_field(text, original, "original_invoice_number") == "INV-30817"


CREDIT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "credit_note_number": {"type": "string", "description": "The number of the credit note."},
        "total": {"type": "number", "description": "The total amount credited, taxes included."},
        "vendor": {"type": "string", "description": "The company that issued the credit note."},
    },
}


@pytest.mark.parametrize(
    ("title", "number", "original", "total"),
    [
        ("GUTSCHRIFT", "Gutschriftsnummer", "zu Rechnung Nr.", "Gutschriftsbetrag"),
        ("Gutschrift", "Gutschrift Nr.", "Ursprüngliche Rechnung", "Summe Gutschrift"),
        ("AVOIR", "Avoir n°", "Facture d'origine n°", "Montant de l'avoir"),
        ("Creditnota", "Creditnotanummer", "Oorspronkelijke factuur", "Totaal creditnota"),
        ("Nota de crédito", "Nota de crédito nº", "Factura rectificada nº", "Total abono"),
        ("Credit note", "Credit note ref.", "Original invoice no.", "Total credit"),
    ],
)
def test_credit_notes_in_five_languages(title: str, number: str, original: str, total: str) -> None:
    text = (
        "Hartung Bürotechnik OG\nHerrengasse 12\n8010 Graz\n\n"
        f"{title}\n{original}\tRE419381\n{number}\tGS-20871\n"
        "Beschreibung\tGesamt\nToner\t312,50\n"
        f"Summe netto\t312,50\nMwSt. 20 %\t62,50\n{total}\t375,00\n"
    )
    assert text_field(text, CREDIT, "credit_note_number") == "GS-20871"
    assert text_field(text, CREDIT, "total") == 375.0
    assert text_field(text, CREDIT, "vendor") == "Hartung Bürotechnik OG"


def test_a_floor_is_no_legal_form() -> None:
    # guard: "2. OG" is the second floor of an address, not an Austrian partnership
    text = "Kanzlei Brandt\nHauptstraße 5, 2. OG\n1010 Wien\nRechnung 4411\nSumme\t120,00\n"
    assert text_field(text, CREDIT, "vendor") == "Kanzlei Brandt"


@pytest.mark.parametrize("title", ["AVOIR", "Gutschrift", "CREDITNOTA", "Nota de crédito", "Abono"])
def test_a_credit_notes_title_is_not_its_issuer(title: str) -> None:
    text = (
        f"{title}\nTransports Barbier S.A.\n12 rue de la Paix\n75002 Paris\n\n"
        "Avoir n°\tAV-43504\nTotal TTC\t120,00\n"
    )
    assert text_field(text, CREDIT, "vendor") == "Transports Barbier S.A."
