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

When the reader knows where its lines sit (PDF, OCR), :func:`boxed_items` gives each item the
SDK's ``bbox`` list: one box per printed line (``x``, ``y`` from the page's top-left corner,
``w``, ``h`` in points; ``h`` is 1.05 × the type size), with ``start_index`` / ``end_index``
locating the line in the item's ``value`` (text, heading, code) and ``label`` ``"table"`` for
a table's box. Extraction reads type size and position from them (a letterhead in large type
at the top of the page).

A list's ``items`` hold text items and nested lists, as ListItem allows. Deriving items from the
rendered Markdown rather than from each reader's blocks means every reader, present or future,
gets items without extra work, and the items always agree with the Markdown the user sees.
"""

from __future__ import annotations

import csv
import html
import io
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import compress

from reams.processors.parse.blocks import escape_markdown
from reams.processors.parse.model import Item, LineBox
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


# ------------------------------------------------------------------------------ boxes

_NUMBER_MARK = re.compile(r"^\(?\d{1,9}[.)]\s+")
_LOOK_AHEAD = 6  # lines an item's first line may be sought past unmatched ones


def boxed_items(items: list[Item], lines: tuple[LineBox, ...]) -> list[Item]:
    """``items`` with a ``bbox`` list each, from the page's ``lines`` (in reading order, as the
    items are): an item takes the consecutive lines whose letters and digits it holds. Lines
    that match no item (furniture, rendering differences) are passed over; an item whose
    lines cannot be found keeps no ``bbox``."""
    if not lines:
        return items
    page = _Lines(lines)
    at = 0
    for item in items:
        if item.get("type") in ("header", "footer"):
            continue
        if item.get("type") == "table":
            at = _box_table(item, lines, at)
        else:
            at = _box_text(item, page, at)
    return items


class _Lines:
    """A page's lines with what matching needs of them: each line's text from its first to its
    last letter or digit (``printed``; empty when it has none), and its key
    (:func:`_squashed`), worked out on first use."""

    __slots__ = ("_keys", "lines", "printed", "rounded")

    def __init__(self, lines: tuple[LineBox, ...]) -> None:
        self.lines = lines
        self.rounded: dict[float, float] = {}
        """Edges rounded to 2 places, by edge: a page's lines share their left edge and height
        (a quarter of them are different), and ``round`` is most of a box's cost."""
        self.printed = [
            text if text[:1].isalnum() and text[-1:].isalnum() else _alnum_run(text)
            for text in (line.text for line in lines)
        ]
        self._keys: list[str | None] = [None] * len(lines)

    def key(self, index: int) -> str:
        key = self._keys[index]
        if key is None:
            key = self._keys[index] = _squashed(self.lines[index].text)
        return key

    def box(self, index: int) -> dict[str, object]:
        """Line ``index``'s ``bbox`` entry: :func:`_box`, its edges rounded to 2 places."""
        _text, x, y, w, h, _size = self.lines[index]
        rounded = self.rounded
        # A zero is rounded each time: 0.0 and -0.0 are one key, and round keeps the sign.
        left = rounded.get(x) if x else None
        if left is None:
            left = round(x, 2)
            if x:
                rounded[x] = left
        height = rounded.get(h) if h else None
        if height is None:
            height = round(h, 2)
            if h:
                rounded[h] = height
        return {"x": left, "y": round(y, 2), "w": round(w, 2), "h": height}


# A letter or digit: ``[^\W_]`` is exactly ``str.isalnum()`` (checked on every code point).
_ALNUM = re.compile(r"[^\W_]")


def _alnum_run(text: str) -> str:
    """``text`` from its first to its last letter or digit; empty when it has none."""
    first, last = 0, len(text) - 1
    while first <= last and not text[first].isalnum():
        first += 1
    if first > last:
        return ""
    while not text[last].isalnum():
        last -= 1
    return text if first == 0 and last == len(text) - 1 else text[first : last + 1]


