"""OCR word spacing and script: spaces the recogniser drops are put back from the line image,
and lone CJK glyphs on a Latin page are read as the Latin character they stand for."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_fixtures import RECEIPT, image_bytes, printed_image
from reams.processors import run
from reams.processors.parse.ocr.ctc import (
    HEIGHT,
    STEP,
    Alphabet,
    is_latin_page,
    line_ink,
    line_text,
    read_steps,
)

# --------------------------------------------------------------------------- on rendered print


@pytest.mark.parametrize(
    ("font", "size", "dpi"),
    [("Helvetica", 8, 200), ("Courier", 8, 200), ("Times-Roman", 10, 150), ("Helvetica", 7, 150)],
)
def test_small_print_keeps_the_spaces_between_words(font: str, size: float, dpi: float) -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")
    image = printed_image(RECEIPT, font=font, size=size, dpi=dpi)
    text = run("parse", image_bytes(image, "PNG"), "receipt.png", {})["text_full"]
    words = text.split()
    expected = " ".join(RECEIPT).split()
    found = sum(1 for word in expected if word in words)
    # Without the mended spaces this reads "SEATTLEGENERALHOSPITAL", "29/06/20188:26:57AM"...
    assert found >= 0.85 * len(expected), text
    assert "SEATTLEGENERALHOSPITAL" not in text


# --------------------------------------------------------------------------- decoding, by hand

_CHARACTERS = ["blank", "B", "A", "s", "o", "于", "中", "）", ")", "1", "Ω", " "]


def _alphabet() -> Alphabet:
    return Alphabet(list(_CHARACTERS))


def _probs(steps: list[str | tuple[str, str]]) -> np.ndarray:
    """Per-step probabilities: a character (or blank "") wins each step; a pair (winner,
    runner-up) gives the runner-up a fair share, as the Latin letter behind a stray glyph."""
    probs = np.full((len(steps), len(_CHARACTERS)), 0.001, dtype=np.float32)
    for step, spec in enumerate(steps):
        winner, second = spec if isinstance(spec, tuple) else (spec, None)
        probs[step, _CHARACTERS.index(winner) if winner else 0] = 0.8
        if second is not None:
            probs[step, _CHARACTERS.index(second)] = 0.15
    return probs


def _blank_line(steps: int) -> np.ndarray:
    return np.full((HEIGHT, steps * STEP), 255, dtype=np.uint8)


def _ink(line: np.ndarray, *steps: int) -> np.ndarray:
    """Black glyph blocks over the given output steps (each a little narrower than a step)."""
    for step in steps:
        line[10:38, step * STEP + 1 : step * STEP + STEP - 1] = 0
    return line


def test_a_lone_cjk_glyph_on_a_latin_page_becomes_the_latin_runner_up() -> None:
    alphabet = _alphabet()
    steps: list[str | tuple[str, str]] = ["B", "", "A", "", ("于", "s"), "", "o", ""]
    reading = read_steps(_probs(steps), line_ink(_ink(_blank_line(8), 0, 2, 4, 6)), alphabet)
    assert is_latin_page([reading], alphabet)
    assert line_text(reading, alphabet, latin_page=True)[0] == "BAso"
    assert line_text(reading, alphabet, latin_page=False)[0] == "BA于o"


def test_a_run_of_cjk_glyphs_is_kept_and_full_width_forms_fold_to_ascii() -> None:
    alphabet = _alphabet()
    steps: list[str | tuple[str, str]] = ["B", "", "于", "", "中", "", "）", "", "1", ""]
    reading = read_steps(_probs(steps), line_ink(_ink(_blank_line(10), 0, 2, 4, 6, 8)), alphabet)
    assert line_text(reading, alphabet, latin_page=True)[0] == "B于中)1"


def test_a_page_mostly_in_cjk_is_not_a_latin_page() -> None:
    alphabet = _alphabet()
    steps: list[str | tuple[str, str]] = ["于", "", "中", "", "于", "", "B", ""]
    reading = read_steps(_probs(steps), line_ink(_ink(_blank_line(8), 0, 2, 4, 6)), alphabet)
    assert not is_latin_page([reading], alphabet)


def test_greek_lookalikes_are_foreign_on_a_latin_page() -> None:
    alphabet = _alphabet()
    steps: list[str | tuple[str, str]] = ["B", "", ("Ω", "o"), "", "s", ""]
    reading = read_steps(_probs(steps), line_ink(_ink(_blank_line(6), 0, 2, 4)), alphabet)
    assert line_text(reading, alphabet, latin_page=True)[0] == "Bos"


def test_a_wide_empty_run_between_characters_is_a_word_space() -> None:
    alphabet = _alphabet()
    # B A | gap of 3 steps | s o : the recogniser emitted no space, the image shows one.
    steps: list[str | tuple[str, str]] = ["B", "", "A", "", "", "", "", "s", "", "o"]
    line = _ink(_blank_line(10), 0, 2, 7, 9)
    reading = read_steps(_probs(steps), line_ink(line), alphabet)
    assert line_text(reading, alphabet, latin_page=True)[0] == "BA so"


def test_letter_spacing_is_not_taken_for_word_spaces() -> None:
    alphabet = _alphabet()
    steps: list[str | tuple[str, str]] = ["B", "A", "s", "o"]
    line = _ink(_blank_line(4), 0, 1, 2, 3)  # 2 empty pixels between glyphs 28 pixels high
    reading = read_steps(_probs(steps), line_ink(line), alphabet)
    assert line_text(reading, alphabet, latin_page=True)[0] == "BAso"


def test_a_narrow_gap_is_a_space_only_where_the_recogniser_hints_at_one() -> None:
    alphabet = _alphabet()
    line = _blank_line(6)
    line[10:38, 0:12] = 0  # a glyph, then 10 empty pixels (0.36 of the ink height)
    line[10:38, 22:48] = 0
    steps: list[str | tuple[str, str]] = ["B", "", "", "A", "", ""]
    plain = read_steps(_probs(steps), line_ink(line), alphabet)
    assert line_text(plain, alphabet, latin_page=True)[0] == "BA"
    hinted_steps: list[str | tuple[str, str]] = ["B", ("", " "), "", "A", "", ""]
    hinted = read_steps(_probs(hinted_steps), line_ink(line), alphabet)
    assert line_text(hinted, alphabet, latin_page=True)[0] == "B A"


def test_spaces_the_recogniser_emits_are_kept_once() -> None:
    alphabet = _alphabet()
    steps: list[str | tuple[str, str]] = ["B", " ", "", " ", "A"]
    reading = read_steps(_probs(steps), line_ink(_ink(_blank_line(5), 0, 4)), alphabet)
    assert line_text(reading, alphabet, latin_page=True)[0] == "B A"


def test_light_text_on_a_dark_ground_is_spaced_too() -> None:
    alphabet = _alphabet()
    steps: list[str | tuple[str, str]] = ["B", "", "A", "", "", "", "", "s"]
    line = 255 - _ink(_blank_line(8), 0, 2, 7)
    reading = read_steps(_probs(steps), line_ink(line), alphabet)
    assert line_text(reading, alphabet, latin_page=True)[0] == "BA s"


def test_an_empty_line_image_reads_as_nothing() -> None:
    alphabet = _alphabet()
    reading = read_steps(_probs(["", "", ""]), line_ink(_blank_line(3)), alphabet)
    assert line_text(reading, alphabet, latin_page=True) == ("", 0.0)
    assert not is_latin_page([reading], alphabet)
