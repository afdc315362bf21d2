"""The parse processor: one document in, per-page Markdown and plain text out.

Supported formats are listed in :data:`SUPPORTED_TYPES` (PDF, Office and OpenDocument files, EPUB,
web, mail, text and image formats); every other detected format is rejected with
``unsupported_format``. Heavy libraries (pypdfium2, python-docx, lxml, charset_normalizer) are
imported inside the format modules on first use.
"""

from __future__ import annotations

from reams.processors.parse.detect import SUPPORTED_TYPES, detect_type
from reams.processors.parse.document import parse_document
from reams.processors.parse.model import ParsedDocument, ParsedPage
from reams.processors.parse.options import ParseOptions

__all__ = [
    "SUPPORTED_TYPES",
    "ParseOptions",
    "ParsedDocument",
    "ParsedPage",
    "detect_type",
    "parse_document",
]
