"""The document's physical lines, as printed, and the label/value pairs their layout shows.

Parse items join the lines of a block into one paragraph (an OCR'd receipt comes back as one
long item), but each page's ``text`` keeps one printed line per line, with table cells and
wide gaps as tabs (or runs of spaces in plain-text files). Label/value pairs are read from
those lines the way a person reads a form:

* ``Label: value`` inside a line or a cell (several on one line);
* a label cell and the cell to its right (``Invoice Date | 20-10-2015``);
* a line of label cells and the line below it, column by column
  (``Invoice Date: | Due Date:`` over ``03/20/2023 | 04/04/2023``);
* a label alone on its line (``Bill To:``) and the line below it;
* a run of labels printed after the run of their values (PDF columns read out of order:
  ``Jan 1, 2022`` / ``po_number_123`` then ``Date:`` / ``PO Number:``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reams.processors.extract.text import Pair, tokens

__all__ = ["PLine", "line_pairs", "physical_lines"]

_CELL_GAP = re.compile(r"\t+|\s{3,}")
_KEY_VALUE = re.compile(r"^\s*(?P<key>[^:\n]{1,50}?)\s*[:：]\s*(?P<value>\S.{0,200}?)\s*$")
_EMBEDDED = re.compile(r"\s(?P<key>[A-Z][\w#/()&'.°-]*(?: [\w#/()&'.°-]+){0,3})\s?:\s+")
MAX_LABEL_WORDS = 6


@dataclass(frozen=True)
class PLine:
    """One printed line: its page, position in the document, cells and text."""

    page: int
    index: int
    cells: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.cells)


def physical_lines(doc: Mapping[str, Any], *, page: int | None = None) -> list[PLine]:
    """The printed lines of the document (or of one page), in reading order."""
    out: list[PLine] = []
    for number, page_dict in enumerate(doc.get("pages") or [], start=1):
        if not isinstance(page_dict, Mapping):
            continue
        number = int(page_dict.get("page_number") or number)
        if page is not None and number != page:
            continue
        for raw in str(page_dict.get("text") or "").split("\n"):
            cells = tuple(c for part in _CELL_GAP.split(raw) if (c := " ".join(part.split())))
            if cells:
                out.append(PLine(number, len(out), cells))
    return out


def is_label(text: str) -> bool:
    """A short run of words without digits, optionally ending with a colon."""
    words = tokens(text)
    stripped = text.rstrip(" :")
    return (
        0 < len(words) <= MAX_LABEL_WORDS
        and sum(c.isalpha() for c in stripped) >= 2
        and not any(c.isdigit() for c in stripped)
        and not stripped.endswith((".", ","))
    )


def _colon_pairs(text: str) -> list[tuple[str, str]]:
    match = _KEY_VALUE.match(text)
    if not match or len(tokens(match["key"])) > MAX_LABEL_WORDS:
        return []
    pairs = []
    key, rest = match["key"], match["value"]
    while (embedded := _EMBEDDED.search(rest)) is not None:
        pairs.append((key, rest[: embedded.start()].strip()))
        key, rest = embedded["key"], rest[embedded.end() :]
    pairs.append((key, rest.strip()))
    return [(k.strip(), v) for k, v in pairs if v and k.strip()]


def line_pairs(lines: list[PLine]) -> list[Pair]:
    """Every label/value pair the lines' layout shows (see the module docstring)."""
    found: list[tuple[PLine, str, str, str]] = []
    for position, line in enumerate(lines):
        found.extend(_beside(line))
        below = lines[position + 1] if position + 1 < len(lines) else None
        if below is not None and below.page == line.page:
            found.extend(_under(line, below))
    pairs = [
        Pair(line.page, key.strip(" :#|"), value.strip(), source, line.index)
        for line, key, value, source in found
        if key.strip(" :#|") and value.strip()
    ]
    return pairs + _label_runs(lines)


def _beside(line: PLine) -> list[tuple[PLine, str, str, str]]:
    """Values on the label's own line: after a colon, or in the next cell."""
    found = [(line, k, v, cell) for cell in line.cells for k, v in _colon_pairs(cell)]
    if len(line.cells) > 1:
        found += [(line, k, v, line.text) for k, v in _colon_pairs(line.text)]
    for key, value in zip(line.cells, line.cells[1:], strict=False):
        if is_label(key) and not is_label(value):
            found.append((line, key, value, f"{key} {value}"))
    return found


def _under(line: PLine, below: PLine) -> list[tuple[PLine, str, str, str]]:
    """Values under their labels: column by column, or a lone "Label:" over its value."""
    if not all(is_label(c) for c in line.cells):
        return []
    if len(line.cells) > 1 and len(below.cells) == len(line.cells):
        return [
            (below, key, value, f"{key} {value}")
            for key, value in zip(line.cells, below.cells, strict=True)
            if not is_label(value)
        ]
    alone = len(line.cells) == 1 and line.text.endswith(":")
    if alone and not below.text.endswith(":") and not _colon_pairs(below.text):
        return [(below, line.text, below.text, f"{line.text} {below.text}")]
    return []


def _label_runs(lines: list[PLine]) -> list[Pair]:
    """Labels printed after their values: N lines "Label:" right after N value lines."""
    pairs: list[Pair] = []
    position = 0
    while position < len(lines):
        end = position
        while (
            end < len(lines)
            and len(lines[end].cells) == 1
            and lines[end].text.endswith(":")
            and is_label(lines[end].text)
        ):
            end += 1
        size = end - position
        if size >= 2 and position - size >= 0:
            values = lines[position - size : position]
            if all(len(v.cells) == 1 and not v.text.endswith(":") for v in values):
                for label, value in zip(lines[position:end], values, strict=True):
                    source = f"{label.text} {value.text}"
                    key = label.text.rstrip(" :")
                    pairs.append(Pair(value.page, key, value.text, source, value.index))
        position = max(end, position + 1)
    return pairs
