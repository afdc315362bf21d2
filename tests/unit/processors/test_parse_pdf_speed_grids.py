"""Reading a ruled table's cells: cells that cannot change the verdict are not read.

Each cell costs a PDFium call that walks every character of the page. A lattice whose text holds
right-to-left script is refused whatever its cells hold, and so is one with a box spanning most
columns that holds several lines: these are found before the other cells are read. The verdict
stays the one a reading of every cell gives.
"""

from __future__ import annotations

from reams.processors.parse.pdf.grids import Lattice, Rect, grid_of
from reams.processors.parse.pdf.rules import Rule

XS = (0.0, 100.0, 200.0, 300.0, 400.0)  # four columns
YS = (400.0, 300.0, 200.0, 100.0)  # three rows, top down


def _lattice(*, open_last_row: bool = False) -> Lattice:
    """Rules around every cell; with ``open_last_row`` the last row has no inner borders, so
    it is one box across the four columns (read last in reading order)."""
    horizontal = tuple(Rule(y, XS[0], XS[-1]) for y in YS)
    vertical = tuple(
        Rule(x, YS[-2] if open_last_row and 0 < i < len(XS) - 1 else YS[-1], YS[0])
        for i, x in enumerate(XS)
    )
    return Lattice(XS, YS, horizontal, vertical)


class _Page:
    """Cell texts by rectangle; counts the reads."""

    def __init__(self, cells: dict[Rect, str], whole: str) -> None:
        self.cells = cells
        self.whole = whole
        self.reads: list[Rect] = []

    def __call__(self, rect: Rect) -> str:
        self.reads.append(rect)
        if rect == (XS[0], XS[-1], YS[0], YS[-1]):
            return self.whole
        return self.cells.get(rect, "")


def _cell(row: int, col: int) -> Rect:
    return (XS[col], XS[col + 1], YS[row], YS[row + 1])


def _table(last_row: dict[Rect, str] | None = None) -> dict[Rect, str]:
    cells = {_cell(r, c): f"r{r}c{c}" for r in range(3) for c in range(4)}
    if last_row is not None:
        for c in range(4):
            del cells[_cell(2, c)]
        cells.update(last_row)
    return cells


def test_a_plain_table_reads_every_cell() -> None:
    page = _Page(_table(), whole=" ".join(_table().values()))
    grid = grid_of(_lattice(), page)
    assert grid is not None
    assert grid.rows[1] == ("r1c0", "r1c1", "r1c2", "r1c3")
    assert len(page.reads) == 1 + 12  # the whole, then each cell once


def test_right_to_left_text_refuses_the_lattice_before_its_cells_are_read() -> None:
    cells = _table()
    cells[_cell(2, 1)] = "שלום"
    page = _Page(cells, whole=" ".join(cells.values()))
    assert grid_of(_lattice(), page) is None
    assert len(page.reads) == 1  # the whole only


def test_a_byte_order_mark_is_no_right_to_left_text() -> None:
    cells = _table()
    page = _Page(cells, whole="\ufeff" + " ".join(cells.values()))
    assert grid_of(_lattice(), page) is not None


def test_a_wide_box_of_many_lines_refuses_the_lattice_before_the_cells_above_it() -> None:
    box = (XS[0], XS[-1], YS[2], YS[3])
    cells = _table({box: "first line\nsecond line\nthird line"})
    page = _Page(cells, whole=" ".join(cells.values()))
    assert grid_of(_lattice(open_last_row=True), page) is None
    assert page.reads == [(XS[0], XS[-1], YS[0], YS[-1]), box]


def test_a_wide_box_of_one_line_keeps_the_table() -> None:
    box = (XS[0], XS[-1], YS[2], YS[3])
    cells = _table({box: "A note across the table"})
    page = _Page(cells, whole=" ".join(cells.values()))
    grid = grid_of(_lattice(open_last_row=True), page)
    assert grid is not None
    assert grid.rows[-1][0] == "A note across the table"
    assert len(page.reads) == 1 + 1 + 8  # the whole, the box, the other cells


class _Batched(_Page):
    """A reader that also reads a list of rectangles in one call (as the native one does)."""

    def __init__(self, cells: dict[Rect, str], whole: str) -> None:
        super().__init__(cells, whole)
        self.batches: list[list[Rect]] = []

    def many(self, rects: list[Rect]) -> list[str]:
        self.batches.append(list(rects))
        return [self.cells.get(rect, "") for rect in rects]


def test_a_batch_reader_reads_the_wide_boxes_then_the_others_in_two_calls() -> None:
    box = (XS[0], XS[-1], YS[2], YS[3])
    cells = _table({box: "A note across the table"})
    page = _Batched(cells, whole=" ".join(cells.values()))
    grid = grid_of(_lattice(open_last_row=True), page)
    assert grid is not None
    assert grid.rows[-1][0] == "A note across the table"
    assert grid.rows[0] == ("r0c0", "r0c1", "r0c2", "r0c3")
    assert [len(batch) for batch in page.batches] == [1, 8]
    assert page.reads == [(XS[0], XS[-1], YS[0], YS[-1])]  # the whole only, one by one


def test_a_batch_reader_is_refused_by_its_wide_box_before_the_others_are_read() -> None:
    box = (XS[0], XS[-1], YS[2], YS[3])
    cells = _table({box: "first line\nsecond line\nthird line"})
    page = _Batched(cells, whole=" ".join(cells.values()))
    assert grid_of(_lattice(open_last_row=True), page) is None
    assert page.batches == [[box]]
