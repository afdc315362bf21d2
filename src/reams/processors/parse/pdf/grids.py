"""Ruled tables: lattices of horizontal and vertical rules, and the text of their cells.

A table drawn with borders around its cells is a *lattice*: horizontal rules crossed by vertical
ones. Its rows and columns are the bands between the rules, so nothing about the text needs
guessing: a cell that wraps over several lines stays one cell, adjacent columns stay apart however
close their text runs, and text beside the table lies outside it. A cell whose border is missing
spans its neighbour (a merged cell): its text is read once, into its first cell. A band between
two rules that holds several full rows of text (a table ruled only under its header, or only
around its columns) is cut into those rows.

The text of a cell is what PDFium finds inside its rectangle (``FPDFText_GetBoundedText``), so
the characters are placed by their own boxes, not by the pieces of a line.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reams.processors.parse.pdf import native
from reams.processors.parse.pdf.geometry import Turn
from reams.processors.parse.pdf.text import unchecked

_TOUCH = 3.0  # points: a rule ending this close to another meets it
_MERGE = 6.0  # points: rule positions closer than this are one border (double rules, shading)
_MAX_PAIRS = 250_000  # rule pairs compared per page: pages of vector art are not searched
_MIN_CELLS = 2  # rows and columns a lattice needs (after empty ones are dropped)
_SHARED = 0.01  # of the characters: more read twice means text crosses the rules
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_NOISE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\ufeff]")
_MAX_LINES = 4.0  # mean lines per filled cell: more is text set in boxes (frames, call-outs)


class _Rule(Protocol):
    @property
    def position(self) -> float: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table: the text of its cells row by row, and where it sits on the page.

    Coordinates are display coordinates (y grows up the page). A grid without rows is a
    drawing: its text crosses its rules (the boxes and arrows of a diagram), and the text inside
    it is no table at all.
    """

    rows: tuple[tuple[str, ...], ...]
    left: float
    right: float
    top: float
    bottom: float

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


@dataclass(frozen=True, slots=True)
class Lattice:
    """Border positions of a ruled table: ``xs`` left to right, ``ys`` top down."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    horizontal: tuple[_Rule, ...]
    vertical: tuple[_Rule, ...]

    def v_spans(self) -> list[list[tuple[float, float]]]:
        """For each x border, the (start, end) of the vertical rules drawn along it."""
        return _spans(self.vertical, self.xs)

    def h_spans(self) -> list[list[tuple[float, float]]]:
        """For each y border, the (start, end) of the horizontal rules drawn along it."""
        return _spans(self.horizontal, self.ys)


def _spans(rules: Sequence[_Rule], borders: Sequence[float]) -> list[list[tuple[float, float]]]:
    """For each border position, the extents (widened by ``_TOUCH``) of the rules within
    ``_MERGE`` of it, in the order of ``rules``.

    The rules are sorted by position once; each border looks only at those near it (a range a
    little wider than ``_MERGE``, then the exact test), not at every rule of the lattice.
    """
    order = sorted(range(len(rules)), key=lambda i: rules[i].position)
    positions = [rules[i].position for i in order]
    found: list[list[tuple[float, float]]] = []
    for border in borders:
        low = bisect.bisect_left(positions, border - 2 * _MERGE)
        high = bisect.bisect_right(positions, border + 2 * _MERGE)
        near = sorted(i for i in order[low:high] if abs(rules[i].position - border) <= _MERGE)
        found.append([(rules[i].start - _TOUCH, rules[i].end + _TOUCH) for i in near])
    return found


def _covers(spans: list[tuple[float, float]], at: float) -> bool:
    for start, end in spans:  # noqa: SIM110  (a loop, not any(): this runs for every border)
        if start <= at <= end:
            return True
    return False


class _Sets:
    """Disjoint sets of 0..n-1 (union-find); the smallest member of a set is its root."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        self._parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[int, list[int]]:
        """The sets by root, in the order of their smallest members, each in order.

        Every parent is smaller than its child (:meth:`join` hangs the larger root under the
        smaller), so one pass in order finds each member's root from its parent's: what
        :meth:`find` gives, without a walk per member.
        """
        roots: list[int] = []
        found: dict[int, list[int]] = {}
        for i, parent in enumerate(self._parent):
            root = i if parent == i else roots[parent]
            roots.append(root)
            members = found.get(root)
            if members is None:
                found[root] = [i]
            else:
                members.append(i)
        return found


