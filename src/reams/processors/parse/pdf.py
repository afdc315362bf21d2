"""PDF files via PDFium (pypdfium2): one page per PDF page, text from the embedded text layer.

The document stays open while pages are extracted one at a time, so only the selected pages are
loaded, and every PDFium object is closed as soon as it is done with. There is no OCR in this
version: a page without a text layer yields empty text and the pipeline warns about it.
"""

from __future__ import annotations

import re
from typing import Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.model import Metadata, PageContent
from reams.processors.parse.pdf_layout import layout_page
from reams.processors.parse.pdf_lines import read_lines

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


class PdfSource:
    """An open PDF whose pages are extracted on demand; a :class:`PageSource`."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium

        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise _load_error(exc) from None
        self.page_count: int = len(self._pdf)
        self.warnings: list[str] = []
        if self.page_count == 0:
            self._pdf.close()
            raise ProcessorError("empty_document", "The PDF has no pages.")
        self.metadata: Metadata = self._read_metadata()

    def _read_metadata(self) -> Metadata:
        # Metadata is a nicety: a damaged info dictionary must not cost the user the text.
        try:
            return _metadata(self._pdf)
        except Exception:
            self.warnings.append("the document metadata could not be read")
            return {}

    def page(self, index: int) -> PageContent:
        page = self._pdf[index]
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                lines = read_lines(textpage)
            finally:
                textpage.close()
        finally:
            page.close()
        return layout_page(lines, width=float(width), height=float(height))

    def raw_text(self, index: int) -> str:
        page = self._pdf[index]
        try:
            textpage = page.get_textpage()
            try:
                return str(textpage.get_text_range()).replace("\r\n", "\n")
            finally:
                textpage.close()
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()


def _load_error(exc: Any) -> ProcessorError:
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


def _metadata(pdf: Any) -> Metadata:
    metadata: Metadata = {}
    for key, value in pdf.get_metadata_dict(skip_empty=True).items():
        name = _METADATA_KEYS.get(key)
        text = str(value).strip()
        if name and text:
            metadata[name] = _iso_date(text) if name in ("created", "modified") else text
    version = pdf.get_version()
    if version:
        metadata["pdf_version"] = f"{version // 10}.{version % 10}"
    return metadata


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
