"""A scanned page's items carry line boxes (``bbox``) as a text PDF's do: OCR lines become the
page's lines, in points from its top-left corner."""

from __future__ import annotations

import pytest

from ocr_fixtures import printed_image, scanned_pdf
from reams.processors import run

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")

INVOICE = (
    "ACME TRADING B.V.",
    "Invoice number 2024-117",
    "Date of issue 12/03/2024",
    "Total due 1,250.00 EUR",
)
SIDE = 288.0


def test_an_ocr_invoice_scans_items_carry_line_boxes() -> None:
    scan = scanned_pdf([printed_image(INVOICE, size=14, dpi=200)], side=SIDE)
    page = run("parse", scan, "invoice-scan.pdf", {})["pages"][0]
    assert page["ocr"] is True
    boxed = [item for item in page["items"] if item.get("bbox")]
    assert boxed, page["items"]
    tops: list[float] = []
    for item in boxed:
        for box in item["bbox"]:
            assert 0 <= box["x"] < SIDE and 0 <= box["y"] < SIDE
            assert 0 < box["w"] <= SIDE and 0 < box["h"] < SIDE / 4
            tops.append(box["y"])
            if item["type"] in ("text", "heading"):
                printed = item["value"][box["start_index"] : box["end_index"]]
                assert printed and printed in page["text"]
    assert len(tops) >= len(INVOICE) - 1  # a line OCR merged or missed may go
    assert tops == sorted(tops)  # read top down, as printed
    assert tops[-1] - tops[0] > SIDE / 4  # the lines spread down the page
