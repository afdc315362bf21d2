"""Spreadsheet sheets to pages: one page per sheet, its cells split into tables.

Every spreadsheet reader (XLSX, XLS, ODS) turns a sheet into rows of display strings; this module
bounds them, drops empty rows and columns, and splits the cells into the blocks people lay out on a
sheet (a title above a table, two tables side by side): regions separated by a wholly empty row or
column become separate tables, and a region of one cell becomes a paragraph. Values are formatted
the same way whatever the source: ISO dates, numbers without binary float noise.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, heading, paragraph
from reams.processors.parse.model import Metadata, PageContent, StaticSource
from reams.processors.parse.office.common import office_page
from reams.processors.parse.tables import render_table

# A sheet is rendered as one Markdown page: past these, the page would be too big to be useful
# and reading on would only cost memory; the rest of the sheet is dropped with a warning.
MAX_SHEET_ROWS = 10_000
MAX_SHEET_COLUMNS = 256

# Merged ranges past this many cells (a whole merged column, say) are not copied cell by cell.
_MAX_MERGED_CELLS = 10_000
# Splitting a block into connected components pays off for a few tables, not for a scatter.
_MAX_COMPONENTS = 200

Row = tuple[int, list[str]]
Region = tuple[list[int], list[int]]
CellRange = tuple[int, int, int, int]
"""0-based first row, first column, last row, last column (inclusive)."""


@dataclass
class Sheet:
    """The non-empty rows of one sheet, each with its 0-based row number."""

    name: str
    rows: list[Row] = field(default_factory=list)
    truncated_rows: bool = False
    truncated_columns: bool = False


@dataclass
class Workbook:
    """What a spreadsheet reader hands over: the sheets to render and what it skipped."""

    sheets: list[Sheet]
    hidden_skipped: list[str] = field(default_factory=list)
    metadata: Metadata = field(default_factory=dict)


def collect_sheet(name: str, rows: Iterable[Sequence[str]]) -> Sheet:
    """Keep the non-empty rows of ``rows`` (every row of the sheet, in order), up to the caps."""
    sheet = Sheet(name)
    for number, values in enumerate(rows):
        if not add_row(sheet, number, values):
            break
    return sheet


def add_row(sheet: Sheet, number: int, values: Sequence[str]) -> bool:
    """Add row ``number`` if it has a value; False once the sheet is full: stop reading."""
    if not any(values):
        return True
    if len(sheet.rows) == MAX_SHEET_ROWS:
        sheet.truncated_rows = True
        return False
    sheet.truncated_columns |= any(values[MAX_SHEET_COLUMNS:])
    sheet.rows.append((number, list(values[:MAX_SHEET_COLUMNS])))
    return True


def fill_merged(sheet: Sheet, ranges: Iterable[CellRange]) -> None:
    """Repeat each merged range's value in all its cells, as the reader sees it on screen."""
    grid = {number: values for number, values in sheet.rows}
    budget = _MAX_MERGED_CELLS * 10
    for top, left, bottom, right in ranges:
        value = _cell(grid.get(top, []), left)
        area = (bottom - top + 1) * (right - left + 1)
        if not value or area > min(budget, _MAX_MERGED_CELLS) or right >= MAX_SHEET_COLUMNS:
            continue
        budget -= area
        for number in range(top, bottom + 1):
            values = grid.setdefault(number, [])
            values.extend([""] * (right + 1 - len(values)))
            for column in range(left, right + 1):
                values[column] = values[column] or value
    sheet.rows = sorted(grid.items())


def workbook_source(workbook: Workbook, *, as_html: bool, label: str) -> StaticSource:
    """One page per sheet; ``empty_document`` when no sheet has a value."""
    if not any(sheet.rows for sheet in workbook.sheets):
        raise ProcessorError("empty_document", _empty_message(workbook, label))
    pages = [sheet_page(sheet, as_html=as_html) for sheet in workbook.sheets]
    metadata = {**workbook.metadata, "sheets": len(workbook.sheets)}
    return StaticSource(pages, metadata=metadata, warnings=_warnings(workbook))


