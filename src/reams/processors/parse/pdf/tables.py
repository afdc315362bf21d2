"""Finding tables on a PDF page from the alignment of its text, and reading their cells.

Lines are grouped into rows by baseline. A run of nearby rows in which several rows have pieces
separated by wide gaps is a table candidate; its columns are the x ranges between *gutters*, the
vertical strips that no piece of those rows touches. A candidate is kept when it has at least two
columns and two multi-piece rows, and when it is not something else that aligns the same way:
running text set in columns (long cells in every column) or a list (markers in the first column).
A block of prose filling the first or the last column on lines of its own, out of step with the
other columns' rows (a caption or a sidebar beside the table), is given back as text.
A run of running text is cut at its widest row gap, as a table may be set above or under it;
in a part of it the spaces of justified lines fall in line by chance, so a table found there
needs a column of numbers.
Horizontal ruling lines, when the page has them, join the lines of a multi-line row into one row:
lines between two rules are one row unless several of them fill the row on their own.

A table drawn with borders around its cells (a lattice of rules, ``grids``) needs none of this:
its cells are the boxes between the rules, and the lines inside it are its text. Such tables are
taken first; the alignment of the remaining lines finds the others. A table of contents (titles
tied to page numbers by dot leaders) is a two-column table of titles and pages.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, TypeVar

from reams.processors.parse.pdf import native
from reams.processors.parse.pdf.grids import Grid
from reams.processors.parse.pdf.lines import BULLET, NUMBERED, Line, Piece
from reams.processors.parse.pdf.rules import PageRules

_ROW_TOLERANCE = 0.4  # font sizes between baselines of the same row
_ROW_GAP = 2.6  # font sizes between baselines of neighbouring rows of one table
_MIN_GUTTER = 2.0  # points
_PROSE_WORDS = 6.0  # mean words per cell of a column of running text
_MIN_ROWS = 2  # rows with two or more pieces
_MAX_SPLITS = 4
_WIDER_GAP = 1.2  # times the median row gap: where a run that is no table is cut in two
_RULE_SPAN = 0.5  # of the table's width that a rule must run across to delimit rows
_FULL_ROW = 0.8  # of the columns: a line filling this many is a row on its own
_WRAPPED = 0.85  # of the row pitch: a line set this much closer continues the row above
_NUMBERS = re.compile(r"^[-+−(]?[$€£]?\d[\d.,]*%?\)?(?:\s+[-+−(]?[$€£]?\d[\d.,]*%?\)?)+$")
_GROUP = re.compile(r"^\d{3}$")
_WORD = re.compile(r"[^\W_]")
_HELD = 0.8  # of a grid's characters: lines holding less are a part of it cut off by the order
_SAME_COLUMN = 3.0  # font sizes: a narrower gutter may part a header from the numbers under it
_NUMBER = re.compile(r"^[-+−(]?[$€£]?\d[\d.,]*%?\)?$|^[-–—]$")
_NUMERAL = re.compile(r"\d|(?<!\S)[-–—](?!\S)")  # what a cell that _NUMBER matches holds
_CONTENTS = 3  # consecutive table-of-contents lines (dot leaders, page number) that make a table
_ENTRY = re.compile(r"^(.*?)[\s.]*(?:\.\s?){3,}\s*(\S+)$")
_BLOCK_WORDS = 3.0  # mean words per line of prose set beside a table (captions, sidebars)
_LEADING = 1.7  # font sizes between the baselines of the lines of one block of prose
_IN_STEP = 0.1  # font sizes: baselines this close are on one line

_PIECE_LEFT = attrgetter("left")

Rules = Callable[[], PageRules]
"""Gives the page's ruling lines; called only when a table candidate needs them."""

_T = TypeVar("_T")


