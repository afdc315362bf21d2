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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from reams.domain.errors import ProcessorError
from reams.processors.parse.assemble import (
    blank_page_warnings,
    check_failures,
    extract_page,
    join_pages,
    page_marker,
)
from reams.processors.parse.guards import MAX_PAGES, cap_pages, check_document
from reams.processors.parse.language import guess_language
from reams.processors.parse.model import PageSource, ParsedPage
from reams.processors.parse.options import ParseOptions

if TYPE_CHECKING:
    from reams.processors.parse.pdf.furniture import Furniture

PART_TYPE = "parse_part"
PAGES_KEY = "part_pages"  # last in a part's JSON: the merge takes the pages as they are
_PAGES_MARK = b',"part_pages":['  # a key in JSON text: never inside a string (quotes escape)


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
            return _part(source, pages, options)
        finally:
            source.close()


def _part(source: PageSource, pages: list[ParsedPage], options: ParseOptions) -> dict[str, Any]:
    """A part: its pages, and what the merge needs of them without reading them again (the
    pages' joined Markdown and text, blank and failed pages). The pages come last under
    :data:`PAGES_KEY`, so the merge splices their JSON as it is."""
    failed = [page for page in pages if not page.success]
    return {
        "type": PART_TYPE,
        "page_count": source.page_count,
        "metadata": dict(source.metadata),
        "warnings": list(source.warnings),
        "first": pages[0].page_number if pages else None,
        "count": len(pages),
        "markdown": join_pages([(p.page_number, p.markdown) for p in pages], options),
        "text": join_pages([(p.page_number, p.text) for p in pages], options),
        "blank": [p.page_number for p in pages if p.success and not p.text.strip()],
        "failed": len(failed),
        "first_error": pages[0].error if pages else None,
        PAGES_KEY: [page.to_dict() for page in pages],
    }


def merge_parts(parts: list[bytes], options: ParseOptions) -> tuple[bytes, dict[str, Any]]:
    """The parse result of the whole document (its JSON, and its ``document`` object) from
    its parts' JSON in page order: what :func:`~.document.parse_document` gives at once."""
    heads, arrays = zip(*(_cut(part) for part in parts), strict=True) if parts else ((), ())
    parts_read = [h for h in heads if h["count"]]
    if not parts_read:
        raise ProcessorError("processing_error", "The document's page parts are incomplete.")
    total = sum(h["count"] for h in parts_read)
    failed = sum(h["failed"] for h in parts_read)
    check_failures(failed, total, parts_read[0]["first_error"], options)
    blank = [n for h in parts_read for n in h["blank"]]
    # Document-level warnings (written when the PDF is opened) come with every part.
    warnings = list(dict.fromkeys(w for h in heads for w in h["warnings"]))
    text_full = _joined(parts_read, "text", options)
    document = {
        "detected_type": "pdf",
        "page_count": heads[0]["page_count"],
        "language": guess_language(text_full),
        "warnings": [*warnings, *blank_page_warnings(blank, total)],
        "ignored_options": list(options.ignored_options),
        "metadata": heads[0]["metadata"],
    }
    pages = b",".join(array for array in arrays if array)
    blob = b"".join(
        (
            b'{"type":"parse","document":',
            orjson.dumps(document),
            b',"pages":[',
            pages,
            b'],"markdown_full":',
            orjson.dumps(_joined(parts_read, "markdown", options)),
            b',"text_full":',
            orjson.dumps(text_full),
            b"}",
        )
    )
    return blob, document


def _cut(part: bytes) -> tuple[dict[str, Any], bytes]:
    """A part's head (decoded) and its pages' JSON array contents (as they are)."""
    at = part.find(_PAGES_MARK)
    if at < 0 or not part.endswith(b"]}"):
        raise ProcessorError("processing_error", "The document's page parts are incomplete.")
    head = orjson.loads(part[:at] + b"}")
    if head.get("type") != PART_TYPE:
        raise ProcessorError("processing_error", "The document's page parts are incomplete.")
    return head, part[at + len(_PAGES_MARK) : -2]


def _joined(heads: list[dict[str, Any]], key: str, options: ParseOptions) -> str:
    """The parts' joined pages joined in turn: a separator before each part's first page,
    as between any two pages."""
    pieces = [heads[0][key]]
    for head in heads[1:]:
        pieces += [page_marker(options.page_separator, head["first"]), head[key]]
    return "".join(pieces)
