"""Line boxes from the parse items (``bbox``, as PDFs give them) reach the extract layout: a
label and its value printed side by side are paired even when the reading order put them
apart, and a letterhead set in large type at the top of the page is the issuer even when the
reading order puts it late. The documents are built as parse results, so no PDF reader is
needed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reams.processors.extract.layout import line_pairs, physical_lines
from reams.processors.extract.offline import extract_offline

INVOICE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The number of the invoice."},
        "vendor": {"type": "string", "description": "The company that issued the invoice."},
    },
}


Row = tuple[str, float, float, float]


def parsed(lines: Sequence[Row], height: float = 800.0) -> dict[str, Any]:
    """A one-page parse result: each line (text, x, y, type size) a text item with its box."""
    items = [
        {
            "type": "text",
            "md": text,
            "value": text,
            "bbox": [
                {"x": x, "y": y, "w": 6.0 * len(text), "h": 1.05 * size}
                | {"start_index": 0, "end_index": len(text)}
            ],
        }
        for text, x, y, size in lines
    ]
    text = "\n".join(line[0] for line in lines)
    page = {"page_number": 1, "text": text, "markdown": text, "height": height, "items": items}
    return {"pages": [page], "text_full": text, "markdown_full": text, "document": {}}


def test_lines_get_the_boxes_of_their_items() -> None:
    doc = parsed([("Rechnungsnr.", 50, 300, 9), ("30064443", 150, 300, 9)])
    lines = physical_lines(doc)
    assert [line.box.x if line.box else None for line in lines] == [50, 150]
    assert lines[0].box is not None and round(lines[0].box.size, 6) == 9.0
    assert lines[0].box.top == 300 / 800


def test_a_value_right_of_its_label_is_paired_whatever_the_reading_order() -> None:
    doc = parsed(
        [
            ("Kundennr.", 50, 320, 9),  # the reading order: labels, then their values
            ("Factuurnummer", 50, 300, 9),
            ("20-4471-B", 170, 300, 9),
            ("88120", 170, 320, 9),
        ]
    )
    pairs = {(p.key, p.value) for p in line_pairs(physical_lines(doc))}
    assert ("Factuurnummer", "20-4471-B") in pairs and ("Kundennr.", "88120") in pairs
    result = extract_offline(doc, INVOICE).result
    assert isinstance(result, dict) and result["invoice_number"] == "20-4471-B"


def test_a_value_under_its_label_in_its_column_is_paired() -> None:
    doc = parsed([("Invoice No.", 300, 100, 10), ("Date", 400, 100, 10), ("INV-77", 300, 112, 10)])
    pairs = {(p.key, p.value) for p in line_pairs(physical_lines(doc))}
    assert ("Invoice No.", "INV-77") in pairs
    assert not any(key == "Date" for key, _ in pairs)


def test_without_boxes_lines_have_none_and_no_placed_pairs() -> None:
    doc = parsed([("Invoice No.", 300, 100, 10), ("INV-77", 300, 112, 10)])
    for item in doc["pages"][0]["items"]:
        del item["bbox"]
    assert all(line.box is None for line in physical_lines(doc))


def late_letterhead(*, boxed: bool) -> dict[str, Any]:
    """An invoice whose reading order starts with the addressee and a table of references and
    reaches the letterhead (large type, top right) only after them."""
    lines = [
        ("Invoice to", 50, 150, 9),
        ("Harbour Supplies", 50, 162, 9),
        ("Quay Road 4", 50, 174, 9),
        ("Reference", 50, 220, 9),
        ("Period", 50, 232, 9),
        ("Terms", 50, 244, 9),
        ("Project", 50, 256, 9),
        ("Contact", 50, 268, 9),
        ("Order", 50, 280, 9),
        ("Cost centre", 50, 292, 9),
        ("Department", 50, 304, 9),
        ("Region", 50, 316, 9),
        ("Lindqvist Woodworks", 330, 40, 20),
        ("Invoice No. 5521", 330, 70, 9),
    ]
    doc = parsed(lines)
    if not boxed:
        for item in doc["pages"][0]["items"]:
            del item["bbox"]
    return doc


def test_a_letterhead_in_large_type_at_the_top_is_the_issuer_even_when_read_late() -> None:
    result = extract_offline(late_letterhead(boxed=True), INVOICE).result
    assert isinstance(result, dict) and result["vendor"] == "Lindqvist Woodworks"
    # the same text without boxes: the name read late is not taken for a letterhead
    result = extract_offline(late_letterhead(boxed=False), INVOICE).result
    assert isinstance(result, dict) and result["vendor"] != "Lindqvist Woodworks"
