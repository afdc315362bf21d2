"""Reading a line of text from the recogniser's per-step character probabilities (CTC output).

rapidocr's recogniser (PP-OCRv4) outputs, for every 8 pixels of its 48-pixel-high input, a
probability for each of its 6,625 characters, a space and "nothing here" (blank). Its own greedy
decoder keeps the most likely character of each step. Two faults of that model are mended here,
from the same output:

* **Lost spaces.** On small print and capitals the model often emits no space between words
  ("SEATTLEGENERALHOSPITAL"). The line's image shows them: a word space is a run of empty
  columns far wider than the gaps between letters. A space is put back between two characters
  when such a run lies between them; a narrower run (monospaced digits leave wide gaps around a
  "1") needs the model's own space probability there as well.
* **Stray CJK glyphs.** The model reads Chinese and Latin alike, and on a Latin page now and
  then reads a smudged letter as an ideograph ("BA于sociaer") or punctuation as its full-width
  form. On a page written in Latin script such a lone glyph is replaced by the most likely
  Latin character at its place (full-width forms by their ASCII twins); runs of two or more
  CJK characters are kept, since a Latin page may quote a Chinese or Japanese name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

STEP = 8  # input pixels per output step
HEIGHT = 48  # input height the recogniser was trained on

_WIDE_GAP = 0.55  # of the ink height: an empty run this wide is a word space by itself
_GAP = 0.3  # of the ink height: an empty run this wide is a space if the model half-thinks so
_SPACE_HINT = 0.02  # the model's space probability somewhere in such a run
_INK_BAND = 0.08  # of the busiest row's ink: rows with less are outside the text band
_ALTERNATIVE = 0.05  # least probability of the Latin character read in place of a foreign one
_LATIN_SHARE = 0.7  # share of a page's letters in Latin script for it to be a Latin page


@dataclass(slots=True)
class Glyph:
    """One character the recogniser emitted: its class, probability and output steps."""

    index: int
    prob: float
    start: int
    end: int  # inclusive
    alternative: str = ""  # the most likely character outside CJK at these steps


@dataclass(slots=True)
class Reading:
    """What the recogniser made of one line image, kept until the page's script is known."""

    glyphs: list[Glyph] = field(default_factory=list)
    gaps: list[tuple[int, int, float]] = field(default_factory=list)  # (x0, x1, space prob)
    ink_height: float = 0.0


class Alphabet:
    """The recogniser's character list, sorted by script."""

    def __init__(self, characters: list[str]) -> None:
        import numpy as np

        self.characters = characters
        self.space = len(characters) - 1 if characters and characters[-1] == " " else -1
        self.foreign = np.array([_is_foreign(char) for char in characters], dtype=bool)
        self.foreign[0] = False  # blank
        self.cjk = np.array([_is_cjk(char) for char in characters], dtype=bool)
        self.latin = np.array([_is_latin_letter(char) for char in characters], dtype=bool)
        self.allowed = ~self.foreign


@dataclass(frozen=True, slots=True)
class Ink:
    """Where a line image has ink: the runs of empty columns in its text band, and the band's
    height (about the height of its letters), in pixels of the 48-pixel-high line."""

    gaps: list[tuple[int, int]]
    height: float


