"""Prose beside a table without rules stays text, and the table keeps its own columns.

A sidebar, a paragraph in the next column or a caption set beside an unruled table lines up
with the table's columns the way a column of the table would; what tells it apart is that its
lines follow their own leading, out of step with the table's rows (generated PDFs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen_pdf_tables import _canvas, draw_table, make_columns_page, make_table_page
from reams.processors import run

PROSE = (
    "The committee met on three occasions during the year and reviewed the budget line by "
    "line. Its members agreed that the figures below summarise the position fairly, and that "
    "the remaining differences are due to timing rather than to any change of policy."
)
CAPTION = "Table 3. Revenue by year, in thousands of euros, as audited."
NAMES = [
    ["Name", "Value"],
    ["Alpha", "Cost of the first stage"],
    ["Beta", "Contingency"],
    ["Gamma", "Fees of the advisers"],
]
REVENUE = [["Year", "Revenue"], ["2019", "1,204"], ["2020", "1,388"], ["2021", "1,517"]]
GLOSSARY = [
    ["Term", "Since", "Meaning"],
    ["Batch", "v1", "A set of documents submitted together and tracked as one job by the service"],
    ["Item", "v1", "One document of a batch, with its own status and its own results"],
    ["Lease", "v2", "The time a worker may hold an item before another worker may take it over"],
    ["Retry", "v3", "A later attempt at an item whose earlier attempt failed for a passing reason"],
]
SIDES = [(side, order) for side in ("left", "right") for order in ("before", "after")]


def _parsed(path: Path) -> tuple[list[list[list[str]]], str]:
    result = run("parse", path.read_bytes(), path.name, {"type": "parse"})
    tables = [
        item["rows"]
        for page in result["pages"]
        for item in page["items"]
        if item["type"] == "table"
    ]
    return tables, str(result["markdown_full"])


@pytest.mark.parametrize(("side", "order"), SIDES)
def test_prose_beside_an_unruled_table_stays_text(tmp_path: Path, side: str, order: str) -> None:
    # ``order``: where the prose is in the content stream, before or after the table's text.
    path = make_table_page(
        tmp_path / "beside.pdf", NAMES, [80, 150], borders="none", beside=PROSE, side=side,
        order=order,
    )  # fmt: skip
    tables, markdown = _parsed(path)
    assert tables == [NAMES]
    assert PROSE in markdown  # one paragraph, read whole, outside the table


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_numeric_table_beside_a_paragraph_keeps_its_two_columns(
    tmp_path: Path, side: str
) -> None:
    path = make_table_page(
        tmp_path / "numbers.pdf", REVENUE, [60, 80], borders="none", beside=PROSE, side=side
    )
    tables, markdown = _parsed(path)
    assert tables == [REVENUE]
    assert PROSE in markdown


@pytest.mark.parametrize(("side", "order"), SIDES)
def test_a_caption_beside_a_table_stays_text(tmp_path: Path, side: str, order: str) -> None:
    # Three lines: too short for a column of running text; the table finder gives them back.
    path = make_table_page(
        tmp_path / "caption.pdf", REVENUE, [60, 80], borders="none", beside=CAPTION,
        beside_width=110, side=side, order=order,
    )  # fmt: skip
    tables, markdown = _parsed(path)
    assert tables == [REVENUE]
    assert CAPTION in markdown


@pytest.mark.xfail(
    strict=True,
    reason="written line by line, PDFium joins a line of the prose and the table's row set a few "
    "points lower into one line with one baseline: the pieces would need baselines of their own",
)
def test_prose_written_line_by_line_with_the_table_stays_text(tmp_path: Path) -> None:
    path = make_table_page(
        tmp_path / "by_line.pdf", NAMES, [80, 150], borders="none", beside=PROSE, order="by_line"
    )
    tables, markdown = _parsed(path)
    assert tables == [NAMES]
    assert PROSE in markdown


def test_a_full_width_table_with_a_note_below_stays_whole(tmp_path: Path) -> None:
    rows = [
        ["Task", "Owner", "Due", "Status"],
        ["Review the budget", "Finance team", "March", "Done"],
        ["Draft the report", "Secretariat", "April", "Open"],
        ["Approve the report", "Committee", "May", "Open"],
    ]
    note = (
        "Note: the dates are those agreed at the first meeting of the year; the committee may "
        "move them when the figures of the last quarter arrive late."
    )
    path = make_table_page(
        tmp_path / "note.pdf", rows, [180, 120, 90, 85], borders="none", below=note
    )
    tables, markdown = _parsed(path)
    assert tables == [rows]
    assert note in markdown


def test_two_columns_of_prose_are_no_table(tmp_path: Path) -> None:
    other = (
        "A second column of running text continues the page: the reader takes it after the "
        "first one, from its top, and it holds nothing that lines up as a table would."
    )
    tables, markdown = _parsed(make_columns_page(tmp_path / "columns.pdf", [PROSE, other]))
    assert tables == []
    assert markdown.index(PROSE) < markdown.index(other)


@pytest.mark.parametrize("by_column", [False, True])
def test_a_table_whose_last_column_wraps_stays_one_table(tmp_path: Path, by_column: bool) -> None:
    """The wrapped column reads like running text, but each row starts on a line of it.

    ``by_column``: the table is drawn column by column, so no line of text holds two cells."""
    path = tmp_path / "glossary.pdf"
    canvas = _canvas(path)
    draw_table(
        canvas, GLOSSARY, [70, 40, 160], left=72, top=700, borders="none", by_column=by_column
    )
    canvas.showPage()
    canvas.save()
    assert _parsed(path)[0] == [GLOSSARY]


def test_prices_set_smaller_than_their_descriptions_stay_in_the_table(tmp_path: Path) -> None:
    """Descriptions wrapped like running text, prices in a smaller font on their first line's
    baseline (the bottoms of the two differ): the prices are on the description's lines, so
    the description is a column of the table, not text beside it."""
    from docgen_pdf_tables import _wrapped

    items = [
        ("Tablet with a sixteen gigabyte memory, a silver casing and a cover in the box", "399.00"),
        ("Game console with two controllers, a charging station and three games", "189.00"),
        ("Power adapter for the game console, with a cable of two metres and a plug", "14.99"),
        ("Extended warranty of three years on all the items above, parts and labour", "49.00"),
    ]
    path = tmp_path / "sizes.pdf"
    canvas = _canvas(path)
    y = 700.0
    for text, price in items:
        lines = _wrapped(text, 200, "Helvetica", 10)
        canvas.setFont("Helvetica", 10)
        for number, line in enumerate(lines):
            canvas.drawString(72, y - number * 12, line)
        canvas.setFont("Helvetica", 7)
        canvas.drawRightString(400, y, price)
        y -= len(lines) * 12 + 6
    canvas.showPage()
    canvas.save()
    (table,) = _parsed(path)[0]
    priced = [row for row in table if row[-1]]
    assert [row[-1] for row in priced] == [price for _, price in items]
    assert all(text.startswith(row[0]) for row, (text, _) in zip(priced, items, strict=True))
