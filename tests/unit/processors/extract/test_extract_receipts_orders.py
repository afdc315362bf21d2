"""Receipts, order confirmations and delivery notes: the person at a shop's till is not the
shop, a till's "Nº Op." numbers the receipt, a delivery note's number and its recipient under
"Leveren aan" / "Warenempfänger", an order confirmation's customer under the sender's one-line
return address (a window envelope). Written from how such documents look, not from any corpus
document; each case failed before the rule it pins, except the guards that say so (they
pin what a new rule must not change)."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import DELIVERY, text_field

from reams.processors.extract import postal

RECEIPT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "company": {
            "type": "string",
            "description": "The shop or company that issued the receipt.",
        },
        "receipt_number": {
            "type": "string",
            "description": "The number of the receipt, order or transaction.",
        },
    },
}
ORDER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "seller": {"type": "string", "description": "The company that sells the goods."},
        "customer": {"type": "string", "description": "The name of the customer."},
    },
}


# --- the person at the till -------------------------------------------------------------


@pytest.mark.parametrize(
    ("shop", "address", "served"),
    [
        ("BÄCKEREI HOFMANN", "Marktplatz 4\n80331 München", "Verkäufer: Anna"),
        ("BOULANGERIE MARTIN", "12 rue de la Paix\n75002 Paris", "Vendeur : Paul"),
        ("Bakkerij De Vries", "Kerkstraat 3\n3511 LX Utrecht", "Verkoper: Sanne"),
        ("Papelería Gómez", "Calle Mayor 12\n28013 Madrid", "Vendedor: Luis Pérez"),
        ("CORNER GROCERY", "12 Mill Lane\nLeeds LS1 4AB", "Seller: Tom"),
    ],
)
def test_the_person_after_a_seller_word_on_a_receipt_is_not_the_shop(
    shop: str, address: str, served: str
) -> None:
    text = (
        f"{shop}\n{address}\n\nBon 4711   12.03.2024 08:15\n{served}\n"
        "2 x Brezel  1,60\nKaffee  2,90\nTOTAL EUR  4,50\nBar  5,00\n"
    )
    assert text_field(text, RECEIPT, "company") == shop


def test_a_seller_with_a_legal_form_after_a_seller_word_still_wins() -> None:
    # guard: the till rule leaves a company after "Verkäufer" the seller
    text = (
        "MARKTPLATZ24\nHafenstraße 1\n20457 Hamburg\n\nRechnung 4711   12.03.2024\n"
        "Verkäufer: Lange Gartenbau OG\nGartenschere  19,90\nGesamt EUR  19,90\n"
    )
    assert text_field(text, RECEIPT, "company") == "Lange Gartenbau OG"


def test_a_tills_operation_number_is_the_receipts_number() -> None:
    text = (
        "Bar Ortega\nAvda. de la Constitución, 7 - 46002 Valencia\n"
        "Nº Op. 459475   19/05/2022 17:13\nMesa 33\nTOTAL A PAGAR   62,60 €\n"
    )
    assert text_field(text, RECEIPT, "receipt_number") == "459475"


# --- delivery notes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "label", "number", "to", "recipient", "address"),
    [
        (
            "PAKBON",
            "Pakbon nr.",
            "DN-926569",
            "Leveren aan",
            "Verhoeven Transport B.V.",
            "Stationsplein 137\n2511 BT Den Haag",
        ),
        (
            "LIEFERSCHEIN",
            "Lieferschein-Nr.",
            "LS-562071",
            "Warenempfänger",
            "Scholz Sanitär GmbH & Co. KG",
            "Bahnhofstr. 18\n70173 Stuttgart",
        ),
        (
            "DELIVERY NOTE",
            "Delivery note no.",
            "DN-2291",
            "Ship to",
            "Harbour Joinery",
            "12 Dock Road\nBristol BS1 5TT",
        ),
    ],
)
def test_a_delivery_notes_number_and_recipient(
    title: str, label: str, number: str, to: str, recipient: str, address: str
) -> None:
    text = (
        f"Bos Hoveniers B.V.\nKerkweg 124\n2511 BT Den Haag\n\n{title}\n{label}: {number}\n"
        f"Datum: 17-07-2024\nOrder: 5130\n\n{to}\n{recipient}\n{address}\n\n"
        "Art.nr.   Product   Aant.\n615128   Kopieerpapier A4   4\n"
    )
    assert text_field(text, DELIVERY, "delivery_number") == number
    assert text_field(text, DELIVERY, "recipient") == recipient
    assert text_field(text, DELIVERY, "supplier") == "Bos Hoveniers B.V."


# --- the addressee under a window envelope's return address -----------------------------


@pytest.mark.parametrize(
    ("seller", "street", "town", "customer", "their_address"),
    [
        (
            "Werner Bürobedarf",
            "Hauptstraße 188",
            "70173 Stuttgart",
            "Braun Gartenbau",
            "Bahnhofstr. 170\n50667 Köln",
        ),
        (
            "Asesoría Moreno S.L.U.",
            "Calle Mayor, 63",
            "41004 Sevilla",
            "Lucía Sánchez",
            "C/ Gran Vía 168\n08002 Barcelona",
        ),
        (
            "Bureautique Chevalier SRL",
            "Kerkstraat 37",
            "1000 Bruxelles",
            "Plomberie Girard SPRL",
            "Avenue Louise 177\n4000 Liège",
        ),
    ],
)
def test_the_customer_is_the_name_under_the_return_address(
    seller: str, street: str, town: str, customer: str, their_address: str
) -> None:
    text = (
        f"{seller}\n{street}\n{town}\n\n{seller} · {street} · {town}\n{customer}\n"
        f"{their_address}\n\nOrder confirmation\nOrder no. 6392415\n"
        "Item   Qty   Price\nToner   4   147,71\nTotal   590,84\n"
    )
    assert text_field(text, ORDER, "customer") == customer
    assert text_field(text, ORDER, "seller") == seller


@pytest.mark.parametrize(
    ("text", "is_address"),
    [
        ("C/ Gran Vía 168", True),  # Spanish calle
        ("1000 Bruxelles", True),
        ("Kerkstraat 1, 4000 Liège", True),  # guard
        ("8001 Zürich", True),
        ("c/o Anna Weber", False),  # guard: care of
        ("Founded 1998 Quality", False),  # guard: a year
        ("4567 Innovation Blvd, San Francisco", True),  # guard: a street, not a town
    ],
)
def test_address_lines_of_more_countries(text: str, is_address: bool) -> None:
    assert postal.address_like(text) is is_address


def test_a_street_number_is_not_a_four_digit_postcode() -> None:
    # the block goes on past "4567 Innovation Blvd" to its town
    assert postal.POSTCODE.search("4567 Innovation Blvd") is None
    assert postal.POSTCODE.search("4000 Liège") is not None


# --- an order's summary column read into one cell ---------------------------------------

ORDER_TOTAL: dict[str, Any] = {
    "type": "object",
    "properties": {
        "order_number": {"type": "string", "description": "The number of the order."},
        "total": {"type": "number", "description": "The total amount of the order."},
    },
}


@pytest.mark.parametrize(
    ("labels", "amounts", "total"),
    [
        (
            "Total excl. VAT Shipping Tax 6.5% Tax 8.25% Order total",
            "USD 3,294.62 USD 49.00 USD 70.96 USD 185.78 USD 3,600.36",
            3600.36,
        ),
        (
            "Totaal excl. btw Bezorgkosten btw 21% Totaalbedrag",
            "EUR 514,06 EUR 4,95 EUR 108,99 EUR 628,00",
            628.0,
        ),
        (  # guard: right before too (the largest amount of a shared "Gesamt" label)
            "Gesamt netto MwSt. 7 % MwSt. 19 % Bestellwert brutto",
            "658,03 € 41,36 € 12,77 € 712,16 €",
            712.16,
        ),
    ],
)
def test_the_last_label_of_a_stacked_summary_names_the_last_amount(
    labels: str, amounts: str, total: float
) -> None:
    text = (
        "Postma Transport B.V.\nStationsplein 170\n3511 LX Utrecht\n\nOrder confirmation\n"
        "Order no.: 141354\n\n#\tProduct\tQty\tPrice\tAmount\n1\tPaper A4\t3\t156,19\t468,57\n"
        f"\t\t{labels}\t\t{amounts}\n"
    )
    assert text_field(text, ORDER_TOTAL, "total") == total


def test_a_dutch_purchase_order_number_label_numbers_the_order() -> None:
    text = (
        "Postma Transport B.V.\nStationsplein 170\n3511 LX Utrecht\n\nOrderbevestiging\n"
        "Inkoopordernr.\tORD-141354\nKlantnummer\t14683\nTotaalbedrag\tEUR 628,00\n"
    )
    assert text_field(text, ORDER_TOTAL, "order_number") == "ORD-141354"


# --- Spanish street words -----------------------------------------------------------------


@pytest.mark.parametrize(
    "street",
    ["Paseo del Prado, 55", "Plaza Mayor, 3", "Avda. de América, 12", "Ronda Sant Pere, 9"],
)
def test_a_spanish_shops_address_is_read(street: str) -> None:
    schema = {
        "type": "object",
        "properties": {
            "address": {"type": "string", "description": "The address of the shop."},
        },
    }
    text = (
        f"AUTOSERVICIO MORENO\n{street}\n08002 Barcelona\nTlf. +34 935 380 479\n\n"
        "TOMATES   28,41\nTOTAL   28,41 EUR\n"
    )
    assert text_field(text, schema, "address") == f"{street}, 08002 Barcelona"


# --- more receipt number labels ---------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    ["Nº factura:", "Rechnung Nr.", "Facture n°", "Vorgangs-Nr.", "Trx:"],
)
def test_a_tills_invoice_or_transaction_number_is_the_receipts_number(label: str) -> None:
    text = (
        "CORNER SHOP\nHigh Street 4\n80331 München\n\n12.03.2024 08:15\n"
        f"{label} 806739\nKaffee  2,90\nSUMME EUR  2,90\n"
    )
    assert text_field(text, RECEIPT, "receipt_number") == "806739"


def test_a_receipt_number_label_wins_over_an_invoice_number() -> None:
    # guard: an invoice number is only the receipt's when nothing names the receipt
    text = (
        "CORNER SHOP\nHigh Street 4\n80331 München\n\nRechnung Nr. 2024-117\n"
        "Bon-Nr. 806739\nKaffee  2,90\nSUMME EUR  2,90\n"
    )
    assert text_field(text, RECEIPT, "receipt_number") == "806739"


def test_an_invoice_number_is_not_an_orders_number() -> None:
    # guard: only a receipt's field takes an invoice number
    text = "Acme Trading Ltd\n1 High Street\nLeeds LS1 4AB\n\nInvoice No. 2024-117\nTotal 10.00\n"
    assert text_field(text, ORDER_TOTAL, "order_number") is None