class _kept(Generic[_T]):
    """``functools.cached_property`` without its lock (Python 3.11 takes an RLock on each first
    read; rows are read by one thread, thousands of them a page): the value is worked out on
    the first read and kept in the instance's ``__dict__``, which later reads find first."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        value = instance.__dict__[self._name] = self._compute(instance)
        return value


@dataclass
class Row:
    """Lines that share a baseline, with their pieces sorted left to right.

    A row is complete once made (``_rows``): what is worked out from its pieces is kept, as
    the search for tables looks at the same rows again in each part of a run it tries.
    """

    lines: list[int]
    pieces: list[Piece]
    baseline: float
    size: float

    @property
    def left(self) -> float:
        return self.pieces[0].left

    @_kept
    def right(self) -> float:
        return max(piece.right for piece in self.pieces)

    @_kept
    def numbers_apart(self) -> Row:
        """:func:`_numbers_apart` of the row."""
        return _numbers_apart(self)


@dataclass
class Table:
    """A table found on the page: its cells row by row and where it sits."""

    rows: list[list[str]]
    lines: list[int]
    """Indices of the page lines the table consumed."""
    left: float
    right: float
    top: float
    bottom: float
    columns: list[tuple[float, float]] = field(default_factory=list)
    ruled: bool = False
    """Read from a grid of rules: its cells hold all the text inside it, turned text included."""


def find_tables(lines: list[Line], *, rules: Rules | None = None) -> list[Table]:
    """The tables among ``lines`` (in page order); every line belongs to at most one table.

    The page's rules are read only once the alignment has found a table candidate (reading
    them walks the page's drawing); the grids among them then take their lines first.
    """
    tables = _contents(lines) if any(line.leader for line in lines) else []
    taken = {index for table in tables for index in table.lines}
    aligned = _aligned(lines, taken, rules)
    if aligned and rules is not None:
        drawn: set[int] = set()
        ruled = _ruled(lines, rules(), drawn)
        if ruled or drawn:
            tables += ruled
            taken |= drawn.union(index for table in ruled for index in table.lines)
            aligned = _aligned(lines, taken, rules)
    tables += aligned
    return sorted(tables, key=lambda table: table.lines[0])


def _aligned(lines: list[Line], taken: set[int], rules: Rules | None) -> list[Table]:
    """The tables found by the alignment of the lines not ``taken``."""
    rest = [index for index in range(len(lines)) if index not in taken]
    others = [lines[index] for index in rest]
    groups = _row_groups(others)
    # A row has several pieces when it has several lines, or one line cut into pieces.
    if sum(1 for g in groups if len(g) > 1 or len(others[g[0]].pieces) > 1) < _MIN_ROWS:
        return []  # the common case: running text, one piece per baseline; no row is made
    rows = _rows(others, groups)
    tables: list[Table] = []
    for run in _runs(rows):
        for table in _tables_in(run, others, rules, depth=0):
            table.lines = [rest[index] for index in table.lines]
            tables.append(table)
    return tables


def _contents(lines: list[Line]) -> list[Table]:
    """Runs of table-of-contents entries (a title, dot leaders, a page number): two columns.

    The leaders are the rules of this table: they tie each title to its page number.
    """
    tables: list[Table] = []
    run: list[int] = []
    for index, line in enumerate([*lines, None]):
        if line is not None and line.leader:
            run.append(index)
            continue
        if len(run) >= _CONTENTS:
            rows = [_entry(lines[i].text) for i in run]
            tables.append(
                Table(
                    rows,
                    run,
                    min(lines[i].left for i in run),
                    max(lines[i].right for i in run),
                    max(lines[i].top for i in run),
                    min(lines[i].bottom for i in run),
                )
            )
        run = []
    return tables


def _entry(text: str) -> list[str]:
    match = _ENTRY.match(text)
    return [match[1].strip(), match[2]] if match else [text, ""]


def _ruled(lines: list[Line], rules: PageRules, drawn: set[int]) -> list[Table]:
    """The tables drawn with borders that hold some of ``lines``.

    The lines inside a grid are its text. When the page's reading order cut a grid apart, the
    first part read stands for the whole table; the other parts only give up their lines. The
    lines inside a drawing (a grid without rows) are added to ``drawn``: they stay text.
    """
    tables: list[Table] = []
    for number, grid in enumerate(rules.grids):
        inside = [i for i, line in enumerate(lines) if grid.holds(*_middle(line))]
        if not grid.rows:
            drawn.update(inside)
            continue
        if not inside or _share(grid, [lines[i] for i in inside]) < _HELD:
            continue  # the page's reading order cut the grid apart: its parts stay as they are
        rows = [] if number in rules.placed else [list(row) for row in grid.rows]
        rules.placed.add(number)
        tables.append(Table(rows, inside, grid.left, grid.right, grid.top, grid.bottom, ruled=True))
    return tables


def _share(grid: Grid, lines: list[Line]) -> float:
    """The share of the grid's characters that ``lines`` hold."""
    cells = sum(len(cell) - cell.count(" ") for row in grid.rows for cell in row)
    held = sum(len(line.text) - line.text.count(" ") for line in lines)
    return held / cells if cells else 0.0


