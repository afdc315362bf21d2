"""Tables without borders: wrapped cells and numbers of tightly set columns (generated PDFs)."""

from __future__ import annotations

from pathlib import Path

from docgen_pdf_tables import make_table_page
from reams.processors import run

GLOSSARY = [
    ["Term", "Meaning", "Since"],
    ["Batch", "A set of documents submitted together and tracked as one job", "v1"],
    ["Item", "One document", "v1"],
    ["Lease", "The time a worker may hold an item before another worker may take it over", "v2"],
]
POPULATION = [
    ["Country", "Population", "Share", "Growth"],
    ["Norway", "4,151,000", "25.0", "1.2"],
    ["Sweden", "9,415,000", "56.7", "0.8"],
    ["Denmark", "5,398,000", "32.5", "0.4"],
    ["Finland", "5,179,000", "31.2", "0.3"],
]


def _tables(path: Path) -> list[list[list[str]]]:
    result = run("parse", path.read_bytes(), path.name, {"type": "parse"})
    return [
        item["rows"]
        for page in result["pages"]
        for item in page["items"]
        if item["type"] == "table"
    ]


def test_a_wrapped_cell_without_rules_stays_one_cell(tmp_path: Path) -> None:
    path = make_table_page(tmp_path / "wrap.pdf", GLOSSARY, [70, 200, 60], borders="none")
    assert _tables(path) == [GLOSSARY]


def test_a_wrapped_cell_between_row_rules_stays_one_cell(tmp_path: Path) -> None:
    path = make_table_page(tmp_path / "wrap.pdf", GLOSSARY, [70, 200, 60], borders="rows")
    assert _tables(path) == [GLOSSARY]


def test_single_spaced_rows_are_not_joined(tmp_path: Path) -> None:
    # No cell wraps: every line is a row, even those with an empty first cell.
    rows = [["Part", "Check"], ["Lid", "Open it"], ["", "Check the seal"], ["Base", "Close it"]]
    path = make_table_page(tmp_path / "steps.pdf", rows, [60, 150], borders="none")
    assert _tables(path) == [rows]


def test_numbers_of_tightly_set_columns_stay_apart(tmp_path: Path) -> None:
    # Columns 24 points wide: the numbers of neighbouring columns are under an em apart.
    path = make_table_page(tmp_path / "num.pdf", POPULATION, [70, 50, 24, 24], borders="none")
    ((header, *body),) = _tables(path)
    assert body == POPULATION[1:]
    assert header[:2] == ["Country", "Population"]


def test_numbers_written_with_spaces_stay_one_number(tmp_path: Path) -> None:
    rows = [["Country", "Population"], ["Norway", "4 151 000"], ["Sweden", "9 415 000"]]
    path = make_table_page(tmp_path / "spaced.pdf", rows, [80, 80], borders="none")
    assert _tables(path) == [rows]


def test_icons_beside_running_text_are_no_table(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "icons.pdf"
    canvas = Canvas(str(path), invariant=1)
    text = [
        "With combined experiences and direct access to development groups,",
        "the team can help you meet your requirements and gain confidence",
        "in the products and solutions you depend on every single day.",
        "Who we are, and some of what we do for our customers worldwide.",
    ]
    for index, line in enumerate(text):
        y = 700 - index * 13
        canvas.setFont("Helvetica", 10)
        canvas.drawString(140, y, line)
        if index % 2 == 0:
            canvas.drawString(72, y, "» ¶")  # ornaments in the margin, as icon fonts are read
    canvas.showPage()
    canvas.save()
    assert _tables(path) == []


def test_a_header_over_numbers_set_flush_right_is_one_column(tmp_path: Path) -> None:
    rows = [
        ["Item", "Description", "Price"],
        ["Widget", "A small widget that fits in any pocket and lasts for years", "4.50"],
        ["Gadget", "A gadget", "12.00"],
        ["Gizmo", "An elaborate gizmo with many moving parts", "99.99"],
    ]
    path = make_table_page(tmp_path / "prices.pdf", rows, [70, 200, 60], borders="none")
    assert _tables(path) == [rows]


def test_a_header_reaching_into_the_gutter_stays_with_its_column(tmp_path: Path) -> None:
    """Headers set flush right over their numbers and wider than them ("Price per unit" over
    "€ 399,00") start in the gutter; one header string run over two columns ("VAT Price incl.
    VAT") is cut between them. Each header lands over its own column."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "invoice.pdf"
    canvas = Canvas(str(path), (595.0, 842.0), invariant=1)
    canvas.setFont("Helvetica", 8)
    y = 600.0
    canvas.drawString(45, y, "Item")
    canvas.drawRightString(385, y, "Qty")
    canvas.drawRightString(450, y, "Price per unit")
    canvas.drawString(471, y, "VAT Price incl. VAT")
    body = [
        ("Tablet Air Wifi 16 GB Silver", "1", "€ 399,00", "21%", "€ 399,00"),
        ("Leather Slim Cover", "1", "€ 69,99", "21%", "€ 69,99"),
        ("Game console XL White", "2", "€ 189,00", "21%", "€ 378,00"),
        ("Power adapter", "1", "€ 14,99", "21%", "€ 14,99"),
    ]
    for name, qty, price, vat, amount in body:
        y -= 15
        canvas.drawString(45, y, name)
        canvas.drawRightString(384, y, qty)
        canvas.drawRightString(450, y, price)
        canvas.drawRightString(488, y, vat)
        canvas.drawRightString(549, y, amount)
    canvas.showPage()
    canvas.save()
    ((header, *rows),) = _tables(path)
    assert header == ["Item", "Qty", "Price per unit", "VAT", "Price incl. VAT"]
    assert rows == [list(row) for row in body]