class _Matcher:
    """Where the page's lines continue one item's text, judged on letters and digits.

    The thorough test compares keys (:func:`_squash_map`): all the letters and digits of the
    item and of the line, lower-cased. But nearly always a line is printed in the item's text
    as it is, so the matcher first tries that: from position ``at`` (past the last letter or
    digit matched so far), after marks and spaces only, the item's text goes on with the
    line's text from its first to its last letter or digit, character for character. Then
    the line's key continues the item's key right where the thorough test looks for it, so
    both find the same line and span. A line whose first letter differs from the item's next
    one (lower-cased), and that opens with no list number, fails both. Only other lines (a
    case changed, a list number the item dropped, a link's address left out of its text) need
    the keys, worked out once per item. (Keys for every item and line had cost ~15 % of a
    text PDF's parse.)

    The shortcut needs the item's lower case to be one letter per letter, as the fast
    :func:`_squash_map` does (the n-th letter of the key is then the n-th letter or digit of
    the text); :func:`_box_keyed` matches other items on keys alone."""

    __slots__ = ("_key", "_where", "last", "page", "value")

    def __init__(self, value: str, page: _Lines) -> None:
        self.value = value
        self.page = page
        self.last = -1
        """Where the last matched line's last letter or digit is in ``value``."""
        self._key: str | None = None
        self._where: list[int] = []

    def match(self, index: int, at: int) -> int:
        """Where, from position ``at`` on, the item's text holds line ``index``: the position
        of the line's first letter or digit (its last one in ``last``), -1 if it does not. A
        list number the item dropped may lead the line."""
        printed = self.page.printed[index]
        if not printed:
            return -1  # no key, and no list number (its digits would be in the key)
        value = self.value
        start = at
        if at < len(value) and value[at].isalnum():
            pass
        elif at + 1 < len(value) and value[at + 1].isalnum():
            start = at + 1  # past the space between two lines' words
        else:
            found = _ALNUM.search(value, at)
            if found is None:
                return -1  # the item's letters are used up: its key goes no further
            start = found.start()
        if value.startswith(printed, start):
            self.last = start + len(printed) - 1
            return start
        text = self.page.lines[index].text
        lowered = printed[0].lower()
        if len(lowered) == 1 and lowered != value[start].lower() and not _NUMBER_MARK.match(text):
            return -1  # the keys differ at the line's first letter
        if self._key is None:
            self._key, self._where = _squash_map(value)
        where = self._where
        # One letter per letter: the key's letters before ``at`` are the text's.
        keyed = _find_line(self._key, self.page.key(index), text, bisect_left(where, at))
        if keyed is None:
            return -1
        self.last = where[keyed[1] - 1]
        return where[keyed[0]]


def _box_text(item: Item, page: _Lines, at: int) -> int:
    """Box a text-like item with the lines from ``at`` on; the index after its last line."""
    value = _item_text(item)
    if len(value.lower()) != len(value) or _SIGMA in value:
        return _box_keyed(item, value, page, at)
    lines = page.lines
    matcher = _Matcher(value, page)
    start = -1
    for index in range(at, min(at + _LOOK_AHEAD, len(lines))):
        if lines[index].size > 0:
            start = matcher.match(index, 0)
            if start >= 0:
                at = index
                break
    if start < 0:
        return at
    spans = item.get("type") in ("text", "heading", "code")
    boxes: list[dict[str, object]] = []
    while True:
        box = page.box(at)
        if spans:
            box["start_index"], box["end_index"] = _span(value, start, matcher.last)
        boxes.append(box)
        at += 1
        if at >= len(lines) or lines[at].size <= 0:
            break
        start = matcher.match(at, matcher.last + 1)
        if start < 0:
            break
    item["bbox"] = boxes
    return at


def _box_keyed(item: Item, value: str, page: _Lines, at: int) -> int:
    """:func:`_box_text` on keys alone, for an item whose lower case is not one letter per
    letter."""
    lines = page.lines
    spans = item.get("type") in ("text", "heading", "code")
    key, where = _squash_map(value) if spans else (_squashed(value), [])
    start = _first_line(key, page, at) if key else None
    if start is None:
        return at
    boxes: list[dict[str, object]] = []
    cursor = 0
    at = start
    while at < len(lines) and lines[at].size > 0:
        found = _find_line(key, page.key(at), lines[at].text, cursor)
        if found is None:
            break
        box = page.box(at)
        if spans:
            box["start_index"], box["end_index"] = _span(
                value, where[found[0]], where[found[1] - 1]
            )
        boxes.append(box)
        cursor = found[1]
        at += 1
    item["bbox"] = boxes
    return at


def _span(value: str, first: int, last: int) -> tuple[int, int]:
    """The line's span in ``value``: from its first to its last letter or digit, with the
    marks that stick to them ("$12", "B.V.")."""
    start, end = first, last + 1
    while start > 0 and not value[start - 1].isspace() and not value[start - 1].isalnum():
        start -= 1
    while end < len(value) and not value[end].isspace() and not value[end].isalnum():
        end += 1
    return start, end