def lattices(horizontal: Sequence[_Rule], vertical: Sequence[_Rule]) -> list[Lattice]:
    """The groups of crossing rules that frame at least two rows or two columns of cells."""
    if not horizontal or not vertical or len(horizontal) * len(vertical) > _MAX_PAIRS:
        return []
    offset = len(horizontal)
    module = native.chars_module  # the pairs tried in C when built (the same groups)
    groups: Iterable[list[int]] | None = (
        None if module is None else module.meeting_groups(list(horizontal), list(vertical), _TOUCH)
    )
    if groups is None:
        groups = _meeting(horizontal, vertical).values()
    found = []
    for members in groups:
        hs = [horizontal[i] for i in members if i < offset]
        vs = [vertical[i - offset] for i in members if i >= offset]
        if not hs or not vs:
            continue
        # A table open on its sides (no outer vertical rule) ends where its rules end.
        xs = _borders([v.position for v in vs], min(h.start for h in hs), max(h.end for h in hs))
        ys = _borders([h.position for h in hs], min(v.start for v in vs), max(v.end for v in vs))
        ys.reverse()
        if len(xs) >= 2 and len(ys) >= 2 and (len(xs) > 2 or len(ys) > 2):
            found.append(Lattice(tuple(xs), tuple(ys), tuple(hs), tuple(vs)))
    return found


def _meeting(horizontal: Sequence[_Rule], vertical: Sequence[_Rule]) -> dict[int, list[int]]:
    """The rules joined where a horizontal and a vertical one meet (each reaches the other,
    ends within ``_TOUCH``), as :meth:`_Sets.groups` gives them (vertical rules numbered after
    the horizontal ones)."""
    offset = len(horizontal)
    sets = _Sets(offset + len(vertical))
    by_x = sorted(range(len(vertical)), key=lambda j: vertical[j].position)
    positions = [vertical[j].position for j in by_x]
    join = sets.join
    for i, h in enumerate(horizontal):
        low, high, at = h.start - _TOUCH, h.end + _TOUCH, h.position
        first = bisect.bisect_left(positions, low)
        last = bisect.bisect_right(positions, high)
        for j in by_x[first:last]:
            v = vertical[j]
            # They meet: each reaches the other (ends within _TOUCH); tested inline, as some
            # 40,000 pairs are tried in a speed-set pass.
            if v.start - _TOUCH <= at <= v.end + _TOUCH and low <= v.position <= high:
                join(i, offset + j)
    return sets.groups()


def _borders(positions: list[float], low: float, high: float) -> list[float]:
    """Distinct border positions, ascending, from ``low`` to ``high`` (where the rules across
    them end); positions closer than ``_MERGE`` are one."""
    borders: list[list[float]] = []
    for position in sorted([low, *positions, high]):
        if borders and position - borders[-1][-1] < _MERGE:
            borders[-1].append(position)
        else:
            borders.append([position])
    return [sum(group) / len(group) for group in borders]


Rect = tuple[float, float, float, float]  # left, right, top, bottom (display coordinates)


class TextIn(Protocol):
    def __call__(self, rect: Rect) -> str: ...


def grid_of(lattice: Lattice, text_in: TextIn) -> Grid | None:
    """The table a lattice frames, or None when it frames fewer than two rows or columns of text
    or does not look like a table (text crossing its rules, paragraphs set in boxes)."""
    xs, ys = lattice.xs, lattice.ys
    n_cols = len(xs) - 1
    whole = text_in((xs[0], xs[-1], ys[0], ys[-1]))
    visible = _visible(whole)
    if visible < n_cols * (len(ys) - 1):
        return None  # fewer characters than cells: a chart's grid, a frame around a picture
    if _RTL.search(_NOISE.sub("", whole)):
        # The cells tile the whole, so one of them would hold this text and be refused below:
        # refused before its cells are read.
        return None
    boxes: list[tuple[bool, int, Rect]] = []  # whether it spans most columns, root, rectangle
    for root, members in _cells(lattice).items():
        top, bottom, left, right = _extent(members, n_cols)
        wide = n_cols > 2 and 2 * (right - left + 1) > n_cols
        boxes.append((wide, root, (xs[left], xs[right + 1], ys[top], ys[bottom + 1])))
    # The boxes spanning most columns are read first: one of them holding many lines refuses
    # the lattice, whatever the other cells hold, so those need not be read.
    boxes.sort(key=lambda box: not box[0])
    texts = _read_cells(boxes, text_in)
    if texts is None:
        return None  # lines of many cells in one box: rows drawn without their rules
    # The cells' lines searched at once (the pattern matches single characters).
    if not any(texts.values()) or _RTL.search("".join(itertools.chain(*texts.values()))):
        return None  # right-to-left text needs the line reader's shaping: it is read by lines
    if _crossed(texts.values(), visible):
        return Grid((), xs[0], xs[-1], ys[0], ys[-1])
    bands: list[list[list[str]]] = []
    for r in range(len(ys) - 1):
        bands.extend(_split_band([texts.get(r * n_cols + c, []) for c in range(n_cols)]))
    filled = [len(lines) for band in bands for lines in band if lines]
    if sum(filled) > _MAX_LINES * len(filled):
        return None
    return _trimmed([[" ".join(lines) for lines in band] for band in bands], lattice)


