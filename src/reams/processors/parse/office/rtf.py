"""RTF documents: paragraphs, headings, lists and tables, as one page.

A small reader of its own rather than striprtf, which ignores the document code page (Central
European and Japanese RTF come out mangled) and flattens tables to pipes. Headings come from
paragraph outline levels and "heading N" styles; list items from the marker text Word and
LibreOffice store in ``\\listtext`` (or ``\\pntext``); table cells from ``\\cell`` and ``\\row``.
Headers, footers, footnotes, comments, fields' instructions and pictures are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reams.domain.errors import ProcessorError
from reams.processors.parse.blocks import Block, heading, paragraph
from reams.processors.parse.lists import ListBuilder
from reams.processors.parse.model import StaticSource
from reams.processors.parse.office.common import office_page
from reams.processors.parse.office.rtf_tokens import (
    CHARACTER_WORDS,
    FURNITURE_DESTINATIONS,
    SKIPPED_DESTINATIONS,
    SYMBOLS,
    Token,
    codec_for,
    codec_for_charset,
    tokens,
)
from reams.processors.parse.tables import render_table

_HEADING_STYLE = re.compile(r"^heading\s*([1-9])\b", re.IGNORECASE)
_MAX_DEPTH = 256  # deeper nesting is malformed or hostile; its content is dropped
_MARKERS = frozenset({"listtext", "pntext"})
_NUMBER = re.compile(r"^\(?([0-9]{1,6}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]$")


@dataclass
class _Paragraph:
    """Properties of the paragraph being read; ``\\pard`` resets them."""

    in_table: bool = False
    outline: int | None = None
    style: int = 0
    list_level: int | None = None


@dataclass
class _Group:
    """State that a group restores when it ends: skipping, where text goes, \\uc, the font's
    code page and the paragraph properties (``{\\listtext\\pard ...}`` resets them only inside)."""

    skip: bool = False
    destination: str = ""
    unicode_skip: int = 1
    codec: str | None = None
    para: _Paragraph = field(default_factory=_Paragraph)

    def child(self, *, skip: bool) -> _Group:
        return _Group(skip, self.destination, self.unicode_skip, self.codec, replace(self.para))


class _Reader:
    """Builds blocks from the token stream of one document."""

    def __init__(self, *, tables_as_html: bool, include_furniture: bool = False) -> None:
        self._tables_as_html = tables_as_html
        self._codec = "cp1252"
        self.blocks: list[Block] = []
        self._groups = [_Group()]
        self._fonts: dict[int, str] = {}
        self._font = 0
        self._include_furniture = include_furniture
        self._group_start = False
        self._text: list[str] = []
        self._pending = bytearray()
        self._fallback = 0  # characters still to skip after a \uN
        self._marker: list[str] = []
        self._style: tuple[int, list[str]] = (0, [])
        self._heading_styles: dict[int, int] = {}
        self._lists = ListBuilder()
        self._cell: list[str] = []
        self._row: list[str] = []
        self._rows: list[list[str]] = []

    def _para(self) -> _Paragraph:
        return self._groups[-1].para

    def feed(self, token: Token) -> None:
        if token.kind == "hex":
            self._hex(token.value)
            return
        if token.kind == "text":
            self._chars(token.value)
            return
        self._flush_bytes()
        self._fallback = 0 if token.kind == "group" else self._fallback
        if token.kind == "group":
            self._group(token.value)
        elif token.kind == "symbol":
            self._symbol(token.value)
        else:
            self._word(token.value, token.parameter)
        self._group_start = token.kind == "group" and token.value == "{"

    def _group(self, brace: str) -> None:
        top = self._groups[-1]
        if brace == "{":
            self._groups.append(top.child(skip=top.skip or len(self._groups) > _MAX_DEPTH))
            return
        if len(self._groups) > 1:
            ended = self._groups.pop()
            if ended.destination == "style" and self._groups[-1].destination == "stylesheet":
                self._end_style()

    def _symbol(self, symbol: str) -> None:
        if symbol == "*":
            # {\*\dest ...} is an optional destination reams does not read; a stray \* elsewhere
            # (some writers put one before a character style) means nothing.
            self._groups[-1].skip |= self._group_start
        elif symbol in SYMBOLS:
            self._chars(SYMBOLS[symbol])
        elif symbol in "\r\n":
            self._structure("par", None)

    def _word(self, word: str, parameter: int | None) -> None:
        group = self._groups[-1]
        if word == "u" and parameter is not None:
            self._append(chr(parameter % 0x10000))
            self._fallback = group.unicode_skip
        elif word in CHARACTER_WORDS:
            self._chars(CHARACTER_WORDS[word])
        elif word in SKIPPED_DESTINATIONS and not (
            self._include_furniture and word in FURNITURE_DESTINATIONS
        ):
            group.skip = True
        elif not self._state_word(group, word, parameter) and not group.skip:
            self._structure(word, parameter)

    def _state_word(self, group: _Group, word: str, parameter: int | None) -> bool:
        """Handle words that change reader state rather than document structure."""
        if word == "ansicpg":
            self._codec = codec_for(parameter)
        elif word == "uc":
            group.unicode_skip = min(max(parameter or 0, 0), 8)
        elif word in _MARKERS or word in ("stylesheet", "fonttbl"):
            group.destination = word
        elif word == "f" and parameter is not None:
            self._select_font(group, parameter)
        elif word in ("fcharset", "cpg") and group.destination == "fonttbl":
            codec = codec_for_charset(parameter) if word == "fcharset" else codec_for(parameter)
            if codec is not None:
                self._fonts[self._font] = codec
        elif word == "s" and group.destination == "stylesheet":
            group.destination, self._style = "style", (parameter or 0, [])
        else:
            return False
        return True

    def _select_font(self, group: _Group, number: int) -> None:
        if group.destination == "fonttbl":
            self._font = number
        else:
            group.codec = self._fonts.get(number)

    def _structure(self, word: str, parameter: int | None) -> None:
        if word in ("par", "sect", "page"):
            self._end_paragraph()
        elif word == "pard":
            self._groups[-1].para = _Paragraph()
        elif word == "intbl":
            self._para().in_table = True
        elif word in ("cell", "nestcell"):
            self._end_cell()
        elif word == "row":
            self._end_row()
        elif word == "outlinelevel" and parameter is not None and 0 <= parameter < 6:
            self._para().outline = parameter
        elif word == "s" and self._groups[-1].destination == "":
            self._para().style = parameter or 0
        elif word == "ilvl":
            self._para().list_level = min(max(parameter or 0, 0), 8)
        elif word == "ls" and self._para().list_level is None:
            self._para().list_level = 0

    def _hex(self, value: str) -> None:
        if self._fallback > 0:
            self._fallback -= 1
        else:
            self._pending.append(int(value, 16))

    def _flush_bytes(self) -> None:
        if self._pending:
            codec = self._groups[-1].codec or self._codec
            text = bytes(self._pending).decode(codec, errors="replace")
            self._pending.clear()
            self._append(text)

    def _chars(self, text: str) -> None:
        self._flush_bytes()
        if self._fallback > 0:
            skipped = min(self._fallback, len(text))
            text, self._fallback = text[skipped:], self._fallback - skipped
        self._append(text)

    def _append(self, text: str) -> None:
        group = self._groups[-1]
        if not text or group.skip:
            return
        if group.destination in _MARKERS:
            self._marker.append(text)
        elif group.destination == "style":
            self._style[1].append(text)
        elif group.destination == "":
            self._text.append(text)

    def _end_style(self) -> None:
        number, parts = self._style
        match = _HEADING_STYLE.match("".join(parts).strip())
        if match:
            self._heading_styles[number] = int(match.group(1))

    def _take_text(self) -> str:
        self._flush_bytes()
        text = " ".join("".join(self._text).split())
        self._text = []
        if any("\ud800" <= char <= "\udfff" for char in text):
            # \uN writes characters beyond the BMP as two surrogate halves.
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return text

    def _end_paragraph(self) -> None:
        text = self._take_text()
        marker = " ".join("".join(self._marker).split())
        self._marker = []
        if self._para().in_table:
            self._cell.append(text)
            return
        self._end_table()
        if not text:
            return
        if marker or self._para().list_level is not None:
            self._list_item(text, marker)
            return
        self._end_list()
        self.blocks.append(self._paragraph_block(text))

    def _paragraph_block(self, text: str) -> Block:
        para = self._para()
        level = self._heading_styles.get(para.style)
        if para.outline is not None:
            level = para.outline + 1
        return paragraph(text) if level is None else heading(level, text)

    def _list_item(self, text: str, marker: str) -> None:
        number = _NUMBER.match(marker)
        label = number.group(1) if number is not None else None
        level = self._para().list_level or 0
        self._lists.add(text, level=level, numbered=label is not None, number=label)

    def _end_list(self) -> None:
        block = self._lists.end()
        if block is not None:
            self.blocks.append(block)

    def _end_cell(self) -> None:
        parts = [*self._cell, self._take_text()]
        self._row.append(" ".join(part for part in parts if part))
        self._cell = []
        self._marker = []

    def _end_row(self) -> None:
        if self._row:
            self._rows.append(self._row)
        self._row = []

    def _end_table(self) -> None:
        self._end_row()
        if self._rows:
            self._end_list()
            table = render_table(self._rows, as_html=self._tables_as_html)
            if table is not None:
                self.blocks.append(table)
            self._rows = []

    def finish(self) -> list[Block]:
        self._para().in_table = False
        self._end_paragraph()
        self._end_table()
        self._end_list()
        return self.blocks


def read_rtf(data: bytes, *, tables_as_html: bool) -> StaticSource:
    if not data.lstrip()[:5] == b"{\\rtf":
        raise ProcessorError("corrupt_document", "The file does not start like an RTF document.")
    blocks = _read(data, tables_as_html=tables_as_html, include_furniture=False)
    if not any(block.text.strip() for block in blocks):
        # Some generated RTF (reports, labels) puts everything in the page header.
        blocks = _read(data, tables_as_html=tables_as_html, include_furniture=True)
    if not any(block.text.strip() for block in blocks):
        raise ProcessorError("empty_document", "The RTF document contains no text.")
    return StaticSource([office_page(blocks)])


def _read(data: bytes, *, tables_as_html: bool, include_furniture: bool) -> list[Block]:
    reader = _Reader(tables_as_html=tables_as_html, include_furniture=include_furniture)
    for token in tokens(data):
        reader.feed(token)
    return reader.finish()