def _first_line(key: str, page: _Lines, at: int) -> int | None:
    """The first line, from ``at`` on, that starts the item."""
    lines = page.lines
    for index in range(at, min(at + _LOOK_AHEAD, len(lines))):
        if lines[index].size > 0 and _find_line(key, page.key(index), lines[index].text, 0):
            return index
    return None


def _find_line(key: str, line_key: str, text: str, cursor: int) -> tuple[int, int] | None:
    """Where the line's letters and digits continue ``key`` from ``cursor`` (a list number the
    item dropped may lead the line)."""
    if line_key and key.startswith(line_key, cursor):
        return cursor, cursor + len(line_key)
    if not _NUMBER_MARK.match(text):
        return None
    candidate = _squashed(_NUMBER_MARK.sub("", text, count=1))
    if candidate and key.startswith(candidate, cursor):
        return cursor, cursor + len(candidate)
    return None


def _box_table(item: Item, lines: tuple[LineBox, ...], at: int) -> int:
    for index in range(at, min(at + _LOOK_AHEAD, len(lines))):
        if lines[index].size == 0:
            box = _box(lines[index])
            box["label"] = "table"
            item["bbox"] = [box]
            return index + 1
    return at


def _box(line: LineBox) -> dict[str, object]:
    _text, x, y, w, h, _size = line
    return {"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2)}


def _item_text(item: Item) -> str:
    if item.get("type") == "list":
        children = item.get("items")
        if isinstance(children, list):
            return "\n".join(_item_text(child) for child in children if isinstance(child, dict))
        return ""
    return str(item.get("value") or "")


# The one letter whose lower case depends on its neighbours (final sigma) in ``str.lower``: a
# text holding it is lowered letter by letter, as each letter alone is.
_SIGMA = "\u03a3"


# Not a letter or digit: ``[\W_]`` is exactly ``not str.isalnum()`` (``\w`` is isalnum plus the
# underscore), and lower-casing a letter to one letter never changes whether it is alphanumeric
# (both checked on every code point), so a lowered text is filtered in one C pass.
_NOT_ALNUM = re.compile(r"[\W_]+")


def _squashed(text: str) -> str:
    """``text``'s letters and digits, lower-cased (the key of :func:`_squash_map`)."""
    low = text.lower()
    if len(low) == len(text) and _SIGMA not in text:
        key = _NOT_ALNUM.sub("", low)
        if not key or key.isalnum():
            return key
    return _squash_slow(text)[0]


def _squash_map(text: str) -> tuple[str, list[int]]:
    """``text``'s letters and digits, lower-cased, and where each came from in ``text``.

    Worked out with C-level passes when lower-casing keeps one letter per letter, as it nearly
    always does: a loop over the characters in Python cost more than the rest of a text PDF's
    parse."""
    low = text.lower()
    if len(low) == len(text) and _SIGMA not in text:
        key = _NOT_ALNUM.sub("", low)
        if not key or key.isalnum():
            return key, list(compress(range(len(text)), map(str.isalnum, text)))
    return _squash_slow(text)


def _squash_slow(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char.isalnum():
            for part in char.lower():
                if part.isalnum():
                    out.append(part)
                    where.append(index)
    return "".join(out), where


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


# What a line of any other block than a paragraph opens with, past its indentation (a digit:
# an ordered list's number).
_BLOCK_STARTS = frozenset("#`~|<-*+!")


def _kind(lines: list[str], index: int) -> str:
    line = lines[index]
    stripped = line.strip()
    opening = stripped[:1]
    if opening not in _BLOCK_STARTS and not opening.isdigit():
        return "text"  # most lines of a page: no pattern can match them
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


# A character plain_text acts on ("](" of a link, an emphasis or code mark, "<br>", an escape,
# a quote); a row without one has every cell's text as it is, and no escaped pipe to split at.
_INLINE_MARK = re.compile(r"[>\]*_`<\\]")


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    if _INLINE_MARK.search(body) is None:
        return [cell.strip() for cell in body.split("|")]
    return [plain_text(cell.strip()) for cell in _PIPE_SPLIT.split(body)]


def _is_separator(line: str) -> bool:
    if "-" not in line:
        return False  # every separator cell holds a dash: a row of data, told without a split
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
