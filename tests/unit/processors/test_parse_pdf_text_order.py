"""PDF text and reading order on generated pages: turned and sideways pages, letter-spaced
headings, notes and small print written before the body, page labels and author marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen_pdf_text import (
    make_footnoted_pdf,
    make_glyph_by_glyph_pdf,
    make_invoice_pdf,
    make_tagged_pdf,
    make_turned_pdf,
)
from reams.processors import run
from reams.processors.parse.pdf.order import Box, stacked

PARAGRAPHS = [
    "Rotated page fixture text opens the first paragraph, and it runs on for long enough to "
    "wrap over more than one line of the page, so that its lines must be read in order and "
    "joined into one paragraph again by the layout analysis of the page.",
    "A second paragraph follows with its own words, and it is long enough to wrap as well, "
    "so that the order of the two paragraphs and of their lines can be checked on the page.",
]


def _displayed_size(path: Path) -> tuple[float, float]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return tuple(pdf[0].get_size())  # type: ignore[return-value]
    finally:
        pdf.close()


def _page(path: Path, **parameters: object) -> dict[str, object]:
    return run("parse", path.read_bytes(), path.name, parameters)["pages"][0]  # type: ignore[index,no-any-return]


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_page_turned_by_rotate_reads_in_order(tmp_path: Path, rotate: int) -> None:
    pdf = make_turned_pdf(tmp_path / "turned.pdf", PARAGRAPHS, rotate=rotate, title="Turned")
    page = _page(pdf)
    assert page["markdown"] == "\n\n".join(["# Turned", *PARAGRAPHS])
    # The page keeps its displayed size.
    assert (page["width"], page["height"]) == pytest.approx(_displayed_size(pdf))


@pytest.mark.parametrize("rotate", [90, 270])
def test_text_running_up_or_down_the_sheet_reads_as_words_in_order(
    tmp_path: Path, rotate: int
) -> None:
    pdf = make_turned_pdf(
        tmp_path / "sideways.pdf", PARAGRAPHS, rotate=rotate, title="Sideways", displayed=False
    )
    page = _page(pdf)
    assert page["markdown"] == "\n\n".join(["# Sideways", *PARAGRAPHS])
    assert (page["width"], page["height"]) == pytest.approx((612.0, 792.0))


@pytest.mark.parametrize("spacing", [1.5, 3.0, 6.0])
def test_a_letter_spaced_heading_drawn_glyph_by_glyph_reads_as_words(
    tmp_path: Path, spacing: float
) -> None:
    pdf = make_glyph_by_glyph_pdf(
        tmp_path / "spaced.pdf", "The South Carolina Review", PARAGRAPHS, spacing=spacing
    )
    markdown = _page(pdf)["markdown"]
    assert markdown.split("\n\n")[0] == "# The South Carolina Review"


def test_body_text_drawn_glyph_by_glyph_keeps_its_words(tmp_path: Path) -> None:
    pdf = make_glyph_by_glyph_pdf(
        tmp_path / "glyphs.pdf", "Quarterly Notes", PARAGRAPHS, spacing=0.0, body_by_glyph=True
    )
    assert _page(pdf)["markdown"] == "\n\n".join(["# Quarterly Notes", *PARAGRAPHS])


def test_single_letters_far_apart_stay_apart(tmp_path: Path) -> None:
    # One-letter cells of a row, an inch apart: not one letter-spaced word.
    pdf = make_glyph_by_glyph_pdf(tmp_path / "cells.pdf", "A B C D", PARAGRAPHS, spacing=60.0)
    first = _page(pdf)["text"].splitlines()[0]  # type: ignore[attr-defined]
    assert first.split() == ["A", "B", "C", "D"]


def test_footnotes_written_first_come_after_the_body(tmp_path: Path) -> None:
    notes = [
        "1 The first footnote explains a detail of the study in small print.",
        "2 The second footnote cites a source.",
    ]
    pdf = make_footnoted_pdf(tmp_path / "notes.pdf", "A Study of Things", PARAGRAPHS, notes)
    assert _page(pdf)["markdown"].split("\n\n") == ["# A Study of Things", *PARAGRAPHS, *notes]  # type: ignore[attr-defined]


def test_a_page_label_is_the_header_not_a_heading(tmp_path: Path) -> None:
    pdf = make_footnoted_pdf(
        tmp_path / "label.pdf", "A Study of Things", PARAGRAPHS, [], page_label="Page 1 of 23"
    )
    page = _page(pdf)
    assert page["header"] == "Page 1 of 23"
    assert page["printed_page_number"] == "1"
    assert "#" not in page["markdown"].replace("# A Study of Things", "")  # type: ignore[attr-defined]
    hidden = _page(pdf, hide_headers=True)["markdown"]
    assert hidden.split("\n\n")[0] == "# A Study of Things"  # type: ignore[attr-defined]


def test_author_marks_written_after_the_names_stay_with_them(tmp_path: Path) -> None:
    pdf = make_footnoted_pdf(
        tmp_path / "authors.pdf",
        "A Study of Things",
        PARAGRAPHS,
        [],
        authors=[("Ann Smith", "1"), ("Bob Jones", "2,3"), ("Cy Young", "*")],
    )
    page = _page(pdf)
    assert page["text"].splitlines()[1] == "Ann Smith1 Bob Jones2,3 Cy Young*"  # type: ignore[attr-defined]
    assert not any(block.startswith("#") for block in page["markdown"].split("\n\n")[1:])  # type: ignore[attr-defined]


def test_an_invoice_written_bottom_first_reads_top_down(tmp_path: Path) -> None:
    address = ["Acme Corporation", "12 Market Street", "Springfield, IL 62704", "United States"]
    items = [(f"Item number {n} of the order", f"${n * 10}.00") for n in range(1, 9)]
    small = [
        "Payment is due within 30 days of the invoice date.",
        "Acme Corporation, registered in Illinois, company number 123456.",
    ]
    text = _page(make_invoice_pdf(tmp_path / "invoice.pdf", address, items, small))["text"]
    lines = text.splitlines()  # type: ignore[attr-defined]
    assert lines[:5] == ["INVOICE", *address]
    assert lines[-2:] == small


def _box(name: str, top: float, left: float = 72.0, right: float = 540.0) -> Box[str]:
    return Box(name, left, right, top, top - 12.0, len(name))


def test_stacked_reads_bands_top_down_and_keeps_interleaved_runs() -> None:
    # Small print first, then a title, then two columns side by side (left, then right).
    boxes = [
        _box("note", 60),
        _box("title", 740),
        *(_box(f"left {n}", 700 - 14 * n, 72, 290) for n in range(4)),
        *(_box(f"right {n}", 700 - 14 * n, 320, 540) for n in range(4)),
    ]
    order = [box.payload for box in stacked(boxes)]
    assert order == [
        "title",
        *(f"left {n}" for n in range(4)),
        *(f"right {n}" for n in range(4)),
        "note",
    ]


def test_stacked_keeps_a_page_already_in_order() -> None:
    boxes = [_box(f"line {n}", 700 - 14 * n) for n in range(10)]
    assert stacked(boxes) == boxes


MAIN = (
    72.0,
    700.0,
    [
        "The main story opens the page and runs on for a few lines of text",
        "in the main column, which a reader takes first, before the box beside",
        "it, as the structure tree of the page says.",
    ],
)
# Beside the story, on baselines of its own (not rows of a table).
SIDE = (400.0, 707.0, ["Sidebar: a boxed aside", "drawn before the story", "but read after it."])
MAIN_TEXT = " ".join(MAIN[2])
SIDE_TEXT = " ".join(SIDE[2])


def test_a_tagged_page_reads_in_the_order_of_its_structure_tree(tmp_path: Path) -> None:
    # Drawn sidebar first; the tree says story first.
    pdf = make_tagged_pdf(tmp_path / "tagged.pdf", [SIDE, MAIN], tree_order=[1, 0])
    assert _page(pdf)["markdown"] == f"{MAIN_TEXT}\n\n{SIDE_TEXT}"
    pdf = make_tagged_pdf(tmp_path / "tagged.pdf", [MAIN, SIDE], tree_order=[1, 0])
    assert _page(pdf)["markdown"] == f"{SIDE_TEXT}\n\n{MAIN_TEXT}"


def test_an_untagged_page_falls_back_to_its_geometry(tmp_path: Path) -> None:
    pdf = make_tagged_pdf(tmp_path / "plain.pdf", [SIDE, MAIN], tree_order=[1, 0], tagged=False)
    assert _page(pdf)["markdown"] == f"{SIDE_TEXT}\n\n{MAIN_TEXT}"


def test_structure_ranks_follow_the_tree(tmp_path: Path) -> None:
    import pypdfium2

    from reams.processors.parse.pdf.structure import structure_ranks

    blocks = [(72.0, 700.0 - 70 * n, [f"Block {n}"]) for n in range(4)]
    pdf = pypdfium2.PdfDocument(make_tagged_pdf(tmp_path / "t.pdf", blocks, [2, 0, 3, 1]))
    try:
        assert structure_ranks(pdf[0].raw) == {2: 0, 0: 1, 3: 2, 1: 3}
    finally:
        pdf.close()
    plain = make_tagged_pdf(tmp_path / "p.pdf", blocks, [0, 1, 2, 3], tagged=False)
    pdf = pypdfium2.PdfDocument(plain)
    try:
        assert structure_ranks(pdf[0].raw) is None
    finally:
        pdf.close()
