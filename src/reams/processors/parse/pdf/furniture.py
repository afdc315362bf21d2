"""Running headers and footers of a PDF: text repeated near the top or bottom of most pages.

A sample of pages is looked at once per document. A line in the top (or bottom) band of a page is
*furniture* when the same text, with its digits normalised (page numbers, dates), sits in that band
on enough of the sampled pages, or when it carries the page's number: a number at its start or end
that runs with the page index, as in a book whose running heads change with each chapter, or a
label that says it is one ("Page 3 of 12", "- 3 -"), on any page. The
layout then takes such lines out of the page body, so they can
be reported as the page's ``header`` / ``footer`` and left out when ``hide_headers`` /
``hide_footers`` is set. The number printed on the page is read from its header or footer lines.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reams.processors.parse.pdf.lines import Line

_BAND = 0.12  # of the page height: running heads and feet sit this close to the edge
_MIN_SHARE = 0.4  # of the sampled pages a head or foot must appear on (odd/even pages differ)
_MIN_PAGES = 2
_MAX_CHARS = 200
_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"\b[ivxlcdm]{1,7}\b")
_PAGE_LABEL = re.compile(
    r"^(?:page\s+|p\.\s*)?[-–—]?\s*([a-z]{0,2}-?\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]?"
    r"(?:\s*(?:of|/)\s*\d+)?$",
    re.IGNORECASE,
)
# Labels that say they are page numbers, furniture even on a page seen once.
EXPLICIT_LABEL = re.compile(
    r"^(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}"
    r"|[-–—]\s*\d{1,4}\s*[-–—])$",
    re.IGNORECASE,
)
_EDGE_NUMBER = re.compile(r"^(\d{1,4})\s|\s(\d{1,4}|[A-Z]{1,2}-\d{1,4})$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_ONLY_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*(\d{1,4})\s*[-–—]?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PageLines:
    """A page's lines with the height of the page they sit on and its 0-based index."""

    lines: Sequence[Line]
    height: float
    index: int


@dataclass(frozen=True, slots=True)
class Furniture:
    """The normalised texts that are running headers and footers in this document."""

    headers: frozenset[str] = frozenset()
    footers: frozenset[str] = frozenset()
    offset: int | None = None
    """Printed page number minus page index, when running heads carry page numbers."""

    def split(self, page: PageLines) -> tuple[list[Line], list[Line], list[Line]]:
        """The page's lines as (header lines, body lines, footer lines)."""
        header: list[Line] = []
        footer: list[Line] = []
        body: list[Line] = []
        for line in page.lines:
            band = _band(line, page.height)
            numbered = band is not None and (
                self._numbered(line, page.index)
                or EXPLICIT_LABEL.match(line.text.strip()) is not None
            )
            # No running text learned (most documents): the line's key is not worked out.
            if band == "top" and (numbered or (self.headers and key(line.text) in self.headers)):
                header.append(line)
            elif band == "bottom" and (
                numbered or (self.footers and key(line.text) in self.footers)
            ):
                footer.append(line)
            else:
                body.append(line)
        return _top_down(header), body, _top_down(footer)

    def _numbered(self, line: Line, index: int) -> bool:
        if self.offset is None:
            return False  # no running page numbers learned: the line's number is not read
        number = _edge_number(line.text)
        return number is not None and number - index == self.offset


def learn(pages: Sequence[PageLines]) -> Furniture:
    """Find the running headers and footers of a document from a sample of its pages."""
    if len(pages) < _MIN_PAGES:
        return Furniture()
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    offsets: Counter[int] = Counter()
    for page in pages:
        banded = [(band, line) for line in page.lines if (band := _band(line, page.height))]
        seen = {(band, key(line.text)) for band, line in banded}
        tops.update(text for band, text in seen if band == "top")
        bottoms.update(text for band, text in seen if band == "bottom")
        numbers = {_edge_number(line.text) for _, line in banded}
        offsets.update(number - page.index for number in numbers if number is not None)
    needed = max(_MIN_PAGES, math.ceil(_MIN_SHARE * len(pages)))
    offset, count = offsets.most_common(1)[0] if offsets else (0, 0)
    return Furniture(
        headers=frozenset(text for text, count in tops.items() if count >= needed),
        footers=frozenset(text for text, count in bottoms.items() if count >= needed),
        offset=offset if count >= needed else None,
    )


def key(text: str) -> str:
    """Text compared across pages: case-folded, numbers (arabic or roman) as ``#``."""
    # White space runs made one space: str.split parts at what ``\\s`` matches.
    folded = " ".join(text.casefold().split())
    return _ROMAN.sub("#", _DIGITS.sub("#", folded))


def printed_page_number(header: Sequence[Line], footer: Sequence[Line]) -> str | None:
    """The page number printed in the running header or footer, if one can be told apart."""
    lines = [*footer, *header]
    for line in lines:
        match = _PAGE_LABEL.match(line.text.strip())
        if match:
            return match.group(1)
    for line in lines:
        match = _EDGE_NUMBER.search(line.text.strip())
        number = match and (match.group(1) or match.group(2))
        if number and not _YEAR.match(number):
            return number
    return None


def _edge_number(text: str) -> int | None:
    """An arabic page number at the start or end of a line (not a year), if any."""
    match = _EDGE_NUMBER.search(text.strip()) or _ONLY_NUMBER.match(text.strip())
    number = match and next((group for group in match.groups() if group), None)
    if not number or not number.isdigit() or _YEAR.match(number):
        return None
    return int(number)


def joined(lines: Sequence[Line]) -> str | None:
    """The text of header or footer lines, one per line; None when there are none."""
    return "\n".join(line.text for line in lines) or None


def _band(line: Line, height: float) -> str | None:
    if len(line.text) > _MAX_CHARS or height <= 0:
        return None
    if line.bottom >= height * (1 - _BAND):
        return "top"
    if line.top <= height * _BAND:
        return "bottom"
    return None


def _top_down(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda line: (-line.baseline, line.left))
