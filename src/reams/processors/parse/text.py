"""Plain-text and Markdown files: decoded, split into pages on form feeds, lightly normalised.

Markdown passes through unchanged apart from line endings. Plain text keeps its lines; only what
would turn it into Markdown structure (a leading ``#``, ``>``, a ruler line) is escaped.
"""

from __future__ import annotations

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import escape_markdown
from reams.processors.parse.decode import decode_text
from reams.processors.parse.model import PageContent, StaticSource


def read_text(data: bytes) -> StaticSource:
    text, encoding = _decode_nonblank(data)
    pages = [PageContent(markdown=escape_markdown(page), text=page) for page in _pages(text)]
    return StaticSource(pages, metadata={"encoding": encoding})


def read_markdown(data: bytes) -> StaticSource:
    text, encoding = _decode_nonblank(data)
    pages = [PageContent(markdown=page, text=page) for page in _pages(text)]
    return StaticSource(pages, metadata={"encoding": encoding})


def decode_document(data: bytes) -> tuple[str, str]:
    """Decode a text-based document, normalise line endings and drop a stray BOM character."""
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text, encoding


def _decode_nonblank(data: bytes) -> tuple[str, str]:
    text, encoding = decode_document(data)
    if not text.strip():
        raise ProcessorError("empty_document", "The file contains no text.")
    return text, encoding


def _pages(text: str) -> list[str]:
    # A form feed is the page break of plain-text print output; a trailing one adds no page.
    parts = [part.strip("\n") for part in text.split("\f")]
    while len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    return parts
