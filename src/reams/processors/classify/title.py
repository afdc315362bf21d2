"""Where a document names itself: its first heading and the title-like lines of its opening.

A line is title-like when it is short (at most ``MAX_TITLE_WORDS`` words) and written in capitals
or in Title Case, as document titles are; runs of two or more capitalised words inside longer
lines count too (``... MULTI-MODALITY DISTRIBUTOR AGREEMENT This ...``). Text extracted from PDFs
and text files often joins lines with runs of spaces, so three or more spaces also end a line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

TITLE_ZONE_CHARS = 2500
MAX_TITLE_WORDS = 12
MAX_TITLES = 10
MAX_UNCASED_TITLE_CHARS = 30
_LINE_BREAK = re.compile(r"\n|\r| {3,}|\t")
_UPPER_RUN = re.compile(r"(?:\b[^\W\d_a-z]{2,}[^\W_a-z]*\b[\s,&/-]*){2,}")
_SMALL_WORDS = "a an and as at by for in of on or the to with de la le et und"
_SMALL = frozenset(_SMALL_WORDS.split())


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def is_title_like(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= MAX_TITLE_WORDS:
        return False
    letters = _letters(line)
    if len(letters) < 3 and not (letters and not letters[0].isascii()):
        return False
    cased = [c for c in letters if c.isupper() or c.islower()]
    if not cased:  # a script without case (CJK, Arabic, Hebrew...): a short line is a title
        return len(letters) <= MAX_UNCASED_TITLE_CHARS
    upper = sum(c.isupper() for c in cased) / len(letters)
    if upper >= 0.7:
        return True
    content = [w for w in words if w[0].isalpha() and w.lower() not in _SMALL]
    return bool(content) and all(w[0].isupper() for w in content) and len(content) >= 2


def titles(text: str, headings: Sequence[str] = ()) -> list[str]:
    """The document's title candidates, in order: headings first, then title-like lines."""
    found: list[str] = [h.strip() for h in headings if h.strip()]
    for line in _LINE_BREAK.split(text[:TITLE_ZONE_CHARS]):
        line = line.strip(" -_*#=:|")
        if not line:
            continue
        if is_title_like(line):
            found.append(line)
        else:
            found.extend(m.group(0).strip(" ,&/-") for m in _UPPER_RUN.finditer(line))
        if len(found) >= MAX_TITLES:
            break
    return found[:MAX_TITLES]


def first_headings(pages: Sequence[Mapping[str, Any]], limit: int = 2) -> list[str]:
    """The first ``limit`` headings of the first page's items."""
    out: list[str] = []
    for page in pages[:1]:
        for item in page.get("items") or []:
            if isinstance(item, Mapping) and item.get("type") == "heading":
                value = item.get("value") or item.get("md")
                if isinstance(value, str) and value.strip():
                    out.append(value.strip().lstrip("# "))
                if len(out) >= limit:
                    return out
    return out
