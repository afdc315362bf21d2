"""PDF generators for layout tests: tables, two columns, running heads, styled text, scans.

Like ``docgen``, every file is drawn by reportlab, the way a real producer writes it, so the
layout analysis is tested on genuine text layers (glyph positions, fonts, ruling lines), not on
hand-made bytes. Every function writes ``path`` and returns it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen import PDF_PAGE_HEIGHT, PDF_PAGE_WIDTH

_MARGIN = 72.0
_FONT, _BOLD = "Helvetica", "Helvetica-Bold"
_SIZE, _LEADING = 10.0, 14.0

# (font, size, space after) per style of make_styled_pdf.
_STYLES = {
    "title": (_BOLD, 22.0, 10.0),
    "heading": (_BOLD, 15.0, 6.0),
    "label": (_BOLD, _SIZE, 2.0),
    "body": (_FONT, _SIZE, 8.0),
}


def _canvas(path: Path, *, size: tuple[float, float] = (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT)) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), size, invariant=1)
    canvas.setTitle(path.stem)
    canvas.setCreator("reams docgen_pdf")
    return canvas


def _wrapped(text: str, width: float, font: str = _FONT, size: float = _SIZE) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return list(simpleSplit(text, font, size, width))


def make_table_pdf(
    path: Path | str,
    rows: Sequence[Sequence[str]],
    *,
    intro: str = "",
    ruled: bool = False,
    widths: Sequence[float] | None = None,
) -> Path:
    """One page: an optional paragraph, then ``rows`` as a table (first row bold).

    Columns are ``widths`` points wide (110 each by default); a cell that does not fit wraps
    onto more lines within its column. With ``ruled`` a rule is drawn above, between and below
    the rows, as word processors draw table borders.
    """
    path = Path(path)
    canvas = _canvas(path)
    y = PDF_PAGE_HEIGHT - _MARGIN
    for line in _wrapped(intro, PDF_PAGE_WIDTH - 2 * _MARGIN) if intro else []:
        canvas.setFont(_FONT, _SIZE)
        canvas.drawString(_MARGIN, y, line)
        y -= _LEADING
    y -= _LEADING
    columns = list(widths or [110.0] * max(len(row) for row in rows))
    right = _MARGIN + sum(columns)
    for index, row in enumerate(rows):
        if ruled:
            canvas.line(_MARGIN - 4, y + _SIZE + 2, right, y + _SIZE + 2)
        y = _draw_row(canvas, row, columns, y, bold=index == 0)
    if ruled:
        canvas.line(_MARGIN - 4, y + _SIZE + 2, right, y + _SIZE + 2)
    canvas.showPage()
    canvas.save()
    return path


def _draw_row(
    canvas: Any, row: Sequence[str], columns: list[float], y: float, *, bold: bool
) -> float:
    font = _BOLD if bold else _FONT
    x, depth = _MARGIN, 1
    for cell, width in zip(row, columns, strict=False):
        lines = _wrapped(cell, width - 12, font)
        for offset, line in enumerate(lines):
            canvas.setFont(font, _SIZE)
            canvas.drawString(x, y - offset * _LEADING, line)
        depth = max(depth, len(lines))
        x += width
    return y - depth * _LEADING - 4


def make_columns_pdf(
    path: Path | str, left: Sequence[str], right: Sequence[str], *, title: str = ""
) -> Path:
    """One page: a full-width bold title, then paragraphs in two columns (left, then right).

    The two columns are drawn line by line across the page, left line then right line, so
    PDFium's text order interleaves them and only the layout analysis can restore them.
    """
    path = Path(path)
    canvas = _canvas(path)
    y = PDF_PAGE_HEIGHT - _MARGIN
    if title:
        canvas.setFont(_BOLD, 18.0)
        canvas.drawString(_MARGIN, y, title)
        y -= 36.0
    gutter = 24.0
    width = (PDF_PAGE_WIDTH - 2 * _MARGIN - gutter) / 2
    columns = [_column_lines(paragraphs, width) for paragraphs in (left, right)]
    for index in range(max(len(lines) for lines in columns)):
        for side, lines in enumerate(columns):
            if index < len(lines) and lines[index]:
                canvas.setFont(_FONT, _SIZE)
                canvas.drawString(_MARGIN + side * (width + gutter), y, lines[index])
        y -= _LEADING
    canvas.showPage()
    canvas.save()
    return path


def _column_lines(paragraphs: Sequence[str], width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(_wrapped(paragraph, width))
        lines.append("")  # the paragraph gap
    return lines


def make_running_heads_pdf(
    path: Path | str,
    pages: Sequence[str],
    *,
    header: str = "Northwind Traders - Annual Report 2024",
    footer: str = "Page {n} of {total}",
) -> Path:
    """One page per string of ``pages`` (a paragraph each), with a running header and footer.

    ``{n}`` and ``{total}`` in ``footer`` (and ``header``) become the page number and count.
    """
    path = Path(path)
    canvas = _canvas(path)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        canvas.setFont(_FONT, 8.0)
        canvas.drawString(_MARGIN, PDF_PAGE_HEIGHT - 40, header.format(n=number, total=total))
        canvas.drawString(_MARGIN, 36, footer.format(n=number, total=total))
        y = PDF_PAGE_HEIGHT - _MARGIN - 20
        for line in _wrapped(text, PDF_PAGE_WIDTH - 2 * _MARGIN):
            canvas.setFont(_FONT, _SIZE)
            canvas.drawString(_MARGIN, y, line)
            y -= _LEADING
        canvas.showPage()
    canvas.save()
    return path


def make_styled_pdf(path: Path | str, blocks: Sequence[tuple[str, str]]) -> Path:
    """One page of (style, text) blocks; styles: title, heading, label (bold, body size), body.

    A body text starting with ``"- "`` is drawn as a bullet item, with ``"1. "`` as a numbered
    one, with hanging indents when it wraps.
    """
    path = Path(path)
    canvas = _canvas(path)
    y = PDF_PAGE_HEIGHT - _MARGIN
    for style, text in blocks:
        font, size, after = _STYLES[style]
        marker, body = _marker(text) if style == "body" else ("", text)
        indent = 14.0 if marker else 0.0
        for index, line in enumerate(
            _wrapped(body, PDF_PAGE_WIDTH - 2 * _MARGIN - indent, font, size)
        ):
            canvas.setFont(font, size)
            if marker and index == 0:
                canvas.drawString(_MARGIN, y, marker)
            canvas.drawString(_MARGIN + indent, y, line)
            y -= size * 1.4
        y -= after
    canvas.showPage()
    canvas.save()
    return path


def _marker(text: str) -> tuple[str, str]:
    if text.startswith("- "):
        return "•", text[2:]
    head, _, rest = text.partition(" ")
    if head.endswith(".") and head[:-1].isdigit():
        return head, rest
    return "", text


def make_scanned_pdf(path: Path | str, text: str, *, blank_second_page: bool = False) -> Path:
    """A page that shows ``text`` only as a picture (a scan): no text layer at all.

    With ``blank_second_page`` a second, entirely empty page follows.
    """
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    path = Path(path)
    image = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(image).text((80, 100), text, fill="black")
    canvas = _canvas(path)
    canvas.drawImage(ImageReader(image), 0, 0, PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT)
    canvas.showPage()
    if blank_second_page:
        canvas.showPage()
    canvas.save()
    return path
