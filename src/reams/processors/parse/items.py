"""Typed page items, derived from a page's Markdown in one place for every format.

The shapes follow LlamaParse v2 ``items`` (``llama_cloud.types.ParsingGetResponse``), so that
``/api/v2/parse/{job_id}?expand=items`` can be served from them under strict SDK validation:

============================  ====================================================  ============
Markdown                      item                                                  SDK model
============================  ====================================================  ============
``## Title``                  ``type: heading``, ``level``, ``md``, ``value``       HeadingItem
a paragraph                   ``type: text``, ``md``, ``value``                     TextItem
``- a`` / ``1. a`` (nested)   ``type: list``, ``ordered``, ``md``, ``items``        ListItem
pipe or HTML table            ``type: table``, ``rows``, ``md``, ``html``, ``csv``  TableItem
fenced code                   ``type: code``, ``md``, ``value``, ``language``       CodeItem
``![alt](url)``, image mark   ``type: image``, ``md``, ``caption``, ``url``         ImageItem
page header / footer          ``type: header|footer``, ``md``, ``items``            Header/Footer
============================  ====================================================  ============

A list's ``items`` hold text items and nested lists, as ListItem allows. Deriving items from the
rendered Markdown rather than from each reader's blocks means every reader, present or future,
gets items without extra work, and the items always agree with the Markdown the user sees.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from reams.processors.parse.blocks import escape_markdown
from reams.processors.parse.model import Item
from reams.processors.parse.tables import table_html

IMAGE_MARK = "<!-- image -->"

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_LIST = re.compile(r"^( *)([-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)")
_IMAGE = re.compile(r"^!\[([^\]]*)\]\(<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\)$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_QUOTE = re.compile(r"^ {0,3}> ?", re.MULTILINE)


def page_items(markdown: str) -> list[Item]:
    """The typed items of one page's Markdown, in reading order."""
    items: list[Item] = []
    for kind, lines in _chunks(markdown.split("\n")):
        item = _BUILDERS[kind](lines)
        previous = items[-1] if items else None
        # A loose list (blank lines between its entries) is still one list.
        if previous is not None and _continues_list(previous, item):
            _extend_list(previous, item)
        else:
            items.append(item)
    return items


def furniture_item(kind: str, text: str) -> Item:
    """A ``header`` or ``footer`` item holding the running header or footer text."""
    md = escape_markdown(text)
    return {"type": kind, "md": md, "items": [{"type": "text", "md": md, "value": text}]}


def plain_text(markdown: str) -> str:
    """Inline Markdown reduced to its words: links to their text, emphasis marks and escapes off."""
    text = _QUOTE.sub("", markdown) if ">" in markdown else markdown
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(r"\1", _STRONG.sub(r"\2", text))
    if "`" in text:
        text = _CODE_SPAN.sub(r"\1", text)
    if "<" in text:
        text = _BREAK.sub("\n", text)
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


# ------------------------------------------------------------------------------ chunking


