"""Huge PDFs in page parts: decide to split, parse one part's pages, merge the parts.

The three steps run in separate worker processes (an engine spreads the parts over its
workers); together they give exactly what :func:`~.document.parse_document` gives for the
whole document. A part opens the whole PDF, so running headers and footers are learned from
the same sample of pages as in one parse, extracts only its pages, and returns them raw: the
document-level steps (failure tolerance, blank-page warnings, the joined Markdown and text,
the language guess) run once, in :func:`merge_parts`, over every page.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
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
# Running headers and footers learned per document, by content: a worker process that parses
# several parts of one document reads the sample pages once (the same pages every time, so
# the same answer). A few documents at most.
_FURNITURE: OrderedDict[bytes, Furniture] = OrderedDict()
_FURNITURE_KEPT = 4


def _remember(key: bytes, furniture: Furniture) -> None:
    _FURNITURE[key] = furniture
    _FURNITURE.move_to_end(key)
    while len(_FURNITURE) > _FURNITURE_KEPT:
        _FURNITURE.popitem(last=False)


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
        key = hashlib.blake2b(data, digest_size=16).digest()
        pdf = PdfSource(
            data, tables_as_html=options.output_tables_as_html, furniture=_FURNITURE.get(key)
        )
        _remember(key, pdf.furniture)
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
