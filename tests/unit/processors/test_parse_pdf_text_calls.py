"""PDFium calls without ctypes' argument conversion (``text.unchecked``) give what the declared
functions give: per character, and for whole pages read by the text, picture and structure
readers, on generated pages of every kind they read differently (tables, columns, turned pages,
glyph-by-glyph text, tagged pages, scans)."""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from docgen_pdf import make_columns_pdf, make_scanned_pdf, make_table_pdf
from docgen_pdf_text import make_glyph_by_glyph_pdf, make_tagged_pdf, make_turned_pdf
from reams.processors.parse.pdf import images, structure, text

WORDS = "Unchecked calls read the same characters as the declared ones do on every page"
PARAGRAPHS = [f"{WORDS}, line after line, so that this paragraph wraps over several lines."] * 3
ROWS = [
    ["Item", "Quantity", "Unit price", "Total"],
    ["Widgets", "4,151,000", "25.0", "103,775,000"],
    ["Gadgets of the larger kind", "12", "1,250.50", "15,006.00"],
    ["Sprockets", "7", "3.25", "22.75"],
]
SIDE = (72.0, 700.0, ["Sidebar note one", "Sidebar note two", "Sidebar note three"])
MAIN = (300.0, 700.0, ["Main story line one", "Main story line two", "Main story line three"])

Maker = Callable[[Path], Path]
MAKERS: dict[str, Maker] = {
    "table": lambda p: make_table_pdf(p, ROWS, intro=PARAGRAPHS[0], ruled=True),
    "columns": lambda p: make_columns_pdf(p, PARAGRAPHS, PARAGRAPHS[::-1], title="Two columns"),
    "turned": lambda p: make_turned_pdf(p, PARAGRAPHS, rotate=90, title="Turned"),
    "glyphs": lambda p: make_glyph_by_glyph_pdf(p, "The South Carolina Review", PARAGRAPHS),
    "tagged": lambda p: make_tagged_pdf(p, [SIDE, MAIN], tree_order=[1, 0]),
    "scan": lambda p: make_scanned_pdf(p, "A scanned page"),
}


def _declared(pdfium_c: Any, name: str) -> Any:
    return getattr(pdfium_c, name)


@pytest.fixture(params=sorted(MAKERS))
def pdf(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return MAKERS[request.param](tmp_path / f"{request.param}.pdf")


def _pages(path: Path) -> Iterator[tuple[Any, Any]]:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            try:
                yield page, textpage
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()


def _read(page: Any, textpage: Any) -> tuple[Any, ...]:
    width, height = (float(size) for size in page.get_size())
    rotation = text.text_direction(textpage)
    if rotation is None:
        rotation = int(page.get_rotation())
    ranks = structure.structure_ranks(page.raw)
    lines = text.read_lines(
        textpage, rotation=rotation, width=width, height=height, marked=ranks is not None
    )
    pictures = images.read_pictures(page.raw, rotation=rotation, width=width, height=height)
    return rotation, ranks, lines, pictures


def test_pages_read_the_same_with_unchecked_calls(
    pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = [_read(page, textpage) for page, textpage in _pages(pdf)]
    for module in (text, images, structure):
        monkeypatch.setattr(module, "unchecked", _declared)
    declared = [_read(page, textpage) for page, textpage in _pages(pdf)]
    assert fast == declared
    assert any(lines or pictures for _, _, lines, pictures in fast)


def test_unchecked_calls_return_what_the_declared_ones_return(pdf: Path) -> None:
    import pypdfium2.raw as pdfium_c

    box = [ctypes.c_double() for _ in range(4)]
    matrix = pdfium_c.FS_MATRIX()
    name = ctypes.create_string_buffer(64)
    flags = ctypes.c_int()

    def per_char(get: Callable[[str], Any], raw: Any, index: int) -> tuple[Any, ...]:
        boxed = get("FPDFText_GetCharBox")(raw, index, *map(ctypes.byref, box))
        edges = tuple(value.value for value in box)
        size = get("FPDFText_GetFontSize")(raw, index)
        turned = get("FPDFText_GetMatrix")(raw, index, ctypes.byref(matrix))
        m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        font = get("FPDFText_GetFontInfo")(
            raw, index, name, ctypes.c_ulong(64), ctypes.byref(flags)
        )
        return boxed, edges, size, turned, m, font, name.value, flags.value

    chars = 0
    for _, textpage in _pages(pdf):
        count = textpage.count_chars()
        chars += count
        for index in range(count):
            fast = per_char(lambda n: text.unchecked(pdfium_c, n), textpage.raw, index)
            slow = per_char(lambda n: getattr(pdfium_c, n), textpage.raw, index)
            assert fast == slow
            assert isinstance(fast[2], float)  # the double result type is kept
    assert chars > 0 or pdf.stem == "scan"
