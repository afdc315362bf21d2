"""Ruling lines of a PDF page: the horizontal and vertical strokes tables are drawn with.

They come from the page's path objects (and those inside form XObjects): a thin path is one
rule, a rectangle gives its four edges (cell borders and shaded cells alike), and a path of many
segments (a whole grid in one path) is walked segment by segment. Collinear pieces are joined,
so a rule drawn cell by cell reads as one. Reading rules costs a walk over the page objects, so
the layout asks for them only when a page has a table candidate. Where rules cross into a lattice
(a table with borders), the text of its cells is read too (``grids``).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from reams.processors.parse.pdf import native
from reams.processors.parse.pdf.geometry import IDENTITY, Matrix, Turn, compose
from reams.processors.parse.pdf.grids import Grid, bounded_text, grid_of, lattices
from reams.processors.parse.pdf.images import Paths
from reams.processors.parse.pdf.text import unchecked

_THIN = 2.5  # points: a path thinner than this is a line
_MIN_LENGTH = 4.0  # points: shorter strokes are glyph parts or tick marks, not rules
_SIMPLE_SEGMENTS = 5  # a path of at most this many segments is read from its bounds
_MAX_SEGMENTS = 20_000  # per page: a bound for pages of vector art
_MAX_DEPTH = 4  # form XObjects nested deeper are not searched (as images.py: see read_objects)
_JOIN = 2.0  # points: collinear pieces closer than this are one rule


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: ``position`` is the y of a horizontal rule (the x of a vertical one)."""

    position: float
    start: float
    end: float


# The native module makes a Rule by setting its three slots, as the dataclass's own __init__
# does: only while Rule stays exactly that (no other field, no __post_init__).
_RULES_BUILT_NATIVELY = (
    tuple(f.name for f in fields(Rule)) == ("position", "start", "end")
    and not hasattr(Rule, "__post_init__")
    and Rule.__slots__ == ("position", "start", "end")
)


@dataclass(frozen=True, slots=True)
class PageRules:
    """The page's rules in display coordinates (y grows up the page, as in ``lines``)."""

    horizontal: tuple[Rule, ...] = ()
    vertical: tuple[Rule, ...] = ()
    grids: tuple[Grid, ...] = ()
    """The tables drawn with borders (lattices of crossing rules), with their cells' text."""
    placed: set[int] = field(default_factory=set, compare=False)
    """Indices of the grids already standing in the page's flow (the layout reads a page
    region by region, in reading order: a grid cut apart stands where reading first meets it)."""


def read_rules(
    page: Any,
    *,
    rotation: int,
    width: float,
    height: float,
    textpage: Any | None = None,
    paths: Paths | None = None,
) -> PageRules:
    """The rules of a pypdfium2 page (``page`` is the raw FPDF_PAGE handle).

    ``textpage`` is the page's raw FPDF_TEXTPAGE handle when the caller has it open (loading
    one costs a pass over the page's text); it stays open. Without it, a text page is loaded
    for the lattices' cells and closed again. ``paths`` are the page's path objects when a walk
    of the page already found them (``images.read_objects``); without them the page is walked.
    """
    import pypdfium2.raw as pdfium_c

    lines = _read_paths(pdfium_c, page, paths)
    turn = Turn(rotation % 360, width, height)
    # Most pages are not turned: their strokes are taken as they are, without a call each.
    strokes = (
        lines if not turn.rotation else [(*turn(x0, y0), *turn(x1, y1)) for x0, y0, x1, y1 in lines]
    )
    rules = _stroke_rules(strokes)
    found = lattices(rules.horizontal, rules.vertical)
    if not found:
        return rules
    loaded = textpage is None
    if loaded:
        textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        return rules
    try:
        text_in = bounded_text(pdfium_c, textpage, turn)
        grids = tuple(grid for lattice in found if (grid := grid_of(lattice, text_in)) is not None)
    finally:
        if loaded:
            pdfium_c.FPDFText_ClosePage(textpage)
    return PageRules(rules.horizontal, rules.vertical, grids)


