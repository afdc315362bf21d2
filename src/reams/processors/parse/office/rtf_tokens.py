"""RTF lexing: control words, groups and text, with the document's code page applied.

RTF is 7-bit text: characters beyond ASCII arrive as ``\\'hh`` bytes in the document code page
(``\\ansicpg``) or as ``\\uN`` with ``\\ucN`` fallback characters to skip. Binary runs (``\\binN``)
are skipped by length, so embedded pictures cannot derail the lexer.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word with optional parameter
    rb"|\\'([0-9a-fA-F]{2})"  # hex byte
    rb"|\\(.)"  # control symbol
    rb"|([{}])"  # group
    rb"|([^\\{}\r\n]+)"  # text
    rb"|[\r\n]+",  # line breaks in the source carry no meaning
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical unit. ``kind`` is 'word', 'symbol', 'hex', 'group' or 'text'."""

    kind: str
    value: str
    parameter: int | None = None


def tokens(data: bytes) -> Iterator[Token]:
    """Lex ``data``; ``\\bin`` payloads are skipped, unknown bytes are passed over."""
    position, end = 0, len(data)
    while position < end:
        match = _TOKEN.match(data, position)
        if match is None:
            position += 1  # a stray byte (a lone backslash at the end): skip it
            continue
        position = match.end()
        word, parameter, hex_byte, symbol, group, text = match.groups()
        if word is not None:
            number = int(parameter) if parameter is not None else None
            if word == b"bin" and number is not None and number > 0:
                position += number
                continue
            yield Token("word", word.decode("ascii"), number)
        elif hex_byte is not None:
            yield Token("hex", hex_byte.decode("ascii"))
        elif symbol is not None:
            yield Token("symbol", symbol.decode("latin-1"))
        elif group is not None:
            yield Token("group", group.decode("ascii"))
        elif text is not None:
            yield Token("text", text.decode("latin-1"))


def codec_for(code_page: int | None) -> str:
    """A Python codec name for an RTF code page; cp1252 when unknown."""
    if code_page is None:
        return "cp1252"
    name = {65001: "utf-8", 10000: "mac_roman", 936: "gbk", 950: "big5"}.get(
        code_page, f"cp{code_page}"
    )
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name


# \fcharset values (Windows character sets) to code pages.
_CHARSET_CODE_PAGES = {
    0: 1252, 77: 10000, 128: 932, 129: 949, 134: 936, 136: 950, 161: 1253, 162: 1254,
    163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250, 255: 437,
}  # fmt: skip


def codec_for_charset(charset: int | None) -> str | None:
    """The codec of a font's ``\\fcharset``; None when the document code page applies."""
    code_page = _CHARSET_CODE_PAGES.get(charset if charset is not None else -1)
    return None if code_page is None else codec_for(code_page)


# Control symbols and words that stand for one character.
SYMBOLS = {"~": "\u00a0", "-": "", "_": "\u2011", "{": "{", "}": "}", "\\": "\\"}
CHARACTER_WORDS = {
    "tab": "\t",
    "line": "\n",
    "emdash": "\u2014",
    "endash": "\u2013",
    "emspace": "\u2003",
    "enspace": "\u2002",
    "qmspace": "\u2005",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "zwj": "\u200d",
    "zwnj": "\u200c",
}

# Page headers and footers: skipped, unless the body turns out to be empty.
FURNITURE_DESTINATIONS = frozenset(
    {"header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf"}
)
# Destinations whose content is not document text.
SKIPPED_DESTINATIONS = frozenset(
    {
        "colortbl", "info", "pict", "object", "fldinst", "datastore", "themedata",
        "colorschememapping", "latentstyles", "listtable", "listoverridetable", "rsidtbl",
        "generator", "xmlnstbl", "mmathPr", "filetbl", "revtbl", "pgdsctbl", "nonshppict",
        "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf",
        "footnote", "annotation", "atnid", "atnauthor", "bkmkstart", "bkmkend", "pn",
        "shpinst", "template", "docvar", "wgrffmtfilter", "ftnsep", "ftnsepc",
        "aftnsep", "aftnsepc", "userprops", "xe", "tc", "private", "protusertbl", "pnseclvl",
        "list", "listname", "listlevel", "leveltext", "levelnumbers", "listoverride", "lfolevel",
        "listpicture", "objdata", "blipuid", "passwordhash", "mhtmltag", "htmltag",
    }
)  # fmt: skip
