"""The tesseract OCR engine, used where a ``tesseract`` binary is on the PATH.

tesseract runs as a subprocess per page, reading a PNG on stdin and writing TSV (one row per word
with its box and its block, paragraph and line numbers) on stdout. ``OMP_THREAD_LIMIT=1`` is set
because tesseract's OpenMP threads fight each other and the other worker processes: with the
default it runs about six times slower on a busy machine.
"""

from __future__ import annotations

import io
import os
import subprocess
from typing import TYPE_CHECKING

from reams.processors.parse.ocr.lines import TextBox

if TYPE_CHECKING:
    from PIL.Image import Image

TIMEOUT_S = 120.0  # one page; a stuck tesseract must not hold the worker until the item times out

_COLUMNS = 12  # level, page, block, par, line, word, left, top, width, height, conf, text
_WORD_LEVEL = "5"


class TesseractError(RuntimeError):
    """tesseract exited with an error."""


class TesseractEngine:
    """OCR by the ``tesseract`` command-line program (psm 3: automatic page segmentation)."""

    name = "tesseract"

    def __init__(self, binary: str) -> None:
        self._binary = binary

    def recognise(self, image: Image) -> list[TextBox]:
        png = io.BytesIO()
        image.convert("L").save(png, format="PNG")
        done = subprocess.run(
            [self._binary, "stdin", "stdout", "--psm", "3", "tsv"],
            input=png.getvalue(),
            capture_output=True,
            timeout=TIMEOUT_S,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", errors="replace").strip()[-300:]
            raise TesseractError(f"tesseract exited with {done.returncode}: {message}")
        return parse_tsv(done.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> list[TextBox]:
    """One box per line tesseract found, its words joined by spaces, in tesseract's order."""
    lines: dict[tuple[str, str, str, str], list[TextBox]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < _COLUMNS or cells[0] != _WORD_LEVEL or not cells[11].strip():
            continue
        try:
            left, top, width, height = (float(cell) for cell in cells[6:10])
        except ValueError:
            continue
        word = TextBox(cells[11].strip(), left, top, left + width, top + height)
        lines.setdefault((cells[1], cells[2], cells[3], cells[4]), []).append(word)
    return [_line_box(words) for words in lines.values()]


def _line_box(words: list[TextBox]) -> TextBox:
    return TextBox(
        " ".join(word.text for word in words),
        min(word.left for word in words),
        min(word.top for word in words),
        max(word.right for word in words),
        max(word.bottom for word in words),
    )