def _read_cells(
    boxes: list[tuple[bool, int, Rect]], text_in: TextIn
) -> dict[int, list[str]] | None:
    """The lines of each box's text by root, the wide boxes first; None as soon as a wide box
    holds more than two lines.

    A reader with a ``many`` method (the native one) reads the wide boxes in one call, then the
    others in one more; any other reader is asked box by box, and no further than the box that
    refuses the lattice.
    """
    many: Callable[[list[Rect]], list[str]] | None = getattr(text_in, "many", None)
    split = sum(1 for box in boxes if box[0])  # the wide boxes come first
    texts: dict[int, list[str]] = {}
    for group in (boxes[:split], boxes[split:]):
        rects = [rect for _, _, rect in group]
        read = many(rects) if many is not None and rects else map(text_in, rects)
        for (wide, root, _), text in zip(group, read, strict=True):
            lines = _lines(text)
            texts[root] = lines
            if wide and len(lines) > 2:
                return None
    return texts


def _lines(text: str) -> list[str]:
    """The non-empty lines of a cell's text, stripped, without control characters."""
    if _NOISE.search(text) is None:  # most cells: nothing to remove from any line
        return [stripped for line in text.splitlines() if (stripped := line.strip())]
    lines = (_NOISE.sub("", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def _extent(members: list[int], n_cols: int) -> tuple[int, int, int, int]:
    """The first and last row and column of a group of cells (``row * n_cols + column``)."""
    if len(members) == 1:  # most cells: one box of the lattice, not merged
        row, column = divmod(members[0], n_cols)
        return row, row, column, column
    rows = [m // n_cols for m in members]
    cols = [m % n_cols for m in members]
    return min(rows), max(rows), min(cols), max(cols)


def _cells(lattice: Lattice) -> dict[int, list[int]]:
    """The lattice's cells (row * columns + column), grouped where a border is missing.

    Each group is keyed by its first (top left) cell, which holds the group's text.
    """
    xs, ys = lattice.xs, lattice.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    v_spans, h_spans = lattice.v_spans(), lattice.h_spans()
    middles_x = [(xs[c] + xs[c + 1]) / 2 for c in range(n_cols)]
    missing: list[tuple[int, int]] = []  # pairs of cells with no border between them
    for r in range(n_rows):
        middle_y = (ys[r] + ys[r + 1]) / 2
        first = r * n_cols
        for c in range(n_cols - 1):  # the borders between the row's cells
            if not _covers(v_spans[c + 1], middle_y):
                missing.append((first + c, first + c + 1))
        if r + 1 < n_rows:  # the border under the row
            below = h_spans[r + 1]
            for c, middle_x in enumerate(middles_x):
                if not _covers(below, middle_x):
                    missing.append((first + c, first + n_cols + c))
    if not missing:  # every border drawn (most lattices): each cell is a group of its own
        return {cell: [cell] for cell in range(n_rows * n_cols)}
    sets = _Sets(n_rows * n_cols)
    for a, b in missing:
        sets.join(a, b)
    return sets.groups()


def _crossed(cells: Iterable[list[str]], visible: int) -> bool:
    """Whether text runs across the rules: characters read in two cells at once (``visible``:
    the characters of the lattice's whole text, spaces left out).

    Text in a table stays inside its cells; the boxes and arrows of a diagram cut through
    words, whose characters then count in both cells they touch.
    """
    # The characters of all the cells' lines counted at once: what each line's count adds up to.
    inside = _visible("".join(itertools.chain(*cells)))
    return inside > visible * (1 + _SHARED)


def _visible(text: str) -> int:
    """The characters of ``text`` that are not white space (what ``\\s`` matches, the same
    set as ``str.split`` parts at)."""
    return len("".join(text.split()))


def _split_band(band: list[list[str]]) -> list[list[list[str]]]:
    """A band's cells as one row, or as several when every filled cell has the same lines.

    Two or more cells each holding k > 1 lines are k rows drawn without rules between them
    (cells that wrap rarely wrap to the same number of lines in every column).
    """
    filled = [lines for lines in band if lines]
    counts = {len(lines) for lines in filled}
    if len(filled) < 2 or len(counts) != 1 or counts == {1}:
        return [band]
    (depth,) = counts
    return [[[lines[k]] if lines else [] for lines in band] for k in range(depth)]


def _trimmed(grid: list[list[str]], lattice: Lattice) -> Grid | None:
    keep_rows = [r for r, row in enumerate(grid) if any(row)]
    keep_cols = [c for c in range(len(grid[0])) if any(row[c] for row in grid)] if grid else []
    if len(keep_rows) < _MIN_CELLS or len(keep_cols) < _MIN_CELLS:
        return None
    if sum(1 for row in grid if sum(1 for cell in row if cell) >= 2) < _MIN_CELLS:
        return None  # boxes each holding a line of its own (a banner, a form's fields)
    rows = tuple(tuple(grid[r][c] for c in keep_cols) for r in keep_rows)
    xs, ys = lattice.xs, lattice.ys
    return Grid(rows, xs[0], xs[-1], ys[0], ys[-1])


def bounded_text(pdfium_c: Any, textpage: Any, turn: Turn) -> TextIn:
    """A reader of the text inside a rectangle of the page given in display coordinates.

    PDFium walks every character of the page for each rectangle, so the buffer is sized once
    for the whole page (its characters and the line breaks between them) and each cell costs
    one call, made without ctypes' argument conversion (``text.unchecked``: the rectangle goes
    as ``c_double`` values).
    """
    size = 2 * max(int(pdfium_c.FPDFText_CountChars(textpage)), 0) + 64
    back = turn.back if turn.rotation else None
    chars = native.page_chars(pdfium_c, textpage)
    if chars is not None:
        return _NativeTextIn(chars, size, turn)
    buffer = (ctypes.c_ushort * size)()
    bounded = unchecked(pdfium_c, "FPDFText_GetBoundedText")
    double = ctypes.c_double

    def text_in(rect: Rect) -> str:
        left, top, right, bottom = _pdf_rect(rect, back)
        count = bounded(
            textpage, double(left), double(top), double(right), double(bottom), buffer, size
        )
        if count <= 0:
            return ""
        return (
            ctypes.string_at(buffer, 2 * min(count, size))
            .decode("utf-16-le", "replace")
            .rstrip("\x00")
        )

    return text_in


def _pdf_rect(rect: Rect, back: Callable[[float, float], tuple[float, float]] | None) -> Rect:
    """``rect`` (left, right, top, bottom in display coordinates) as PDFium takes it: left,
    top, right, bottom in page space."""
    left, right, top, bottom = rect
    if back is None:
        return left, top, right, bottom
    (x0, y0), (x1, y1) = back(left, top), back(right, bottom)
    return min(x0, x1), max(y0, y1), max(x0, x1), min(y0, y1)


class _NativeTextIn:
    """:func:`bounded_text` cut from the page's characters read once (``native``): the same
    text, without a walk of the page by PDFium for each rectangle; :meth:`many` reads a list
    of rectangles (a lattice's cells) in one call.

    A page shown turned a quarter has its rows run up the page as PDFium sees it: its
    characters are banded by x, not y (else each cell would walk most of them).
    """

    __slots__ = ("_back", "_bounded", "_bounded_all", "_chars", "_index", "_size", "_turn")

    def __init__(self, chars: bytes, size: int, turn: Turn) -> None:
        module = native.chars_module
        assert module is not None
        self._bounded = module.bounded
        self._bounded_all = module.bounded_all
        self._chars = chars
        # The characters by band of the page: a cell visits those of its own rows only.
        self._index = module.char_index(chars, turn.rotation in (90, 270))
        self._size = size
        self._turn = turn
        self._back = turn.back if turn.rotation else None

    def __call__(self, rect: Rect) -> str:
        text: str = self._bounded(
            self._chars, self._index, *_pdf_rect(rect, self._back), self._size
        )
        return text

    def many(self, rects: list[Rect]) -> list[str]:
        turn = self._turn
        texts: list[str] = self._bounded_all(
            self._chars, self._index, rects, self._size, turn.rotation, turn.width, turn.height
        )
        return texts
