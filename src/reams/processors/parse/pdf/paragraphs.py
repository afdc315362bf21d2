"""Paragraphs, headings and list items from the lines of one column of a PDF page.

A new block starts at a larger-than-usual vertical gap, a jump back up the page, after a sentence
that ends well before the column's edge (the left edge for right-to-left text), at a change of
font size or weight, at a bullet or number, and around table-of-contents entries. Larger-than-body
text becomes a heading (level by size ratio); a short all-bold line at body size becomes a level-4
heading.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from reams.processors.parse.blocks import Block, escape_markdown, heading
from reams.processors.parse.pdf.furniture import EXPLICIT_LABEL
from reams.processors.parse.pdf.lines import BULLET, NUMBERED, Line

_SPACES = re.compile(r"[ \t\u00a0]+")
_SENTENCE_END = (".", "!", "?", ":", '"', "”", ")")

_PARAGRAPH_GAP = 1.45  # times the usual line spacing
_HEADING_RATIO = 1.15  # times the body font size
_SHORT_LINE = 2.5  # body font sizes short of the usual right edge
_MAX_HEADING_CHARS = 150
_MAX_BOLD_HEADING_CHARS = 80
_SIZE_TOLERANCE = 0.9  # points
_MIN_EDGE_LINES = 3  # body lines a column needs for its own edges


@dataclass(frozen=True, slots=True)
class PageStyle:
    """What is normal on this page (or column): body font size, line spacing, text edges."""

    body_size: float
    spacing: float
    right_edge: float
    left_edge: float = 0.0


def paragraphs(lines: list[Line], style: PageStyle) -> list[Block]:
    """The blocks (paragraphs, headings, list items) of a column's lines, in order."""
    if not lines:
        return []
    return [_render(group, style) for group in _group(lines, style)]


def page_style(lines: list[Line]) -> PageStyle:
    weights: dict[float, int] = {}
    for line in lines:
        key = round(line.size * 2) / 2
        weights[key] = weights.get(key, 0) + len(line.text)
    body_size = max(weights, key=lambda size: weights[size])
    body = [line for line in lines if abs(line.size - body_size) < _SIZE_TOLERANCE]
    gaps = sorted(
        previous.baseline - line.baseline
        for previous, line in itertools.pairwise(body)
        if 0 < previous.baseline - line.baseline < body_size * 3
    )
    return column_style(
        body,
        PageStyle(
            body_size=body_size,
            # The lower quartile, not the median: on pages of short paragraphs, paragraph gaps
            # can outnumber plain line steps.
            spacing=gaps[len(gaps) // 4] if gaps else body_size * 1.2,
            right_edge=0.0,
        ),
    )


def column_style(lines: list[Line], style: PageStyle) -> PageStyle:
    """``style`` with the left and right edges of full lines among ``lines`` (a column)."""
    body = [line for line in lines if abs(line.size - style.body_size) < _SIZE_TOLERANCE]
    if len(body) < _MIN_EDGE_LINES:
        return style
    rights = sorted(line.right for line in body)
    lefts = sorted(line.left for line in body)
    return PageStyle(
        style.body_size,
        style.spacing,
        right_edge=rights[int(len(rights) * 0.9)],
        left_edge=lefts[len(lefts) // 10],
    )


def _group(lines: list[Line], style: PageStyle) -> list[list[Line]]:
    groups: list[list[Line]] = [[lines[0]]]
    for previous, line in itertools.pairwise(lines):
        if _breaks_layout(previous, line, style) or _breaks_style(groups[-1], previous, line):
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _breaks_layout(previous: Line, line: Line, style: PageStyle) -> bool:
    gap = previous.baseline - line.baseline
    if gap <= 0 or gap > style.spacing * _PARAGRAPH_GAP:
        return True
    short = _SHORT_LINE * style.body_size
    if previous.rtl:  # right-to-left text ends short on the left
        ends_short = previous.left > style.left_edge + short
    else:
        ends_short = previous.right < style.right_edge - short
    return ends_short and previous.text.endswith(_SENTENCE_END)


def _breaks_style(group: list[Line], previous: Line, line: Line) -> bool:
    if abs(line.size - previous.size) > _SIZE_TOLERANCE or line.bold != previous.bold:
        return True
    if line.item or line.leader or previous.leader:
        return True
    # A list item continues only on lines indented past its marker.
    return group[0].item and line.left <= group[0].left + 1.0


def _render(group: list[Line], style: PageStyle) -> Block:
    text = _join([line.text for line in group])
    level = _heading_level(group, text, style)
    if level is not None:
        return heading(level, text)
    bullet = BULLET.match(text)
    if bullet:
        return Block("- " + escape_markdown(text[bullet.end() :]), text)
    number = NUMBERED.match(text)
    if number:
        return Block(f"{number.group(1)}. " + escape_markdown(text[number.end() :]), text)
    return Block(escape_markdown(text), text)


def _heading_level(group: list[Line], text: str, style: PageStyle) -> int | None:
    if EXPLICIT_LABEL.match(text):
        return None  # "Page 3 of 12", "- 3 -": a page number, however large or bold
    ratio = group[0].size / style.body_size
    if ratio >= _HEADING_RATIO and len(text) <= _MAX_HEADING_CHARS:
        return 1 if ratio >= 1.6 else 2 if ratio >= 1.3 else 3
    bold_label = all(line.bold for line in group) and len(group) == 1
    if bold_label and len(text) <= _MAX_BOLD_HEADING_CHARS and not text.endswith(_SENTENCE_END):
        return 4
    return None


def _join(parts: list[str]) -> str:
    joined = parts[0]
    for part in parts[1:]:
        # A line ending in a hyphen continues a compound word; anything else needs a space.
        joined += part if joined.endswith("-") else " " + part
    if "  " in joined or "\t" in joined or "\u00a0" in joined:
        return _SPACES.sub(" ", joined)
    return joined


def tighten_lists(blocks: list[Block]) -> list[str]:
    """Join consecutive items of one kind of list with single newlines: one tight list each."""
    rendered: list[str] = []
    for block in blocks:
        kind = _item_kind(block.markdown)
        if kind and rendered and _item_kind(rendered[-1].rsplit("\n", 1)[-1]) == kind:
            rendered[-1] += "\n" + block.markdown
        else:
            rendered.append(block.markdown)
    return rendered


def _item_kind(markdown: str) -> str | None:
    if markdown.startswith("- "):
        return "bullet"
    return "number" if NUMBERED.match(markdown) is not None else None
