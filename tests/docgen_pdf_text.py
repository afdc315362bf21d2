"""PDF generators for text and reading-order tests: turned pages, glyph-by-glyph text, notes.

Like ``docgen_pdf``, every page is drawn by reportlab the way real producers write it: a page
turned by ``/Rotate`` with its text drawn turned back, a landscape page whose text runs up the
sheet, headings drawn one glyph at a time with extra spacing, footnotes written into the content
stream before the body, small print written first at the foot of a page, and tagged pages whose
structure tree gives an order that differs from the drawing order. Every function writes
``path`` and returns it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen import PDF_PAGE_HEIGHT, PDF_PAGE_WIDTH

_MARGIN = 72.0
_FONT, _BOLD = "Helvetica", "Helvetica-Bold"
_SIZE, _LEADING = 10.0, 14.0


def _canvas(path: Path, size: tuple[float, float] = (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT)) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), size, invariant=1)
    canvas.setTitle(path.stem)
    canvas.setCreator("reams docgen_pdf_text")
    return canvas


def _wrapped(text: str, width: float, font: str = _FONT, size: float = _SIZE) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return list(simpleSplit(text, font, size, width))


def _draw_paragraphs(
    canvas: Any, paragraphs: Sequence[str], *, x: float, y: float, width: float
) -> float:
    """Draw ``paragraphs`` from baseline ``y`` down, a blank line between them; the next y."""
    canvas.setFont(_FONT, _SIZE)
    for paragraph in paragraphs:
        for line in _wrapped(paragraph, width):
            canvas.drawString(x, y, line)
            y -= _LEADING
        y -= _LEADING
    return y


def make_turned_pdf(
    path: Path | str,
    paragraphs: Sequence[str],
    *,
    rotate: int = 90,
    title: str = "",
    displayed: bool = True,
) -> Path:
    """One page whose text reads upright only once the page is turned.

    With ``displayed`` the page carries ``/Rotate`` ``rotate`` and its text is drawn turned the
    other way, so a viewer shows it upright (a landscape page stored portrait). Without it there
    is no ``/Rotate``: the text simply runs up (``rotate`` 90) or down (270) the portrait sheet,
    as a landscape table printed sideways does.
    """
    path = Path(path)
    canvas = _canvas(path)
    if displayed:
        canvas.setPageRotation(rotate)
    # Turn the drawing so that "across" runs along the sheet's long side.
    if rotate == 90:
        canvas.translate(PDF_PAGE_WIDTH, 0)
        canvas.rotate(90)
    elif rotate == 270:
        canvas.translate(0, PDF_PAGE_HEIGHT)
        canvas.rotate(-90)
    elif rotate == 180:
        canvas.translate(PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT)
        canvas.rotate(180)
    wide = PDF_PAGE_HEIGHT if rotate in (90, 270) else PDF_PAGE_WIDTH
    tall = PDF_PAGE_WIDTH if rotate in (90, 270) else PDF_PAGE_HEIGHT
    if not displayed and rotate in (90, 270):
        # Text running up the sheet turns the other way than text turned back against /Rotate.
        canvas.translate(wide, tall)
        canvas.rotate(180)
    y = tall - _MARGIN
    if title:
        canvas.setFont(_BOLD, 18)
        canvas.drawString(_MARGIN, y, title)
        y -= 30
    _draw_paragraphs(canvas, paragraphs, x=_MARGIN, y=y, width=wide - 2 * _MARGIN)
    canvas.showPage()
    canvas.save()
    return path


def make_glyph_by_glyph_pdf(
    path: Path | str,
    heading: str,
    paragraphs: Sequence[str],
    *,
    spacing: float = 3.0,
    size: float = 16.0,
    body_by_glyph: bool = False,
) -> Path:
    """A heading drawn one glyph per text object with ``spacing`` points between letters.

    Letter-spaced headings are often written this way: each glyph is placed on its own (one
    ``Tj`` per character), with no space characters, word gaps being just wider advances. With
    ``body_by_glyph`` the body text is placed glyph by glyph too, with ordinary spacing.
    """
    path = Path(path)
    canvas = _canvas(path)
    y = PDF_PAGE_HEIGHT - _MARGIN
    _glyphs(canvas, heading, _MARGIN, y, font=_BOLD, size=size, spacing=spacing)
    y -= size * 2
    if not body_by_glyph:
        _draw_paragraphs(canvas, paragraphs, x=_MARGIN, y=y, width=PDF_PAGE_WIDTH - 2 * _MARGIN)
    else:
        for paragraph in paragraphs:
            for line in _wrapped(paragraph, PDF_PAGE_WIDTH - 2 * _MARGIN):
                _glyphs(canvas, line, _MARGIN, y, font=_FONT, size=_SIZE, spacing=0.0)
                y -= _LEADING
            y -= _LEADING
    canvas.showPage()
    canvas.save()
    return path


def _glyphs(
    canvas: Any, text: str, x: float, y: float, *, font: str, size: float, spacing: float
) -> None:
    """``text`` placed glyph by glyph; a space is only a wider step, never drawn."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for char in text:
        if char != " ":
            canvas.setFont(font, size)
            canvas.drawString(x, y, char)
        x += stringWidth(char, font, size) + spacing


