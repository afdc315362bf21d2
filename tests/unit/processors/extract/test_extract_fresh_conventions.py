"""Conventions of countries the first rules were not written for (the bench's fresh split):
"$" on an Australian or Mexican invoice, crowns ("kr") in Sweden and Denmark, Nordic and Italian
total labels ("Att betala", "I alt", "Totale documento"), dates as "18-Dec-2023". Written from
how such invoices look, with other names and numbers than the bench's."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import text_field

from reams.processors.extract.dates import find_dates
from reams.processors.extract.everyday import day_first

CURRENCY: dict[str, Any] = {
    "type": "object",
    "properties": {"currency": {"type": "string", "description": "The currency code."}},
}
TOTAL: dict[str, Any] = {
    "type": "object",
    "properties": {"total": {"type": "number", "description": "The total amount to pay."}},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the sign is shared and a code of its family is printed once
        ("Tax Invoice 5512\nSubtotal\t$1,200.00\nTOTAL AUD\t$1,320.00\n", "AUD"),
        ("Factura A77\nTotal\t$8,120.00\nMoneda: MXN\n", "MXN"),
        # the country says which dollar
        ("Tax Invoice\nWattle Joinery Pty Ltd · ABN 51 824 753 556\nTotal\t$990.00\n", "AUD"),
        ("Invoice\nKiri Builders · 14 Reef St, Manly QLD 4179\nTotal\t$450.00\n", "AUD"),
        (
            "Factura\nRFC: GOMA850412KT3\nImporte con letra: mil pesos 00/100 M.N.\n"
            "Total\t$1,000.00\n",
            "MXN",
        ),
        # crowns: Sweden, Denmark
        ("Faktura 1182\nOrg.nr 556677-1234 · Bankgiro 123-4567\nAtt betala\t12 500,00 kr\n", "SEK"),
        ("Faktura 77\nTømrer Holm ApS · CVR-nr. 31 45 67 89\nI alt\t9.375,00 kr.\n", "DKK"),
    ],
)
def test_a_shared_sign_is_made_specific(text: str, expected: str) -> None:
    assert text_field(text, CURRENCY, "currency") == expected


@pytest.mark.parametrize(
    "text",
    [
        # guards: a plain American invoice, and "RFC 7231" in a software invoice, stay US dollars
        "Invoice 12\nNorthwind LLC · 500 Pine Street, Seattle, WA 98101\nTotal\t$450.00\n",
        "Invoice 12\nHTTP client per RFC 7231, support hours\nTotal\t$450.00\n",
        # an explicit USD beside an Australian address is USD
        "Invoice 12\nShipped from Manly QLD 4179\nTotal\tUSD $450.00\n",
    ],
)
def test_a_dollar_stays_usd_without_other_evidence(text: str) -> None:
    assert text_field(text, CURRENCY, "currency") == "USD"


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Netto\t8 000,00\nMoms 25%\t2 000,00\nAtt betala\t10 000,00 kr", 10000.0),
        ("Summa exkl. moms\t8 000,00\nMoms 25%\t2 000,00\nSumma att betala\t10 000,00", 10000.0),
        ("Subtotal\t4.000,00\nMoms 25%\t1.000,00\nI alt\t5.000,00 kr.", 5000.0),
        ("Beløb ekskl. moms\t4.000,00\nMoms 25%\t1.000,00\nTotal inkl. moms\t5.000,00", 5000.0),
        ("Imponibile\t1.000,00\nIVA 22%\t220,00\nTotale documento\t1.220,00", 1220.0),
    ],
)
def test_nordic_and_italian_totals(summary: str, expected: float) -> None:
    text = f"Faktura 1182\nBeskrivning\tBelopp\nArbete\t3 000,00\n{summary}\n"
    assert text_field(text, TOTAL, "total") == expected


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Dated 18-Dec-2023", "2023-12-18"),
        ("Invoice Date: 02/Jan/24", "2024-01-02"),
        ("Date 7-sept-2025", "2025-09-07"),
    ],
)
def test_day_month_name_year_joined_by_dashes(text: str, iso: str) -> None:
    assert [found.iso for found in find_dates(text)] == [iso]


def test_a_mexican_dollar_invoice_writes_dates_day_first() -> None:
    text = "Factura\nFecha de emisión: 02/12/2023\nRFC: GOMA850412KT3\nTotal con IVA\t$1,160.00\n"
    assert day_first(text, "")
    # guard: an American one writes them month first
    assert not day_first("Invoice\nDate: 02/12/2023\nTotal\t$1,160.00\n", "")


def test_rome_province_is_not_a_ringgit() -> None:
    text = (
        "Impianti Ferraro S.r.l.\nVia Garibaldi 12\n00186 Roma (RM)\nP.IVA IT04417720371\n"
        "Fattura n. 12/2024 del 03/05/2024\nTotale documento\t1.220,00\n"
    )
    assert text_field(text, CURRENCY, "currency") == "EUR"
    # guard: a Malaysian receipt's "(RM)" column is ringgit
    receipt = "Kedai Runcit Lim\n55100 Kuala Lumpur\nTotal (RM)\t12.50\n"
    assert text_field(receipt, CURRENCY, "currency") == "MYR"
