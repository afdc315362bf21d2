"""Tables drawn with borders (lattices of rules): cells read from the boxes between the rules."""

from __future__ import annotations

from pathlib import Path

from docgen import PDF_PAGE_HEIGHT
from docgen_pdf_tables import draw_paragraph, draw_table, make_table_page
from reams.processors import run

CATALOGUE = [
    ["Item", "Description", "Price"],
    ["Widget", "A small widget that fits in any pocket and lasts for many years of use", "4.50"],
    ["Gadget", "A gadget", "12.00"],
    ["Gizmo", "An elaborate gizmo with many moving parts and a rather long description", "99.99"],
]
POPULATION = [
    ["Country", "Population", "Share", "Growth"],
    ["Norway", "4,151,000", "25.0", "1.2"],
    ["Sweden", "9,415,000", "56.7", "0.8"],
    ["Denmark", "5,398,000", "32.5", "0.4"],
]
PROSE = (
    "The committee met on three occasions during the year and reviewed the budget line by "
    "line. Its members agreed that the figures below summarise the position fairly, and that "
    "the remaining differences are due to timing rather than to any change of policy."
)


def _tables(path: Path) -> list[list[list[str]]]:
    result = run("parse", path.read_bytes(), path.name, {"type": "parse"})
    return [
        item["rows"]
        for page in result["pages"]
        for item in page["items"]
        if item["type"] == "table"
    ]


def _grids(path: Path) -> list[tuple[tuple[str, ...], ...]]:
    import pypdfium2 as pdfium

    from reams.processors.parse.pdf.rules import read_rules

    pdf = pdfium.PdfDocument(path.read_bytes())
    page = pdf[0]
    width, height = page.get_size()
    rules = read_rules(page.raw, rotation=0, width=width, height=height)
    return [grid.rows for grid in rules.grids]


def _markdown(path: Path) -> str:
    return str(run("parse", path.read_bytes(), path.name, {"type": "parse"})["markdown_full"])


def test_a_wrapped_cell_stays_one_cell(tmp_path: Path) -> None:
    path = make_table_page(tmp_path / "wrap.pdf", CATALOGUE, [70, 200, 60], borders="grid")
    assert _tables(path) == [CATALOGUE]


def test_tight_numeric_columns_stay_apart(tmp_path: Path) -> None:
    # 55 and 30 point columns: the numbers of neighbouring columns are a few points apart.
    path = make_table_page(tmp_path / "num.pdf", POPULATION, [70, 55, 30, 30], borders="grid")
    assert _tables(path) == [POPULATION]


def test_prose_beside_a_ruled_table_stays_text(tmp_path: Path) -> None:
    rows = [["Name", "Value"], ["Alpha", "Cost of the first stage"], ["Beta", "Contingency"]]
    path = make_table_page(tmp_path / "beside.pdf", rows, [80, 150], beside=PROSE)
    assert _tables(path) == [rows]
    markdown = _markdown(path)
    assert "The committee met on three occasions" in markdown
    assert "| The committee" not in markdown


