"""Document generators for tests, benchmarks and the demo: real PDF, DOCX, HTML, Markdown, CSV.

Every file is produced by the library a real author would use (reportlab for PDFs with a text
layer, python-docx for Word), so parsers are tested against genuine output, not hand-made bytes.

``python tests/docgen.py examples`` writes the example set into ``examples/``.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import random
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Rows = Sequence[Sequence[str]]
PDF_PAGE_WIDTH = 612.0  # US Letter, in points
PDF_PAGE_HEIGHT = 792.0

_DOCX_DATE = datetime.datetime(2024, 10, 21, 9, 30, tzinfo=datetime.UTC)
_MARGIN = 72.0
_BODY_FONT, _BODY_SIZE, _LEADING = "Helvetica", 11.0, 15.0
_HEADING_FONT, _HEADING_SIZE = "Helvetica-Bold", 16.0


def make_pdf(
    path: Path | str, pages: Sequence[str], title: str | None = None, *, password: str | None = None
) -> Path:
    """Write a PDF with one page per string in ``pages``, with a real text layer.

    Within a page string, blank lines separate paragraphs, a line starting with ``# `` is drawn
    as a bold heading and a line starting with ``- `` as a bullet item. An empty string gives a
    page without any text. With ``password`` the PDF is encrypted and needs that user password.
    """
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    path = Path(path)
    encrypt = StandardEncryption(password, ownerPassword=password + "-owner") if password else None
    # invariant=1 fixes dates and ids, so the same input always gives the same bytes.
    canvas = Canvas(str(path), (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT), encrypt=encrypt, invariant=1)
    canvas.setTitle(title or path.stem)
    canvas.setAuthor("reams docgen")
    canvas.setCreator("reams docgen")
    canvas.setSubject(title or path.stem)
    for page in pages:
        _draw_page(canvas, page)
        canvas.showPage()
    canvas.save()
    return path


def _draw_page(canvas: Any, page: str) -> None:
    y = PDF_PAGE_HEIGHT - _MARGIN
    for block in (b for b in page.split("\n\n") if b.strip()):
        for line in block.strip().split("\n"):
            y = _draw_line(canvas, line.strip(), y)
        y -= _LEADING * 0.8  # the paragraph gap


def _draw_line(canvas: Any, line: str, y: float) -> float:
    from reportlab.lib.utils import simpleSplit

    if line.startswith("# "):
        canvas.setFont(_HEADING_FONT, _HEADING_SIZE)
        canvas.drawString(_MARGIN, y, line[2:])
        return y - _LEADING * 1.6
    indent, text = (14.0, "• " + line[2:]) if line.startswith("- ") else (0.0, line)
    width = PDF_PAGE_WIDTH - 2 * _MARGIN - indent
    canvas.setFont(_BODY_FONT, _BODY_SIZE)
    for part in simpleSplit(text, _BODY_FONT, _BODY_SIZE, width):
        canvas.drawString(_MARGIN + indent, y, part)
        y -= _LEADING
    return y


def make_docx(
    path: Path | str,
    *,
    title: str,
    paragraphs: Sequence[str],
    table: Rows | None = None,
    table_after: int | None = None,
) -> Path:
    """Write a Word document: a Title, then ``paragraphs``, with ``table`` after paragraph
    ``table_after`` (default: at the end).

    A paragraph starting with ``#``s becomes a heading of that level, ``- `` a bulleted item
    (style List Bullet) and ``1. `` a numbered item (style List Number).
    """
    import docx

    path = Path(path)
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "reams docgen"
    document.core_properties.created = document.core_properties.modified = _DOCX_DATE
    document.add_heading(title, level=0)
    position = len(paragraphs) if table_after is None else table_after
    for index, text in enumerate(paragraphs):
        if table is not None and index == position:
            _add_table(document, table)
        _add_paragraph(document, text)
    if table is not None and position >= len(paragraphs):
        _add_table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_without_zip_times(buffer.getvalue()))
    return path


def _without_zip_times(data: bytes) -> bytes:
    # python-docx stamps every zip member with the current time; fixed times keep output stable.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            item.date_time = (2024, 10, 21, 9, 30, 0)
            target.writestr(item, source.read(item.filename))
    return out.getvalue()


def _add_paragraph(document: Any, text: str) -> None:
    hashes = len(text) - len(text.lstrip("#"))
    if hashes and text[hashes:].startswith(" "):
        document.add_heading(text[hashes + 1 :], level=hashes)
    elif text.startswith("- "):
        document.add_paragraph(text[2:], style="List Bullet")
    elif text.startswith("1. "):
        document.add_paragraph(text[3:], style="List Number")
    else:
        document.add_paragraph(text)


def _add_table(document: Any, rows: Rows) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def make_html(
    path: Path | str,
    *,
    title: str,
    paragraphs: Sequence[str],
    table: Rows | None = None,
    nav_links: Sequence[str] = (),
    footer: str | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write an HTML page: optional ``<nav>``, an ``<article>`` with an ``<h1>`` title, the
    paragraphs (``## `` lines become ``<h2>``, ``- `` runs become ``<ul>``), an optional table,
    an optional ``<footer>``, plus a script and a style that a parser must drop."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="{encoding}"><title>{html.escape(title)}</title>',
        "<style>body { font-family: sans-serif; }</style>",
        "<script>console.log('tracking code that is not content');</script></head><body>",
    ]
    if nav_links:
        links = "".join(f'<li><a href="#">{html.escape(link)}</a></li>' for link in nav_links)
        parts.append(f"<nav><ul>{links}</ul></nav>")
    parts.append(f"<article><h1>{html.escape(title)}</h1>")
    parts.extend(_html_blocks(paragraphs))
    if table is not None:
        parts.append(_html_table(table))
    parts.append("</article>")
    if footer:
        parts.append(f"<footer><p>{html.escape(footer)}</p></footer>")
    parts.append("</body></html>")
    path = Path(path)
    path.write_bytes("\n".join(parts).encode(encoding))
    return path


def _html_blocks(paragraphs: Sequence[str]) -> list[str]:
    blocks: list[str] = []
    items: list[str] = []
    for text in [*paragraphs, ""]:
        if text.startswith("- "):
            items.append(f"<li>{html.escape(text[2:])}</li>")
            continue
        if items:
            blocks.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if text.startswith("## "):
            blocks.append(f"<h2>{html.escape(text[3:])}</h2>")
        elif text:
            blocks.append(f"<p>{html.escape(text)}</p>")
    return blocks


def _html_table(rows: Rows) -> str:
    header = "".join(f"<th>{html.escape(cell)}</th>" for cell in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in rows[1:]
    )
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def make_markdown(
    path: Path | str, *, title: str, paragraphs: Sequence[str], table: Rows | None = None
) -> Path:
    """Write a Markdown file: ``# title``, the paragraphs as written, an optional pipe table."""
    parts = [f"# {title}", *paragraphs]
    if table is not None:
        parts.append(_markdown_table(table))
    path = Path(path)
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


