"""A line of PDF text as layout analysis sees it: text, geometry, style, and its pieces.

Coordinates are in PDF points as the page is displayed (``/Rotate`` applied), ``baseline``
growing up the page. ``text`` reads lines from PDFium; the layout modules consume them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BULLET = re.compile(r"^[•·▪◦‣●○■□➢►✓\-–*]\s+")
NUMBERED = re.compile(r"^\(?(\d{1,3})[.)]\s+")


@dataclass(slots=True, unsafe_hash=True)
class Piece:
    """A run of a line's text between wide gaps; x coordinates in PDF points.

    Treated as a value (compared and hashed by its fields) but not frozen: a frozen
    dataclass sets each field through ``object.__setattr__``, which made its ``__init__``
    about 2.5x dearer, and tens of thousands are made per document (one per line piece, and
    one for each whole line that :meth:`Line.parts` gives). Nothing assigns to a piece.
    """

    text: str
    left: float
    right: float


@dataclass(slots=True)
class Line:
    """One text line; coordinates in PDF points, ``baseline`` grows up the page."""

    text: str
    left: float
    right: float
    baseline: float
    size: float
    bold: bool = False
    item: bool = False
    """Starts with a bullet or a number."""
    leader: bool = False
    """Ends in dot leaders and a page number, as table-of-contents entries do."""
    pieces: tuple[Piece, ...] = ()
    """The line split at wide gaps; empty when it is one piece."""
    rtl: bool = False
    """Runs right to left: its first character is its rightmost."""
    upright: bool = True
    """Reads across the page as displayed; False for vertical or steeply rotated text."""
    mcid: int = -1
    """The marked-content id its text starts in, on a tagged page (see ``structure``)."""
    top: float = field(init=False, repr=False, compare=False)
    """Its baseline plus 0.8 of its size (ascenders)."""
    bottom: float = field(init=False, repr=False, compare=False)
    """Its baseline less 0.25 of its size (descenders)."""

    def __post_init__(self) -> None:
        # Worked out once: the layout reads them some ten times per line (they were
        # properties), and a line's baseline and size do not change once it is made.
        self.top = self.baseline + 0.8 * self.size
        self.bottom = self.baseline - 0.25 * self.size

    def parts(self) -> tuple[Piece, ...]:
        """The line's pieces, or the whole line as one piece."""
        return self.pieces or (Piece(self.text, self.left, self.right),)
