"""HTML tables laid out as a grid: ``rowspan`` and ``colspan`` cells repeat into every slot they
cover, so each Markdown row can be read on its own (the convention docling and pandas follow).
A cell spanning the whole width of the table is the exception: it is a title or a section label
(or e-mail layout), and repeating it in every column would only add noise. Columns that are empty
in every row (spacers of a layout table) are dropped.

A row that holds nothing but the start of cells spanning down into the next rows (a pivot-table
group label on a line of its own) is dropped: the next row repeats its content anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Node = Any  # an lxml element
CellText = tuple[str, str]  # (markdown, plain text) of one cell
CellRenderer = Callable[[Node], CellText]

_MAX_COLSPAN = 50
_MAX_ROWSPAN = 1000
_CELLS = ("td", "th")


@dataclass
class _Carry:
    """A cell still spanning down: its content and how many more rows it covers."""

    content: CellText
    rows_left: int


@dataclass
class _Row:
    cells: list[CellText] = field(default_factory=list)
    own: bool = False  # holds a non-empty cell that starts here and spans only this row
    spans_only: bool = False  # holds only non-empty cells that start here and span further down


@dataclass
class Grid:
    """The cells of a table, row by row, as Markdown and as plain text."""

    markdown: list[list[str]]
    text: list[list[str]]

    @property
    def width(self) -> int:
        return max((len(row) for row in self.markdown), default=0)


def table_rows(table: Node) -> list[Node]:
    """The ``<tr>`` elements of this table, not those of tables nested in its cells."""
    return list(table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"))


def build_grid(rows: list[Node], render: CellRenderer) -> Grid:
    carried: dict[int, _Carry] = {}
    width = max(
        (sum(_span(cell, "colspan", _MAX_COLSPAN) for cell in _cells(row)) for row in rows),
        default=0,
    )
    built = [_build_row(row, render, carried, width) for row in rows]
    kept = [
        row
        for index, row in enumerate(built)
        if not (row.spans_only and index + 1 < len(built) and built[index + 1].own)
    ]
    used = _used_columns(kept)
    return Grid(
        markdown=[[cell[0] for i, cell in enumerate(row.cells) if i in used] for row in kept],
        text=[[cell[1] for i, cell in enumerate(row.cells) if i in used] for row in kept],
    )


def _used_columns(rows: list[_Row]) -> set[int]:
    # A column empty in every row is a spacer of the page layout, not data.
    return {i for row in rows for i, cell in enumerate(row.cells) if cell[0] or cell[1]}


def _build_row(row: Node, render: CellRenderer, carried: dict[int, _Carry], width: int) -> _Row:
    built = _Row()
    starts: list[bool] = []  # per non-empty cell started here: whether it spans further down
    column = 0
    for cell in _cells(row):
        column = _fill_carried(built, carried, column)
        content = render(cell)
        colspan = _span(cell, "colspan", _MAX_COLSPAN)
        rowspan = _span(cell, "rowspan", _MAX_ROWSPAN)
        # A cell across the whole table is a title or a section label: written once, not per column.
        whole = 1 < width <= colspan
        for offset in range(colspan):
            slot = ("", "") if whole and offset else content
            built.cells.append(slot)
            if rowspan > 1:
                carried[column + offset] = _Carry(slot, rowspan - 1)
        column += colspan
        if content[0] or content[1]:
            starts.append(rowspan > 1)
    _fill_carried(built, carried, column, to_end=True)
    built.own = not all(starts)
    built.spans_only = bool(starts) and all(starts)
    return built


def _cells(row: Node) -> list[Node]:
    return [cell for cell in row if isinstance(cell.tag, str) and cell.tag in _CELLS]


def _fill_carried(
    built: _Row, carried: dict[int, _Carry], column: int, *, to_end: bool = False
) -> int:
    """Place cells spanning down from earlier rows at ``column`` onwards; return the next column."""
    last = max(carried, default=-1) if to_end else column - 1
    while column in carried or column <= last:
        carry = carried.get(column)
        built.cells.append(carry.content if carry is not None else ("", ""))
        if carry is not None:
            carry.rows_left -= 1
            if carry.rows_left == 0:
                del carried[column]
        column += 1
    return column


def _span(cell: Node, name: str, limit: int) -> int:
    value = (cell.get(name) or "").strip()
    # rowspan="0" means "to the end of the group" in HTML; one row is the safe reading.
    return min(max(int(value), 1), limit) if value.isdigit() else 1