def _middle(line: Line) -> tuple[float, float]:
    return (line.left + line.right) / 2, (line.top + line.bottom) / 2


def _tables_in(
    run: list[Row], lines: list[Line], rules: Rules | None, *, depth: int, prose: bool = False
) -> list[Table]:
    """The tables in a run of rows; a run that is no table is cut at its widest row gap.

    A part whose columns hold running text (``prose``) is cut too, as a table may be set above
    or under the prose; but by chance the spaces of justified lines fall in line over a few of
    its rows, so a table found in a part of prose is kept only when a column of it holds
    numbers. A part of prose without a digit or a dash cannot hold one: it is not cut.
    """
    tables: list[Table] = []
    for part in _parts(run):
        table = _table(part, lines, rules)
        if isinstance(table, Table):
            if not prose or _numeric_column(table.rows):
                tables.append(table)
            continue
        in_prose = prose or table is _PROSE
        if depth < _MAX_SPLITS and not (in_prose and not _has_numerals(part)):
            for half in _halves(part):
                tables.extend(_tables_in(half, lines, rules, depth=depth + 1, prose=in_prose))
    return tables


def _has_numerals(rows: list[Row]) -> bool:
    """Whether a piece of ``rows`` holds a digit or a dash standing alone (what a cell that
    :data:`_NUMBER` matches is made of)."""
    return any(_NUMERAL.search(piece.text) for row in rows for piece in row.pieces)


def _numeric_column(grid: list[list[str]]) -> bool:
    """Whether a column of ``grid`` holds numbers in most of its filled cells."""
    return any(_numeric([cell for cell in column if cell]) for column in zip(*grid, strict=True))


def _numeric(cells: list[str]) -> bool:
    """Whether ``cells`` (filled) are numbers: at least two, and most of them."""
    numbers = [cell for cell in cells if _NUMBER.match(re.sub(r"(?<=[$€£])\s+", "", cell))]
    return len(numbers) >= _MIN_ROWS and len(numbers) >= 0.8 * len(cells)


