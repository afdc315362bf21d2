"""PDF document metadata and open errors: the info dictionary as ISO dates and plain strings,
and the number of interactive form fields (``form_field_count``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import Metadata

FORM_FIELDS_KEY = "form_field_count"
# Widgets are counted on the first pages only: loading a page parses its content, and a form's
# fields are on its first pages (a classify job reads 20 too); PDFs without a form load none.
FORM_PAGES = 20
_FORMTYPE_NONE = 0  # FPDF_GetFormType: no AcroForm and no XFA in the catalog
_ANNOT_WIDGET = 20  # FPDF_ANNOT_WIDGET: the annotation of a form field (text, box, list...)

# pypdfium2 names the FPDF_ERR_* codes; the numbers are part of PDFium's stable public API.
_ERR_PASSWORD = 4
_ERR_SECURITY = 5

_METADATA_KEYS = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Keywords": "keywords",
    "Creator": "creator",
    "Producer": "producer",
    "CreationDate": "created",
    "ModDate": "modified",
}
_PDF_DATE = re.compile(
    r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?"
)


def load_error(exc: Any) -> ProcessorError:
    code = getattr(exc, "err_code", None)
    if code == _ERR_PASSWORD:
        return ProcessorError(
            "encrypted_document",
            "The PDF is password-protected; reams cannot open it without the password.",
        )
    if code == _ERR_SECURITY:
        return ProcessorError(
            "encrypted_document", "The PDF uses an encryption scheme that reams cannot open."
        )
    return ProcessorError(
        "corrupt_document", "The PDF is damaged or incomplete; PDFium could not open it."
    )


PageLoader = Callable[[int], Any]
"""Gives the raw FPDF_PAGE of a page index, loaded and kept open by the caller (who reads the
page later anyway), or None when it does not load."""


def read_metadata(pdf: Any, *, load_page: PageLoader | None = None) -> Metadata:
    """The document's metadata; ``load_page``: as for :func:`form_field_count`."""
    metadata: Metadata = {}
    for key, value in pdf.get_metadata_dict(skip_empty=True).items():
        name = _METADATA_KEYS.get(key)
        text = str(value).strip()
        if name and text:
            metadata[name] = _iso_date(text) if name in ("created", "modified") else text
    version = pdf.get_version()
    if version:
        metadata["pdf_version"] = f"{version // 10}.{version % 10}"
    fields = form_field_count(pdf, load_page=load_page)
    if fields:
        metadata[FORM_FIELDS_KEY] = fields
    return metadata


def form_field_count(
    pdf: Any, max_pages: int = FORM_PAGES, *, load_page: PageLoader | None = None
) -> int:
    """The widget annotations (fillable fields, check boxes, buttons, signature fields) on the
    first ``max_pages`` pages of a PDF with an AcroForm or XFA form; 0 without one.

    A printed form without widgets (blanks, boxes drawn as text) has none: the classifier reads
    those from the text. A damaged page is skipped, it costs the count nothing else. Loading a
    page parses its content: with ``load_page`` the pages come from the caller, who keeps them
    open to read them (the PDF reader), instead of being loaded here and closed again.
    """
    import pypdfium2.raw as pdfium_c

    handle = pdf.raw
    if pdfium_c.FPDF_GetFormType(handle) == _FORMTYPE_NONE:
        return 0
    count = 0
    for index in range(min(len(pdf), max_pages)):
        if load_page is not None:
            page = load_page(index)
            if page:
                count += _widgets(pdfium_c, page)
            continue
        page = pdfium_c.FPDF_LoadPage(handle, index)
        if not page:
            continue
        try:
            count += _widgets(pdfium_c, page)
        finally:
            pdfium_c.FPDF_ClosePage(page)
    return count


def _widgets(pdfium_c: Any, page: Any) -> int:
    """The widget annotations of an open raw page."""
    count = 0
    for position in range(max(int(pdfium_c.FPDFPage_GetAnnotCount(page)), 0)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, position)
        if not annot:
            continue
        if pdfium_c.FPDFAnnot_GetSubtype(annot) == _ANNOT_WIDGET:
            count += 1
        pdfium_c.FPDFPage_CloseAnnot(annot)
    return count


def _iso_date(value: str) -> str:
    """Convert a PDF date (``D:20240131120000+01'00'``) to ISO 8601; keep it as is otherwise."""
    match = _PDF_DATE.match(value)
    if match is None:
        return value
    year, month, day, hour, minute, second, zone, zone_h, zone_m = match.groups()
    iso = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zone in ("Z", "z"):
        return iso + "Z"
    if zone:
        return f"{iso}{zone}{zone_h or '00'}:{zone_m or '00'}"
    return iso
