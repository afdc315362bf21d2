"""What a DOCX paragraph is: heading level and list membership, from styles and numbering.

Read straight from the XML once per document, because python-docx resolves a paragraph's style by
an XPath search per call, which dominates the time on long documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_MAX_OUTLINE_LEVEL = 6


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """The parts of a paragraph style that decide how its paragraphs render."""

    heading_level: int | None = None
    num_id: str | None = None
    numbered: bool = False
    list_style: bool = False


def read_styles(styles: Any) -> dict[str, StyleInfo]:
    """Map style ids to :class:`StyleInfo`, from a ``w:styles`` element (or None)."""
    if styles is None:
        return {}
    result: dict[str, StyleInfo] = {}
    for style in styles.iterchildren(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        if style_id is not None and style.get(f"{W}type") == "paragraph":
            result[style_id] = _style_info(style)
    return result


def _style_info(style: Any) -> StyleInfo:
    name_element = style.find(f"{W}name")
    name = (name_element.get(f"{W}val") if name_element is not None else "") or ""
    ppr = style.find(f"{W}pPr")
    return StyleInfo(
        heading_level=_heading_level(name, ppr),
        num_id=_val(ppr, f"{W}numPr/{W}numId"),
        numbered=name.lower().startswith("list number"),
        list_style=name.lower().startswith(("list bullet", "list number")),
    )


def _heading_level(name: str, ppr: Any) -> int | None:
    match = _HEADING_NAME.match(name.strip())
    if match:
        return int(match.group(1))
    if name.strip().lower() == "title":
        return 1
    outline = _val(ppr, f"{W}outlineLvl")
    if outline is not None and outline.isdigit() and int(outline) < _MAX_OUTLINE_LEVEL:
        return int(outline) + 1
    return None


def _val(parent: Any, path: str) -> str | None:
    if parent is None:
        return None
    element = parent.find(path)
    return None if element is None else element.get(f"{W}val")


class Numbering:
    """List markers for numbered paragraphs, counting items the way Word does per list level."""

    def __init__(self, numbering: Any) -> None:
        self._formats: dict[tuple[str, int], tuple[str, int]] = {}
        self._counters: dict[tuple[str, int], int] = {}
        if numbering is not None:
            self._load(numbering)

    def marker(self, num_id: str, level: int) -> str:
        """The Markdown marker of the next item of list ``num_id`` at ``level``."""
        number_format, start = self._formats.get((num_id, level), ("bullet", 1))
        for key in [key for key in self._counters if key[0] == num_id and key[1] > level]:
            del self._counters[key]
        if number_format in ("bullet", "none"):
            return "-"
        count = self._counters.get((num_id, level), start - 1) + 1
        self._counters[(num_id, level)] = count
        return f"{count}."

    def _load(self, numbering: Any) -> None:
        abstract: dict[str, dict[int, tuple[str, int]]] = {}
        for element in numbering.iterchildren(f"{W}abstractNum"):
            abstract[element.get(f"{W}abstractNumId")] = _levels(element)
        for num in numbering.iterchildren(f"{W}num"):
            abstract_id = _val(num, f"{W}abstractNumId")
            for level, number_format in abstract.get(abstract_id or "", {}).items():
                self._formats[(num.get(f"{W}numId"), level)] = number_format


def _levels(abstract_num: Any) -> dict[int, tuple[str, int]]:
    levels: dict[int, tuple[str, int]] = {}
    for lvl in abstract_num.iterchildren(f"{W}lvl"):
        level = lvl.get(f"{W}ilvl") or "0"
        start = _val(lvl, f"{W}start") or "1"
        number_format = _val(lvl, f"{W}numFmt") or "decimal"
        if level.isdigit():
            levels[int(level)] = (number_format, int(start) if start.isdigit() else 1)
    return levels
