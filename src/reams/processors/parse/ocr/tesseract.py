"""The tesseract OCR engine, used where a ``tesseract`` binary is on the PATH.

tesseract runs as a subprocess per page, reading a PNG on stdin and writing TSV (one row per word
with its box and its block, paragraph and line numbers) on stdout. ``OMP_THREAD_LIMIT=1`` is set
because tesseract's OpenMP threads fight each other and the other worker processes: with the
default it runs about six times slower on a busy machine.

Page segmentation (``--psm 3``) reads a page scanned sideways or upside down as gibberish, with
a low confidence. Such a page is turned upright as tesseract's orientation detection says
(``--psm 0``, the ``osd`` pack Debian's ``tesseract-ocr`` installs) and read again; the reading
with the higher confidence is kept. Upright pages, most of them, pay for one reading only.

tesseract reads the languages it has packs for (``-l fra+eng``). The parse options name languages
as ISO 639-1 codes (LlamaParse's ``lang``: ``fr``, ``de``), which :func:`pack_names` turns into
tesseract's pack names; a language whose pack is not installed is left out, with a warning that
says which Debian package adds it (``tesseract-ocr-fra``).
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from reams.processors.parse.ocr.lines import TextBox

if TYPE_CHECKING:
    from PIL.Image import Image

TIMEOUT_S = 120.0  # one page; a stuck tesseract must not hold the worker until the item times out

LIST_TIMEOUT_S = 20.0
DEFAULT_PACK = "eng"

# ISO 639-1 (and a few names LlamaParse accepts) to tesseract's pack names.
_PACKS = {
    "en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "da": "dan", "sv": "swe", "no": "nor", "nb": "nor", "fi": "fin", "pl": "pol", "cs": "ces",
    "sk": "slk", "sl": "slv", "hr": "hrv", "hu": "hun", "ro": "ron", "tr": "tur", "et": "est",
    "lv": "lav", "lt": "lit", "ca": "cat", "eu": "eus", "gl": "glg", "ga": "gle", "is": "isl",
    "el": "ell", "ru": "rus", "uk": "ukr", "bg": "bul", "sr": "srp", "ar": "ara", "he": "heb",
    "hi": "hin", "ja": "jpn", "ko": "kor", "zh": "chi_sim", "ch_sim": "chi_sim",
    "ch_tra": "chi_tra", "zh-tw": "chi_tra", "vi": "vie", "th": "tha", "id": "ind", "ms": "msa",
}  # fmt: skip
_TALL = 1.5  # height / width of a word box read as vertical text (as for rapidocr's lines)
_SIDEWAYS_SHARE = 0.8  # of a sideways reading's confidence that the upright one must reach
_LOW_CONFIDENCE = 60.0  # mean word confidence below which the page may be turned: upright
# print reads at 90-95, a page turned sideways or upside down at 35-40
_MIN_ORIENTATION_CONFIDENCE = 1.0  # tesseract's own scale; below it the page is read as it is
_COLUMNS = 12  # level, page, block, par, line, word, left, top, width, height, conf, text
_WORD_LEVEL = "5"


class TesseractError(RuntimeError):
    """tesseract exited with an error."""


class TesseractEngine:
    """OCR by the ``tesseract`` command-line program (psm 3: automatic page segmentation)."""

    name = "tesseract"

    def __init__(self, binary: str, packs: Sequence[str] = (DEFAULT_PACK,)) -> None:
        self._binary = binary
        self.packs = tuple(packs) or (DEFAULT_PACK,)

    def recognise(self, image: Image) -> list[TextBox]:
        grey = image.convert("L")
        tsv = self._tsv(grey)
        confidence = mean_confidence(tsv)
        sideways = _sideways(tsv)
        if confidence is not None and (confidence < _LOW_CONFIDENCE or sideways):
            turn = self._orientation(grey)
            if turn:
                turned = self._tsv(grey.rotate(-turn, expand=True, fillcolor=255))
                # Vertical text may read with a good confidence, but in no usable order.
                bar = _SIDEWAYS_SHARE * confidence if sideways else confidence
                if (mean_confidence(turned) or 0.0) > bar:
                    tsv = turned
        return parse_tsv(tsv)

    def _tsv(self, grey: Image) -> str:
        done = self._run(grey, "-l", "+".join(self.packs), "--psm", "3", "tsv")
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", errors="replace").strip()[-300:]
            raise TesseractError(f"tesseract exited with {done.returncode}: {message}")
        return done.stdout.decode("utf-8", errors="replace")

    def _orientation(self, grey: Image) -> int:
        """How far to turn the page clockwise to make it upright (tesseract's orientation
        detection, ``--psm 0``); 0 when unsure or when the ``osd`` pack is not installed."""
        try:
            done = self._run(grey, "--psm", "0")
        except subprocess.TimeoutExpired:
            return 0
        return orientation(done.stdout.decode("utf-8", errors="replace"))

    def _run(self, grey: Image, *arguments: str) -> subprocess.CompletedProcess[bytes]:
        png = io.BytesIO()
        grey.save(png, format="PNG")
        return subprocess.run(
            [self._binary, "stdin", "stdout", *arguments],
            input=png.getvalue(),
            capture_output=True,
            timeout=TIMEOUT_S,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )


def orientation(osd: str) -> int:
    """The clockwise turn ``tesseract --psm 0`` asks for, if it is confident of it, else 0."""
    values: dict[str, str] = {}
    for line in osd.splitlines():
        key, _, value = line.partition(":")
        values[key.strip()] = value.strip()
    try:
        turn = int(values.get("Rotate", "0"))
        confidence = float(values.get("Orientation confidence", "0"))
    except ValueError:
        return 0
    return turn if turn in (90, 180, 270) and confidence >= _MIN_ORIENTATION_CONFIDENCE else 0


def pack_names(languages: Sequence[str]) -> list[str]:
    """tesseract pack names for ISO 639-1 codes (or pack names given as they are), in order."""
    names: list[str] = []
    for language in languages:
        code = language.strip().lower().replace("_", "-")
        name = _PACKS.get(code) or _PACKS.get(code.split("-")[0]) or code.replace("-", "_")
        if name and name not in names:
            names.append(name)
    return names


@functools.cache
def installed_packs(binary: str) -> frozenset[str] | None:
    """The language packs ``binary`` has (``tesseract --list-langs``); None if it cannot say."""
    try:
        done = subprocess.run(
            [binary, "--list-langs"],
            capture_output=True,
            timeout=LIST_TIMEOUT_S,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    # The first line says where the packs are ("List of available languages in ...").
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()[1:]
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def mean_confidence(tsv: str) -> float | None:
    """The mean confidence (0-100) of the words in tesseract's TSV; None if it has none."""
    values: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) >= _COLUMNS and cells[0] == _WORD_LEVEL and cells[11].strip():
            try:
                values.append(float(cells[10]))
            except ValueError:
                continue
    return sum(values) / len(values) if values else None


