"""Records of a parse: what a format reader yields per page, and the finished parsed document.

Format readers implement :class:`PageSource`; the pipeline turns their :class:`PageContent` into
:class:`ParsedPage` records and a :class:`ParsedDocument` whose ``to_dict`` is the wire shape of a
parse result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

MetadataValue = str | int
Metadata = dict[str, MetadataValue]
Item = dict[str, object]
"""One typed page item, JSON-ready, shaped like LlamaParse v2 ``items`` (see ``items.py``)."""


class LineBox(NamedTuple):
    """Where one printed line (or a table, as one box) sits on its page, in PDF points from
    the page's top-left corner; ``size`` is its type size. Readers that know their geometry
    (PDF, OCR) give these so items can carry ``bbox`` and extraction can tell a letterhead in
    large type at the top of the page from a name the reading order happens to put first.

    A named tuple: one is made for every line of every page, and a frozen dataclass took
    three times as long to make."""

    text: str
    x: float
    y: float
    w: float
    h: float
    size: float


@dataclass(frozen=True, slots=True)
class PageContent:
    """One page as a format reader extracted it. Sizes are in PDF points, None when unknown.

    ``header`` and ``footer`` are the page's running header and footer as plain text, kept out of
    ``markdown`` and ``text``: the pipeline puts them back unless ``hide_headers`` /
    ``hide_footers`` is set. ``printed_page_number`` is the number printed on the page, when
    found. ``needs_ocr`` marks a page whose text layer is missing or unusable; ``ocr`` marks a
    page whose text was read by OCR.
    """

    markdown: str
    text: str
    width: float | None = None
    height: float | None = None
    header: str | None = None
    footer: str | None = None
    printed_page_number: str | None = None
    needs_ocr: bool = False
    ocr: bool = False
    lines: tuple[LineBox, ...] = ()
    """The page's printed lines with their boxes, in the order of ``text``; empty when the
    reader has no geometry."""


class PageSource(Protocol):
    """An opened document whose pages can be extracted one by one.

    ``page_count`` is the number of pages in the whole document. ``page(i)`` extracts the
    0-indexed page ``i`` and may raise any exception for a damaged page; ``raw_text(i)`` is a
    best-effort fallback for such a page. ``close()`` releases native resources.
    """

    metadata: Metadata
    warnings: list[str]

    @property
    def page_count(self) -> int: ...

    def page(self, index: int) -> PageContent: ...

    def raw_text(self, index: int) -> str: ...

    def close(self) -> None: ...


@dataclass
class StaticSource:
    """A :class:`PageSource` over pages that were all extracted up front (non-paged formats)."""

    pages: list[PageContent]
    metadata: Metadata = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page(self, index: int) -> PageContent:
        return self.pages[index]

    def raw_text(self, index: int) -> str:
        return self.pages[index].text

    def close(self) -> None:
        """Nothing to release: the pages are plain strings."""


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """One page of a parse result; ``page_number`` is 1-based."""

    page_number: int
    markdown: str
    text: str
    width: float | None
    height: float | None
    success: bool
    error: str | None
    ocr: bool = False
    items: tuple[Item, ...] = ()
    header: str | None = None
    footer: str | None = None
    printed_page_number: str | None = None
    needs_ocr: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "page_number": self.page_number,
            "markdown": self.markdown,
            "text": self.text,
            "width": self.width,
            "height": self.height,
            "success": self.success,
            "error": self.error,
            "ocr": self.ocr,
            "needs_ocr": self.needs_ocr,
            "header": self.header,
            "footer": self.footer,
            "printed_page_number": self.printed_page_number,
            "items": list(self.items),
        }


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A parsed document.

    ``page_count`` is the number of pages in the source document; ``pages`` holds only the pages
    that were parsed (``target_pages`` and ``max_pages`` may select fewer).
    """

    detected_type: str
    page_count: int
    pages: tuple[ParsedPage, ...]
    markdown_full: str
    text_full: str
    warnings: tuple[str, ...] = ()
    ignored_options: tuple[str, ...] = ()
    metadata: Metadata = field(default_factory=dict)
    language: str | None = None
    """ISO 639-1 code guessed from the text, None when unsure."""

    def to_dict(self) -> dict[str, object]:
        """The JSON-serialisable result of a ``parse`` job."""
        return {
            "type": "parse",
            "document": {
                "detected_type": self.detected_type,
                "page_count": self.page_count,
                "language": self.language,
                "warnings": list(self.warnings),
                "ignored_options": list(self.ignored_options),
                "metadata": dict(self.metadata),
            },
            "pages": [page.to_dict() for page in self.pages],
            "markdown_full": self.markdown_full,
            "text_full": self.text_full,
        }
