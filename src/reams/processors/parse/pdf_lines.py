"""Reading the lines of a PDF text page, each with the geometry that layout analysis needs.

PDFium gives the page text in reading order with ``\\r\\n`` between lines. Each line is located by
a few raw PDFium calls on its first and last characters (baseline, left and right edge, font size
and weight), so no per-character Python loop runs and the speed stays close to a bare text dump.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

# PDFium marks a hyphen it removed at a line end with U+FFFE; control characters are noise.
_NOISE = re.compile(r"[\ufffe\ufeff\x00-\x08\x0b\x0c\x0e-\x1f]")
BULLET = re.compile(r"^[•·▪◦‣●○■□➢►✓\-–*]\s+")
NUMBERED = re.compile(r"^\(?(\d{1,3})[.)]\s+")
_LEADER = re.compile(r"(?:\.\s?){4,}\s*[\divxlcIVXLC]+$")
_BOLD_NAME = re.compile(rb"bold|black|heavy|semibold|demi", re.IGNORECASE)
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag ForceBold (bit 19)
_FONT_NAME_BYTES = 256


@dataclass(slots=True)
class Line:
    """One text line; coordinates in PDF points, ``baseline`` grows up the page."""

    text: str
    left: float
    right: float
    baseline: float
    size: float
    bold: bool = False
    item: bool = False
    """Starts with a bullet or a number."""
    leader: bool = False
    """Ends in dot leaders and a page number, as table-of-contents entries do."""


def read_lines(textpage: Any) -> list[Line]:
    """Read the non-blank lines of a pypdfium2 text page."""
    import pypdfium2.raw as pdfium_c

    raw = textpage.get_text_range()
    segments = raw.split("\r\n")
    # Cleaning line by line (not the whole page) keeps "\r<noise>\n" from becoming a new break.
    cleaned = [_NOISE.sub("", s) for s in segments] if _NOISE.search(raw) else segments
    # Text and character indices coincide unless PDFium inserted or dropped characters.
    locator = _Locator(pdfium_c, textpage.raw, aligned=textpage.count_chars() == len(raw))
    lines: list[Line] = []
    offset = 0
    for segment, clean in zip(segments, cleaned, strict=True):
        text = clean.strip()
        if text:
            first = offset + len(segment) - len(segment.lstrip())
            last = offset + len(segment.rstrip()) - 1
            lines.append(locator.line(text, first, last))
        offset += len(segment) + 2
    return lines


class _Locator:
    """Character geometry through raw PDFium calls, with functions and buffers bound once."""

    def __init__(self, pdfium_c: Any, textpage: Any, *, aligned: bool) -> None:
        self._page = textpage
        self._aligned = aligned
        self._origin = pdfium_c.FPDFText_GetCharOrigin
        self._charbox = pdfium_c.FPDFText_GetCharBox
        self._font_size = pdfium_c.FPDFText_GetFontSize
        self._font_info = pdfium_c.FPDFText_GetFontInfo
        self._font_name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        self._font_flags = ctypes.c_int()
        self._bold_fonts: dict[bytes, bool] = {}
        self._font_args = (self._font_name, _FONT_NAME_BYTES, ctypes.byref(self._font_flags))
        self._text_to_char = pdfium_c.FPDFText_GetCharIndexFromTextIndex
        self._x, self._y, self._right = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        self._origin_args = (ctypes.byref(self._x), ctypes.byref(self._y))
        # GetCharBox fills left, right, bottom, top; only the right edge is kept.
        unused = ctypes.c_double()
        self._box_args = (
            ctypes.byref(unused),
            ctypes.byref(self._right),
            ctypes.byref(unused),
            ctypes.byref(unused),
        )

    def line(self, text: str, first: int, last: int) -> Line:
        page = self._page
        if not self._aligned:
            first = max(int(self._text_to_char(page, first)), 0)
            last = max(int(self._text_to_char(page, last)), 0)
        self._origin(page, first, *self._origin_args)
        left = self._x.value
        right = self._right.value if self._charbox(page, last, *self._box_args) else left
        return Line(
            text,
            left,
            right,
            self._y.value,
            float(self._font_size(page, first)),
            self._is_bold(first),
            BULLET.match(text) is not None or NUMBERED.match(text) is not None,
            _is_leader(text),
        )

    def _is_bold(self, index: int) -> bool:
        # Font weights are rarely set (Arial-BoldMT reports 400), so the font name decides.
        if not self._font_info(self._page, index, *self._font_args):
            return False
        if self._font_flags.value & _FORCE_BOLD:
            return True
        name = self._font_name.value
        bold = self._bold_fonts.get(name)
        if bold is None:
            bold = self._bold_fonts[name] = _BOLD_NAME.search(name) is not None
        return bold


def _is_leader(text: str) -> bool:
    # The substring test keeps the regex off the vast majority of lines.
    return ("...." in text or ". . . ." in text) and _LEADER.search(text) is not None
