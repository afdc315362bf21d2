"""Rendering a cleaned lxml HTML tree into Markdown blocks.

Block elements become paragraphs, headings, lists (nested, with their items' paragraphs and code
indented under the marker), definition lists, tables, fenced code and quotes; runs of inline
content between them go through :class:`InlineRenderer` once for Markdown and once for text.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from reams.processors.parse.blocks import Block, escape_markdown
from reams.processors.parse.tables import render_table
from reams.processors.parse.web.inline import InlineRenderer, Node, is_block
from reams.processors.parse.web.table import CellText, Grid, build_grid, table_rows

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_LISTS = frozenset({"ul", "ol", "menu"})
_STARTS_AS_LIST = re.compile(r"^(?:[-*+]|\d+[.)])(?: |$)")
_CODE_LANGUAGE = re.compile(r"\b(?:language|lang)-([\w+#.-]+)")
_LONGEST_FENCE = re.compile(r"^\s*(`{3,})", re.MULTILINE)


class HtmlRenderer:
    """Walks an lxml element tree and yields :class:`Block` objects in document order."""

    def __init__(self, *, tables_as_html: bool) -> None:
        self._tables_as_html = tables_as_html
        self._markdown = InlineRenderer(markdown=True)
        self._plain = InlineRenderer(markdown=False)
        self._cell_depth = 0
        self._handlers: dict[str, Callable[[Node], list[Block]]] = {
            **{tag: self._heading for tag in _HEADINGS},
            **{tag: self._list for tag in _LISTS},
            "dl": self._definitions,
            "table": self._table,
            "pre": self._preformatted,
            "blockquote": self._quote,
            "hr": lambda _: [Block("---", "---")],
        }

    def container(self, element: Node) -> list[Block]:
        """Render an element whose children may mix inline content and block elements."""
        blocks: list[Block] = []
        run: list[str | Node] = [element.text or ""]
        for child in element:
            if is_block(child):
                self._flush(run, blocks)
                blocks.extend(self.block(child))
                run = [child.tail or ""]
            else:
                run.extend((child, child.tail or ""))
        self._flush(run, blocks)
        return blocks

    def block(self, element: Node) -> list[Block]:
        handler = self._handlers.get(element.tag)
        return handler(element) if handler is not None else self.container(element)

    def _flush(self, run: list[str | Node], blocks: list[Block]) -> None:
        if len(run) == 1 and not run[0].strip():
            return  # only the whitespace between two block elements
        markdown = self._markdown.run(run)
        if markdown:
            blocks.append(Block(escape_markdown(markdown), self._plain.run(run)))

    def _heading(self, element: Node) -> list[Block]:
        markdown = self._markdown.element(element).replace("\n", " ")
        if not markdown:
            return []
        text = self._plain.element(element).replace("\n", " ")
        return [Block(f"{'#' * _HEADINGS[element.tag]} {markdown}", text)]

    def _list(self, element: Node) -> list[Block]:
        number = _int_attribute(element, "start", 1)
        items: list[Block] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in _LISTS:  # a list directly inside a list: nest it under the last item
                items.extend(_indented(block, "    ") for block in self._list(child))
                continue
            marker = f"{number}." if element.tag == "ol" else "-"
            item = self._item(child, marker)
            if item is not None:
                items.append(item)
                number += 1
        return [_joined(items, "\n")] if items else []

    def _item(self, element: Node, marker: str, *, strong: bool = False) -> Block | None:
        blocks = self.container(element)
        if not blocks:
            return None
        indent = " " * max(4, len(marker) + 1)
        first, *rest = blocks
        if _STARTS_AS_LIST.match(first.markdown):
            # An item holding only a nested list: no empty marker line, just the deeper list.
            head = _indented(first, indent)
        else:
            head = _marked(_strong(first) if strong else first, marker, indent)
        for block in rest:
            # A nested list stays tight under its item; other blocks need a blank line before
            # them, or a table or a rule would be read as part of the item's paragraph.
            separator = "\n" if _STARTS_AS_LIST.match(block.markdown) else "\n\n"
            head = _joined([head, _indented(block, indent)], separator)
        return head

    def _definitions(self, element: Node) -> list[Block]:
        items: list[Block] = []
        seen_term = False
        for child in element.iter("dt", "dd"):
            if _owner_list(child) is not element:
                continue  # belongs to a nested <dl>, rendered inside its <dd>
            item = self._item(child, "-", strong=child.tag == "dt")
            if item is None:
                continue
            nested = child.tag == "dd" and seen_term
            items.append(_indented(item, "    ") if nested else item)
            seen_term = seen_term or child.tag == "dt"
        return [_joined(items, "\n")] if items else []

    def _table(self, element: Node) -> list[Block]:
        grid = build_grid(table_rows(element), self._cell)
        if self._cell_depth:
            # A table inside a table cell: its words, flattened into the outer cell.
            return _flattened(grid)
        if grid.width <= 1 or sum(1 for row in grid.markdown if any(row)) <= 1:
            # A one-column or one-row table is page layout, not data: its content flows as text.
            return [
                block for cell in element.xpath("./tr/*|./*/tr/*") for block in self.block(cell)
            ]
        captions = [
            block for caption in element.findall("caption") for block in self.container(caption)
        ]
        return [*captions, *self._table_block(grid.markdown, grid.text)]

    def _table_block(self, markdown: list[list[str]], text: list[list[str]]) -> list[Block]:
        plain = render_table(text, as_html=False)
        shown = render_table(
            text if self._tables_as_html else markdown, as_html=self._tables_as_html
        )
        if shown is None:
            return []
        return [Block(shown.markdown, plain.text if plain is not None else "")]

    def _cell(self, cell: Node) -> CellText:
        self._cell_depth += 1
        try:
            blocks = self.container(cell)
        finally:
            self._cell_depth -= 1
        return (
            " ".join(" ".join(block.markdown.split()) for block in blocks),
            " ".join(" ".join(block.text.split()) for block in blocks),
        )

    def _preformatted(self, element: Node) -> list[Block]:
        for br in element.iter("br"):  # text_content() would drop <br> line breaks
            br.tail = "\n" + (br.tail or "")
        code = textwrap.dedent(element.text_content().replace("\r\n", "\n")).strip("\n")
        if not code.strip():
            return []
        fences = [len(fence) for fence in _LONGEST_FENCE.findall(code)]
        fence = "`" * max(3, max(fences, default=0) + 1)
        return [Block(f"{fence}{_code_language(element)}\n{code}\n{fence}", code)]

    def _quote(self, element: Node) -> list[Block]:
        return [
            Block(
                "\n".join(f"> {line}" if line else ">" for line in b.markdown.split("\n")), b.text
            )
            for b in self.container(element)
        ]


def _flattened(grid: Grid) -> list[Block]:
    cells = [
        Block(markdown, text)
        for markdown_row, text_row in zip(grid.markdown, grid.text, strict=True)
        for markdown, text in zip(markdown_row, text_row, strict=True)
        if markdown or text
    ]
    return [_joined(cells, " ")] if cells else []


def _marked(block: Block, marker: str, indent: str) -> Block:
    markdown = block.markdown.replace("\n", "\n" + indent)
    text = block.text.replace("\n", "\n" + indent)
    return Block(f"{marker} {markdown}", f"{marker} {text}")


def _indented(block: Block, indent: str) -> Block:
    return Block(textwrap.indent(block.markdown, indent), textwrap.indent(block.text, indent))


def _joined(blocks: list[Block], separator: str) -> Block:
    return Block(
        separator.join(block.markdown for block in blocks),
        separator.join(block.text for block in blocks if block.text),
    )


def _strong(block: Block) -> Block:
    if "\n" in block.markdown or block.markdown.startswith("**"):
        return block
    return Block(f"**{block.markdown}**", block.text)


def _owner_list(element: Node) -> Node:
    parent = element.getparent()
    while parent is not None and parent.tag != "dl":
        parent = parent.getparent()
    return parent


def _code_language(pre: Node) -> str:
    classes = " ".join(node.get("class") or "" for node in (pre, *pre.iter("code")))
    match = _CODE_LANGUAGE.search(classes)
    return match.group(1) if match else ""


def _int_attribute(element: Node, name: str, default: int) -> int:
    value = (element.get(name) or "").strip()
    return int(value) if value.isdigit() else default
