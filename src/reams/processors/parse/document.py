"""The parse pipeline: detect the format, open it, extract the selected pages, assemble.

Every exception a format library raises is turned into ``corrupt_document`` here (logged with its
stack trace), so callers only ever see :class:`~reams.domain.errors.ProcessorError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from reams.domain.errors import ProcessorError
from reams.processors.parse.assemble import assemble, extract_page
from reams.processors.parse.csv import read_delimited
from reams.processors.parse.detect import detect_type, unsupported_message
from reams.processors.parse.epub.reader import LABEL as EPUB_LABEL
from reams.processors.parse.epub.reader import open_epub
from reams.processors.parse.guards import cap_pages, check_document
from reams.processors.parse.jsondoc import read_json
from reams.processors.parse.mail.eml import read_eml
from reams.processors.parse.mail.msg import read_msg
from reams.processors.parse.model import PageSource, ParsedDocument
from reams.processors.parse.ocr.image import IMAGE_TYPES, open_image
from reams.processors.parse.ocr.pages import with_ocr
from reams.processors.parse.office.openers import OFFICE_LABELS, OFFICE_OPENERS
from reams.processors.parse.options import ParseOptions
from reams.processors.parse.pdf.reader import PdfSource
from reams.processors.parse.text import read_markdown, read_text
from reams.processors.parse.web.html import read_html
from reams.processors.parse.web.xmldoc import read_xml

logger = logging.getLogger(__name__)

Opener = Callable[[bytes, ParseOptions], PageSource]

_OPENERS: dict[str, Opener] = {
    "pdf": lambda data, options: with_ocr(
        PdfSource(data, tables_as_html=options.output_tables_as_html), options
    ),
    "html": lambda data, options: read_html(
        data,
        remove_navigation=options.html_remove_navigation_elements,
        tables_as_html=options.output_tables_as_html,
    ),
    "markdown": lambda data, options: read_markdown(data),
    "text": lambda data, options: read_text(data),
    "csv": lambda data, options: read_delimited(
        data, tab_separated=False, as_html=options.output_tables_as_html
    ),
    "tsv": lambda data, options: read_delimited(
        data, tab_separated=True, as_html=options.output_tables_as_html
    ),
    "eml": lambda data, options: read_eml(data, tables_as_html=options.output_tables_as_html),
    "msg": lambda data, options: read_msg(data, tables_as_html=options.output_tables_as_html),
    "xml": lambda data, options: read_xml(data, tables_as_html=options.output_tables_as_html),
    "json": lambda data, options: read_json(data),
    "epub": open_epub,
    **OFFICE_OPENERS,
    **dict.fromkeys(IMAGE_TYPES, open_image),
}

_BLANK_BYTES = b" \t\r\n\f\v\x00"
_LABELS = {
    "pdf": "PDF",
    "docx": "Word",
    "html": "HTML",
    "markdown": "Markdown",
    "eml": "e-mail (EML)",
    "msg": "Outlook message (MSG)",
    "epub": EPUB_LABEL,
    **OFFICE_LABELS,
}


def parse_document(data: bytes, filename: str, options: ParseOptions) -> ParsedDocument:
    """Parse ``data`` (a file called ``filename``) into per-page Markdown and text."""
    if _is_blank(data):
        raise ProcessorError("empty_document", "The file is empty.")
    check_document(data)
    kind = detect_type(data, filename)
    opener = _OPENERS.get(kind)
    if opener is None:
        raise ProcessorError("unsupported_format", unsupported_message(kind))
    with reading(kind):
        source = opener(data, options)
        try:
            indices = options.select_pages(source.page_count)
            indices = cap_pages(indices, warnings=source.warnings)
            pages = [extract_page(source, index, options) for index in indices]
            return assemble(kind, source, pages, options)
        finally:
            source.close()


def _is_blank(data: bytes) -> bool:
    # Looking at the head first avoids copying a large document just to strip it.
    return not data[:4096].strip(_BLANK_BYTES) and not data.strip(_BLANK_BYTES)


def open_source(kind: str, data: bytes, options: ParseOptions) -> PageSource:
    """Open ``data`` with the reader of ``kind`` (a supported type), OCR included."""
    return _OPENERS[kind](data, options)


@contextmanager
def reading(kind: str) -> Iterator[None]:
    """Turn a reader's exceptions into ``corrupt_document`` / ``too_large``."""
    try:
        yield
    except ProcessorError:
        raise
    except MemoryError:
        raise ProcessorError(
            "too_large", "The document needs more memory to parse than reams may use."
        ) from None
    except Exception:
        logger.warning("could not read a %s document", kind, exc_info=True)
        label = _LABELS.get(kind, kind.upper())
        raise ProcessorError(
            "corrupt_document",
            f"The {label} file is damaged or not really a {label} file; reams could not read it.",
        ) from None