def read_steps(probs: Any, ink: Ink, alphabet: Alphabet) -> Reading:
    """Decode ``probs`` (steps x classes) of a line image whose ink is ``ink``."""

    best = probs.argmax(axis=1)
    reading = Reading()
    previous = 0
    for step, index in enumerate(best.tolist()):
        if index != 0 and index == previous and reading.glyphs:
            glyph = reading.glyphs[-1]
            glyph.end = step
            glyph.prob = max(glyph.prob, float(probs[step, index]))
        elif index != 0:
            reading.glyphs.append(Glyph(index, float(probs[step, index]), step, step))
        previous = index
    for glyph in reading.glyphs:
        if alphabet.foreign[glyph.index]:
            glyph.alternative = _alternative(probs[glyph.start : glyph.end + 1], alphabet)
    reading.ink_height = ink.height
    space = probs[:, alphabet.space] if alphabet.space >= 0 else probs[:, :0].sum(axis=1)
    reading.gaps = [
        (x0, x1, float(space[x0 // STEP : max(x1 // STEP, x0 // STEP + 1)].max(initial=0.0)))
        for x0, x1 in ink.gaps
    ]
    return reading


def _alternative(span: Any, alphabet: Alphabet) -> str:
    """The most likely character of a Latin page over some steps: "" if that is blank."""
    import numpy as np

    allowed = span * alphabet.allowed
    row, column = np.unravel_index(int(allowed.argmax()), allowed.shape)
    if int(column) in (0, alphabet.space) or float(allowed[row, column]) < _ALTERNATIVE:
        return ""
    return alphabet.characters[int(column)]


def ink_extent(pixels: Any) -> tuple[int, int]:
    """The first and one past the last column of a grey line image that has ink."""
    import cv2
    import numpy as np

    _, ink = cv2.threshold(pixels, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if ink.mean() > 0.5:
        ink = 1 - ink
    columns = np.flatnonzero(ink.sum(axis=0))
    if len(columns) == 0:
        return 0, pixels.shape[1]
    return int(columns[0]), int(columns[-1]) + 1


def line_ink(pixels: Any) -> Ink:
    """The ink of a grey line image: its runs of empty columns and its text band's height."""
    import cv2
    import numpy as np

    _, ink = cv2.threshold(pixels, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if ink.mean() > 0.5:  # light text on a dark ground
        ink = 1 - ink
    rows = ink.sum(axis=1)
    if rows.max(initial=0) == 0:
        return Ink([], 0.0)
    band = np.flatnonzero(rows >= _INK_BAND * rows.max())
    top, bottom = int(band[0]), int(band[-1]) + 1
    columns = ink[top:bottom].sum(axis=0) > 0
    filled = np.flatnonzero(columns)
    jumps = np.flatnonzero(np.diff(filled) > 1).tolist()
    gaps = [(int(filled[jump]) + 1, int(filled[jump + 1])) for jump in jumps]
    return Ink(gaps, float(bottom - top))


def is_latin_page(readings: list[Reading], alphabet: Alphabet) -> bool:
    """Whether most letters the recogniser read on a page are Latin ones."""
    latin = foreign = 0
    for reading in readings:
        for glyph in reading.glyphs:
            if alphabet.latin[glyph.index]:
                latin += 1
            elif alphabet.foreign[glyph.index]:
                foreign += 1
    return latin > 0 and latin >= _LATIN_SHARE * (latin + foreign)


def line_text(reading: Reading, alphabet: Alphabet, *, latin_page: bool) -> tuple[str, float]:
    """The line's text with its word spaces mended, and its mean character probability."""
    glyphs = reading.glyphs
    chars: list[str] = []
    probs: list[float] = []
    last: Glyph | None = None  # the last glyph written that is not a space
    for position, glyph in enumerate(glyphs):
        char = alphabet.characters[glyph.index]
        if latin_page and alphabet.foreign[glyph.index]:
            char = _latin_form(char, glyph, glyphs, position, alphabet)
            if not char:
                continue
        if char == " ":
            if chars and chars[-1] != " ":
                chars.append(" ")
            last = None
            continue
        if last is not None and chars[-1] != " " and _space_between(reading, last, glyph):
            chars.append(" ")
        chars.append(char)
        probs.append(glyph.prob)
        last = glyph
    text = "".join(chars).strip()
    return text, (sum(probs) / len(probs) if probs else 0.0)


def _latin_form(char: str, glyph: Glyph, glyphs: list[Glyph], position: int, alphabet: Any) -> str:
    """What a character foreign to Latin script reads as on a Latin page."""
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii():
        return folded  # a full-width form of an ASCII character
    if alphabet.cjk[glyph.index]:
        neighbours = glyphs[max(position - 1, 0) : position] + glyphs[position + 1 : position + 2]
        if any(alphabet.cjk[other.index] for other in neighbours):
            return char  # part of a run: a real CJK word quoted on the page
    return glyph.alternative


def _space_between(reading: Reading, before: Glyph, after: Glyph) -> bool:
    """Whether the image shows a word space between two emitted characters."""
    height = reading.ink_height
    if height <= 0:
        return False
    left = (before.start + before.end + 1) * STEP / 2
    right = (after.start + after.end + 1) * STEP / 2
    for x0, x1, space in reading.gaps:
        if x0 >= left and x1 <= right:
            width = x1 - x0
            if width >= _WIDE_GAP * height or (width >= _GAP * height and space >= _SPACE_HINT):
                return True
    return False


def _is_cjk(char: str) -> bool:
    if len(char) != 1:
        return False
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK symbols, kana, bopomofo, ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0x20000 <= code <= 0x3FFFF  # supplementary ideographs
    )


def _is_foreign(char: str) -> bool:
    """Not written on a Latin page: CJK, full-width forms, Greek and Cyrillic letters."""
    if len(char) != 1 or char == " ":
        return False
    code = ord(char)
    if _is_cjk(char) or 0xFF00 <= code <= 0xFFEF or 0xFE50 <= code <= 0xFE6F:
        return True
    return 0x0370 <= code <= 0x052F and unicodedata.category(char).startswith("L")


def _is_latin_letter(char: str) -> bool:
    return len(char) == 1 and char.isalpha() and not _is_foreign(char) and ord(char) < 0x0250