def _stroke_rules(strokes: list[tuple[float, float, float, float]]) -> PageRules:
    """The rules of the page's strokes: each stroke thin across and long enough along is a
    piece of a horizontal or vertical rule, and touching collinear pieces are joined. In C
    when the native module is built (the same rules: ``_chars.stroke_rules``, which makes each
    :class:`Rule` as its generated ``__init__`` does); this loop without it, or for a stroke
    whose coordinates are no plain floats."""
    module = native.chars_module
    if module is not None and _RULES_BUILT_NATIVELY:
        made = module.stroke_rules(strokes, Rule, _THIN, _MIN_LENGTH, _JOIN)
        if made is not None:
            return PageRules(*made)
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    # ``abs`` written out as comparisons: this runs for every stroke of the page.
    thin, length = _THIN, _MIN_LENGTH
    for a, b, c, d in strokes:
        across, up = a - c, b - d
        if -thin <= up <= thin and (across >= length or across <= -length):
            horizontal.append(((b + d) / 2, c, a) if across > 0 else ((b + d) / 2, a, c))
        elif -thin <= across <= thin and (up >= length or up <= -length):
            vertical.append(((a + c) / 2, d, b) if up > 0 else ((a + c) / 2, b, d))
    return PageRules(_joined(horizontal), _joined(vertical))


def _read_paths(
    pdfium_c: Any, page: Any, paths: Paths | None
) -> list[tuple[float, float, float, float]]:
    """The strokes of ``paths`` (of the whole page when None). The native module reads given
    paths without a :class:`_Reader` (whose ctypes buffers and bound functions it would not
    use)."""
    if paths is not None and native.chars_module is not None:
        return _native_lines(pdfium_c, paths)
    reader = _Reader(pdfium_c)
    if paths is None:
        count = pdfium_c.FPDFPage_CountObjects(page)
        get_object = unchecked(pdfium_c, "FPDFPage_GetObject")
        reader.walk((get_object(page, i) for i in range(count)), IDENTITY, 0)
    else:
        for obj, parent in paths:
            reader.path(ctypes.c_void_p(obj) if isinstance(obj, int) else obj, parent)
    return reader.lines


def _native_lines(pdfium_c: Any, paths: Paths) -> list[tuple[float, float, float, float]]:
    """:meth:`_Reader.path` of each of ``paths`` in C (``native``): the same strokes."""
    module = native.chars_module
    assert module is not None
    address = native.address
    lines: list[tuple[float, float, float, float]] = module.path_lines(
        [(obj if isinstance(obj, int) else address(obj), parent) for obj, parent in paths],
        native.functions(
            pdfium_c,
            "FPDFPath_CountSegments",
            "FPDFPageObj_GetBounds",
            "FPDFPageObj_GetMatrix",
            "FPDFPath_GetPathSegment",
            "FPDFPathSegment_GetPoint",
            "FPDFPathSegment_GetType",
            "FPDFPathSegment_GetClose",
        ),
        (
            pdfium_c.FPDF_SEGMENT_LINETO,
            pdfium_c.FPDF_SEGMENT_MOVETO,
            _SIMPLE_SEGMENTS,
            _MAX_SEGMENTS,
        ),
        _THIN,
    )
    return lines