def make_footnoted_pdf(
    path: Path | str,
    title: str,
    paragraphs: Sequence[str],
    footnotes: Sequence[str],
    *,
    page_label: str = "",
    authors: Sequence[tuple[str, str]] = (),
) -> Path:
    """A page whose footnotes (small print at its foot) are written before the body.

    ``page_label`` (e.g. "Page 1 of 23") is drawn bold at the top right, as report templates
    do; ``authors`` are (name, superscript mark) pairs drawn under the title, each mark raised
    and smaller.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    path = Path(path)
    canvas = _canvas(path)
    note_size = 7.0
    y = _MARGIN
    canvas.setFont(_FONT, note_size)
    for note in reversed(footnotes):
        for line in reversed(_wrapped(note, PDF_PAGE_WIDTH - 2 * _MARGIN, _FONT, note_size)):
            canvas.drawString(_MARGIN, y, line)
            y += note_size * 1.25
    canvas.line(_MARGIN, y + 2, _MARGIN + 150, y + 2)
    top = PDF_PAGE_HEIGHT - _MARGIN
    if page_label:
        canvas.setFont(_BOLD, 11)
        canvas.drawRightString(PDF_PAGE_WIDTH - _MARGIN, PDF_PAGE_HEIGHT - 40, page_label)
    canvas.setFont(_BOLD, 18)
    canvas.drawString(_MARGIN, top, title)
    y = top - 26
    if authors:
        x = _MARGIN
        marks: list[tuple[float, str]] = []
        for name, mark in authors:
            canvas.setFont(_FONT, 11)
            canvas.drawString(x, y, name)
            x += stringWidth(name, _FONT, 11)
            marks.append((x + 0.5, mark))
            x += stringWidth(mark, _FONT, 6.5) + 12
        # The marks are written after the names, as a second pass of raised small text.
        canvas.setFont(_FONT, 6.5)
        for left, mark in marks:
            canvas.drawString(left, y + 5, mark)
        y -= 28
    _draw_paragraphs(canvas, paragraphs, x=_MARGIN, y=y, width=PDF_PAGE_WIDTH - 2 * _MARGIN)
    canvas.showPage()
    canvas.save()
    return path


def make_invoice_pdf(
    path: Path | str,
    address: Sequence[str],
    items: Sequence[tuple[str, str]],
    small_print: Sequence[str],
) -> Path:
    """An invoice written the way some billing systems do: the page-bottom small print first,
    then the address block drawn bottom line first, then the title and the items."""
    path = Path(path)
    canvas = _canvas(path)
    canvas.setFont(_FONT, 7)
    y = 40.0
    for line in reversed(small_print):
        canvas.drawString(_MARGIN, y, line)
        y += 9
    canvas.setFont(_FONT, _SIZE)
    top = PDF_PAGE_HEIGHT - 110
    for index in reversed(range(len(address))):
        canvas.drawString(_MARGIN, top - index * 12, address[index])
    canvas.setFont(_BOLD, 20)
    canvas.drawString(_MARGIN, PDF_PAGE_HEIGHT - _MARGIN, "INVOICE")
    canvas.setFont(_FONT, _SIZE)
    y = top - len(address) * 12 - 30
    for label, amount in items:
        canvas.drawString(_MARGIN, y, label)
        canvas.drawRightString(PDF_PAGE_WIDTH - _MARGIN, y, amount)
        y -= _LEADING
    canvas.showPage()
    canvas.save()
    return path


def make_tagged_pdf(
    path: Path | str,
    blocks: Sequence[tuple[float, float, Sequence[str]]],
    tree_order: Sequence[int],
    *,
    tagged: bool = True,
) -> Path:
    """One tagged page: each block (left x, top baseline y, lines) is drawn in the order given,
    as one marked-content sequence (MCID = its index) of a paragraph, and the structure tree
    lists the paragraphs in ``tree_order``. Without ``tagged`` the same page has no tree.

    reportlab does not write structure trees, so this page is written object by object, as
    tagging producers do: a ``/StructTreeRoot`` with ``/P`` elements whose kids are MCIDs, a
    ``/ParentTree``, and ``BDC``/``EMC`` around each block's text.
    """
    path = Path(path)
    stream = []
    for mcid, (x, y, lines) in enumerate(blocks):
        if tagged:
            stream.append(f"/P <</MCID {mcid}>> BDC")
        stream.append(f"BT /F1 {_SIZE:g} Tf {_LEADING:g} TL {x:g} {y:g} Td")
        for index, line in enumerate(lines):
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            stream.append(f"({escaped}) Tj" if index == 0 else f"T* ({escaped}) Tj")
        stream.append("ET")
        if tagged:
            stream.append("EMC")
    content = "\n".join(stream).encode("latin-1")
    count = len(blocks)
    # 1 catalog, 2 pages, 3 page, 4 font, 5 content, 6 struct tree root, 7 document element,
    # 8.. one paragraph element per block.
    paragraphs = [8 + index for index in range(count)]
    kids = " ".join(f"{paragraphs[index]} 0 R" for index in tree_order)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R"
        + (b" /StructTreeRoot 6 0 R /MarkInfo << /Marked true >>" if tagged else b"")
        + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PDF_PAGE_WIDTH:g} "
            f"{PDF_PAGE_HEIGHT:g}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R"
            + (" /StructParents 0" if tagged else "")
            + " >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        (
            "<< /Type /StructTreeRoot /K 7 0 R /ParentTree << /Nums [0 ["
            + " ".join(f"{number} 0 R" for number in paragraphs)
            + "]] >> /ParentTreeNextKey 1 >>"
        ).encode(),
        f"<< /Type /StructElem /S /Document /P 6 0 R /K [{kids}] >>".encode(),
        *(
            f"<< /Type /StructElem /S /P /P 7 0 R /Pg 3 0 R /K {mcid} >>".encode()
            for mcid in range(count)
        ),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    path.write_bytes(bytes(out))
    return path