def _markdown_table(rows: Rows) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
    return "\n".join(lines)


def make_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> Path:
    """Write plain text in ``encoding`` (``utf-16`` adds a byte-order mark, as Windows does)."""
    path = Path(path)
    path.write_bytes(text.encode(encoding))
    return path


def make_csv(
    path: Path | str, rows: Rows, *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    """Write ``rows`` (the first one is the header) as CSV, or TSV with ``delimiter='\\t'``."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


_TOPICS = ("logistics", "billing", "onboarding", "security", "forecasting", "procurement")
_WORDS = ("customer", "order", "invoice", "shipment", "budget", "review", "team", "policy")
_KINDS = ("pdf", "docx", "html", "md", "csv", "txt")


def make_corpus(
    out_dir: Path | str, n: int, kinds: Sequence[str] = _KINDS, *, seed: int = 7
) -> list[Path]:
    """Write ``n`` small, varied documents (cycling through ``kinds``) and return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    return [_make_one(out, index, kinds[index % len(kinds)], rng) for index in range(n)]


def _make_one(out: Path, index: int, kind: str, rng: random.Random) -> Path:
    topic = rng.choice(_TOPICS)
    title = f"Note {index:04d} on {topic}"
    paragraphs = [_sentence(rng) + " " + _sentence(rng) for _ in range(rng.randint(2, 5))]
    table = [["Item", "Quantity", "Owner"]] + [
        [rng.choice(_WORDS), str(rng.randint(1, 500)), rng.choice(_WORDS).title()]
        for _ in range(rng.randint(2, 6))
    ]
    path = out / f"doc-{index:04d}.{kind}"
    if kind == "pdf":
        pages = ["# " + title + "\n\n" + "\n\n".join(paragraphs), "\n\n".join(paragraphs[::-1])]
        return make_pdf(path, pages[: rng.randint(1, 2)], title=title)
    if kind == "docx":
        return make_docx(path, title=title, paragraphs=paragraphs, table=table)
    if kind == "html":
        return make_html(path, title=title, paragraphs=paragraphs, table=table)
    if kind == "md":
        return make_markdown(path, title=title, paragraphs=paragraphs, table=table)
    if kind == "csv":
        return make_csv(path, table)
    return make_text(path, title + "\n\n" + "\n\n".join(paragraphs))


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + "."


_REPORT_PAGES = (
    """# Northwind Traders Q3 2024 Quarterly Report

Revenue for the third quarter reached 4.2 million dollars, up 12 percent on the same quarter
last year. Growth came mostly from the wholesale channel and from the new online store.

Operating costs rose by 5 percent, driven by fuel prices and two new warehouse leases.

# Highlights

- Online orders grew 38 percent and now make up a fifth of revenue.
- The Lyon warehouse opened on 2 September, on schedule and under budget.
- Customer satisfaction held at 4.6 out of 5 across all regions.""",
    """# Regional performance

North America remained the largest region with 1.9 million dollars in revenue. Europe grew
fastest, helped by the Lyon opening, while Asia Pacific was flat after a strong second quarter.

Inventory turnover improved from 5.1 to 5.6, and the average delivery time fell to 2.8 days.""",
    """# Outlook

For the fourth quarter we expect revenue between 4.4 and 4.7 million dollars. The main risks
are freight costs and the timing of the holiday season.

Prepared by the Finance team, 14 October 2024.""",
)
_MEETING_NOTES = (
    "# Attendees",
    "Priya Natarajan (chair), Tom Becker, Ana Souza, Li Wei.",
    "# Decisions",
    "- Move the product launch to 18 November.",
    "- Freeze new feature requests until the launch.",
    "# Next steps",
    "1. Ana drafts the launch announcement.",
    "1. Tom confirms the printing order with the supplier.",
    "Action items are tracked in the table below.",
)
_ACTIONS = (
    ("Owner", "Action", "Due"),
    ("Ana", "Launch announcement", "1 Nov"),
    ("Tom", "Printing order", "4 Nov"),
    ("Li", "Update price list", "8 Nov"),
)
_PRODUCTS = (
    ("SKU", "Product", "Unit price (EUR)", "In stock"),
    ("NW-1001", "Espresso beans, 1 kg", "18.50", "240"),
    ("NW-1002", "Green tea, 500 g", "9.90", "130"),
    ("NW-1003", "Dark chocolate, 100 g", "2.40", "1200"),
    ("NW-1004", "Olive oil, 750 ml", "11.20", "85"),
)
EXAMPLES_README = """# Example documents

Small, realistic documents for trying reams (`reams run parse examples/`), all fictional.
They were generated by `python tests/docgen.py examples`; run it again to recreate them.

| file | what it is |
|---|---|
| `quarterly-report.pdf` | a 3-page PDF with a text layer: headings, paragraphs and a bullet list |
| `meeting-notes.docx` | Word meeting notes: headings, bulleted and numbered lists, a table |
| `product-page.html` | a web page with navigation, an article, a product table and a footer |
| `release-notes.md` | Markdown release notes |
| `price-list.csv` | a product price list |
"""


def write_examples(out_dir: Path | str) -> list[Path]:
    """Write the demo set (see ``EXAMPLES_README``) and its README into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    products = [list(row) for row in _PRODUCTS]
    paths = [
        make_pdf(out / "quarterly-report.pdf", _REPORT_PAGES, title="Northwind Q3 2024 Report"),
        make_docx(
            out / "meeting-notes.docx",
            title="Launch planning meeting, 21 October 2024",
            paragraphs=_MEETING_NOTES,
            table=[list(row) for row in _ACTIONS],
        ),
        make_html(
            out / "product-page.html",
            title="Northwind pantry essentials",
            paragraphs=[
                "Our best-selling pantry products, shipped from Lyon within two days.",
                "## Why customers choose us",
                "- Fair-trade sourcing",
                "- Free delivery over 50 euros",
            ],
            table=products,
            nav_links=["Home", "Shop", "About us", "Contact"],
            footer="Northwind Traders, 12 Rue de la Paix, Lyon. All rights reserved.",
        ),
        make_markdown(
            out / "release-notes.md",
            title="Northwind app release notes",
            paragraphs=[
                "## 2.4.0 (2024-10-10)",
                "- Faster checkout on mobile.\n- Saved carts sync across devices.",
                "## 2.3.1 (2024-09-02)",
                "- Fixed a rounding error in invoices with discounts.",
            ],
        ),
        make_csv(out / "price-list.csv", products),
    ]
    (out / "README.md").write_text(EXAMPLES_README, encoding="utf-8")
    return [*paths, out / "README.md"]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/docgen.py OUT_DIR   (e.g. python tests/docgen.py examples)")
    for written in write_examples(sys.argv[1]):
        print(written)
