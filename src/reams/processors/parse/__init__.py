"""The parse processor: one document in, per-page Markdown and plain text out.

Supported formats are listed in :data:`SUPPORTED_TYPES` (PDF, Office and OpenDocument files, EPUB,
web, mail, text and image formats); every other detected format is rejected with
``unsupported_format``. Heavy libraries (pypdfium2, python-docx, lxml, charset_normalizer) are
imported inside the format modules on first use.

The names below are loaded on first use too (PEP 562), so that a process which only validates
options (``reams.processors.parse.options``: the API, ``reams run``) does not import the whole
pipeline; the worker processes import :mod:`.document` before they say they are ready.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reams.processors.parse.detect import SUPPORTED_TYPES, detect_type
    from reams.processors.parse.document import parse_document
    from reams.processors.parse.model import ParsedDocument, ParsedPage
    from reams.processors.parse.options import ParseOptions

_HOMES = {
    "SUPPORTED_TYPES": "detect",
    "detect_type": "detect",
    "parse_document": "document",
    "ParsedDocument": "model",
    "ParsedPage": "model",
    "ParseOptions": "options",
}

__all__ = [
    "SUPPORTED_TYPES",
    "ParseOptions",
    "ParsedDocument",
    "ParsedPage",
    "detect_type",
    "parse_document",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once loaded, a plain module attribute
    return value
