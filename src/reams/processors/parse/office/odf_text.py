"""OpenDocument text content to blocks: headings, paragraphs, nested lists, tables, frames.

Used for ODT bodies and ODP slides alike. Heading levels come from ``text:h`` outline levels and
from the Title / Subtitle / Heading N paragraph styles (followed through automatic styles);
list markers from the list style of each level.
"""

from __future__ import annotations

import re
from typing import Any

from reams.processors.parse.blocks import Block, heading, list_item, paragraph
from reams.processors.parse.office.common import image_block
from reams.processors.parse.tables import render_table

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def q(name: str) -> str:
    """Clark notation of a prefixed name: ``text:p`` -> ``{urn:...text:1.0}p``."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def attr(element: Any, name: str) -> str | None:
    value = element.get(q(name))
    return None if value is None else str(value)


_H, _P, _LIST, _ITEM = q("text:h"), q("text:p"), q("text:list"), q("text:list-item")
_TABLE, _FRAME, _IMAGE, _TEXT_BOX = (
    q("table:table"),
    q("draw:frame"),
    q("draw:image"),
    q("draw:text-box"),
)
_CELL, _COVERED, _ROW = q("table:table-cell"), q("table:covered-table-cell"), q("table:table-row")
# Containers whose children are ordinary body content.
_CONTAINERS = frozenset(
    q(name)
    for name in (
        "text:section", "text:index-body", "text:table-of-content", "text:alphabetical-index",
        "text:illustration-index", "text:table-index", "text:user-index", "text:bibliography",
        "draw:custom-shape", "draw:g", "draw:text-box", "text:list-header", "office:text",
        "presentation:notes", "draw:rect", "draw:ellipse", "draw:polygon", "text:deletion",
    )
)  # fmt: skip
_ROW_GROUPS = frozenset(
    q(name) for name in ("table:table-header-rows", "table:table-rows", "table:table-row-group")
)
# Inline elements whose text is not part of the running text.
_SKIPPED_INLINE = frozenset(
    q(name) for name in ("office:annotation", "office:annotation-end", "draw:frame", "text:note")
)
_HEADING_STYLE = re.compile(r"^heading(?:_20_|\s)?([1-9])$", re.IGNORECASE)
_MAX_SPACES = 64
_MAX_REPEAT = 64


class OdfStyles:
    """Which paragraph styles are headings and which list levels are numbered."""

    def __init__(self, content: Any, styles: Any) -> None:
        self._parents: dict[str, str] = {}
        self._numbered: dict[tuple[str, int], bool] = {}
        for root in (styles, content):
            if root is not None:
                self._load(root)

    def _load(self, root: Any) -> None:
        for style in root.iter(q("style:style")):
            name = attr(style, "style:name")
            if name is not None:
                self._parents[name] = attr(style, "style:parent-style-name") or ""
        for list_style in root.iter(q("text:list-style")):
            name = attr(list_style, "style:name") or ""
            for level_style in list_style:
                level = attr(level_style, "text:level") or "1"
                numbered = level_style.tag == q("text:list-level-style-number")
                if level.isdigit():
                    format_ = attr(level_style, "style:num-format")
                    self._numbered[(name, int(level))] = numbered and bool(format_)

    def heading_level(self, style: str | None) -> int | None:
        """The heading level a paragraph style (or a style it derives from) stands for."""
        for _ in range(8):  # automatic styles chain to named ones in a step or two
            if not style:
                return None
            lowered = style.lower()
            if lowered == "title":
                return 1
            if lowered == "subtitle":
                return 2
            match = _HEADING_STYLE.match(style)
            if match:
                return int(match.group(1))
            style = self._parents.get(style)
        return None

    def numbered(self, list_style: str, level: int) -> bool:
        return self._numbered.get((list_style, level), False)


def plain_text(element: Any) -> str:
    """The running text of a paragraph-like element, without notes, comments and frames."""
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts)


_INLINE_TEXT = {q("text:tab"): "\t", q("text:line-break"): "\n", q("text:soft-page-break"): ""}


def _collect(element: Any, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == q("text:s"):
            count = attr(child, "text:c") or "1"
            parts.append(" " * min(int(count) if count.isdigit() else 1, _MAX_SPACES))
        elif tag in _INLINE_TEXT:
            parts.append(_INLINE_TEXT[tag])
        elif tag not in _SKIPPED_INLINE and isinstance(tag, str):
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


class OdfWalker:
    """Walks ODF body content in document order, producing blocks."""

    def __init__(self, styles: OdfStyles, *, tables_as_html: bool) -> None:
        self._styles = styles
        self._tables_as_html = tables_as_html
        self._blocks: list[Block] = []
        self._counters: dict[str, dict[int, int]] = {}

    def walk(self, container: Any) -> list[Block]:
        self._blocks = []
        self._container(container)
        return self._blocks

    def walk_notes(self, notes: Any) -> list[Block]:
        return self.walk(notes)

    def _container(self, element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag in (_H, _P):
                self._paragraph(child)
            elif tag == _LIST:
                self._list(child)
            elif tag == _TABLE:
                self._table(child)
            elif tag == _FRAME:
                self._frame(child)
            elif tag in _CONTAINERS:
                self._container(child)

    def _paragraph(self, element: Any) -> None:
        text = " ".join(plain_text(element).split())
        if text:
            level = self._heading_level(element)
            self._blocks.append(paragraph(text) if level is None else heading(level, text))
        for frame in element.iter(_FRAME):
            self._frame(frame)

    def _heading_level(self, element: Any) -> int | None:
        if element.tag == _H:
            level = attr(element, "text:outline-level") or "1"
            return int(level) if level.isdigit() else 1
        return self._styles.heading_level(attr(element, "text:style-name"))

    def _frame(self, frame: Any) -> None:
        boxes = frame.findall(_TEXT_BOX)
        tables = frame.findall(_TABLE)
        for box in boxes:
            self._container(box)
        for table in tables:
            self._table(table)
        if not boxes and not tables and frame.find(_IMAGE) is not None:
            self._blocks.append(image_block())

    def _list(self, element: Any) -> None:
        style = attr(element, "text:style-name") or ""
        continues = attr(element, "text:continue-numbering") == "true" or bool(
            attr(element, "text:continue-list")
        )
        if not continues:
            self._counters[style] = {}
        lines: list[tuple[str, str]] = []
        self._items(element, style=style, level=1, depth=0, lines=lines)
        if lines:
            self._blocks.append(
                Block("\n".join(m for m, _ in lines), "\n".join(t for _, t in lines))
            )

    def _items(
        self, element: Any, *, style: str, level: int, depth: int, lines: list[tuple[str, str]]
    ) -> None:
        counters = self._counters.setdefault(style, {})
        for item in element.iterchildren(_ITEM, q("text:list-header")):
            texts = [" ".join(plain_text(p).split()) for p in item.iterchildren(_P, _H)]
            text = "\n".join(t for t in texts if t)
            child_depth = depth
            if text:
                marker = self._marker(counters, style=style, level=level)
                indent = "    " * depth
                lines.append((list_item(marker, text, depth=depth), f"{indent}{marker} {text}"))
                child_depth = depth + 1
            for nested in item.iterchildren(_LIST):
                nested_style = attr(nested, "text:style-name") or style
                self._items(
                    nested, style=nested_style, level=level + 1, depth=child_depth, lines=lines
                )

    def _marker(self, counters: dict[int, int], *, style: str, level: int) -> str:
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if not self._styles.numbered(style, level):
            return "-"
        counters[level] = counters.get(level, 0) + 1
        return f"{counters[level]}."

    def _table(self, element: Any) -> None:
        rows = [_cells(row) for row in _rows(element)]
        table = render_table(rows, as_html=self._tables_as_html)
        if table is not None:
            self._blocks.append(table)


def _rows(table: Any) -> list[Any]:
    rows: list[Any] = []
    for child in table:
        if child.tag == _ROW:
            repeat = attr(child, "table:number-rows-repeated") or "1"
            rows.extend([child] * min(int(repeat) if repeat.isdigit() else 1, _MAX_REPEAT))
        elif child.tag in _ROW_GROUPS:
            rows.extend(_rows(child))
    return rows


def _cells(row: Any) -> list[str]:
    """Cell texts; a cell spanning columns repeats its text in the covered cells."""
    cells: list[str] = []
    spanning, remaining = "", 0
    for cell in row.iterchildren(_CELL, _COVERED):
        repeat = attr(cell, "table:number-columns-repeated") or "1"
        count = min(int(repeat) if repeat.isdigit() else 1, _MAX_REPEAT)
        if cell.tag == _COVERED:
            cells.extend([spanning if remaining > 0 else ""] * count)
            remaining -= count
            continue
        text = " ".join(" ".join(plain_text(p).split()) for p in cell.iter(_P, _H)).strip()
        cells.extend([text] * count)
        span = attr(cell, "table:number-columns-spanned") or "1"
        spanning, remaining = text, (int(span) - 1 if span.isdigit() else 0)
    return cells
