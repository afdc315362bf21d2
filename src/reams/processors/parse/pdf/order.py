"""Reading order of a PDF page: text columns found from the gaps between lines, bands top down.

PDFium yields text in content-stream order, which is the reading order for most producers, but
not for all: a masthead drawn last, or two columns whose lines PDFium ran together. This module
looks for a *column gutter*, a vertical strip that running text on both sides leaves empty over
most of the page. Elements that cross the gutter (titles, full-width figures and tables) cut the
page into bands; within a band the left column is read before the right one, recursively, so
three columns work too. A column of running text beside a block whose rows keep their own
baselines (a table, a sidebar) is parted from it the same way, so that the table finder does
not take the text for more of the table's columns. A page without a gutter keeps the
content-stream order.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from reams.processors.parse.pdf import native

T = TypeVar("T")

_MIN_GUTTER_EMS = 0.9
# Shares of the boxes that may cross a gutter (titles, full-width figures), tried in turn.
_CROSSING_SHARES = (0.0, 0.1, 0.25)
_MIN_SIDE_LINES = 4
_MIN_SIDE_CHARS = 120
_MIN_MEAN_CHARS = 14  # per line on each side: running text, not labels and values
_MARGIN = 0.12  # a gutter lies inside the text, not within this share of either end
_FULL_LINE = 0.7  # of a column's width: a full line of running text is at least this wide
_RUN_RISE = 0.5  # of a box's height: a box starting higher than this above the last one
_RUN_DROP = 2.0  # of a box's height: a box starting further below the last one starts a run
_BAND_TOLERANCE = 1.0  # points of overlap that boxes one above the other may have
_FULL_SHARE = 0.35  # of a column's lines that are full, in running text (with a table in it)
_BLOCK_ROWS = 3  # rows a block beside running text needs to be told apart from it
_ROW_SPREAD = 0.4  # of a box's height: boxes whose bottoms lie closer are on one row
_IN_STEP = 0.1  # of a box's height: a row this close to a line of the text is set on it
_DESCENT = 0.25 / 1.05  # of a line's box (``Line.top``, ``Line.bottom``) below its baseline
_BESIDE_SHARE = 0.5  # of a block's rows: within the text's height, and at most off its lines


@dataclass(slots=True)
class Box(Generic[T]):
    """Something to order: its payload and extent (PDF points, ``top`` above ``bottom``)."""

    payload: T
    left: float
    right: float
    top: float
    bottom: float
    chars: int


# A box's fields for map(): the sums and extents below run over every box of a side at each
# step of the gutter search (some 100,000 boxes a speed-set pass); map() with these does not
# resume a generator's frame for each box.
_LEFT = attrgetter("left")
_RIGHT = attrgetter("right")
_CHARS = attrgetter("chars")


def reading_order(boxes: list[Box[T]], *, em: float, rtl: bool = False) -> list[list[Box[T]]]:
    """``boxes`` (given in content-stream order) as regions in reading order.

    A region is a column of a band, or an element crossing the columns; boxes keep their
    content-stream order within a region. Columns of right-to-left text are read right first.
    """
    return _Order[T](em, rtl).regions(boxes)


def stacked(boxes: list[Box[T]]) -> list[Box[T]]:
    """``boxes`` (one region, in content-stream order) with their vertical bands top down.

    The boxes fall into runs, each reading down the page (or along one row) in content-stream
    order, and not skipping over other boxes below it. Runs whose vertical extents overlap
    (side by side, interleaved) form one band, read in content-stream order; bands that lie
    wholly one above the other are read top down. So footnotes or small print written before
    the body move under it, a masthead written last moves up, and lines written bottom first
    are read top first, while text that the content stream interleaves (columns) keeps its
    order.
    """
    runs: list[list[Box[T]]] = []
    for index, box in enumerate(boxes):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and box.top <= last.top + _RUN_RISE * (box.top - box.bottom)
            and not _skips(boxes, index - 1, index)
        ):
            runs[-1].append(box)
        else:
            runs.append([box])
    if len(runs) < 2:
        return boxes
    extents = [
        (max(box.top for box in run), min(box.bottom for box in run), index)
        for index, run in enumerate(runs)
    ]
    bands: list[tuple[float, list[int]]] = []  # (bottom, run indices), top down
    for top, bottom, index in sorted(extents, key=lambda extent: -extent[0]):
        if bands and top > bands[-1][0] + _BAND_TOLERANCE:
            bands[-1] = (min(bands[-1][0], bottom), [*bands[-1][1], index])
        else:
            bands.append((bottom, [index]))
    return [box for _, members in bands for index in sorted(members) for box in runs[index]]


def _skips(boxes: list[Box[T]], before: int, after: int) -> bool:
    """Whether the step from ``boxes[before]`` down to ``boxes[after]`` passes over a box that
    stands between them, under either of them (as an invoice's items, written after its
    title, pass over its address block written before)."""
    upper, lower = boxes[before], boxes[after]
    if upper.bottom - lower.top < _RUN_DROP * (lower.top - lower.bottom):
        return False
    left, right = min(upper.left, lower.left), max(upper.right, lower.right)
    return any(
        box.top <= upper.bottom
        and box.bottom >= lower.top
        and box.left < right
        and box.right > left
        for index, box in enumerate(boxes)
        if index not in (before, after)
    )


class _Order(Generic[T]):
    """The search for gutters, remembering its verdict on each set of boxes it has looked at.

    A side of a candidate gutter is searched for columns of its own, and the same sides come up
    again and again (for each candidate strip and each allowance of crossing boxes): without
    this memory, a table page with many narrow strips costs a search per strip per level.
    """

    def __init__(self, em: float, rtl: bool) -> None:
        self._em = em
        self._rtl = rtl
        # By set of boxes: the gutter found with, and without, text beside a block.
        self._gutters: dict[tuple[int, ...], tuple[float, float] | None] = {}
        self._text_gutters: dict[tuple[int, ...], tuple[float, float] | None] = {}
        self._verdicts: dict[tuple[int, ...], bool] = {}
        self._texts: dict[tuple[int, ...], bool] = {}

    def regions(self, boxes: list[Box[T]]) -> list[list[Box[T]]]:
        gutter = self._gutter(boxes)
        if gutter is None:
            return [boxes] if boxes else []
        regions: list[list[Box[T]]] = []
        for band, crossing in _bands(boxes, gutter):
            if crossing:
                regions.append(band)
                continue
            middle = (gutter[0] + gutter[1]) / 2
            left = [box for box in band if box.right <= middle]
            right = [box for box in band if box.right > middle]
            for side in (right, left) if self._rtl else (left, right):
                regions.extend(self.regions(side))
        return regions

    def _gutter(self, boxes: list[Box[T]], *, beside: bool = True) -> tuple[float, float] | None:
        """The widest vertical strip that separates two columns of running text, if any; with
        ``beside``, or a column of running text and a block beside it (``_beside``)."""
        # Each side of a gutter holds a column of text at least.
        if len(boxes) < 2 * _MIN_SIDE_LINES or sum(map(_CHARS, boxes)) < 2 * _MIN_SIDE_CHARS:
            return None
        key = tuple(map(id, boxes))
        found = self._gutters if beside else self._text_gutters
        if key not in found:
            found[key] = self._search(boxes, beside=beside)
        return found[key]

    def _search(self, boxes: list[Box[T]], *, beside: bool) -> tuple[float, float] | None:
        em = self._em
        left = min(map(_LEFT, boxes))
        right = max(map(_RIGHT, boxes))
        sweep = _Sweep(boxes)
        starts = _Starts(boxes) if beside else None
        lo, hi = left + _MARGIN * (right - left), right - _MARGIN * (right - left)
        # Clean gutters first: a generous allowance for crossing boxes merges sparse columns
        # (a spread of two pages) into one wide strip.
        for share in _CROSSING_SHARES:
            candidates = sweep.strips(
                allowed=int(len(boxes) * share), origin=left, end=right, wide=_MIN_GUTTER_EMS * em
            )
            for start, end in sorted(candidates, key=lambda strip: strip[0] - strip[1]):
                middle = (start + end) / 2
                if lo <= middle <= hi and self._columns_of_text(boxes, middle, starts):
                    return start, end
        return None

    def _columns_of_text(self, boxes: list[Box[T]], middle: float, starts: _Starts | None) -> bool:
        """Whether both sides of the strip around ``middle`` hold running text (a column, or
        columns of their own), or, given ``starts``, one side a column of running text beside a
        block whose rows are out of step with its lines (a table, a sidebar): the block is no
        part of the text.
        """
        # Lines of ragged text reach into the strip; its middle is what they must not cross.
        left = [box for box in boxes if box.right <= middle]
        if self._holds_text(left):
            right = [box for box in boxes if box.left >= middle]
            if self._holds_text(right):
                return True
            return starts is not None and self._is_text(left) and _beside(left, right)
        if starts is None or not starts.text_right_of(middle):
            return False  # the common case on a table page, told without listing the side
        return _beside([box for box in boxes if box.left >= middle], left)

    def _holds_text(self, side: list[Box[T]]) -> bool:
        """Whether ``side`` is a column of running text, or columns of their own."""
        key = tuple(map(id, side))
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._is_text(side, key) or (
                self._gutter(side, beside=False) is not None
            )
        return verdict

    def _is_text(self, side: list[Box[T]], key: tuple[int, ...] | None = None) -> bool:
        """Whether ``side`` is one column of running text (``_is_text``, remembered)."""
        key = tuple(map(id, side)) if key is None else key
        verdict = self._texts.get(key)
        if verdict is None:
            verdict = self._texts[key] = _is_text(side)
        return verdict


class _Starts:
    """The boxes by left edge: whether those that start right of an x are a column of running
    text (``_is_text``), without listing them."""

    def __init__(self, boxes: Sequence[Box[T]]) -> None:
        # Sorted on the first question only: most searches find no strip to ask about, and
        # numpy's cost per call dwarfs these small arrays.
        self._boxes: Sequence[Box[T]] | None = boxes

    def _sort(self, boxes: Sequence[Box[T]]) -> None:
        import numpy

        count = len(boxes)
        lefts = numpy.fromiter(map(_LEFT, boxes), float, count)
        order = numpy.argsort(lefts, kind="stable")
        self._lefts = lefts[order]
        self._rights = numpy.fromiter(map(_RIGHT, boxes), float, count)[order]
        chars = numpy.fromiter(map(_CHARS, boxes), numpy.int64, count)[order]
        # The characters of the boxes from the i-th on, and none past the last.
        self._chars = numpy.concatenate((numpy.cumsum(chars[::-1])[::-1], [0]))
        self._boxes = None

    def text_right_of(self, x: float) -> bool:
        """``_is_text`` of the boxes that start right of ``x``."""
        import numpy

        if self._boxes is not None:
            self._sort(self._boxes)
        at = int(numpy.searchsorted(self._lefts, x))
        count, chars = len(self._lefts) - at, int(self._chars[at])
        if count < _MIN_SIDE_LINES or chars < _MIN_SIDE_CHARS or chars < _MIN_MEAN_CHARS * count:
            return False
        lefts, rights = self._lefts[at:], self._rights[at:]
        tenth = count * 9 // 10
        extent = numpy.partition(rights, tenth)[tenth] - lefts[count // 10]
        full = numpy.count_nonzero(rights - lefts >= _FULL_LINE * extent)
        return bool(full >= _FULL_SHARE * count)


def _bands(boxes: list[Box[T]], gutter: tuple[float, float]) -> list[tuple[list[Box[T]], bool]]:
    """Cut the page, top down, where boxes crossing the gutter begin and end.

    Each band is a run of crossing boxes or of column boxes; within a band the boxes keep their
    content-stream order.
    """
    order = sorted(range(len(boxes)), key=lambda i: -boxes[i].top)
    bands: list[tuple[list[int], bool]] = []
    for index in order:
        box = boxes[index]
        crossing = box.left < gutter[0] and box.right > gutter[1]
        if bands and bands[-1][1] == crossing:
            bands[-1][0].append(index)
        else:
            bands.append(([index], crossing))
    return [([boxes[i] for i in sorted(members)], crossing) for members, crossing in bands]


class _Sweep:
    """A sweep over the box edges of a page, left to right: how many boxes cover each x."""

    def __init__(self, boxes: Sequence[Box[T]]) -> None:
        # In C when the native module is built: the same strips, without numpy's cost per call
        # on arrays this small.
        module = native.chars_module
        self._native: tuple[Any, bytes] | None = None
        if module is not None:
            edges = module.sweep_boxes(boxes if isinstance(boxes, list) else list(boxes))
            self._native = (module.strips, edges)
            return
        import numpy

        count = len(boxes)
        xs = numpy.empty(2 * count)
        xs[:count] = [box.left for box in boxes]
        xs[count:] = [box.right for box in boxes]
        steps = numpy.ones(2 * count, dtype=numpy.int64)
        steps[count:] = -1
        # By x; at equal x an edge that closes a box comes first, so touching boxes leave no
        # strip.
        order = numpy.lexsort((steps, xs))
        self._xs = xs[order]
        self._after = numpy.cumsum(steps[order])
        self._before = self._after - steps[order]

    def strips(
        self, *, allowed: int, origin: float, end: float, wide: float
    ) -> list[tuple[float, float]]:
        """Maximal x ranges at least ``wide`` covered by at most ``allowed`` boxes."""
        if self._native is not None:
            strips, edges = self._native
            found: list[tuple[float, float]] = strips(edges, allowed, origin, end, wide)
            return found
        import numpy

        before, after = self._before, self._after
        rises = self._xs[(before <= allowed) & (after > allowed)]
        falls = self._xs[(after <= allowed) & (before > allowed)]
        # Coverage starts and ends at zero, so rises and falls alternate, a rise first.
        starts = numpy.concatenate(([origin], falls))
        ends = numpy.concatenate((rises, [end]))
        keep = (ends - starts >= wide) & (ends > starts)
        return list(zip(starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _beside(text: list[Box[T]], block: list[Box[T]]) -> bool:
    """Whether ``block`` stands beside the column of running ``text`` without being set on its
    lines: it has rows of its own, most of them within the text's height, and most of its rows
    share no baseline with a line of the text.

    A table's column of wrapped descriptions looks like running text too, but each of the
    table's rows starts on a line of it; prose set beside a table follows its own leading, and
    meets the table's rows only by chance.
    """
    rows: list[Box[T]] = []  # the first box of each row of the block, top down
    for box in sorted((box for box in block if box.chars), key=lambda box: -_baseline(box)):
        if not rows or _baseline(rows[-1]) - _baseline(box) > _ROW_SPREAD * _height(box):
            rows.append(box)
    if len(rows) < _BLOCK_ROWS:
        return False
    top = max(box.top for box in text)
    bottom = min(box.bottom for box in text)
    within = sum(1 for row in rows if bottom <= row.bottom and row.top <= top)
    if within < _BESIDE_SHARE * len(rows):
        return False
    baselines = sorted(_baseline(box) for box in text)
    steps = [_on_a_line(row, baselines) for row in rows]
    # Two rows in a row set on lines of the text are a table's rows beside its column of
    # wrapped cells (an invoice's items beside their descriptions), not chance.
    if any(upper and lower for upper, lower in itertools.pairwise(steps)):
        return False
    return sum(steps) < _BESIDE_SHARE * len(rows)


def _on_a_line(row: Box[T], baselines: list[float]) -> bool:
    """Whether ``row`` shares its baseline with one of the lines whose ``baselines`` are given
    (in ascending order)."""
    baseline, tolerance = _baseline(row), _IN_STEP * _height(row)
    at = bisect.bisect_left(baselines, baseline - tolerance)
    return at < len(baselines) and baselines[at] <= baseline + tolerance


def _height(box: Box[T]) -> float:
    return max(box.top - box.bottom, 1.0)


def _baseline(box: Box[T]) -> float:
    """The baseline of a box of text: text of different sizes on one line shares it, not its
    bottom."""
    return box.bottom + _DESCENT * (box.top - box.bottom)


def _is_text(side: list[Box[T]]) -> bool:
    """Running text: enough lines, of some length, most of them filling the column's width.

    The width test tells a column of text from the columns of a table, whose cells are narrow.
    In C when the native module is built (the same verdict: every side of every strip tried).
    """
    module = native.chars_module
    if module is not None and isinstance(side, list):
        verdict: bool | None = module.text_column(
            side, _MIN_SIDE_LINES, _MIN_SIDE_CHARS, _MIN_MEAN_CHARS, _FULL_LINE, _FULL_SHARE
        )
        if verdict is not None:
            return verdict
    chars = sum(map(_CHARS, side))
    if len(side) < _MIN_SIDE_LINES or chars < _MIN_SIDE_CHARS:
        return False
    if chars / len(side) < _MIN_MEAN_CHARS:
        return False
    # The extent between the usual line starts and ends: a page number in the margin would
    # stretch it.
    lefts = sorted(box.left for box in side)
    rights = sorted(box.right for box in side)
    extent = rights[len(rights) * 9 // 10] - lefts[len(lefts) // 10]
    full = sum(1 for box in side if box.right - box.left >= _FULL_LINE * extent)
    return full >= _FULL_SHARE * len(side)