def _halves(rows: list[Row]) -> list[list[Row]]:
    """Two tables stacked closely, or a table under a block of form fields, part at a wider gap."""
    gaps = [upper.baseline - lower.baseline for upper, lower in itertools.pairwise(rows)]
    if len(gaps) < 3:
        return []
    widest = max(range(len(gaps)), key=lambda i: gaps[i])
    if gaps[widest] < _WIDER_GAP * sorted(gaps)[len(gaps) // 2]:
        return []
    return [rows[: widest + 1], rows[widest + 1 :]]


def _row_groups(lines: list[Line]) -> list[list[int]]:
    """The indices of ``lines`` by row, rows top down: a line joins the row above when its
    baseline is within ``_ROW_TOLERANCE`` of its own size under the row's first line's."""
    order = sorted(range(len(lines)), key=lambda i: -lines[i].baseline)
    groups: list[list[int]] = []
    baseline = 0.0
    for index in order:
        line = lines[index]
        if groups and baseline - line.baseline <= _ROW_TOLERANCE * line.size:
            groups[-1].append(index)
        else:
            groups.append([index])
            baseline = line.baseline
    return groups


def _rows(lines: list[Line], groups: list[list[int]]) -> list[Row]:
    """The rows of ``lines`` grouped as :func:`_row_groups` gives them, pieces left to right."""
    rows: list[Row] = []
    for group in groups:
        first = lines[group[0]]
        if len(group) == 1:
            pieces = list(first.parts())
            size = first.size
        else:
            pieces = [piece for index in group for piece in lines[index].parts()]
            size = max(lines[index].size for index in group)
        if len(pieces) > 1:
            pieces.sort(key=_PIECE_LEFT)
        rows.append(Row(group, pieces, first.baseline, size))
    return rows


def _runs(rows: list[Row]) -> list[list[Row]]:
    """Split the page's rows into runs of vertically close rows holding two multi-piece rows."""
    runs: list[list[Row]] = []
    current: list[Row] = []
    for row in rows:
        if current and current[-1].baseline - row.baseline > _ROW_GAP * max(row.size, 1.0):
            runs.append(current)
            current = []
        current.append(row)
    runs.append(current)
    return [run for run in runs if sum(1 for row in run if len(row.pieces) > 1) >= _MIN_ROWS]


def _parts(run: list[Row]) -> list[list[Row]]:
    """Cut a run at rows that cross its gutters (text between tables) and trim its ends."""
    gutters = _gutters(run)
    lefts = [g_left for g_left, _ in gutters]
    wide = 0.6 * (max(row.right for row in run) - min(row.left for row in run))
    parts: list[list[Row]] = []
    current: list[Row] = []
    for row in run:
        if _crosses(row, gutters, lefts) and (len(row.pieces) > 1 or row.right - row.left >= wide):
            parts.append(current)
            current = []
        else:
            current.append(row)
    parts.append(current)
    return [_trimmed(part) for part in parts if _multi_rows(part) >= _MIN_ROWS]


def _trimmed(part: list[Row]) -> list[Row]:
    gutters = _gutters(part)
    lefts = [g_left for g_left, _ in gutters]
    start, end = 0, len(part)
    while start < end and len(part[start].pieces) == 1 and _crosses(part[start], gutters, lefts):
        start += 1
    while (
        end > start and len(part[end - 1].pieces) == 1 and _crosses(part[end - 1], gutters, lefts)
    ):
        end -= 1
    return part[start:end]


def _multi_rows(rows: list[Row]) -> int:
    return sum(1 for row in rows if len(row.pieces) > 1)


def _gutters(rows: list[Row]) -> list[tuple[float, float]]:
    """The empty vertical strips between the pieces of the multi-piece rows, left to right.

    In C when the native module is built (the same strips: the search for tables asks for the
    gutters of every part of a run it tries, some 2,000 times a speed-set pass); the loop below
    answers without it, and for pieces whose edges are not plain floats.
    """
    module = native.chars_module
    if module is not None:
        found: list[tuple[float, float]] | None = module.gutters(rows, _MIN_GUTTER)
        if found is not None:
            return found
    spans = [(p.left, p.right) for row in rows if len(row.pieces) > 1 for p in row.pieces]
    if not spans:
        return []
    spans.sort()
    gutters: list[tuple[float, float]] = []
    reach = spans[0][1]
    for left, right in spans:
        if left - reach >= _MIN_GUTTER:
            gutters.append((reach, left))
        if right > reach:
            reach = right
    return gutters


def _crosses(row: Row, gutters: list[tuple[float, float]], lefts: list[float]) -> bool:
    """Whether a piece of ``row`` runs across one of ``gutters`` (left to right, apart, with
    ``lefts`` their left edges) from side to side.

    Of the gutters starting right of a piece's left edge, the first one ends soonest: the
    piece crosses one of them if it crosses that one.
    """
    count = len(gutters)
    for piece in row.pieces:
        at = bisect.bisect_right(lefts, piece.left)
        if at < count and piece.right > gutters[at][1]:
            return True
    return False


class _Prose:
    """What :func:`_table` gives for rows whose columns hold running text."""


_PROSE = _Prose()


def _table(rows: list[Row], lines: list[Line], rules: Rules | None) -> Table | _Prose | None:
    rows = [row.numbers_apart for row in rows]
    gutters = _gutters(rows)
    fitted = False
    if len(rows) > _MIN_ROWS and len(body := _gutters(rows[1:])) > len(gutters):
        # A header whose words run together over tightly set columns: the body's columns hold.
        numeric = _numeric_columns(rows[1:], body)
        gutters, rows, fitted = body, [_fitted(rows[0], body, numeric), *rows[1:]], True
    if not gutters:
        return None
    left = min(row.left for row in rows)
    right = max(row.right for row in rows)
    size = statistics.median(row.size for row in rows)
    while True:
        edges = [left, *(sum(g) / 2 for g in gutters), right]
        columns = list(itertools.pairwise(edges))
        # A fitted header's cells go where their middle is: a header reaches into the
        # gutter beside its column.
        grid = [_cells(row, columns, by_middle=fitted and n == 0) for n, row in enumerate(rows)]
        if (header := _header_over_numbers(grid, gutters, size)) is None:
            break
        del gutters[header]
    if beside := _set_beside(rows, columns, lines):
        # Prose beside the table (a caption, a sidebar) stays text; the rest is searched again.
        rest = [row for row in (_without(row, beside, lines) for row in rows) if row is not None]
        return _table(rest, lines, rules) if _multi_rows(rest) >= _MIN_ROWS else None
    if _is_prose(grid):
        return _PROSE
    if _worded(grid) < 2 or _is_list(grid) or _is_numbered_lines(grid):
        return None
    crossing = _crossing_rules(rules(), left, right) if rules is not None else []
    grid = _merge_ruled(rows, grid, crossing) if crossing else _continued(rows, grid)
    if len(grid) < _MIN_ROWS:
        return None  # one row of cells is a line with gaps, not a table
    consumed = sorted(index for row in rows for index in row.lines)
    top = max(lines[i].top for i in consumed)
    bottom = min(lines[i].bottom for i in consumed)
    return Table(grid, consumed, left, right, top, bottom, columns)


def _set_beside(rows: list[Row], columns: list[tuple[float, float]], lines: list[Line]) -> set[int]:
    """The lines of a block of prose that fills the first or the last column on its own: set
    on lines of its own, at one leading, sentences rather than labels, and out of step with the
    rows of the other columns (most of the rows beside it share no baseline with its lines).

    A column of the table's own, wrapped or not, starts a cell on each of the table's rows;
    prose beside a table follows its own leading and meets the table's rows only by chance.
    """
    starts: list[tuple[int, float, float]] = []  # each line: its first and last piece's left
    for index in (index for row in rows for index in row.lines):
        line = lines[index]
        if line.pieces:
            lefts = [piece.left for piece in line.pieces]
            starts.append((index, min(lefts), max(lefts)))
        else:
            starts.append((index, line.left, line.left))
    for edge, first in ((columns[0][1], True), (columns[-1][0], False)):
        # A line reaching from the column into the others puts the column on the table's rows.
        if any(low < edge <= high for _, low, high in starts):
            continue
        block = {index for index, low, _ in starts if (low < edge) == first}
        if _out_of_step(block, rows, lines):
            return block
    return set()


def _out_of_step(block: set[int], rows: list[Row], lines: list[Line]) -> bool:
    """Whether the lines of ``block`` are prose set apart from the table's other rows."""
    if len(block) < _MIN_ROWS:
        return False
    ordered = sorted((lines[index] for index in block), key=lambda line: -line.baseline)
    size = max(line.size for line in ordered)
    if sum(len(line.text.split()) for line in ordered) < _BLOCK_WORDS * len(ordered):
        return False  # labels, numbers: cells of the table's column
    gaps = [upper.baseline - lower.baseline for upper, lower in itertools.pairwise(ordered)]
    if max(gaps) > _LEADING * size:
        return False  # lines apart, on rows of the table: not one block of prose
    top, bottom = ordered[0].baseline, ordered[-1].baseline - max(gaps)
    baselines = [line.baseline for line in ordered]
    near: list[bool] = []  # for the rows beside the block: set on one of its lines?
    for row in rows:
        others = [lines[index].baseline for index in row.lines if index not in block]
        if others and bottom <= max(others) <= top + _IN_STEP * size:
            near.append(any(abs(a - b) <= _IN_STEP * size for a in others for b in baselines))
    return len(near) >= _MIN_ROWS and 2 * sum(near) <= len(near)


def _without(row: Row, block: set[int], lines: list[Line]) -> Row | None:
    """``row`` without the lines of ``block``; None when nothing is left."""
    kept = [index for index in row.lines if index not in block]
    if not kept:
        return None
    pieces = sorted(
        (piece for index in kept for piece in lines[index].parts()), key=lambda p: p.left
    )
    baseline = max(lines[index].baseline for index in kept)
    return Row(kept, pieces, baseline, max(lines[index].size for index in kept))


def _numbers_apart(row: Row) -> Row:
    """The row with each piece made only of numbers cut into one piece per number.

    Numbers of neighbouring columns set close together arrive as one piece ("4,151,000 25.0");
    each number's place is estimated from its characters' share of the piece's width. Groups of
    three digits after a first number are one number written with spaces ("4 151 000").
    """
    if not any(" " in piece.text and _NUMBERS.match(piece.text) for piece in row.pieces):
        return row
    pieces: list[Piece] = []
    for piece in row.pieces:
        words = piece.text.split()
        if (
            len(words) < 2
            or not _NUMBERS.match(piece.text)
            or all(_GROUP.match(w) for w in words[1:])
        ):
            pieces.append(piece)
            continue
        advance = (piece.right - piece.left) / max(len(piece.text), 1)
        for match in re.finditer(r"\S+", piece.text):
            left = piece.left + match.start() * advance
            pieces.append(Piece(match.group(), left, piece.left + match.end() * advance))
    return Row(row.lines, pieces, row.baseline, row.size)


def _fitted(row: Row, gutters: list[tuple[float, float]], numeric: list[bool]) -> Row:
    """The row with its pieces cut once in each gutter they cross from side to side, at a
    space that falls (by estimate) in it. Words set in the gutter go with the column they
    belong to: a header over numbers set flush right reaches left into the gutter, so there
    the first space is cut; elsewhere a header runs on to the right, so the last one is.
    ``numeric[i]``: whether the column right of gutter ``i`` holds numbers.
    """
    pieces: list[Piece] = []
    for piece in row.pieces:
        advance = (piece.right - piece.left) / max(len(piece.text), 1)
        spaces = [
            (match, piece.left + (match.start() + match.end()) / 2 * advance)
            for match in re.finditer(r" +", piece.text)
        ]
        cuts: list[tuple[re.Match[str], float]] = []
        for (g_left, g_right), right_numeric in zip(gutters, numeric, strict=True):
            if not piece.left < g_left < g_right < piece.right:
                continue  # a piece that only reaches into the gutter stays whole
            inside = [(m, x) for m, x in spaces if g_left - advance <= x <= g_right + advance]
            if inside:
                cuts.append(inside[0] if right_numeric else inside[-1])
        start = 0
        for match, x in sorted(cuts, key=lambda cut: cut[0].start()):
            if match.start() < start:
                continue
            pieces.append(Piece(piece.text[start : match.start()], piece.left + start * advance, x))
            start = match.end()
        pieces.append(Piece(piece.text[start:], piece.left + start * advance, piece.right))
    return Row(row.lines, pieces, row.baseline, row.size)


def _numeric_columns(rows: list[Row], gutters: list[tuple[float, float]]) -> list[bool]:
    """For each gutter, whether the column right of it holds numbers (amounts, counts,
    percentages, with or without a currency sign) in most of the rows that fill it."""
    left = min(row.left for row in rows)
    right = max(row.right for row in rows)
    edges = [left, *(sum(g) / 2 for g in gutters), right]
    grid = [_cells(row, list(itertools.pairwise(edges))) for row in rows]
    numeric: list[bool] = []
    for column in range(1, len(edges) - 1):
        numeric.append(_numeric([cells[column] for cells in grid if cells[column]]))
    return numeric


def _header_over_numbers(
    grid: list[list[str]], gutters: list[tuple[float, float]], size: float
) -> int | None:
    """The first narrow gutter between a header set flush left and the numbers under it set
    flush right: two columns that never share a row, one holding only the header, the other
    only numbers. They are one column."""
    for index, (g_left, g_right) in enumerate(gutters):
        if g_right - g_left >= _SAME_COLUMN * size:
            continue
        first, second = ([cells[c] for cells in grid] for c in (index, index + 1))
        for head, body in ((first, second), (second, first)):
            numbers = [cell for cell in body[1:] if cell]
            if (
                head[0]
                and not body[0]
                and not any(head[1:])
                and len(numbers) >= _MIN_ROWS
                and all(_NUMBER.match(cell) for cell in numbers)
            ):
                return index
    return None


def _continued(rows: list[Row], grid: list[list[str]]) -> list[list[str]]:
    """Join the wrapped lines of a row without rules: lines set closer than rows are.

    A line with nothing in the first column, set tighter than the table's rows follow each
    other, and with text only under cells of the row above, continues that row.
    """
    gaps = [upper.baseline - lower.baseline for upper, lower in itertools.pairwise(rows)]
    starts = [gap for gap, cells in zip(gaps, grid[1:], strict=True) if cells[0]]
    if not starts:
        return grid
    pitch = statistics.median(starts)
    merged: list[list[str]] = [list(grid[0])]
    for gap, cells in zip(gaps, grid[1:], strict=True):
        above = merged[-1]
        under = all(above[c] for c, cell in enumerate(cells) if cell)
        if not cells[0] and gap < _WRAPPED * pitch and under:
            merged[-1] = [
                f"{a} {b}" if a and b else a or b for a, b in zip(above, cells, strict=True)
            ]
        else:
            merged.append(list(cells))
    return merged


def _cells(row: Row, columns: list[tuple[float, float]], *, by_middle: bool = False) -> list[str]:
    module = native.chars_module  # the same cells in C (every row of every part tried)
    if module is not None:
        found: list[str] | None = module.row_cells(row.pieces, columns, by_middle)
        if found is not None:
            return found
    cells = [""] * len(columns)
    rights = [right for _, right in columns]  # ascending, as the columns run left to right
    last = len(columns) - 1
    for piece in row.pieces:
        # A piece that spans columns (a group heading) lands in the first column it covers
        # (the first whose right edge lies right of its left edge); ``by_middle``: in the
        # column that holds its middle.
        at = (piece.left + piece.right) / 2 if by_middle else piece.left
        column = min(bisect.bisect_right(rights, at), last)
        cells[column] = f"{cells[column]} {piece.text}" if cells[column] else piece.text
    return cells


def _worded(grid: list[list[str]]) -> int:
    """How many columns hold a letter or a digit (icons and ornaments beside text hold none)."""
    return sum(1 for column in zip(*grid, strict=True) if any(_WORD.search(c) for c in column))


def _is_prose(grid: list[list[str]]) -> bool:
    """Whether most columns hold running text: text set in columns, not a table."""
    wordy = 0
    for column in zip(*grid, strict=True):
        filled = [cell for cell in column if cell]
        if filled and sum(len(cell.split()) for cell in filled) / len(filled) >= _PROSE_WORDS:
            wordy += 1
    return wordy >= 2 and wordy * 2 >= len(grid[0])


def _is_list(grid: list[list[str]]) -> bool:
    """Whether the first column only holds list markers: a list with hanging indents."""
    first = [row[0] for row in grid if row[0]]
    return bool(first) and all(
        BULLET.match(cell + " ") or NUMBERED.match(cell + " ") for cell in first
    )


def _crossing_rules(rules: PageRules, left: float, right: float) -> list[float]:
    """The y of the horizontal rules that run across most of the table's width."""
    width = right - left
    return [
        rule.position
        for rule in rules.horizontal
        if min(rule.end, right) - max(rule.start, left) >= _RULE_SPAN * width
    ]


def _is_numbered_lines(grid: list[list[str]]) -> bool:
    """Whether this is text with line numbers in the margin (a transcript, a listing)."""
    if len(grid[0]) != 2:
        return False
    numbers = [row[0] for row in grid if row[0]]
    texts = [row[1] for row in grid if row[1]]
    numbered = bool(numbers) and all(number.isdigit() for number in numbers)
    wordy = sum(len(text.split()) for text in texts) >= _PROSE_WORDS * max(len(texts), 1) * 0.5
    return numbered and wordy


def _merge_ruled(rows: list[Row], grid: list[list[str]], rules: Sequence[float]) -> list[list[str]]:
    """Join the lines of each band between two rules into one row, if they make one row.

    A band in which at most one line fills most of the columns holds a row whose cells wrap;
    a band of several full lines (rules only under the header) keeps its lines as rows.
    """
    top = rows[0].baseline + rows[0].size
    bottom = rows[-1].baseline - rows[-1].size
    inside = [y for y in rules if bottom <= y <= top]
    bands: dict[int, list[list[str]]] = {}
    for row, cells in zip(rows, grid, strict=True):
        bands.setdefault(sum(1 for y in inside if y > row.baseline), []).append(cells)
    merged: list[list[str]] = []
    for band in bands.values():
        if sum(1 for cells in band if _is_full(cells)) <= 1:
            merged.append([" ".join(c for c in column if c) for column in zip(*band, strict=True)])
        else:
            merged.extend(band)
    return merged


def _is_full(cells: list[str]) -> bool:
    filled = sum(1 for cell in cells if cell)
    return filled >= max(2, _FULL_ROW * len(cells))
