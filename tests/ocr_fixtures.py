"""Images of text for OCR tests, drawn by Pillow, and a scanned PDF made from them.

Pillow's default font is scalable (Pillow >= 10.1 ships one), so no system font is needed. The
images are about 800 pixels square with large text: rapidocr reads them in well under a second.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

TITLE = "Quarterly Report"
LINES = ("Invoice number 4711 is due", "on the first of March.")
WORDS = ("Quarterly", "Report", "Invoice", "4711", "March")


def text_image(
    lines: Sequence[str] = LINES,
    *,
    title: str | None = TITLE,
    size: tuple[int, int] = (800, 800),
    mode: str = "RGB",
) -> Image.Image:
    """Black text on white: an optional large title, then body lines."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    y = 60
    if title:
        draw.text((50, y), title, font=ImageFont.load_default(size=64), fill="black")
        y += 140
    body = ImageFont.load_default(size=40)
    for line in lines:
        draw.text((50, y), line, font=body, fill="black")
        y += 56
    return image.convert(mode) if mode != "RGB" else image


def image_bytes(image: Image.Image, fmt: str, **save: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def multipage_tiff(pages: Sequence[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=list(pages[1:]))
    return buffer.getvalue()


def scanned_pdf(pages: Sequence[Image.Image | str], *, side: float = 288.0) -> bytes:
    """A PDF of square pages: an image fills the page (a scan); a string is a text layer.

    The pages are small (4 inches by default) so that OCR renders them at about 1,200 pixels.
    """
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(side, side), invariant=1)
    for page in pages:
        if isinstance(page, str):
            canvas.setFont("Helvetica", 14)
            canvas.drawString(24, side - 48, page)
        else:
            canvas.drawImage(ImageReader(page), 0, 0, width=side, height=side)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def normalised(text: str) -> str:
    """Lower case, single spaces: OCR output compared without caring about layout."""
    return " ".join(text.lower().split())


def png_declaring(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels and carries one row of data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    row = zlib.compress(b"\x00" + b"\xff" * min(width, 1000))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")


def pdf_with_huge_image(side: int, *, compressed_zeros: int = 10_000_000) -> bytes:
    """A one-page PDF drawing a ``side`` x ``side`` grey image from a few KB of flate data.

    Written by hand (no PDF library writes a lying image), with a correct xref table.
    """
    stream = zlib.compress(bytes(compressed_zeros), 9)
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (side, side, len(stream))
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        image + stream + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


RECEIPT = (
    "SEATTLE GENERAL HOSPITAL",
    "29/06/2018 8:26:57 AM",
    "THANK YOU FOR SHOPPING WITH US",
    "TOTAL DUE 45.10 CASH 50.00",
    "CHANGE 4.90 ITEMS 3",
)


def printed_image(
    lines: Sequence[str] = RECEIPT, *, font: str = "Helvetica", size: float = 8, dpi: float = 200
) -> Image.Image:
    """Lines set in a PDF base font and rendered by pdfium at ``dpi``: a clean scan of print.

    Small type at a modest resolution (8 pt at 200 dpi is 22 pixels a line) is where the
    recogniser loses the spaces between words. The base fonts need no font file.
    """
    import pypdfium2 as pdfium
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    width = max(stringWidth(line, font, size) for line in lines) + 48
    height = len(lines) * size * 1.8 + 48
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    canvas.setFont(font, size)
    for number, line in enumerate(lines):
        canvas.drawString(24, height - 24 - size - number * size * 1.8, line)
    canvas.save()
    pdf = pdfium.PdfDocument(buffer.getvalue())
    try:
        return pdf[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        pdf.close()