def _empty_message(workbook: Workbook, label: str) -> str:
    if workbook.hidden_skipped:
        return (
            f"The {label} file has values only in hidden sheets; "
            "set spreadsheet_include_hidden_sheets to parse them."
        )
    return f"The {label} file contains no values."


def _warnings(workbook: Workbook) -> list[str]:
    warnings: list[str] = []
    for sheet in workbook.sheets:
        if sheet.truncated_rows:
            warnings.append(
                f"sheet {sheet.name!r}: only the first {MAX_SHEET_ROWS:,} non-empty rows were kept."
            )
        if sheet.truncated_columns:
            warnings.append(
                f"sheet {sheet.name!r}: only the first {MAX_SHEET_COLUMNS} columns were kept."
            )
    if workbook.hidden_skipped:
        names = ", ".join(repr(name) for name in workbook.hidden_skipped)
        warnings.append(
            f"hidden sheets skipped: {names} "
            "(set spreadsheet_include_hidden_sheets to include them)."
        )
    return warnings


def sheet_page(sheet: Sheet, *, as_html: bool) -> PageContent:
    """The sheet name as a heading, then its regions as tables (one-cell regions as paragraphs)."""
    blocks = [heading(2, " ".join(sheet.name.split()) or "Sheet")]
    grid = {number: values for number, values in sheet.rows}
    for rows, columns in split_regions(sheet.rows):
        block = _region_block(grid, rows, columns, as_html=as_html)
        if block is not None:
            blocks.append(block)
    return office_page(blocks)


def _region_block(
    grid: dict[int, list[str]], rows: list[int], columns: list[int], *, as_html: bool
) -> Block | None:
    cells = [[_cell(grid[row], column) for column in columns] for row in rows]
    if len(cells) == 1 and len(cells[0]) == 1:
        return paragraph(" ".join(cells[0][0].split()))
    return render_table(cells, as_html=as_html)


def _cell(values: list[str], column: int) -> str:
    return values[column] if column < len(values) else ""


def split_regions(rows: list[Row]) -> list[Region]:
    """Split cells into rectangles separated by empty rows or columns (recursive XY cut)."""
    numbers = [number for number, _ in rows]
    grid = {number: values for number, values in rows}
    regions: list[Region] = []
    pending: list[Region] = [(numbers, _used_columns(grid, numbers))]
    while pending:
        region_rows, region_columns = pending.pop()
        parts = _cut(grid, region_rows, region_columns)
        if len(parts) == 1:
            regions.extend(_components(grid, *parts[0]))
        else:
            pending.extend(reversed(parts))
    return regions


def _cut(grid: dict[int, list[str]], rows: list[int], columns: list[int]) -> list[Region]:
    """Cut a region at its empty rows, else at its empty columns; one part when neither."""
    live_rows = [row for row in rows if any(_cell(grid[row], column) for column in columns)]
    row_runs = _runs(live_rows)
    if len(row_runs) > 1:
        return [(run, _used_columns(grid, run, columns)) for run in row_runs]
    live_columns = _used_columns(grid, live_rows, columns)
    column_runs = _runs(live_columns)
    if len(column_runs) > 1:
        return [(_used_rows(grid, live_rows, run), run) for run in column_runs]
    return [(live_rows, live_columns)]


def _components(grid: dict[int, list[str]], rows: list[int], columns: list[int]) -> list[Region]:
    """Split a block that no empty row or column cuts into tables whose extents do not overlap.

    Cells touching side by side belong together; the bounding boxes of such groups are then merged
    while they overlap or abut, so a sparse table stays whole and only blocks that merely touch
    at a corner (a second table placed diagonally below the first) come apart.
    """
    boxes = _merge_boxes(_touching_groups(grid, rows, columns))
    if not 1 < len(boxes) <= _MAX_COMPONENTS:
        return [(rows, columns)]
    regions: list[Region] = []
    for top, left, bottom, right in sorted(boxes):
        box_columns = [column for column in columns if left <= column <= right]
        box_rows = _used_rows(grid, [row for row in rows if top <= row <= bottom], box_columns)
        regions.append((box_rows, _used_columns(grid, box_rows, box_columns)))
    return regions


