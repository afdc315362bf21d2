"""PDF generators for the table failure classes: wrapped cells, tight numeric columns, prose beside.

Each page is drawn by reportlab glyph run by glyph run, the way report writers and word
processors place table text: every cell is its own ``drawString`` at its column's x, right-aligned
for numbers, so the gaps between columns are whatever the column widths leave. Borders are drawn
as real path objects: around every cell (``"grid"``), only between rows (``"rows"``) or not at all
(``"none"``). Every function writes ``path`` and returns it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen import PDF_PAGE_HEIGHT, PDF_PAGE_WIDTH

_FONT, _BOLD = "Helvetica", "Helvetica-Bold"
_NUMBER = re.compile(r"^[-+(]?[\d.,%$€]+\)?$")


def _canvas(path: Path) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT), invariant=1)
    canvas.setTitle(path.stem)
    canvas.setCreator("reams docgen_pdf_tables")
    return canvas


def _wrapped(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return list(simpleSplit(text, font, size, width)) or [""]


def draw_table(
    canvas: Any,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    left: float,
    top: float,
    size: float = 9.0,
    borders: str = "grid",
    pad: float = 3.0,
    by_column: bool = False,
) -> float:
    """Draw ``rows`` with its top left corner at (``left``, ``top``); returns the bottom y.

    A cell wider than its column wraps onto more lines inside the column; numbers are set flush
    right, other cells flush left. The first row is bold. The text is drawn row by row, or
    column by column with ``by_column`` (as some report writers do: then no line of text holds
    two cells).
    """
    leading = size * 1.2
    edges = [left]
    for width in widths:
        edges.append(edges[-1] + width)
    y = top
    lines_y = [y]
    texts: list[tuple[int, str, float, str]] = []  # column, font, baseline, line
    for index, row in enumerate(rows):
        font = _BOLD if index == 0 else _FONT
        cells = [
            _wrapped(cell, width - 2 * pad, font, size)
            for cell, width in zip(row, widths, strict=True)
        ]
        depth = max(len(lines) for lines in cells)
        for column, lines in enumerate(cells):
            for offset, line in enumerate(lines):
                texts.append((column, font, y - pad - size - offset * leading, line))
        y -= depth * leading + 2 * pad
        lines_y.append(y)
    _draw_lines(canvas, sorted(texts, key=lambda t: t[0]) if by_column else texts, edges, size, pad)
    if borders in ("grid", "rows"):
        canvas.setLineWidth(0.5)
        for line_y in lines_y:
            canvas.line(edges[0], line_y, edges[-1], line_y)
    if borders == "grid":
        for x in edges:
            canvas.line(x, lines_y[0], x, lines_y[-1])
    return y


def _draw_lines(
    canvas: Any,
    texts: Sequence[tuple[int, str, float, str]],
    edges: Sequence[float],
    size: float,
    pad: float,
) -> None:
    """Draw each (column, font, baseline, line): numbers flush right, other text flush left."""
    for column, font, baseline, line in texts:
        canvas.setFont(font, size)
        if _NUMBER.match(line):
            canvas.drawRightString(edges[column + 1] - pad, baseline, line)
        else:
            canvas.drawString(edges[column] + pad, baseline, line)


def draw_paragraph(
    canvas: Any, text: str, *, left: float, top: float, width: float, size: float = 10.0
) -> float:
    """Running text wrapped to ``width``; returns the y under its last line."""
    y = top
    for line in _wrapped(text, width, _FONT, size):
        y -= size * 1.2
        canvas.setFont(_FONT, size)
        canvas.drawString(left, y, line)
    return y


def make_table_page(
    path: Path | str,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    borders: str = "grid",
    intro: str = "",
    beside: str = "",
    beside_width: float = 150.0,
    side: str = "left",
    order: str = "before",
    below: str = "",
    size: float = 9.0,
) -> Path:
    """One page: an optional paragraph, then the table; ``beside`` sets running text in a column
    left of the table (``side="right"``: right of it), as a sidebar, a caption or a page's first
    column next to a table in the second. ``order`` is where its text goes in the content
    stream: ``"before"`` or ``"after"`` the table's, or ``"by_line"``: everything top down,
    left to right, as producers that write the page line by line do (then a line of it and a
    row of the table on the same baseline are one line of text). ``below`` sets a note under
    the table, across the page's width."""
    path = Path(path)
    canvas = _canvas(path)
    margin = 60.0
    top = PDF_PAGE_HEIGHT - margin
    if intro:
        top = draw_paragraph(canvas, intro, left=margin, top=top, width=PDF_PAGE_WIDTH - 2 * margin)
        top -= 16
    left = margin
    beside_left = margin
    if beside and side == "left":
        left = margin + beside_width + 24
    elif beside:
        beside_left = margin + sum(widths) + 24
    page = _ByLine(canvas) if order == "by_line" else canvas
    if beside and order != "after":
        draw_paragraph(page, beside, left=beside_left, top=top, width=beside_width)
    bottom = draw_table(page, rows, widths, left=left, top=top, size=size, borders=borders)
    if beside and order == "after":
        draw_paragraph(page, beside, left=beside_left, top=top, width=beside_width)
    if isinstance(page, _ByLine):
        page.flush()
    if below:
        width = PDF_PAGE_WIDTH - 2 * margin
        draw_paragraph(canvas, below, left=margin, top=bottom - 12, width=width, size=size)
    canvas.showPage()
    canvas.save()
    return path


