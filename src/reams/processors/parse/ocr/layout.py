"""From OCR text boxes to a page: paragraphs, headings and list items, in reading order.

Boxes become lines (:mod:`lines`), read in column order where the page has two columns of
prose (:mod:`columns`). A new block starts at a larger-than-usual vertical gap, at a change of
text height, where the next line does not sit under the previous one, at a bullet or number, and
after a sentence that ends well short of the block's right edge. Text much taller than the body
becomes a heading. The plain text keeps one line per recognised line, as the PDF reader does.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from reams.processors.parse.blocks import escape_markdown, heading
from reams.processors.parse.model import LineBox, PageContent
from reams.processors.parse.ocr.columns import reading_order
from reams.processors.parse.ocr.lines import Line, TextBox, cell_text, group_lines

_PARAGRAPH_GAP = 0.75  # times the line height: a larger gap between lines starts a new block
_HEIGHT_CHANGE = 1.3  # ratio of line heights that marks a change of font size
_HEADING_RATIO = 1.45  # times the body line height
_TITLE_RATIO = 1.9
_MAX_HEADING_CHARS = 120
_SHORT_LINE = 3.0  # line heights short of the block's right edge
_SENTENCE_END = (".", "!", "?", ":")
_BULLETS = "•●▪■◦·*-–"
_BULLET = re.compile(rf"^[{re.escape(_BULLETS)}]\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3}|[a-zA-Z])[.)]\s+\S")
_HYPHENATED = re.compile(r"[A-Za-zÀ-ÿ]-$")


@dataclass(slots=True)
class _Block:
    lines: list[Line] = field(default_factory=list)

    @property
    def right(self) -> float:
        return max(line.right for line in self.lines)


def layout_boxes(
    boxes: Sequence[TextBox], *, width: float | None, height: float | None
) -> PageContent:
    """Render OCR boxes as a page: Markdown blocks, and plain text with one line per line."""
    groups = [group_lines(group) for group in reading_order(boxes)]
    lines = [line for group in groups for line in group]
    if not lines:
        return PageContent(markdown="", text="", width=width, height=height)
    body = _body_height(lines)
    blocks = [block for group in groups for block in _blocks(group)]
    markdown = "\n\n".join(_render(block, body) for block in blocks)
    text = "\n".join(cell_text(line) for line in lines)
    return PageContent(markdown=markdown, text=text, width=width, height=height)


def line_boxes(boxes: Sequence[TextBox], *, scale: float) -> tuple[LineBox, ...]:
    """The boxes of the lines :func:`layout_boxes` makes of ``boxes``, in points (``scale``:
    the image's pixels per point), in the order of its text."""
    lines = [line for group in reading_order(boxes) for line in group_lines(group)]
    return tuple(_line_box(line, cell_text(line), scale) for line in lines)


def _line_box(line: Line, text: str, scale: float) -> LineBox:
    """An OCR line's box in points from the page's top-left corner (the upright image's).
    Its height is the line's, so its type size is taken as that over 1.05, as a PDF line's
    box is 1.05 times its size."""
    height = line.height / scale
    return LineBox(
        text,
        line.left / scale,
        line.top / scale,
        (line.right - line.left) / scale,
        height,
        height / 1.05,
    )


def _body_height(lines: list[Line]) -> float:
    # The height most of the text is set in, weighted by characters so that a few large
    # headings or many short numbers do not decide it.
    weighted = [line.height for line in lines for _ in range(min(len(line.text), 200))]
    return statistics.median(weighted) if weighted else 1.0


def _blocks(lines: list[Line]) -> list[_Block]:
    blocks: list[_Block] = []
    for line in lines:
        if blocks and _continues(blocks[-1], line):
            blocks[-1].lines.append(line)
        else:
            blocks.append(_Block([line]))
    return blocks


def _continues(block: _Block, line: Line) -> bool:
    previous = block.lines[-1]
    height = min(previous.height, line.height)
    if line.top - previous.bottom > _PARAGRAPH_GAP * height:
        return False
    if max(previous.height, line.height) / height > _HEIGHT_CHANGE:
        return False
    if line.left > previous.right or line.right < previous.left:
        return False  # not under the previous line: a neighbouring column or a stray label
    if _BULLET.match(line.text) or _NUMBERED.match(line.text):
        return False
    ends_sentence = previous.text.endswith(_SENTENCE_END)
    return not (ends_sentence and previous.right < block.right - _SHORT_LINE * height)


def _render(block: _Block, body: float) -> str:
    text = _join_lines([line.text for line in block.lines])
    size = statistics.median(line.height for line in block.lines)
    if _is_heading(block, text, size / body):
        return heading(1 if size / body >= _TITLE_RATIO else 2, text).markdown
    bullet = _BULLET.match(text)
    if bullet:
        return f"- {escape_markdown(bullet.group(1))}"
    return escape_markdown(text)


def _is_heading(block: _Block, text: str, ratio: float) -> bool:
    return (
        ratio >= _HEADING_RATIO
        and len(block.lines) <= 2
        and len(text) <= _MAX_HEADING_CHARS
        and not text.endswith((".", ","))
    )


def _join_lines(texts: list[str]) -> str:
    """Join a block's lines into one paragraph, mending words hyphenated at a line end."""
    joined = texts[0]
    for text in texts[1:]:
        if _HYPHENATED.search(joined) and text[:1].islower():
            joined = joined[:-1] + text
        else:
            joined = f"{joined} {text}"
    return joined