def _sideways(tsv: str) -> bool:
    """Whether most words tesseract found are taller than wide: it read a turned page's lines
    as vertical text, well enough but in no usable order."""
    tall = wide = 0.0
    for word in _words(tsv):
        width, height = word.right - word.left, word.bottom - word.top
        if height >= _TALL * max(width, 1.0):
            tall += height
        elif width >= _TALL * max(height, 1.0):
            wide += width
    return tall > wide


def _word_rows(tsv: str) -> Iterator[tuple[tuple[str, str, str, str], TextBox]]:
    """Each word of tesseract's TSV with the (page, block, paragraph, line) it belongs to."""
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < _COLUMNS or cells[0] != _WORD_LEVEL or not cells[11].strip():
            continue
        try:
            left, top, width, height = (float(cell) for cell in cells[6:10])
        except ValueError:
            continue
        word = TextBox(cells[11].strip(), left, top, left + width, top + height)
        yield (cells[1], cells[2], cells[3], cells[4]), word


def _words(tsv: str) -> list[TextBox]:
    return [word for _, word in _word_rows(tsv)]


def parse_tsv(tsv: str) -> list[TextBox]:
    """One box per line tesseract found, its words joined by spaces, in tesseract's order."""
    lines: dict[tuple[str, str, str, str], list[TextBox]] = {}
    for key, word in _word_rows(tsv):
        lines.setdefault(key, []).append(word)
    return [_line_box(words) for words in lines.values()]


def _line_box(words: list[TextBox]) -> TextBox:
    return TextBox(
        " ".join(word.text for word in words),
        min(word.left for word in words),
        min(word.top for word in words),
        max(word.right for word in words),
        max(word.bottom for word in words),
    )