class _ByLine:
    """Stands in for a canvas and keeps the strings drawn; ``flush`` draws them top down, left
    to right (anything else, rules, is drawn at once)."""

    def __init__(self, canvas: Any) -> None:
        self._canvas = canvas
        self._font: tuple[str, float] = (_FONT, 10.0)
        self._strings: list[tuple[float, float, str, float, str]] = []  # -y, x, font, size

    def setFont(self, font: str, size: float) -> None:  # reportlab's names
        self._font = (font, size)

    def drawString(self, x: float, y: float, text: str) -> None:
        self._strings.append((-y, x, *self._font, text))

    def drawRightString(self, x: float, y: float, text: str) -> None:
        self.drawString(x - self._canvas.stringWidth(text, *self._font), y, text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._canvas, name)

    def flush(self) -> None:
        for minus_y, x, font, size, text in sorted(self._strings):
            self._canvas.setFont(font, size)
            self._canvas.drawString(x, -minus_y, text)


def make_columns_page(
    path: Path | str, columns: Sequence[str], *, width: float = 220.0, gap: float = 24.0
) -> Path:
    """One page of running text set in columns of ``width``, side by side."""
    path = Path(path)
    canvas = _canvas(path)
    margin = 60.0
    for number, text in enumerate(columns):
        left = margin + number * (width + gap)
        draw_paragraph(canvas, text, left=left, top=PDF_PAGE_HEIGHT - margin, width=width)
    canvas.showPage()
    canvas.save()
    return path


def make_contents_page(path: Path | str, entries: Sequence[tuple[str, str]]) -> Path:
    """A table of contents: each title, then dot leaders up to its page number, flush right."""
    path = Path(path)
    canvas = _canvas(path)
    canvas.setFont(_BOLD, 18)
    canvas.drawString(72, PDF_PAGE_HEIGHT - 72, "Contents")
    y = PDF_PAGE_HEIGHT - 110
    right = PDF_PAGE_WIDTH - 72
    canvas.setFont(_FONT, 10)
    for title, page in entries:
        canvas.drawString(72, y, title)
        start = 72 + canvas.stringWidth(title + " ", _FONT, 10)
        end = right - canvas.stringWidth(" " + page, _FONT, 10)
        dots = int((end - start) / canvas.stringWidth(". ", _FONT, 10))
        canvas.drawString(start, y, ". " * dots)
        canvas.drawRightString(right, y, page)
        y -= 14
    canvas.drawString(72, y - 20, "The chapters can be read in any order.")
    canvas.showPage()
    canvas.save()
    return path