def _touching_groups(
    grid: dict[int, list[str]], rows: list[int], columns: list[int]
) -> list[CellRange]:
    """Bounding boxes of groups of side-by-side touching cells, from horizontal runs per row."""
    parent: list[int] = []
    spans: list[CellRange] = []
    previous: list[int] = []
    for row in rows:
        current: list[int] = []
        for run in _runs([column for column in columns if _cell(grid[row], column)]):
            index = len(spans)
            spans.append((row, run[0], row, run[-1]))
            parent.append(index)
            current.append(index)
            for above in previous:
                if spans[above][0] == row - 1 and _overlap(spans[above], spans[index]):
                    parent[_root(parent, above)] = _root(parent, index)
        previous = current
        if len(spans) > _MAX_COMPONENTS * 50:
            return []  # a scatter of cells: not worth splitting
    return _group_boxes(parent, spans)


def _root(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


def _overlap(first: CellRange, second: CellRange) -> bool:
    return first[1] <= second[3] and second[1] <= first[3]


def _group_boxes(parent: list[int], spans: list[CellRange]) -> list[CellRange]:
    boxes: dict[int, CellRange] = {}
    for index, span in enumerate(spans):
        root = _root(parent, index)
        boxes[root] = _union(boxes.get(root, span), span)
    return list(boxes.values())


def _merge_boxes(boxes: list[CellRange]) -> list[CellRange]:
    """Merge overlapping boxes until none overlap; each round settles or removes one box."""
    pending, settled = sorted(boxes), list[CellRange]()
    while pending and len(pending) + len(settled) <= _MAX_COMPONENTS:
        box = pending.pop()
        touching = [other for other in pending + settled if _intersects(box, other)]
        if not touching:
            settled.append(box)
            continue
        pending = [other for other in pending if other not in touching]
        settled = [other for other in settled if other not in touching]
        for other in touching:
            box = _union(box, other)
        pending.append(box)
    return settled + pending


def _intersects(first: CellRange, second: CellRange) -> bool:
    """Overlapping, or side by side along a shared stretch of rows or columns."""
    rows_meet = first[0] <= second[2] + 1 and second[0] <= first[2] + 1
    columns_meet = first[1] <= second[3] + 1 and second[1] <= first[3] + 1
    rows_overlap = first[0] <= second[2] and second[0] <= first[2]
    return (rows_meet and _overlap(first, second)) or (rows_overlap and columns_meet)


def _union(first: CellRange, second: CellRange) -> CellRange:
    return (
        min(first[0], second[0]), min(first[1], second[1]),
        max(first[2], second[2]), max(first[3], second[3]),
    )  # fmt: skip


def _runs(live: list[int]) -> list[list[int]]:
    """Group ascending row or column numbers into runs broken wherever a number is skipped."""
    runs: list[list[int]] = []
    for value in live:
        if not runs or value != runs[-1][-1] + 1:
            runs.append([])
        runs[-1].append(value)
    return runs


def _used_columns(
    grid: dict[int, list[str]], rows: list[int], within: list[int] | None = None
) -> list[int]:
    if within is None:
        width = max((len(grid[row]) for row in rows), default=0)
        within = list(range(width))
    return [column for column in within if any(_cell(grid[row], column) for row in rows)]


def _used_rows(grid: dict[int, list[str]], rows: list[int], columns: list[int]) -> list[int]:
    return [row for row in rows if any(_cell(grid[row], column) for column in columns)]


def format_number(value: float) -> str:
    """A number as a person would type it: no ``.0`` on integers, no binary float noise."""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def format_temporal(value: dt.date | dt.time | dt.timedelta) -> str:
    """ISO 8601: a date alone when a date-time has no time of day."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        return str(value)
    return value.isoformat()


def format_bool(value: bool) -> str:
    return "TRUE" if value else "FALSE"
