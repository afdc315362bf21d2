"""OCR text boxes and the lines they form: boxes that share a band of the page are one line.

OCR engines report runs of text with their boxes in the upright page image, in no reliable order.
Boxes whose vertical extents mostly overlap sit on one line, read left to right, so that table rows
and form fields stay together; lines are returned from the top of the page down.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_SAME_LINE_OVERLAP = 0.5  # of the smaller height: boxes sharing this much of a band are one line


@dataclass(frozen=True, slots=True)
class TextBox:
    """A run of recognised text and its box, in pixels of the upright page image."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(slots=True)
class Line:
    """One line of a page: its boxes left to right, its extent and its text."""

    boxes: list[TextBox]
    top: float
    bottom: float
    left: float = 0.0
    right: float = 0.0
    text: str = ""

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


def group_lines(boxes: Iterable[TextBox]) -> list[Line]:
    """Boxes that share a horizontal band, as lines from the top of the page down."""
    lines: list[Line] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if not box.text.strip():
            continue
        line = lines[-1] if lines else None
        if line is not None and _overlap(line, box) >= _SAME_LINE_OVERLAP * _smaller(line, box):
            line.boxes.append(box)
            line.top, line.bottom = min(line.top, box.top), max(line.bottom, box.bottom)
        else:
            lines.append(Line([box], box.top, box.bottom))
    for line in lines:
        line.boxes.sort(key=lambda b: b.left)
        line.left, line.right = line.boxes[0].left, max(b.right for b in line.boxes)
        line.text = " ".join(" ".join(b.text.split()) for b in line.boxes)
    return sorted(lines, key=lambda line: (line.top, line.left))


def _overlap(line: Line, box: TextBox) -> float:
    return min(line.bottom, box.bottom) - max(line.top, box.top)


def _smaller(line: Line, box: TextBox) -> float:
    return min(line.height, max(box.bottom - box.top, 1.0))


_CELL_GAP = 1.5  # times the line height: a wider gap between boxes separates cells


def cell_text(line: Line) -> str:
    """The line's text for the page's plain text: its boxes joined by a space, or by a tab
    across a wide gap (a table's or a form's columns), so that label/value cells stay apart
    as they do in a PDF's text."""
    parts: list[str] = []
    for index, box in enumerate(line.boxes):
        if index:
            gap = box.left - line.boxes[index - 1].right
            parts.append("\t" if gap > _CELL_GAP * line.height else " ")
        parts.append(" ".join(box.text.split()))
    return "".join(parts)
