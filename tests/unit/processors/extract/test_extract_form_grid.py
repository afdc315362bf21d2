"""A form printed as two columns of label/value pairs, each line "label | value | label |
value": a name beside its label is the label's value even though it looks like a label
itself. Written from a car-repair estimate, with other names and labels."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import text_field

from reams.processors.extract.layout import PLine, line_pairs

ORDER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "customer": {"type": "string", "description": "The name of the customer."},
    },
}


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Insured name", "Maya Okafor"),
        ("Customer", "Tomas Lindqvist"),
        ("Client", "Nadia Haddad"),
        ("Kunde", "Jonas Petersen"),
    ],
)
def test_the_customer_in_a_four_cell_line(label: str, name: str) -> None:
    text = (
        "HILLCREST BODY SHOP\n14 Mill Road, Tacoma, WA 98402\nPreliminary Estimate\n"
        "Customer\tInformation\tVehicle Information\n"
        f"{label}\t{name}\tYear\t2021\n"
        "Claim #\tCL-7731\tMake\tSubaru\n"
        "Phone\t(253) 555-0142\tModel\tOutback\n"
    )
    assert text_field(text, ORDER, "customer") == name


def test_a_row_of_labels_is_no_grid() -> None:
    # guard: a table's header row (no value with digits) pairs nothing
    line = PLine(1, 0, ("Description", "Unit Price", "Quantity", "Amount"))
    assert line_pairs([line]) == []


def test_a_grid_row_pairs_every_label_with_its_value() -> None:
    line = PLine(1, 0, ("Insured name", "Maya Okafor", "Year", "2021"))
    pairs = {(p.key, p.value) for p in line_pairs([line])}
    assert {("Insured name", "Maya Okafor"), ("Year", "2021")} <= pairs
