"""Drawing for the generated field set: a page of placed text (reportlab), and its scan (pdfium).

The PDFs are made with ``invariant=1`` so the same seed gives the same bytes; the scans are the
page rendered by pdfium, turned by a fraction of a degree, softened and specked with a seeded
generator (never PIL's own noise, whose seed is not ours).
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

MM = 72 / 25.4
RECEIPT_WIDTH = 80 * MM
RECEIPT_COLUMNS = 42


class Sheet:
    """One page; ``y`` grows downwards from the top edge (as one reads a page)."""

    def __init__(self, size: tuple[float, float] = A4, family: str = "Helvetica") -> None:
        self.width, self.height = size
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=size, invariant=1)
        self.family = family

    def font(self, bold: bool = False) -> str:
        if self.family == "Times":
            return "Times-Bold" if bold else "Times-Roman"
        return f"{self.family}-Bold" if bold else self.family

    def width_of(self, text: str, size: float, bold: bool = False) -> float:
        return float(stringWidth(text, self.font(bold), size))

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 9,
        *,
        bold: bool = False,
        align: str = "left",
        grey: float = 0.0,
        white: bool = False,
    ) -> None:
        c = self.canvas
        c.setFont(self.font(bold), size)
        c.setFillGray(1.0 if white else grey)
        top = self.height - y
        if align == "right":
            c.drawRightString(x, top, text)
        elif align == "center":
            c.drawCentredString(x, top, text)
        else:
            c.drawString(x, top, text)
        c.setFillGray(0.0)

    def lines(
        self,
        x: float,
        y: float,
        lines: Sequence[str],
        size: float = 9,
        *,
        leading: float = 1.35,
        bold_first: bool = False,
        align: str = "left",
    ) -> float:
        """Lines from ``y`` down; returns the ``y`` below the last."""
        for number, line in enumerate(lines):
            self.text(x, y, line, size, bold=bold_first and number == 0, align=align)
            y += size * leading
        return y

    def rule(self, x1: float, y: float, x2: float, width: float = 0.5, grey: float = 0.0) -> None:
        c = self.canvas
        c.setLineWidth(width)
        c.setStrokeGray(grey)
        c.line(x1, self.height - y, x2, self.height - y)
        c.setStrokeGray(0.0)

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: float | None = None,
        stroke: bool = True,
    ) -> None:
        """A rectangle whose top-left corner is (x, y)."""
        c = self.canvas
        c.setLineWidth(0.6)
        if fill is not None:
            c.setFillGray(fill)
        c.rect(x, self.height - y - h, w, h, stroke=int(stroke), fill=int(fill is not None))
        c.setFillGray(0.0)

    def table(
        self,
        x: float,
        y: float,
        widths: Sequence[float],
        rows: Sequence[Sequence[str]],
        *,
        size: float = 8.5,
        aligns: str = "",
        header_fill: float | None = 0.88,
        grid: bool = False,
        zebra: bool = False,
    ) -> float:
        """Rows of cells (the first is the header); ``aligns`` one of l/r/c per column."""
        height = size * 2.0
        for number, row in enumerate(rows):
            total = sum(widths)
            if number == 0 and header_fill is not None:
                self.box(x, y, total, height, fill=header_fill, stroke=grid)
            elif zebra and number % 2 == 0:
                self.box(x, y, total, height, fill=0.95, stroke=False)
            elif grid:
                self.box(x, y, total, height)
            left = x
            for column, (cell, width) in enumerate(zip(row, widths, strict=True)):
                align = aligns[column] if column < len(aligns) else "l"
                base = y + size * 1.35
                if align == "r":
                    self.text(left + width - 4, base, cell, size, bold=number == 0, align="right")
                elif align == "c":
                    self.text(left + width / 2, base, cell, size, bold=number == 0, align="center")
                else:
                    self.text(left + 4, base, cell, size, bold=number == 0)
                left += width
            if not grid and number == 0:
                self.rule(x, y + height, x + sum(widths), 0.7)
            y += height
        if not grid:
            self.rule(x, y, x + sum(widths), 0.4, grey=0.5)
        return y

    def pairs(
        self,
        x: float,
        y: float,
        pairs: Sequence[tuple[str, str]],
        value_x: float,
        size: float = 9,
        *,
        value_align: str = "left",
        bold_last: bool = False,
    ) -> float:
        """Label / value rows: the label at ``x``, the value at ``value_x``."""
        for number, (label, value) in enumerate(pairs):
            bold = bold_last and number == len(pairs) - 1
            self.text(x, y, label, size, bold=bold)
            self.text(value_x, y, value, size, bold=bold, align=value_align)
            y += size * 1.5
        return y

    def pdf(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def receipt_pdf(lines: Sequence[str], *, size: float = 8.0, bold: Sequence[int] = ()) -> bytes:
    """A thermal-printer receipt: monospaced lines of ``RECEIPT_COLUMNS`` on an 80 mm roll."""
    leading = size * 1.3
    height = max(len(lines) * leading + 40, 200.0)
    sheet = Sheet((RECEIPT_WIDTH, height), family="Courier")
    margin = (RECEIPT_WIDTH - stringWidth("M" * RECEIPT_COLUMNS, "Courier", size)) / 2
    for number, line in enumerate(lines):
        big = number in bold
        sheet.text(margin, 22 + number * leading, line, size, bold=big)
    return sheet.pdf()


def center(text: str) -> str:
    return text.center(RECEIPT_COLUMNS).rstrip()


def spread(left: str, right: str, width: int = RECEIPT_COLUMNS) -> str:
    gap = max(1, width - len(left) - len(right))
    return f"{left}{' ' * gap}{right}"


def scan(pdf: bytes, rng: random.Random) -> bytes:
    """The first page as a grey PNG at 150-200 dpi, slightly turned, softened and specked."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFilter

    dpi = rng.choice((150, 175, 200))
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    angle = rng.uniform(-1.2, 1.2)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
    image = image.point(lambda v: 30 + v * 215 // 255)  # grey paper, grey ink
    draw = ImageDraw.Draw(image)
    for _ in range(image.width * image.height // 2500):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        draw.point((x, y), fill=rng.choice((60, 110, 160)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
