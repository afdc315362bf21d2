"""Huge PDFs in page parts: decide to split, parse one part's pages, merge the parts.

The three steps run in separate worker processes (an engine spreads the parts over its
workers); together they give exactly what :func:`~.document.parse_document` gives for the
whole document. A part opens the whole PDF, so running headers and footers are learned from
the same sample of pages as in one parse, extracts only its pages, and returns them raw: the
document-level steps (failure tolerance, blank-page warnings, the joined Markdown and text,
the language guess) run once, in :func:`merge_parts`, over every page.
"""

from __future__ import annotations

import atexit
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reams.domain.errors import ProcessorError
from reams.processors.parse.assemble import assemble, extract_page
from reams.processors.parse.guards import MAX_PAGES, cap_pages, check_document
from reams.processors.parse.model import Metadata, ParsedPage
from reams.processors.parse.options import ParseOptions

if TYPE_CHECKING:
    from reams.processors.parse.pdf.furniture import Furniture

PART_TYPE = "parse_part"


@dataclass
class _Kept:
    """The PDF whose parts this worker process parses: kept open (PDFium then finds deep
    pages without walking the page tree again) with its running headers once learned."""

    key: bytes
    data: bytes  # PDFium reads from this buffer while the document is open
    document: Any
    furniture: Furniture | None = None


_KEPT: list[_Kept] = []  # the last document only
_KEPT_CLOSED_AT_EXIT: list[bool] = []


def _kept(data: bytes) -> _Kept | None:
    """The open document for ``data`` (opened now if it is a new one), None if it does not
    open (the ordinary path then says why)."""
    import pypdfium2 as pdfium

    key = hashlib.blake2b(data, digest_size=16).digest()
    if _KEPT and _KEPT[0].key == key:
        return _KEPT[0]
    _close_kept()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    if not _KEPT_CLOSED_AT_EXIT:
        atexit.register(_close_kept)  # closed quietly (PDFium warns of one left open)
        _KEPT_CLOSED_AT_EXIT.append(True)
    _KEPT.append(_Kept(key, data, document))
    return _KEPT[0]


def _close_kept() -> None:
    while _KEPT:
        _KEPT.pop().document.close()


def pages_to_split(data: bytes, options: ParseOptions, *, above: int) -> int | None:
    """The number of pages to parse in parts when ``data`` is a PDF with more than ``above``
    of them (at most :data:`MAX_PAGES`), else None: parse it in one go.

    Only the page count is read (PDFium opens lazily): milliseconds even for a huge file.
    A document that cannot be opened here is parsed in one go, which reports why.
    """
    if above <= 0 or options.target_pages is not None or options.max_pages:
        return None
    if b"%PDF-" not in data[:1024]:
        return None
    import pypdfium2 as pdfium

    try:
        check_document(data)
        pdf = pdfium.PdfDocument(data)
    except (ProcessorError, pdfium.PdfiumError):
        return None
    try:
        count = min(len(pdf), MAX_PAGES)
    finally:
        pdf.close()
    return count if count > above else None


def parse_part(data: bytes, options: ParseOptions, *, first: int, last: int) -> dict[str, Any]:
    """Pages ``first``..``last`` (0-based, inclusive) of a PDF: a part for :func:`merge_parts`."""
    from reams.processors.parse.document import reading
    from reams.processors.parse.ocr.pages import with_ocr
    from reams.processors.parse.pdf.reader import PdfSource

    with reading("pdf"):
        kept = _kept(data)
        pdf = PdfSource(
            data,
            tables_as_html=options.output_tables_as_html,
            furniture=kept.furniture if kept else None,
            document=kept.document if kept else None,
        )
        if kept is not None:
            kept.furniture = pdf.furniture
        source = with_ocr(pdf, options)
        try:
            indices = cap_pages(list(range(source.page_count)), warnings=source.warnings)
            pages = [extract_page(source, i, options) for i in indices if first <= i <= last]
            return {
                "type": PART_TYPE,
                "page_count": source.page_count,
                "metadata": dict(source.metadata),
                "warnings": list(source.warnings),
                "pages": [page.to_dict() for page in pages],
            }
        finally:
            source.close()


@dataclass
class _Whole:
    """The document the parts came from, as ``assemble`` reads it."""

    page_count: int
    metadata: Metadata
    warnings: list[str] = field(default_factory=list)


def merge_parts(parts: list[dict[str, Any]], options: ParseOptions) -> dict[str, Any]:
    """The parse result of the whole document from its parts (in page order)."""
    if not parts or any(part.get("type") != PART_TYPE for part in parts):
        raise ProcessorError("processing_error", "The document's page parts are incomplete.")
    # Document-level warnings (written when the PDF is opened) come with every part.
    warnings = list(dict.fromkeys(w for part in parts for w in part["warnings"]))
    whole = _Whole(parts[0]["page_count"], parts[0]["metadata"], warnings)
    pages = [_page(page) for part in parts for page in part["pages"]]
    return assemble("pdf", whole, pages, options).to_dict()


def _page(data: dict[str, Any]) -> ParsedPage:
    return ParsedPage(**(data | {"items": tuple(data["items"])}))
