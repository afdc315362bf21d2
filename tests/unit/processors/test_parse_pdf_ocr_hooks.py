"""What the PDF reader offers the OCR step: which pages need OCR, and pages as images."""

from __future__ import annotations

from pathlib import Path

from docgen import PDF_PAGE_HEIGHT, PDF_PAGE_WIDTH, make_pdf
from docgen_pdf import make_scanned_pdf
from reams.processors.parse.pdf.reader import PdfSource


def test_only_a_page_showing_an_image_without_text_needs_ocr(tmp_path: Path) -> None:
    scan = make_scanned_pdf(tmp_path / "scan.pdf", "Scanned words", blank_second_page=True)
    text = make_pdf(tmp_path / "text.pdf", ["Plain text with a real text layer."])
    scanned = PdfSource(scan.read_bytes())
    typed = PdfSource(text.read_bytes())
    try:
        assert [scanned.page_needs_ocr(i) for i in range(2)] == [True, False]
        assert typed.page_needs_ocr(0) is False
        assert [scanned.page(i).needs_ocr for i in range(2)] == [True, False]
        assert typed.page(0).needs_ocr is False
    finally:
        scanned.close()
        typed.close()


def test_render_gives_an_rgb_image_at_the_asked_scale(tmp_path: Path) -> None:
    source = PdfSource(make_scanned_pdf(tmp_path / "scan.pdf", "Scanned words").read_bytes())
    try:
        image = source.render(0, 2.0)
        assert image.mode == "RGB"
        assert image.size == (round(PDF_PAGE_WIDTH * 2), round(PDF_PAGE_HEIGHT * 2))
        # The drawn text is dark on white: the page was really rendered, not left blank.
        darkest, lightest = image.convert("L").getextrema()
        assert darkest < 100 and lightest > 200
    finally:
        source.close()


def test_render_bounds_the_pixels_of_a_huge_scale(tmp_path: Path) -> None:
    source = PdfSource(make_pdf(tmp_path / "text.pdf", ["Some text"]).read_bytes())
    try:
        width, height = source.render(0, 100.0).size
        assert width * height <= 40_000_000
    finally:
        source.close()
