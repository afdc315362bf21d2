"""The character spans of a turned page, read in one loop (``_Locator._turned_spans``), are
those :meth:`_Locator._span` gives one character at a time, for every quarter turn, and on a
turned page leave the same last vertical extent behind (the line reader tests it right after)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen_pdf_text import make_turned_pdf
from reams.processors.parse.pdf import text

PARAGRAPHS = [
    "Columns  of   figures  12,500   3.75   and words set wide apart on a turned page."
] * 3


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("displayed", [True, False])
def test_turned_spans_match_one_by_one(tmp_path: Path, rotation: int, displayed: bool) -> None:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    path = make_turned_pdf(
        tmp_path / "turned.pdf", PARAGRAPHS, rotate=rotation or 90, displayed=displayed
    )
    document = pypdfium2.PdfDocument(path)
    try:
        page = document[0]
        textpage = page.get_textpage()
        width, height = (float(size) for size in page.get_size())
        count = textpage.count_chars()
        assert count > 50
        # Every character, one past the end (no box: None) and a few repeated.
        indices = [*range(count), count + 5, 3, 1]
        together = text._Locator(pdfium_c, textpage.raw, aligned=True)
        together.turn(rotation, width=width, height=height)
        alone = text._Locator(pdfium_c, textpage.raw, aligned=True)
        alone.turn(rotation, width=width, height=height)
        spans = together._spans(indices)
        assert spans == [alone._span(index) for index in indices]
        assert sum(span is None for span in spans) == 1
        if rotation:
            # (The page that is not turned reads spans without noting the vertical extent.)
            assert together._last_vertical == alone._last_vertical
            # The turned loop ran, and turned the boxes: they differ from the page's own.
            plain = text._Locator(pdfium_c, textpage.raw, aligned=True)
            assert plain._spans(indices) != spans
        textpage.close()
        page.close()
    finally:
        document.close()
