"""Reading the lines of a PDF text page, each with the geometry that layout analysis needs.

PDFium gives the page text in reading order with ``\\r\\n`` between lines. Each line is located by
a few raw PDFium calls on its first, middle and last characters (baseline, left and right edge,
font size and weight), so no per-character Python loop runs and the speed stays close to a bare
text dump. Only a line much wider than its characters need (table rows, two columns that PDFium
ran together) is walked word by word, to split it into pieces at wide gaps.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
import statistics
from typing import Any

from reams.processors.parse.pdf import native
from reams.processors.parse.pdf.geometry import Turn
from reams.processors.parse.pdf.lines import BULLET, NUMBERED, Line, Piece

# PDFium marks a hyphen it removed at a line end with U+FFFE; control characters are noise.
_NOISE = re.compile(r"[\ufffe\ufeff\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPACES = re.compile(r" +")
_RTL_SCRIPT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LAM_ALEF = re.compile("[\u0622\u0623\u0625\u0627]\u0644")
_LEADER = re.compile(r"(?:\.\s?){4,}\s*[\divxlcIVXLC]+$")
# TeX names bold fonts CMBX10, SFBX1000; URW's Times bold is NimbusRomNo9L-Medi.
_BOLD_NAME = re.compile(rb"bold|black|heavy|demi|[a-z]bx\d|-medi\b|bd\b", re.IGNORECASE)
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag ForceBold (bit 19)
_FONT_NAME_BYTES = 256

_MAX_ADVANCE = 0.5  # ems per character that a line of ordinary text needs at most
_SLACK_EMS = 1.5  # justified lines stretch; a line this much wider than needed is walked
_STRETCH = 1.1
_PIECE_GAP = 1.0  # ems of empty space that make a line a row of cells
_NARROW_GAP = 0.6  # ems: a gap this wide splits where it stands out from the word gaps
_STANDS_OUT = 2.5  # times the line's narrowest word gap
_MIN_SAMPLE = 12  # characters a line needs to count towards the page's advance estimate
Span = tuple[float, float]
_ROW_SHIFT = 0.8  # font sizes between the baselines of a line's ends that mean two rows
_MAX_TILT = 30  # degrees off the reading direction that still count as reading across
_BELOW = 0.3  # font sizes: a last character whose top is this far under the baseline is not on it
_MIN_SPACED_LETTERS = 3  # spaces a letter-spaced line has at least
_SPACED_SHARE = 0.75  # of its space-separated tokens that are single letters
_LETTER_GAP = 0.5  # ems: letters further apart than this are not one word's
_WORD_GAP = 0.15  # ems wider than the narrowest gap between letters that make a word gap
_MARK_SIZE = 0.85  # of the line's size: a smaller word may be a raised or lowered mark
_MARK_SHIFT = 0.15  # of the line's size: how far off the baseline a mark sits at least
_WORD = re.compile(r"\S+")
_DIRECTION_SAMPLE = 64  # characters sampled for the page's text direction
_DIRECTION_MAJORITY = 0.6  # of the sampled characters that must run one way to turn the page
_UNCHECKED: dict[str, Any] = {}
# The characters a bullet (``lines.BULLET``) starts with; a number (``lines.NUMBERED``) starts
# with a digit or "(".
_BULLET_FIRST = frozenset("•·▪◦‣●○■□➢►✓-–*")
_LIMITS = (_PIECE_GAP, _NARROW_GAP, _STANDS_OUT)


def unchecked(pdfium_c: Any, name: str) -> Any:
    """PDFium function ``name`` called without ctypes' per-argument conversion.

    pypdfium2 declares each function's argument types, and ctypes then converts every argument
    on every call: most of the cost of a call that only fills a few numbers (about 1.4 µs of
    1.8). The same function without declared argument types takes the handles, ``byref``
    buffers and small ints it is given as they are, three times faster, with the same result
    type. Callers pass only ctypes handles (never addresses as Python ints, which would be cut
    to a C int), ``byref`` buffers and ints.
    """
    function = _UNCHECKED.get(name)
    if function is None:
        declared = getattr(pdfium_c, name)
        function = type(declared)(ctypes.cast(declared, ctypes.c_void_p).value)
        function.restype = declared.restype
        function.argtypes = None
        _UNCHECKED[name] = function
    return function


def read_lines(
    textpage: Any,
    *,
    rotation: int = 0,
    width: float = 0,
    height: float = 0,
    marked: bool = False,
) -> list[Line]:
    """Read the non-blank lines of a pypdfium2 text page.

    ``rotation`` is the page's ``/Rotate`` (0, 90, 180, 270) and ``width`` / ``height`` its size
    as displayed: coordinates are turned so that the text reads left to right, top down. With
    ``marked`` (a tagged page) each line notes the marked-content id its text starts in.
    """
    import pypdfium2.raw as pdfium_c

    raw = textpage.get_text_range()
    segments = raw.split("\r\n")
    # Cleaning line by line (not the whole page) keeps "\r<noise>\n" from becoming a new break.
    noisy = _NOISE.search(raw) is not None
    # Text and character indices coincide unless PDFium inserted or dropped characters.
    locator = _Locator(pdfium_c, textpage.raw, aligned=textpage.count_chars() == len(raw))
    locator.turn(rotation, width=width, height=height)
    lines: list[Line] = []
    spans: list[int] = []
    offset = 0
    # Searched once on the page: a line can only hold what the page's text holds.
    tangled = _LAM_ALEF.search(raw) is not None
    for segment in segments:
        clean = _NOISE.sub("", segment) if noisy else segment
        text = clean.strip()
        if text:
            first = offset + len(segment) - len(segment.lstrip())
            # Pieces and rows need text positions, which removed noise characters would shift.
            count = len(lines)
            if clean != segment:
                lines.append(locator.line(text, first, first + len(text) - 1))
                spans.append(-1)
            elif tangled or _maybe_letter_spaced(text):
                for line, start in _located(locator, text, first):
                    lines.append(line)
                    spans.append(start)
            else:  # _located, written out for the common line (no lam-alef, not spaced out)
                line = locator.line(text, first, first + len(text) - 1)
                if locator.ends_off_baseline(line):
                    for part, start in locator.rows(text, first, line.size):
                        lines.append(locator.line(part, start, start + len(part) - 1))
                        spans.append(start)
                else:
                    lines.append(line)
                    spans.append(first)
            if marked:
                mcid = locator.mcid(first)
                for line in lines[count:]:
                    line.mcid = mcid
        offset += len(segment) + 2
    _split_wide(lines, spans, locator)
    return lines


def text_direction(textpage: Any) -> int | None:
    """The direction most of the page's text runs in, in degrees counter-clockwise (0, 90, 180,
    270), from a sample of its characters; None for a page without text.

    A page reads across once turned by this angle, whatever its ``/Rotate`` says: a landscape
    table printed up the sheet runs at 90, and so does the text of a page stored portrait with
    ``/Rotate`` 90 that a viewer shows upright.
    """
    import pypdfium2.raw as pdfium_c

    votes = _native_votes(pdfium_c, textpage)
    if votes is None:
        votes = _votes(pdfium_c, textpage)
    if votes is None:
        return None
    best = max(range(4), key=lambda quarter: votes[quarter])
    return best * 90 if votes[best] > _DIRECTION_MAJORITY * sum(votes) else None


def _native_votes(pdfium_c: Any, textpage: Any) -> list[int] | None:
    """:func:`_votes` in C when the native module is built; None without it (or for a page
    without characters)."""
    module = native.chars_module
    if module is None:
        return None
    votes = module.direction_votes(
        native.address(textpage.raw),
        *native.functions(
            pdfium_c, "FPDFText_CountChars", "FPDFText_GetUnicode", "FPDFText_GetMatrix"
        ),
        _DIRECTION_SAMPLE,
    )
    return None if votes is None else list(votes)


def _votes(pdfium_c: Any, textpage: Any) -> list[int] | None:
    """How many of a sample of the page's characters run at 0, 90, 180 and 270 degrees."""
    count = int(textpage.count_chars())
    if count <= 0:
        return None
    step = max(1, count // _DIRECTION_SAMPLE)
    matrix = pdfium_c.FS_MATRIX()
    ref = ctypes.byref(matrix)
    get_matrix = unchecked(pdfium_c, "FPDFText_GetMatrix")
    get_unicode = unchecked(pdfium_c, "FPDFText_GetUnicode")
    page = textpage.raw
    votes = [0, 0, 0, 0]
    for index in range(0, count, step):
        if get_unicode(page, index) <= 32 or not get_matrix(page, index, ref):
            continue
        angle = math.degrees(math.atan2(matrix.b, matrix.a)) % 360
        votes[round(angle / 90) % 4] += 1
    return votes


def _located(locator: _Locator, text: str, first: int) -> list[tuple[Line, int]]:
    """The line(s) of one PDFium line of ``text`` starting at text index ``first``."""
    if _LAM_ALEF.search(text):
        text = locator.untangled(text, first)
    line = locator.line(text, first, first + len(text) - 1)
    if _letter_spaced(text):
        respaced = locator.respaced(text, first, line.size)
        if respaced != text:
            # Positions in the new text no longer match PDFium's: the line is not walked.
            line.text = respaced
            return [(line, -1)]
    if not locator.ends_off_baseline(line):
        return [(line, first)]
    return [
        (locator.line(part, start, start + len(part) - 1), start)
        for part, start in locator.rows(text, first, line.size)
    ]


def _maybe_letter_spaced(text: str) -> bool:
    """The cheap half of :func:`_letter_spaced`: whether ``text`` has enough spaces."""
    spaces = text.count(" ")
    # Mostly one-letter words: a space for every two or three characters at least.
    return spaces >= _MIN_SPACED_LETTERS and 3 * spaces >= len(text)


def _letter_spaced(text: str) -> bool:
    """Whether PDFium put a space between most letters of ``text`` ("T h e  S o u t h")."""
    if not _maybe_letter_spaced(text):
        return False
    tokens = text.split(" ")
    singles = sum(1 for token in tokens if len(token) == 1 and token.isalpha())
    return singles >= _SPACED_SHARE * len(tokens)


def _split_wide(lines: list[Line], starts: list[int], locator: _Locator) -> None:
    """Split lines much wider than their text needs into pieces at wide gaps."""
    samples = [
        (line.right - line.left) / (len(line.text) * line.size)
        for line in lines
        if len(line.text) >= _MIN_SAMPLE and line.size > 0
    ]
    advance = min(statistics.median(samples), _MAX_ADVANCE) if samples else _MAX_ADVANCE
    for line, start in zip(lines, starts, strict=True):
        if start < 0 or " " not in line.text:
            continue
        needed = len(line.text) * line.size * advance * _STRETCH + _SLACK_EMS * line.size
        # A line of left-to-right script running right to left jumps back: it is walked too.
        jumps = line.rtl and _RTL_SCRIPT.search(line.text) is None
        wide = jumps or line.right - line.left > needed
        rects = [] if wide else locator.rects(line, start)
        # One run or none (most lines): nothing out of order, no gap between runs.
        several = len(rects) > 1
        if (
            several
            and not line.rtl
            and any(b[0] < a[0] - 1.0 for a, b in itertools.pairwise(rects))
        ):
            # Text objects drawn out of order along the line: marks added in a second pass.
            placed = locator.marks_placed(line, start)
            if placed is not None:
                line.text = placed
                continue
        if wide or (several and _apart(rects, line.size)):
            line.pieces = locator.pieces(line, start)
            if line.pieces:
                line.left = min(piece.left for piece in line.pieces)
                line.right = max(piece.right for piece in line.pieces)


def _apart(rects: list[Span], size: float) -> bool:
    """Whether text object runs leave a gap of an em or more between them."""
    spans = sorted(rects)
    gap = _PIECE_GAP * size
    return any(b[0] - a[1] >= gap for a, b in itertools.pairwise(spans))


class _Locator:
    """Character geometry through raw PDFium calls, with functions and buffers bound once."""

    def __init__(self, pdfium_c: Any, textpage: Any, *, aligned: bool) -> None:
        self._page = textpage
        self._aligned = aligned
        self._origin = unchecked(pdfium_c, "FPDFText_GetCharOrigin")
        self._charbox = unchecked(pdfium_c, "FPDFText_GetCharBox")
        self._font_size = unchecked(pdfium_c, "FPDFText_GetFontSize")
        self._get_matrix = unchecked(pdfium_c, "FPDFText_GetMatrix")
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_ref = ctypes.byref(self._matrix)
        self._font_info = unchecked(pdfium_c, "FPDFText_GetFontInfo")
        self._font_name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        self._font_flags = ctypes.c_int()
        self._bold_fonts: dict[bytes, bool] = {}
        self._font_args = (
            self._font_name,
            ctypes.c_ulong(_FONT_NAME_BYTES),
            ctypes.byref(self._font_flags),
        )
        self._text_to_char = unchecked(pdfium_c, "FPDFText_GetCharIndexFromTextIndex")
        self._text_object = unchecked(pdfium_c, "FPDFText_GetTextObject")
        self._object_mcid = unchecked(pdfium_c, "FPDFPageObj_GetMarkedContentID")
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._origin_args = (ctypes.byref(self._x), ctypes.byref(self._y))
        self._box = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
        # GetCharBox fills left, right, bottom, top.
        self._box_args = tuple(ctypes.byref(value) for value in self._box)
        self._turn = Turn(0, 0.0, 0.0)
        self._upright = True
        self._count_rects = unchecked(pdfium_c, "FPDFText_CountRects")
        self._get_rect = unchecked(pdfium_c, "FPDFText_GetRect")
        # GetRect fills left, top, right, bottom.
        self._rect_values = tuple(ctypes.c_double() for _ in range(4))
        self._rect_args = tuple(ctypes.byref(value) for value in self._rect_values)
        self._last_vertical = (0.0, 0.0)  # bottom and top of the last character boxed
        # :meth:`pieces` in C when the native module is built (the same pieces).
        module = native.chars_module
        self._native_pieces = None if module is None else module.pieces
        self._native_page = (
            native.address(textpage),
            native.address(pdfium_c.FPDFText_GetCharBox),
        )
        self._native_line = None if module is None else module.line_facts
        self._native_rects = None if module is None else module.rects
        self._rect_calls = native.functions(pdfium_c, "FPDFText_CountRects", "FPDFText_GetRect")
        self._native_calls = native.functions(
            pdfium_c,
            "FPDFText_GetCharOrigin",
            "FPDFText_GetCharBox",
            "FPDFText_GetFontSize",
            "FPDFText_GetMatrix",
            "FPDFText_GetFontInfo",
        )

    def turn(self, rotation: int, *, width: float, height: float) -> None:
        """Report coordinates as seen on a page displayed with ``/Rotate`` ``rotation``."""
        self._turn = Turn(rotation % 360, width, height)

    def _point(self, index: int) -> tuple[float, float]:
        """The origin of character ``index``: x along the text, y up the page."""
        self._origin(self._page, index, *self._origin_args)
        if not self._turn.rotation:
            return self._x.value, self._y.value
        return self._turn(self._x.value, self._y.value)

    def _span(self, index: int) -> Span | None:
        """The left and right edges of character ``index`` along the text, or None."""
        if not self._charbox(self._page, index, *self._box_args):
            return None
        left, right, bottom, top = self._box
        if not self._turn.rotation:
            self._last_vertical = (bottom.value, top.value)
            return left.value, right.value
        a, c = self._turn(left.value, bottom.value)
        b, d = self._turn(right.value, top.value)
        self._last_vertical = (min(c, d), max(c, d))
        return min(a, b), max(a, b)

    def _spans(self, indices: list[int]) -> list[Span | None]:
        """:meth:`_span` of the characters at text ``indices``, in one loop."""
        if not self._aligned:
            return [self._span(self._char(index)) for index in indices]
        if self._turn.rotation:
            return self._turned_spans(indices)
        charbox, page, args = self._charbox, self._page, self._box_args
        left, right = self._box[0], self._box[1]
        return [
            (left.value, right.value) if charbox(page, index, *args) else None for index in indices
        ]

    def _turned_spans(self, indices: list[int]) -> list[Span | None]:
        """:meth:`_spans` on a turned page: :meth:`_span` written out, with the turn by
        quarter as a choice of the box's sides (pages printed sideways: whole tables)."""
        charbox, page, args = self._charbox, self._page, self._box_args
        box = self._box
        turn = self._turn
        spans: list[Span | None] = []
        vertical = self._last_vertical
        for index in indices:
            if not charbox(page, index, *args):
                spans.append(None)
                continue
            left, right, bottom, top = box[0].value, box[1].value, box[2].value, box[3].value
            # Turn(left, bottom) and Turn(right, top), as :class:`geometry.Turn` maps them.
            if turn.rotation == 90:
                a, c, b, d = bottom, turn.height - left, top, turn.height - right
            elif turn.rotation == 180:
                a, c = turn.width - left, turn.height - bottom
                b, d = turn.width - right, turn.height - top
            elif turn.rotation == 270:
                a, c, b, d = turn.width - bottom, left, turn.width - top, right
            else:
                a, c, b, d = left, bottom, right, top
            vertical = (min(c, d), max(c, d))
            spans.append((min(a, b), max(a, b)))
        self._last_vertical = vertical
        return spans

    def _char(self, index: int) -> int:
        if self._aligned:
            return index
        return max(int(self._text_to_char(self._page, index)), 0)

    def line(self, text: str, first: int, last: int) -> Line:
        if self._aligned:
            first_char, last_char = first, last
        else:
            first_char, last_char = self._char(first), self._char(last)
        if self._native_line is not None:
            return self._native(text, first, first_char, last_char)
        if self._turn.rotation:
            left, baseline = self._point(first_char)
            self._last_vertical = (baseline, baseline)
            span = self._span(last_char)
        else:
            # :meth:`_point` and :meth:`_span` written out for a page that is not turned (the
            # common case): this runs for every line of every page.
            page, x, y = self._page, self._x, self._y
            self._origin(page, first_char, *self._origin_args)
            left, baseline = x.value, y.value
            if self._charbox(page, last_char, *self._box_args):
                box = self._box
                span = box[0].value, box[1].value
                self._last_vertical = (box[2].value, box[3].value)
            else:
                span = None
                self._last_vertical = (baseline, baseline)
        left, right, rtl = self._extent(left, span, first_char)
        middle = self._char(first + _middle(text))
        return self._made(
            text, (left, right, baseline), self._size(middle), self._is_bold(middle), rtl
        )

    def _extent(self, left: float, span: Span | None, first_char: int) -> tuple[float, float, bool]:
        """A line's left and right edges from its first character's origin and its last
        character's span, and whether it reads right to left (the first character is then the
        rightmost: the edges are the extremes of both characters)."""
        last_vertical = self._last_vertical
        right = span[1] if span is not None else left
        rtl = right < left
        if rtl:
            edges = [left, *(span or ()), *(self._span(first_char) or ())]
            left, right = min(edges), max(edges)
            self._last_vertical = last_vertical
        return left, right, rtl

    def _made(
        self, text: str, place: tuple[float, float, float], size: float, bold: bool, rtl: bool
    ) -> Line:
        """The line at ``place`` (left, right, baseline), upright as the last size read said."""
        left, right, baseline = place
        return Line(
            text,
            left,
            right,
            baseline,
            size,
            bold,
            _is_item(text),
            _is_leader(text),
            rtl=rtl,
            upright=self._upright,
        )

    def _native(self, text: str, first: int, first_char: int, last_char: int) -> Line:
        """:meth:`line`, its PDFium calls made in one (``native``).

        This runs for every line of every page: :func:`_middle`, :meth:`_char`,
        :meth:`_extent` (of a line reading left to right) and :meth:`_made` are written out.
        """
        offset, end = len(text) // 2, len(text) - 1
        while offset < end and text[offset] == " ":
            offset += 1
        middle = first + offset if self._aligned else self._char(first + offset)
        assert self._native_line is not None
        left, baseline, box, size, matrix, font = self._native_line(
            self._native_page[0], first_char, last_char, middle, self._native_calls
        )
        span: Span | None
        if self._turn.rotation:
            left, baseline = self._turn(left, baseline)
            span = None if box is None else self._turned_box(box)
        elif box is not None:
            span = (box[0], box[1])
            self._last_vertical = (box[2], box[3])
        else:
            span = None
        if span is None:
            self._last_vertical = (baseline, baseline)
            right = left
        else:
            right = span[1]
        rtl = right < left
        if rtl:
            left, right, rtl = self._extent(left, span, first_char)
        upright = True
        if matrix is not None:  # as :meth:`_size`
            a, b, c, d = matrix
            scale = abs(a * d - b * c) ** 0.5
            if scale > 0:
                size *= scale
            upright = self._reads_across(a, b)
        self._upright = upright
        return Line(
            text,
            left,
            right,
            baseline,
            size,
            self._font_bold(font, middle),
            _is_item(text),
            ("...." in text or ". . . ." in text) and _LEADER.search(text) is not None,
            rtl=rtl,
            upright=upright,
        )

    def _turned_box(self, box: tuple[float, float, float, float]) -> Span:
        """:meth:`_span` of a box PDFium gave (left, right, bottom, top) on a turned page."""
        left, right, bottom, top = box
        a, c = self._turn(left, bottom)
        b, d = self._turn(right, top)
        self._last_vertical = (min(c, d), max(c, d))
        return min(a, b), max(a, b)

    def _font_bold(self, font: tuple[int, bytes | None] | None, index: int) -> bool:
        """:meth:`_is_bold` from the font facts :meth:`_native` read."""
        if font is None:
            return False
        flags, name = font
        if name is None:  # a name too long for the buffer: the ctypes call decides
            return self._is_bold(index)
        if flags & _FORCE_BOLD:
            return True
        bold = self._bold_fonts.get(name)
        if bold is None:
            bold = self._bold_fonts[name] = _BOLD_NAME.search(name) is not None
        return bold

    def rects(self, line: Line, start: int) -> list[Span]:
        """The extents of the line's text object runs, in content-stream order.

        Two columns drawn on shared baselines make one PDFium line as wide as its text needs;
        PDFium's rectangles (one per text object run) show the gutter for one call per run.
        """
        if self._native_rects is not None and not self._turn.rotation:
            spans: list[Span] = self._native_rects(
                self._native_page[0], self._char(start), len(line.text), *self._rect_calls
            )
            return spans
        count = int(self._count_rects(self._page, self._char(start), len(line.text)))
        return [self._rect(index) for index in range(count)] if count > 1 else []

    def marks_placed(self, line: Line, start: int) -> str | None:
        """The line's text with small raised or lowered marks (author and note marks written
        in a second pass, after the words they follow) placed after the word they follow;
        None when the words themselves run out of order, or no mark is out of place."""
        tokens: list[tuple[float, bool, str]] = []  # left edge, whether a mark, text
        for match in _WORD.finditer(line.text):
            index = self._char(start + match.start())
            x, y = self._point(index)
            size = self._size(index)
            mark = (
                size < _MARK_SIZE * line.size and abs(y - line.baseline) > _MARK_SHIFT * line.size
            )
            tokens.append((x, mark, match.group()))
        self._upright = line.upright
        words = [x for x, mark, _ in tokens if not mark]
        if any(b < a for a, b in itertools.pairwise(words)) or len(words) == len(tokens):
            return None
        placed = sorted(tokens, key=lambda token: token[0])
        if placed == tokens:
            return None
        text = placed[0][2]
        for _, mark, token in placed[1:]:
            text += token if mark else " " + token
        return text

    def _rect(self, index: int) -> Span:
        self._get_rect(self._page, index, *self._rect_args)
        left, top, right, bottom = (value.value for value in self._rect_values)
        if not self._turn.rotation:
            return left, right
        a, b = self._turn(left, bottom)[0], self._turn(right, top)[0]
        return min(a, b), max(a, b)

    def ends_off_baseline(self, line: Line) -> bool:
        """Whether the last character of the line just located lies wholly below its baseline.

        PDFium sometimes gives the rows of a table as one line; that shows here, and only then
        is the line walked character by character (:meth:`rows`).
        """
        bottom, top = self._last_vertical
        return top < line.baseline - _BELOW * line.size or bottom > line.top

    def rows(self, text: str, first: int, size: float) -> list[tuple[str, int]]:
        """``text`` (starting at text index ``first``) cut where PDFium ran rows together."""
        baseline = self._point(self._char(first))[1]
        tolerance = _ROW_SHIFT * max(size, 1.0)
        rows: list[tuple[str, int]] = []
        begin = 0
        for offset in range(1, len(text)):
            if text[offset] == " ":
                continue
            y = self._point(self._char(first + offset))[1]
            if abs(y - baseline) > tolerance:
                rows.append((text[begin:offset], first + begin))
                begin, baseline = offset, y
        rows.append((text[begin:], first + begin))
        return [_stripped(part, start) for part, start in rows if part.strip()]

    def mcid(self, index: int) -> int:
        """The marked-content id of the text object that character ``index`` belongs to."""
        obj = self._text_object(self._page, self._char(index))
        return int(self._object_mcid(obj)) if obj else -1

    def respaced(self, text: str, start: int, size: float) -> str:
        """Letter-spaced ``text`` (starting at text index ``start``) with spaces only between
        words.

        Glyphs placed one by one with extra spacing make PDFium put a space between every two
        letters; the gaps between the glyph boxes tell word gaps (wider by about a space) from
        letter gaps. ``text`` is returned as is when its letters stand too far apart to be one
        word's (a row of one-letter cells), or when evenly spaced symbols other than letters
        show single-character words ("a + b = c").
        """
        # The spaces PDFium put in: between the letters around each run of spaces.
        runs = [(match.start(), match.end()) for match in _SPACES.finditer(text)]
        around = self._spans([start + at for run in runs for at in (run[0] - 1, run[1])])
        gaps: list[float] = []
        for before, after in zip(around[::2], around[1::2], strict=True):
            if before is None or after is None:
                return text
            gaps.append(max(after[0] - before[1], before[0] - after[1]))
        if not gaps or min(gaps) > _LETTER_GAP * size:
            return text
        # The narrowest of them part letters; a word gap is wider by about a space.
        limit = min(gaps) + _WORD_GAP * size
        if max(gaps) <= limit and not text.replace(" ", "").isalpha():
            return text  # even gaps between symbols: "a + b = c" is not one word
        parts = [text[: runs[0][0]]]
        for (_, resume), following, gap in zip(
            runs, [*runs[1:], (len(text), 0)], gaps, strict=True
        ):
            parts.append((" " if gap > limit else "") + text[resume : following[0]])
        return "".join(parts)

    def untangled(self, text: str, start: int) -> str:
        """``text`` with lam-alef ligatures in logical order.

        Some producers map the Arabic lam-alef ligature glyph to alef then lam; the two then
        share one glyph box, which tells them from a real alef followed by a lam.
        """
        chars = list(text)
        for match in _LAM_ALEF.finditer(text):
            at = match.start()
            alef = self._span(self._char(start + at))
            lam = self._span(self._char(start + at + 1))
            if alef is not None and alef == lam:
                chars[at], chars[at + 1] = chars[at + 1], chars[at]
        return "".join(chars)

    def pieces(self, line: Line, start: int) -> tuple[Piece, ...]:
        """Split ``line`` (whose text starts at text index ``start``) at wide gaps.

        A line with a gap of an em or more is a row of cells, split at every gap down to
        ``_NARROW_GAP``; in another line such a gap splits only where it is much wider than the
        line's narrowest word gap, so a justified line, whose gaps are all stretched alike, stays
        whole. Gaps are measured between the boxes of the
        characters around a space in either direction, so right-to-left text splits too; a piece
        spans its first and last characters.
        """
        if self._native_pieces is not None and self._aligned:
            turn = self._turn
            cut = self._native_pieces(
                *self._native_page,
                line.text,
                start,
                line.size,
                line.left,
                line.right,
                _LIMITS,
                turn.rotation,
                turn.width,
                turn.height,
            )
            return tuple(itertools.starmap(Piece, cut))
        text = line.text
        gaps: list[tuple[int, int, Span, Span, float]] = []
        runs = [(match.start(), match.end()) for match in _SPACES.finditer(text)]
        around = self._spans([start + at for run in runs for at in (run[0] - 1, run[1])])
        for (at, resume), before, after in zip(runs, around[::2], around[1::2], strict=True):
            if before is not None and after is not None:
                width = max(after[0] - before[1], before[0] - after[1])
                gaps.append((at, resume, before, after, width))
        if not gaps:
            return ()
        widths = [gap[4] for gap in gaps]
        wide, narrow = _PIECE_GAP * line.size, _NARROW_GAP * line.size
        # In a row of cells (one gap of an em or more) every gap past the narrow limit parts
        # cells; elsewhere a narrow gap must stand out from the line's word gaps.
        limit = narrow if max(widths) >= wide else max(narrow, _STANDS_OUT * min(widths))
        pieces: list[Piece] = []
        begin, opening = 0, self._span(self._char(start))
        for at, resume, before, after, width in gaps:
            if width >= limit:
                pieces.append(_piece(text[begin:at], opening, before, line))
                begin, opening = resume, after
        if not pieces:
            return ()
        closing = self._span(self._char(start + len(text) - 1))
        pieces.append(_piece(text[begin:], opening, closing, line))
        return tuple(pieces)

    def _size(self, index: int) -> float:
        """The size of character ``index`` on the page; notes in ``_upright`` its direction."""
        # The font size is in text space; the matrix scales it to the size on the page.
        size = float(self._font_size(self._page, index))
        self._upright = True
        if self._get_matrix(self._page, index, self._matrix_ref):
            m = self._matrix
            scale = abs(m.a * m.d - m.b * m.c) ** 0.5
            if scale > 0:
                size *= scale
            self._upright = self._reads_across(m.a, m.b)
        return size

    def _reads_across(self, a: float, b: float) -> bool:
        """Whether text advancing along (a, b) in user space reads across the displayed page."""
        if not b:  # the common case: horizontal text
            return self._turn.rotation in (0, 180)
        angle = math.degrees(math.atan2(b, a)) % 360
        off = abs(angle - self._turn.rotation) % 360
        return min(off, 360 - off) <= _MAX_TILT

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


def _middle(text: str) -> int:
    """The offset of the character that speaks for the line: the middle one (first ones are
    often bullets or numbers), or the next that is not a space (a generated space has no
    font)."""
    offset = len(text) // 2
    while offset < len(text) - 1 and text[offset] == " ":
        offset += 1
    return offset


def _piece(text: str, first: Span | None, last: Span | None, line: Line) -> Piece:
    edges = [*(first or ()), *(last or ())] or [line.left, line.right]
    return Piece(text, min(edges), max(edges))


def _stripped(text: str, start: int) -> tuple[str, int]:
    return text.strip(), start + len(text) - len(text.lstrip())


def _is_item(text: str) -> bool:
    """Whether ``text`` starts with a bullet or a number (``lines.BULLET``, ``lines.NUMBERED``);
    the patterns are tried only on a line whose first character can start either (one line in
    a hundred, where both patterns were tried on every line)."""
    first = text[:1]
    if first in _BULLET_FIRST:
        return BULLET.match(text) is not None
    return (first == "(" or first.isdigit()) and NUMBERED.match(text) is not None


def _is_leader(text: str) -> bool:
    # The substring test keeps the regex off the vast majority of lines.
    return ("...." in text or ". . . ." in text) and _LEADER.search(text) is not None
