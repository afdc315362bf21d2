"""A scan's large wordmark misread by OCR ("paperfox" → "paper OX") is not the issuer: on an
OCR'd page a letterhead must look like a name, and a near miss of the legal name printed in
small print is spelled as that name. Written from agency invoices, with other names."""

from __future__ import annotations

import pytest

from reams.processors.extract.issuer import _misread, issuer
from reams.processors.extract.layout import Box, Layout, PLine


def page(wordmark: str, *, ocr: bool) -> Layout:
    rows = [
        (wordmark, 60.0, 62.0),
        ("Lumafox Studio Limited", 245.0, 30.0),
        ("18 Quay Street", 280.0, 30.0),
        ("Bristol BS1 6QA", 304.0, 30.0),
        ("INVOICE REF. 7710", 450.0, 30.0),
        ("Website design", 600.0, 30.0),
        ("Total 1,200.00", 700.0, 30.0),
    ]
    lines = [
        PLine(1, index, (text,), Box(100.0, y, 20.0 * len(text), size * 1.05))
        for index, (text, y, size) in enumerate(rows)
    ]
    return Layout(lines, ocr=ocr)


@pytest.mark.parametrize("wordmark", ["luma OX", "lumaf OX", "LuMaFoX"])
def test_a_misread_wordmark_is_not_the_issuer(wordmark: str) -> None:
    assert issuer(page(wordmark, ocr=True))[0].value == "Lumafox Studio Limited"


def test_a_near_miss_of_the_legal_name_is_spelled_as_it() -> None:
    assert issuer(page("Lumatox", ocr=True))[0].value == "Lumafox Studio Limited"


def test_a_wordmark_that_starts_the_legal_name_stands() -> None:
    # guard: the brand read right is the letterhead, as on a PDF
    assert issuer(page("LUMAFOX", ocr=True))[0].value == "LUMAFOX"


def test_on_a_pdf_the_letterhead_is_taken_as_printed() -> None:
    # guard: a text layer is not misread; a brand unlike the legal name stays the letterhead
    assert issuer(page("Lumatox", ocr=False))[0].value == "Lumatox"
    assert issuer(page("Nordlicht", ocr=True))[0].value == "Nordlicht"


@pytest.mark.parametrize(
    ("text", "misread"),
    [
        ("paper OX", True),
        ("PaPerfOX", True),
        ("Bakkerij de Vries", False),
        ("studio nord", False),
        ("ACME GmbH", False),
        ("eBay UK", False),
    ],
)
def test_what_ocr_makes_of_a_wordmark(text: str, misread: bool) -> None:
    assert _misread(text) is misread
