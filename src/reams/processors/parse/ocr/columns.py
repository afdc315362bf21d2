"""Reading order of an OCR page with two columns of running text.

Lines are read across the whole page by default, which suits the common scanned page: letters,
forms, invoices and tables, where what sits side by side belongs together. A page set in two
columns of prose (articles, patents, newsletters) must instead be read one column after the other.
Such a page shows a gutter: an upright strip that separates the lines of both columns, crossed
only by a few full-width lines (a title, a running head). The page is then cut at every line that
crosses the gutter, and within each section the left column is read before the right.

The test is conservative, because cutting a table in two is worse than reading two columns across:
both sides need several lines of prose-length text, and few lines may cross the gutter.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence

from reams.processors.parse.ocr.lines import TextBox, group_lines

_MIN_SIDE_LINES = 3  # lines of text on each side of a gutter
_MIN_PROSE_CHARS = 20  # median characters of a line, on each side: prose, not table cells
_MAX_CROSSING = 0.2  # share of lines that may cross the gutter (titles, running heads)
_MIN_GUTTER = 0.6  # line heights: narrower gaps are spaces between words


def reading_order(boxes: Sequence[TextBox]) -> list[list[TextBox]]:
    """``boxes`` in groups to be laid out one after the other, in reading order."""
    rows = [line.boxes for line in group_lines(boxes)]
    gutter = _gutter(rows)
    if gutter is None:
        return [list(boxes)]
    groups: list[list[TextBox]] = []
    left: list[TextBox] = []
    right: list[TextBox] = []
    for row in rows:
        if any(box.left < gutter < box.right for box in row):
            groups.extend(part for part in (left, right, row) if part)
            left, right = [], []
            continue
        left.extend(box for box in row if box.right <= gutter)
        right.extend(box for box in row if box.left >= gutter)
    groups.extend(part for part in (left, right) if part)
    return groups


def _gutter(rows: list[list[TextBox]]) -> float | None:
    """The x of the gutter between two columns of prose, or None when there is none."""
    if len(rows) < _MIN_SIDE_LINES:
        return None
    height = statistics.median(box.bottom - box.top for row in rows for box in row)
    best: tuple[int, float] | None = None
    for x in _candidates(rows, min_gap=_MIN_GUTTER * height):
        crossing = sum(1 for row in rows if any(box.left < x < box.right for box in row))
        if crossing > _MAX_CROSSING * len(rows) or not _prose_on_both_sides(rows, x):
            continue
        if best is None or crossing < best[0]:
            best = (crossing, x)
    return best[1] if best else None


def _candidates(rows: list[list[TextBox]], *, min_gap: float) -> set[float]:
    """Middles of the wide gaps between neighbouring boxes of a line."""
    middles: set[float] = set()
    for row in rows:
        ordered = sorted(row, key=lambda box: box.left)
        for before, after in itertools.pairwise(ordered):
            if after.left - before.right >= min_gap:
                middles.add(round((before.right + after.left) / 2))
    return middles


def _prose_on_both_sides(rows: list[list[TextBox]], x: float) -> bool:
    left = [_text(box for box in row if box.right <= x) for row in rows]
    right = [_text(box for box in row if box.left >= x) for row in rows]
    return _is_prose([text for text in left if text]) and _is_prose([t for t in right if t])


def _is_prose(texts: list[str]) -> bool:
    return (
        len(texts) >= _MIN_SIDE_LINES
        and statistics.median(len(text) for text in texts) >= _MIN_PROSE_CHARS
    )


def _text(boxes: Iterable[TextBox]) -> str:
    return " ".join(box.text for box in boxes)