class _Reader:
    """Collects straight strokes (x0, y0, x1, y1) in page space from path objects."""

    def __init__(self, pdfium_c: Any) -> None:
        self._c = pdfium_c
        # Per-object and per-segment calls skip ctypes' argument conversion (``unchecked``):
        # they get only handles, ``byref`` buffers and ints.
        self._get_type = unchecked(pdfium_c, "FPDFPageObj_GetType")
        self._count_segments = unchecked(pdfium_c, "FPDFPath_CountSegments")
        self._get_bounds = unchecked(pdfium_c, "FPDFPageObj_GetBounds")
        self._get_segment = unchecked(pdfium_c, "FPDFPath_GetPathSegment")
        self._get_point = unchecked(pdfium_c, "FPDFPathSegment_GetPoint")
        self._segment_type = unchecked(pdfium_c, "FPDFPathSegment_GetType")
        self._segment_close = unchecked(pdfium_c, "FPDFPathSegment_GetClose")
        self._path_kind = pdfium_c.FPDF_PAGEOBJ_PATH
        self._form_kind = pdfium_c.FPDF_PAGEOBJ_FORM
        self._line_to = pdfium_c.FPDF_SEGMENT_LINETO
        self._move_to = pdfium_c.FPDF_SEGMENT_MOVETO
        self.lines: list[tuple[float, float, float, float]] = []
        self._segments = 0
        self._bounds = tuple(ctypes.c_float() for _ in range(4))
        self._bounds_args = tuple(ctypes.byref(value) for value in self._bounds)
        self._point = (ctypes.c_float(), ctypes.c_float())
        self._point_args = tuple(ctypes.byref(value) for value in self._point)
        self._matrix = pdfium_c.FS_MATRIX()
        # The segment loop in C when the native module is built (the same strokes).
        module = native.chars_module
        self._native = None if module is None else module.strokes
        self._calls = (
            *(
                native.address(getattr(pdfium_c, name))
                for name in (
                    "FPDFPath_GetPathSegment",
                    "FPDFPathSegment_GetPoint",
                    "FPDFPathSegment_GetType",
                    "FPDFPathSegment_GetClose",
                )
            ),
            self._line_to,
            self._move_to,
        )

    def walk(self, objects: Iterator[Any], parent: Matrix, depth: int) -> None:
        c = self._c
        get_type, path_kind, form_kind = self._get_type, self._path_kind, self._form_kind
        for obj in objects:
            kind = get_type(obj)
            if kind == path_kind:
                self.path(obj, parent)
            elif kind == form_kind and depth < _MAX_DEPTH:
                count = c.FPDFFormObj_CountObjects(obj)
                inner = compose(self._object_matrix(obj), parent)
                self.walk((c.FPDFFormObj_GetObject(obj, i) for i in range(count)), inner, depth + 1)

    def path(self, obj: Any, parent: Matrix) -> None:
        """The strokes of path object ``obj`` inside form XObjects of matrix ``parent``."""
        segments = int(self._count_segments(obj))
        if segments <= _SIMPLE_SEGMENTS:
            self._box(obj, parent)
        elif self._segments + segments <= _MAX_SEGMENTS:
            self._segments += segments
            self._strokes(obj, compose(self._object_matrix(obj), parent), segments)

    def _box(self, obj: Any, parent: Matrix) -> None:
        """A simple path by its bounds: one rule if thin, else the four edges of a rectangle."""
        if not self._get_bounds(obj, *self._bounds_args):
            return
        bounds = self._bounds
        left, bottom, right, top = (
            bounds[0].value,
            bounds[1].value,
            bounds[2].value,
            bounds[3].value,
        )
        # The corners through ``parent``, as ``geometry.apply`` computes them.
        a, b, c, d, e, f = parent
        x0, y0 = a * left + c * bottom + e, b * left + d * bottom + f
        x1, y1 = a * right + c * top + e, b * right + d * top + f
        thin_y = abs(y1 - y0) <= _THIN
        if thin_y or abs(x1 - x0) <= _THIN:
            middle_y, middle_x = (y0 + y1) / 2, (x0 + x1) / 2
            self.lines.append(
                (x0, middle_y, x1, middle_y) if thin_y else (middle_x, y0, middle_x, y1)
            )
            return
        self.lines.extend([(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)])

    def _strokes(self, obj: Any, matrix: Matrix, segments: int) -> None:
        if self._native is not None:
            self.lines.extend(self._native(native.address(obj), segments, matrix, *self._calls))
            return
        get_segment, get_point = self._get_segment, self._get_point
        segment_type, segment_close = self._segment_type, self._segment_close
        point_args, x, y = self._point_args, self._point[0], self._point[1]
        line_to, move_to, lines = self._line_to, self._move_to, self.lines
        # ``geometry.apply`` written out: this loop runs for every segment of a drawing.
        a, b, c, d, e, f = matrix
        start = previous = None
        for index in range(segments):
            segment = get_segment(obj, index)
            if not get_point(segment, *point_args):
                continue
            px, py = x.value, y.value
            point = (a * px + c * py + e, b * px + d * py + f)
            kind = segment_type(segment)
            if kind == line_to and previous:
                lines.append((*previous, *point))
            elif kind == move_to:
                start = point
            if segment_close(segment) and start is not None:
                lines.append((*point, *start))
            previous = point

    def _object_matrix(self, obj: Any) -> Matrix:
        m = self._matrix
        if not self._c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
            return IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)


def _joined(strokes: list[tuple[float, float, float]]) -> tuple[Rule, ...]:
    """Join collinear strokes that touch or nearly touch into single rules."""
    joined: list[list[float]] = []  # position, start, end of each rule so far
    for position, start, end in sorted(strokes, key=lambda s: (round(s[0]), s[1])):
        if joined:
            last = joined[-1]
            if abs(last[0] - position) <= _THIN and start <= last[2] + _JOIN:
                if end > last[2]:
                    last[2] = end
                continue
        joined.append([position, start, end])
    return tuple(Rule(position, start, end) for position, start, end in joined)