def test_a_cell_spanning_columns_is_read_once(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "span.pdf"
    canvas = Canvas(str(path), invariant=1)
    rows = [["Quarter", "Sales", "Costs"], ["Q1", "120", "80"], ["Q2", "130", "85"]]
    bottom = draw_table(canvas, rows, [80, 60, 60], left=72, top=700)
    # A total row whose label spans the first two columns (no rule between them).
    canvas.setFont("Helvetica", 9)
    canvas.drawString(75, bottom - 12, "Total for the half year")
    canvas.drawRightString(269, bottom - 12, "165")
    canvas.setLineWidth(0.5)
    canvas.line(72, bottom - 17, 272, bottom - 17)
    canvas.line(72, bottom, 72, bottom - 17)
    canvas.line(212, bottom, 212, bottom - 17)
    canvas.line(272, bottom, 272, bottom - 17)
    canvas.showPage()
    canvas.save()
    assert _grids(path) == [(*map(tuple, rows), ("Total for the half year", "", "165"))]
    (table,) = _tables(path)
    assert table[:3] == rows
    assert table[3] == ["Total for the half year", "", "165"]


def test_boxes_around_paragraphs_are_no_table(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "boxes.pdf"
    canvas = Canvas(str(path), invariant=1)
    top = PDF_PAGE_HEIGHT - 72
    for left in (72, 310):
        bottom = draw_paragraph(canvas, PROSE * 2, left=left + 6, top=top - 6, width=210)
        canvas.rect(left, bottom - 8, 222, top - bottom + 8)
    canvas.showPage()
    canvas.save()
    assert _tables(path) == []
    assert "The committee met" in _markdown(path)


def test_a_diagram_whose_text_crosses_its_lines_is_no_table(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "diagram.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.setLineWidth(0.5)
    for x in (100, 200, 300):
        canvas.line(x, 500, x, 700)
    for y in (500, 600, 700):
        canvas.line(100, y, 300, y)
    canvas.setFont("Helvetica", 10)
    # Step numbers in the first box and labels straddling the line, as on a flow chart.
    canvas.drawString(105, 650, "1")
    canvas.drawString(160, 650, "Request enters queue")
    canvas.drawString(105, 550, "2")
    canvas.drawString(160, 550, "Worker picks it up")
    canvas.showPage()
    canvas.save()
    assert _grids(path) == [()]  # a drawing, not a table
    assert _tables(path) == []  # nor do its labels make one by their alignment
    assert "Request enters queue" in _markdown(path)


def test_a_table_of_contents_is_a_table_of_titles_and_pages(tmp_path: Path) -> None:
    from docgen_pdf_tables import make_contents_page

    entries = [
        ("Preface", "xi"),
        ("Chapter 1. Getting started", "1"),
        ("1.1 Installing the service", "3"),
        ("1.2 A first job", "7"),
        ("Chapter 2. Reference", "15"),
    ]
    path = make_contents_page(tmp_path / "contents.pdf", entries)
    assert _tables(path) == [[list(entry) for entry in entries]]
    assert _markdown(path).endswith("The chapters can be read in any order.")


def test_a_frame_with_rules_only_in_its_header_is_read_by_alignment(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "frame.pdf"
    canvas = Canvas(str(path), invariant=1)
    rows = [
        ["Loan", "Rate", "Fee", "Term"],
        ["Fixed", "4.04%", "250", "1 year"],
        ["Variable", "5.37%", "0", "open"],
        ["Offset", "5.51%", "120", "open"],
    ]
    bottom = draw_table(canvas, rows, [90, 60, 60, 60], left=72, top=700, borders="none")
    canvas.setLineWidth(0.5)
    canvas.rect(72, bottom, 270, 700 - bottom)  # the frame
    header = 700 - 3 - 9 * 1.2 - 3
    canvas.line(72, header, 342, header)
    for x in (162, 222, 282):  # column rules in the header only
        canvas.line(x, 700, x, header)
    canvas.showPage()
    canvas.save()
    assert _grids(path) == []  # the body's rows and columns are not drawn
    assert _tables(path) == [rows]


def test_a_banner_of_boxes_each_holding_one_line_is_no_table(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "banner.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.setLineWidth(0.5)
    canvas.rect(72, 700, 460, 60)
    canvas.line(72, 730, 532, 730)
    canvas.line(300, 700, 300, 760)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(80, 740, "Annual report of the board")
    canvas.drawString(310, 710, "Commodity exchange")
    canvas.showPage()
    canvas.save()
    assert _grids(path) == []


def test_text_turned_inside_a_ruled_table_is_not_repeated_after_it(tmp_path: Path) -> None:
    """Text set vertically inside a bordered table is read with its cells, and not once more
    as sideways text at the end of the page."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "turned.pdf"
    canvas = Canvas(str(path), (595.0, 842.0), invariant=1)
    draw_paragraph(canvas, PROSE, left=60, top=780, width=470)
    draw_table(canvas, POPULATION, [120, 90, 70, 70], left=60, top=680)
    canvas.saveState()
    canvas.translate(120, 630)
    canvas.rotate(90)
    canvas.setFont("Helvetica", 7)
    canvas.drawString(0, 0, "REGION")
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    markdown = run("parse", path.read_bytes(), path.name, {"type": "parse"})["markdown_full"]
    assert markdown.rstrip().endswith("| Denmark | 5,398,000 | 32.5 | 0.4 |"), markdown
