"""Small Office files built in the tests: XLSX and PPTX by their libraries, ODF by hand."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def make_xlsx() -> bytes:
    """A workbook: a titled table with typed values and a merged cell, a side table, a hidden
    sheet and a chart-free second sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    sheet.title = "Budget"
    sheet["A1"] = "Quarterly budget"
    rows = [
        ["Item", "Date", "Amount", "Share", "Approved"],
        ["Paper", dt.datetime(2024, 3, 1), 0.1 + 0.2, 0.25, True],
        ["Ink", dt.datetime(2024, 3, 2, 14, 30), 1200.0, 0.5, False],
    ]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    for r in (4, 5):
        sheet.cell(row=r, column=4).number_format = "0%"
    sheet["H3"], sheet["H4"] = "Owner", "Ana"
    sheet["A7"] = "Merged label"
    sheet.merge_cells("A7:C7")
    sheet["A8"], sheet["B8"], sheet["C8"] = "x", "y", "z"
    book.create_sheet("Notes")["B2"] = "Only one cell"
    hidden = book.create_sheet("Secret")
    hidden["A1"] = "hidden value"
    hidden.sheet_state = "hidden"
    return _saved(book)


def make_tall_xlsx(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet("Tall")
    sheet.append(["n", "square"])
    for number in range(rows):
        sheet.append([number, number * number])
    return _saved(book)


def make_empty_xlsx() -> bytes:
    from openpyxl import Workbook

    return _saved(Workbook())


def _saved(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_pptx() -> bytes:
    """Three slides: a title slide, a bulleted slide with notes and a picture, a table slide."""
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    title_slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    title_slide.shapes.title.text = "Launch plan"
    title_slide.placeholders[1].text = "Spring 2025"

    bullets = presentation.slides.add_slide(presentation.slide_layouts[1])
    bullets.shapes.title.text = "Goals"
    frame = bullets.placeholders[1].text_frame
    frame.text = "Grow revenue"
    for text, level in (("Enterprise first", 1), ("Hire two engineers", 0)):
        para = frame.add_paragraph()
        para.text, para.level = text, level
    box = bullets.shapes.add_textbox(Inches(1), Inches(6.5), Inches(4), Inches(0.5))
    box.text_frame.text = "Footnote box at the bottom"
    bullets.shapes.add_picture(io.BytesIO(_png()), Inches(6), Inches(2))
    bullets.notes_slide.notes_text_frame.text = "Mention the hiring freeze."

    table_slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    table_slide.shapes.title.text = "Numbers"
    shape = table_slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1))
    for (r, c), text in {(0, 0): "Region", (0, 1): "Sales", (1, 0): "EMEA", (1, 1): "42"}.items():
        shape.table.cell(r, c).text = text
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)


def make_odf(kind: str, body: str, *, styles: str = "", manifest_extra: str = "") -> bytes:
    """An ODF package of ``kind`` (text, spreadsheet, presentation) around ``body``."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:{kind}>{body}</office:{kind}></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="content.xml">{manifest_extra}'
        "</manifest:file-entry></manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def ods_cell(value: str, kind: str = "string", *, spanned: str = "") -> str:
    extra = f' table:number-columns-spanned="{spanned}"' if spanned else ""
    if kind == "string":
        return f"<table:table-cell{extra}><text:p>{value}</text:p></table:table-cell>"
    attribute = {"date": "office:date-value", "boolean": "office:boolean-value"}.get(
        kind, "office:value"
    )
    return (
        f'<table:table-cell office:value-type="{kind}" {attribute}="{value}"{extra}>'
        f"<text:p>shown</text:p></table:table-cell>"
    )


def fake_encrypted_ooxml() -> bytes:
    """What Office writes for a password-protected .docx/.xlsx/.pptx: an OLE container."""
    stream = "EncryptionInfo".encode("utf-16-le")
    return OLE_MAGIC + b"\x00" * 504 + stream + b"\x00" * 64
