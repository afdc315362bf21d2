"""The engine's parts: dates and amounts in text, durations, clause presence, label pairs."""

from __future__ import annotations

from typing import Any

from reams import processors
from reams.processors.extract.clauses import ClauseIndex, clause_candidate
from reams.processors.extract.dates import find_dates, parse_date
from reams.processors.extract.numbers import currency_codes, find_amounts, parse_amount
from reams.processors.extract.patterns import durations
from reams.processors.extract.text import DocView, content_stems, field_terms


def view_of(text: str) -> DocView:
    return DocView.build(processors.run("parse", text.encode(), "doc.txt", {}))


def test_find_dates_in_running_text() -> None:
    text = "entered into this 20t h day of November, 2018 and amended on 1/2/2019 (v1.2.3)"
    assert [d.iso for d in find_dates(text)] == ["2018-11-20", "2019-01-02"]
    assert [d.iso for d in find_dates("le 02/07/2015", dayfirst=True)] == ["2015-07-02"]
    assert parse_date("March 2010") == "2010-03-01"


def test_amounts_and_currencies_in_text() -> None:
    found = find_amounts("Total $4.11, qty 3, then 1.234,56 €")
    assert [(a.value, a.has_currency) for a in found] == [
        (4.11, True),
        (3.0, False),
        (1234.56, True),
    ]
    assert parse_amount("Rs. 1,939.00") == 1939.0
    assert currency_codes("Total 12,00 € — 3 € — 1 $") == ["EUR", "USD"]


def test_durations_read_number_words() -> None:
    text = "renew for successive one (1) year periods upon ninety (90) days notice or 2 months"
    assert [d[0] for d in durations(text)] == ["1 year", "90 days", "2 months"]


def test_stems_join_inflections_and_abbreviations() -> None:
    assert content_stems("Invoice No. dated") == content_stems("invoice number date")
    assert content_stems("sharing shares") == ["shar", "shar"]


def test_field_terms_read_name_description_and_quoted_aliases() -> None:
    terms = field_terms("invoiceNumber", {"description": 'The number ("Factuurnummer", "Inv #")'})
    assert terms.name_words == ("invoice", "number")
    assert terms.aliases == ("invoice number", "factuurnummer", "inv #")


def test_several_labels_on_one_line_and_label_above_value() -> None:
    view = view_of("Receipt Date: 2024-02-01 Total: 10.00 EUR\n\nCustomer:\n\nNorthwind Traders\n")
    pairs = [(p.key, p.value) for p in view.pairs]
    assert ("Receipt Date", "2024-02-01") in pairs
    assert ("Total", "10.00 EUR") in pairs
    assert ("Customer", "Northwind Traders") in pairs


def test_running_heads_are_furniture() -> None:
    pages = "\n\n".join(f"Source: ACME CORP, 10-K, 2019\n\nPage body {n} text." for n in range(4))
    view = view_of(pages)
    assert all("Source" not in line.text for line in view.body())
    assert any("Source" in line.text for line in view.lines)


def flag(text: str, name: str, description: str) -> Any:
    node = {"type": "boolean", "description": description}
    return clause_candidate(ClauseIndex(view_of(text)), field_terms(name, node))


def test_clause_presence_and_negation() -> None:
    description = 'Is there a third party beneficiary ("third party beneficiary")'
    present = flag(
        "Acme is an intended third party beneficiary of this Agreement.", "tpb", description
    )
    assert present.value is True
    assert present.source == "Acme is an intended third party beneficiary of this Agreement."
    negated = flag(
        "There are no third party beneficiary rights under this Agreement.", "tpb", description
    )
    assert negated.value is False
    assert flag("Nothing relevant here at all.", "tpb", description).value is False


def test_clause_presence_from_the_field_name_alone() -> None:
    text = "Each party shall maintain general liability insurance of at least $1,000,000."
    assert flag(text, "insurance", "").value is True
    assert flag("The price is fixed.", "insurance", "").value is False
