"""Rendering a cleaned lxml HTML tree into Markdown blocks.

Block elements become paragraphs, headings, lists, tables, code and quotes; inline elements
(links, emphasis, spans) contribute their text only. ``<br>`` is the one inline line break kept.
"""

from __future__ import annotations

import re
from typing import Any

from reams.processors.parse.blocks import Block, heading, list_item, paragraph
from reams.processors.parse.tables import render_table

_BREAK = "\ue000"  # private-use marker for <br>, so whitespace collapsing cannot eat it
_WHITESPACE = re.compile(r"\s+")
_AROUND_BREAK = re.compile(rf" ?{_BREAK}[ {_BREAK}]*")

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_LISTS = frozenset({"ul", "ol", "menu"})
_BLOCK_TAGS = frozenset(
    {
        *_HEADINGS,
        *_LISTS,
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "header", "hgroup", "hr", "html", "li", "main", "nav", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    }
)  # fmt: skip
_MAX_COLSPAN = 50


def collapse_inline(text: str) -> str:
    """Collapse HTML whitespace to single spaces, turning ``<br>`` markers into newlines."""
    text = _WHITESPACE.sub(" ", text)
    return _AROUND_BREAK.sub("\n", text).strip(" \n")


class HtmlRenderer:
    """Walks an lxml element tree and yields :class:`Block` objects in document order."""

    def __init__(self, *, tables_as_html: bool) -> None:
        self._tables_as_html = tables_as_html

    def container(self, element: Any) -> list[Block]:
        """Render an element whose children may mix inline text and block elements."""
        blocks: list[Block] = []
        inline: list[str] = [element.text or ""]
        for child in element:
            if _is_block(child):
                _flush(inline, blocks)
                blocks.extend(self.block(child))
                inline = [child.tail or ""]
            else:
                inline.extend((self.inline(child), child.tail or ""))
        _flush(inline, blocks)
        return blocks

    def block(self, element: Any) -> list[Block]:
        tag = element.tag
        if tag in _HEADINGS:
            text = collapse_inline(self.inline(element)).replace("\n", " ")
            return [heading(_HEADINGS[tag], text)] if text else []
        if tag in _LISTS:
            return self._list(element)
        if tag == "table":
            return self._table(element)
        if tag == "pre":
            return _preformatted(element)
        if tag == "blockquote":
            return _quoted(self.container(element))
        return self.container(element)

    def inline(self, element: Any) -> str:
        """The text of an element and its descendants, with ``<br>`` and block edges marked."""
        if not isinstance(element.tag, str):
            return ""
        if element.tag == "br":
            return _BREAK
        parts = [element.text or ""]
        for child in element:
            parts.extend((self.inline(child), child.tail or ""))
        text = "".join(parts)
        return f"{_BREAK}{text}{_BREAK}" if element.tag in _BLOCK_TAGS else text

    def _list(self, element: Any, depth: int = 0) -> list[Block]:
        markdown: list[str] = []
        text: list[str] = []
        number = _int_attribute(element, "start", 1)
        for child in element:
            if child.tag in _LISTS:
                for nested in self._list(child, depth + 1):
                    markdown.append(nested.markdown)
                    text.append(nested.text)
                continue
            marker = f"{number}." if element.tag == "ol" else "-"
            item_md, item_text = self._list_item(child, marker, depth)
            if item_text:
                markdown.append(item_md)
                text.append(item_text)
                number += 1
        return [Block("\n".join(markdown), "\n".join(text))] if markdown else []

    def _list_item(self, item: Any, marker: str, depth: int) -> tuple[str, str]:
        inline: list[str] = [item.text or ""]
        nested: list[Block] = []
        for child in item:
            if child.tag in _LISTS:
                nested.extend(self._list(child, depth + 1))
                inline.append(child.tail or "")
            else:
                inline.extend((self.inline(child), child.tail or ""))
        body = collapse_inline("".join(inline))
        markdown = [list_item(marker, body, depth=depth)] if body else []
        text = [f"{'    ' * depth}{marker} {body}"] if body else []
        markdown.extend(block.markdown for block in nested)
        text.extend(block.text for block in nested)
        return "\n".join(markdown), "\n".join(text)

    def _table(self, element: Any) -> list[Block]:
        rows = [self._row(row) for row in element.xpath("./tr|./*/tr")]
        if max((len(row) for row in rows), default=0) <= 1:
            # A one-column table is page layout, not data: render its content as flowing text.
            return [
                block for cell in element.xpath("./tr/*|./*/tr/*") for block in self.container(cell)
            ]
        captions = [paragraph(collapse_inline(self.inline(c))) for c in element.findall("caption")]
        table = render_table(rows, as_html=self._tables_as_html)
        return [*captions, table] if table is not None else captions

    def _row(self, row: Any) -> list[str]:
        cells: list[str] = []
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            cells.append(collapse_inline(self.inline(cell)))
            span = min(_int_attribute(cell, "colspan", 1), _MAX_COLSPAN)
            cells.extend([""] * (span - 1))
        return cells


def _is_block(element: Any) -> bool:
    return isinstance(element.tag, str) and element.tag in _BLOCK_TAGS


def _flush(inline: list[str], blocks: list[Block]) -> None:
    text = collapse_inline("".join(inline))
    if text:
        blocks.append(paragraph(text))


def _preformatted(element: Any) -> list[Block]:
    text = element.text_content().strip("\n")
    if not text.strip():
        return []
    return [Block(f"```\n{text}\n```", text)]


def _quoted(blocks: list[Block]) -> list[Block]:
    return [
        Block("\n".join(f"> {line}" if line else ">" for line in b.markdown.split("\n")), b.text)
        for b in blocks
    ]


def _int_attribute(element: Any, name: str, default: int) -> int:
    value = (element.get(name) or "").strip()
    return int(value) if value.isdigit() else default
