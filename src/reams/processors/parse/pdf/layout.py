"""Laying out a PDF page: reading order, tables, pictures, then paragraphs, headings and lists.

The page's lines (and its pictures) are first cut into regions in reading order (``order``):
columns, and the elements that cross them. In each region, tables are found (``tables``) and
stand in the flow as one element each, pictures stand where they sit on the page, and the other
lines become paragraphs, headings and list items (``paragraphs``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from reams.processors.parse.blocks import Block
from reams.processors.parse.items import IMAGE_MARK
from reams.processors.parse.model import LineBox, PageContent
from reams.processors.parse.pdf.images import Picture
from reams.processors.parse.pdf.lines import BULLET, NUMBERED, Line, Piece
from reams.processors.parse.pdf.order import Box, reading_order, stacked
from reams.processors.parse.pdf.paragraphs import (
    PageStyle,
    column_style,
    page_style,
    paragraphs,
    tighten_lists,
)
from reams.processors.parse.pdf.tables import Rules, Table, find_tables
from reams.processors.parse.tables import render_table

Element = Line | Table | Picture
_TAGGED_SHARE = 0.6  # of a page's text the structure tree must cover to give the order
_Payload = tuple[int, Piece | Picture]


def layout_page(
    lines: list[Line],
    *,
    width: float,
    height: float,
    tables_as_html: bool = False,
    rules: Rules | None = None,
    pictures: Sequence[Picture] = (),
    structure: Mapping[int, int] | None = None,
) -> PageContent:
    """Render a page's lines as Markdown blocks, and as plain text with one line per line.

    ``structure`` (a tagged page's marked-content ids by rank in its structure tree) gives the
    reading order of side-by-side text when it covers most of the text; the page's geometry
    gives it otherwise.
    """
    if not lines and not pictures:
        return PageContent(markdown="", text="", width=width, height=height)
    style = page_style(lines) if lines else PageStyle(10.0, 12.0, width)
    across, sideways = _by_direction(lines)
    tagged = _tagged_order(across, structure)
    parts = (
        [(_stacked(tagged), list(pictures))]
        if tagged
        else _regions(across, pictures, em=style.body_size)
    )
    regions = [
        _placed(
            _with_tables(region, find_tables(region, rules=rules)), placed, columns=bool(tagged)
        )
        for region, placed in parts
    ]
    ruled = [e for region in regions for e in region if isinstance(e, Table) and e.ruled]
    # Text turned inside a ruled table (headers set vertically) was read with its cells.
    sideways = [line for line in sideways if not any(_holds(table, line) for table in ruled)]
    if sideways:
        regions.append(list(sideways))  # vertical text (margin notes, spines) comes last
    texts = [[element for element in region if isinstance(element, Line)] for region in regions]
    if any(len(text) < len(region) for text, region in zip(texts, regions, strict=True)):
        # Table cells can outweigh running text; the body size is that of the text.
        style = page_style([line for text in texts for line in text] or lines) if lines else style
    flow: list[Element] = []
    blocks: list[Block] = []
    for elements, column_lines in zip(regions, texts, strict=True):
        column = column_style(column_lines, style)
        blocks.extend(_blocks(elements, column, tables_as_html=tables_as_html))
        flow.extend(elements)
    markdown = "\n\n".join(tighten_lists(blocks))
    plains = [_plain(element) for element in flow]
    text = "\n".join(filter(None, plains))
    boxes = tuple(
        _box(element, plain, height)
        for element, plain in zip(flow, plains, strict=True)
        if plain and not isinstance(element, Picture)
    )
    return PageContent(markdown=markdown, text=text, width=width, height=height, lines=boxes)


def _box(element: Line | Table, plain: str, height: float) -> LineBox:
    """Where a line (or a table: size 0) with text ``plain`` sits, from the page's top-left
    corner."""
    if isinstance(element, Line):
        # Line.top and Line.bottom, worked out once (one line box per line of every page).
        size = element.size
        top = element.baseline + 0.8 * size
        bottom = element.baseline - 0.25 * size
        return LineBox(
            plain, element.left, height - top, element.right - element.left, top - bottom, size
        )
    top = element.top
    return LineBox(
        plain, element.left, height - top, element.right - element.left, top - element.bottom, 0.0
    )


def _holds(table: Table, line: Line) -> bool:
    x, y = (line.left + line.right) / 2, (line.top + line.bottom) / 2
    return table.left <= x <= table.right and table.bottom <= y <= table.top


def _by_direction(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Lines reading across the page, and the few that run vertically (kept apart)."""
    sideways = [line for line in lines if not line.upright]
    if not sideways or 2 * len(sideways) > len(lines):
        return lines, []  # most text turned: there is no other direction to read in
    return [line for line in lines if line.upright], sideways


def _tagged_order(lines: list[Line], structure: Mapping[int, int] | None) -> list[Line] | None:
    """The lines in the order of the page's structure tree, or None when it does not cover
    most of their text. Lines outside the tree (artifacts: running heads, page numbers) stay
    after the line they follow in the content stream. The caller still reads bands that lie
    one above the other top down (``_stacked``): the tree decides the order of what sits side
    by side (columns, sidebars), where geometry alone is least sure."""
    if not structure or not lines:
        return None
    covered = sum(len(line.text) for line in lines if line.mcid in structure)
    if covered < _TAGGED_SHARE * sum(len(line.text) for line in lines):
        return None
    keys: list[tuple[int, int]] = []
    rank = -1
    for index, line in enumerate(lines):
        rank = structure.get(line.mcid, rank)
        keys.append((rank, index))
    order = sorted(range(len(lines)), key=keys.__getitem__)
    return [lines[index] for index in order]


def _regions(
    lines: list[Line], pictures: Sequence[Picture], *, em: float
) -> list[tuple[list[Line], list[Picture]]]:
    """Lines and pictures by region in reading order; a line split by a column gutter is cut."""
    line_parts = [line.parts() for line in lines]  # made once: a whole line's is a new Piece
    boxes: list[Box[_Payload]] = [
        Box((index, piece), piece.left, piece.right, line.top, line.bottom, len(piece.text))
        for index, line in enumerate(lines)
        for piece in line_parts[index]
    ]
    boxes.extend(
        Box((-1, picture), picture.left, picture.right, picture.top, picture.bottom, 0)
        for picture in pictures
    )
    rtl = 2 * sum(1 for line in lines if line.rtl) > len(lines)
    regions: list[tuple[list[Line], list[Picture]]] = []
    for region in reading_order(boxes, em=em, rtl=rtl):
        cut: list[Line] = []
        placed: list[Picture] = []
        for index, run in itertools.groupby(region, key=_line_index):
            parts = [box.payload[1] for box in run]
            if index < 0:
                placed.extend(part for part in parts if isinstance(part, Picture))
            elif len(parts) == len(line_parts[index]):
                cut.append(lines[index])  # its pieces stayed together (the usual case): whole
            else:
                pieces = tuple(part for part in parts if isinstance(part, Piece))
                cut.append(_part_line(lines[index], pieces))
        regions.append((_stacked(cut), placed))
    return regions


def _line_index(box: Box[_Payload]) -> int:
    return box.payload[0]


def _stacked(lines: list[Line]) -> list[Line]:
    """A region's lines with its vertical bands in order top down (``order.stacked``)."""
    boxes = [Box(line, line.left, line.right, line.top, line.bottom, 0) for line in lines]
    return [box.payload for box in stacked(boxes)]


def _part_line(line: Line, pieces: tuple[Piece, ...]) -> Line:
    text = " ".join(piece.text for piece in pieces)
    item = BULLET.match(text) is not None or NUMBERED.match(text) is not None
    return Line(
        text,
        pieces[0].left,
        pieces[-1].right,
        line.baseline,
        line.size,
        line.bold,
        item,
        line.leader,
        pieces if len(pieces) > 1 else (),
        line.rtl,
    )


def _with_tables(lines: list[Line], tables: list[Table]) -> list[Element]:
    """The region's lines with each table standing in for its lines, where its first line was."""
    owner = {index: table for table in tables for index in table.lines}
    flow: list[Element] = []
    for index, line in enumerate(lines):
        table = owner.get(index)
        if table is None:
            flow.append(line)
        elif table.lines[0] == index:
            flow.append(table)
    return flow


def _placed(
    flow: list[Element], pictures: list[Picture], *, columns: bool = False
) -> list[Element]:
    """``flow`` with each picture before the first element that starts below its top.

    With ``columns`` (a flow that reads columns one after the other) that element must also
    stand under the picture, so a picture goes into its own column.
    """
    if not pictures:
        return flow
    if columns:
        return _placed_in_columns(flow, pictures)
    placed: list[Element] = []
    waiting = sorted(pictures, key=lambda picture: -picture.top)
    for element in flow:
        top = element.top
        while waiting and waiting[0].top >= top:
            placed.append(waiting.pop(0))
        placed.append(element)
    placed.extend(waiting)
    return placed


def _placed_in_columns(flow: list[Element], pictures: list[Picture]) -> list[Element]:
    slots: dict[int, list[Picture]] = {}
    for picture in sorted(pictures, key=lambda picture: -picture.top):
        below = [i for i, element in enumerate(flow) if element.top <= picture.top]
        under = [i for i in below if flow[i].left < picture.right and flow[i].right > picture.left]
        slot = under[0] if under else below[0] if below else len(flow)
        slots.setdefault(slot, []).append(picture)
    placed: list[Element] = []
    for index in range(len(flow) + 1):
        placed.extend(slots.get(index, ()))
        if index < len(flow):
            placed.append(flow[index])
    return placed


def _blocks(flow: list[Element], style: PageStyle, *, tables_as_html: bool) -> list[Block]:
    blocks: list[Block] = []
    for is_text, run in itertools.groupby(flow, key=lambda element: isinstance(element, Line)):
        if is_text:
            blocks.extend(paragraphs([e for e in run if isinstance(e, Line)], style))
            continue
        for element in run:
            if isinstance(element, Picture):
                blocks.append(Block(IMAGE_MARK, ""))
            elif isinstance(element, Table):
                table = render_table(element.rows, as_html=tables_as_html)
                blocks.extend([table] if table is not None else [])
    return blocks


def _plain(element: Element) -> str:
    if isinstance(element, Line):
        return element.text
    if isinstance(element, Table):
        return "\n".join("\t".join(row) for row in element.rows)
    return ""