def _chunks(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Split Markdown lines into (kind, lines) chunks: the block structure of the page."""
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        kind = _kind(lines, index)
        end = _END[kind](lines, index)
        yield kind, lines[index:end]
        index = end


def _kind(lines: list[str], index: int) -> str:
    line = lines[index]
    stripped = line.strip()
    if _HEADING.match(line):
        return "heading"
    if _FENCE.match(line):
        return "code"
    if stripped.startswith("|") and index + 1 < len(lines) and _is_separator(lines[index + 1]):
        return "table"
    if stripped.lower().startswith("<table"):
        return "html_table"
    if _LIST.match(line) and len(line) - len(line.lstrip(" ")) <= 3:
        return "list"
    if stripped == IMAGE_MARK or _IMAGE.match(stripped):
        return "image"
    return "text"


def _one_line(lines: list[str], index: int) -> int:
    return index + 1


def _fenced_end(lines: list[str], index: int) -> int:
    match = _FENCE.match(lines[index])
    fence = match.group(1) if match else "```"
    for end in range(index + 1, len(lines)):
        if lines[end].strip().startswith(fence):
            return end + 1
    return len(lines)


def _table_end(lines: list[str], index: int) -> int:
    end = index + 2
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    return end


def _html_table_end(lines: list[str], index: int) -> int:
    for end in range(index, len(lines)):
        if "</table>" in lines[end].lower():
            return end + 1
    return len(lines)


def _list_end(lines: list[str], index: int) -> int:
    end = index + 1
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _text_end(lines: list[str], index: int) -> int:
    end = index + 1
    # Any other block, a list included, interrupts a paragraph (CommonMark, simplified).
    while end < len(lines) and lines[end].strip() and _kind(lines, end) == "text":
        end += 1
    return end


_END: dict[str, Callable[[list[str], int], int]] = {
    "heading": _one_line,
    "code": _fenced_end,
    "table": _table_end,
    "html_table": _html_table_end,
    "list": _list_end,
    "image": _one_line,
    "text": _text_end,
}


# ------------------------------------------------------------------------------ items


def _heading(lines: list[str]) -> Item:
    match = _HEADING.match(lines[0])
    level, text = (len(match.group(1)), match.group(2)) if match else (1, lines[0])
    return {"type": "heading", "level": level, "md": lines[0].strip(), "value": plain_text(text)}


def _text(lines: list[str]) -> Item:
    md = "\n".join(lines).strip()
    return {"type": "text", "md": md, "value": plain_text(md)}


def _code(lines: list[str]) -> Item:
    match = _FENCE.match(lines[0])
    closed = len(lines) > 1 and lines[-1].strip().startswith(match.group(1) if match else "```")
    body = lines[1:-1] if closed else lines[1:]
    language = match.group(2) if match and match.group(2) else None
    return {"type": "code", "md": "\n".join(lines), "value": "\n".join(body), "language": language}


def _image(lines: list[str]) -> Item:
    line = lines[0].strip()
    match = _IMAGE.match(line)
    caption, url = (match.group(1), match.group(2)) if match else ("", "")
    return {"type": "image", "md": line, "caption": caption, "url": url}


def _table(lines: list[str]) -> Item:
    rows = [_pipe_cells(line) for line in lines if not _is_separator(line)]
    return _table_item("\n".join(lines), rows, None)


def _html_table(lines: list[str]) -> Item:
    md = "\n".join(lines)
    reader = _HtmlTableReader()
    reader.feed(md)
    reader.close()
    return _table_item(md, [row for row in reader.rows if row], md)


def _table_item(md: str, rows: list[list[str]], html_md: str | None) -> Item:
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    return {
        "type": "table",
        "rows": rows,
        "md": md,
        "html": html_md if html_md is not None else table_html(rows),
        "csv": _csv(rows),
    }


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [plain_text(cell.strip()) for cell in _PIPE_SPLIT.split(body)]


def _is_separator(line: str) -> bool:
    body = line.strip().strip("|")
    return bool(body) and all(_SEPARATOR_CELL.match(cell) for cell in _PIPE_SPLIT.split(body))


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


class _HtmlTableReader(HTMLParser):
    """The rows of an HTML table as cell texts; a ``colspan`` cell is followed by empty cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            if not self.rows:
                self.rows.append([])
            cell = " ".join("".join(self._cell).split())
            self.rows[-1].extend([cell] + [""] * (min(self._span, 1000) - 1))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(html.unescape(data))


# ------------------------------------------------------------------------------ lists


@dataclass
class _Entry:
    indent: int
    ordered: bool
    text: str
    lines: list[str] = field(default_factory=list)


def _list(lines: list[str]) -> Item:
    entries: list[_Entry] = []
    for line in lines:
        match = _LIST.match(line)
        if match:
            marker = match.group(2)
            entries.append(_Entry(len(match.group(1)), marker[-1] in ".)", match.group(3), [line]))
        elif entries:
            entries[-1].text += "\n" + line.strip()
            entries[-1].lines.append(line)
    item, _ = _nest(entries, 0, min(entry.indent for entry in entries))
    return item


def _nest(entries: list[_Entry], start: int, base: int) -> tuple[Item, int]:
    """The list at ``entries[start:]`` whose entries sit at ``base`` indentation or deeper."""
    children: list[Item] = []
    md: list[str] = []
    index = start
    while index < len(entries) and entries[index].indent >= base:
        entry = entries[index]
        if entry.indent > base + 1 and children:
            nested, index = _nest(entries, index, entry.indent)
            children.append(nested)
            md.append(str(nested["md"]))
            continue
        children.append({"type": "text", "md": entry.text, "value": plain_text(entry.text)})
        md.extend(entry.lines)
        index += 1
    ordered = entries[start].ordered
    return {"type": "list", "ordered": ordered, "md": "\n".join(md), "items": children}, index


def _continues_list(previous: Item, item: Item) -> bool:
    return (
        previous["type"] == "list"
        and item["type"] == "list"
        and previous["ordered"] == item["ordered"]
    )


def _extend_list(previous: Item, item: Item) -> None:
    children = previous["items"]
    more = item["items"]
    if isinstance(children, list) and isinstance(more, list):
        children.extend(more)
    previous["md"] = f"{previous['md']}\n\n{item['md']}"


_BUILDERS: dict[str, Callable[[list[str]], Item]] = {
    "heading": _heading,
    "code": _code,
    "table": _table,
    "html_table": _html_table,
    "list": _list,
    "image": _image,
    "text": _text,
}
