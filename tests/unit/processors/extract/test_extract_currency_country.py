"""The currency of a bill that prints none: a Dutch bill's "Totaal 114,47" is in euros, a
Swiss one's "Endbetrag 1'766.95" in francs. Read from the country its VAT number, IBAN,
address or registry shows (the language weighs least); a printed currency always comes
first. Written from broadband, hotel and agency bills, with other names and numbers."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import text_field

CURRENCY: dict[str, Any] = {
    "type": "object",
    "properties": {"currency": {"type": "string", "description": "The currency of the amounts."}},
}


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        ("Tasklane Networks B.V. · KvK-nummer 82034310 · NL019790703B01", "EUR"),
        ("Korvan Hotels AG · USt-IdNr. CHE-803.397.249 MWST", "CHF"),
        ("Bank: IBAN CH13 5292 9325 7147 4919 1", "CHF"),
        ("Quorra Hotels GmbH · UID ATU98704768", "EUR"),
        ("Voltaro Networks AG · HRB 80775055 · Hamburg", "EUR"),
        ("Bright Spark Ltd · Registered in England and Wales · 4 Lake Road, Kendal LA9 4QT", "GBP"),
        ("Bank details: IBAN GB42 JORL 6212 1910 8785 12", "GBP"),
        ("Northwind LLC · 500 Pine Street, Seattle, WA 98101", "USD"),
    ],
)
def test_the_currency_of_the_issuers_country(footer: str, expected: str) -> None:
    text = f"Rechnung / Factuur / Invoice\nNr.\t19-36496879\nTotal\t114,47\n\n{footer}\n"
    assert text_field(text, CURRENCY, "currency") == expected


def test_a_printed_currency_comes_first() -> None:
    # guard: a Swiss company billing in euros says so
    text = "Rechnung 4411\nEndbetrag\tEUR 1'766.95\nKorvan AG · CHE-803.397.249 MWST\n"
    assert text_field(text, CURRENCY, "currency") == "EUR"


def test_swiss_francs_named_in_words() -> None:
    text = "Rechnung 4411\nEndbetrag\t1'766.95\nAlle Beträge in Schweizer Franken.\n"
    assert text_field(text, CURRENCY, "currency") == "CHF"


def test_no_evidence_no_currency() -> None:
    # guard: nothing names a country, so nothing is guessed
    text = "Invoice 4411\nTotal\t1,766.95\nThank you for your business.\n"
    assert text_field(text, CURRENCY, "currency") is None
