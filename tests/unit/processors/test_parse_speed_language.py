"""The language guess counts letters by runs and skips script counts a sample cannot have: the
same answers as counting every letter one by one (the reference below is the former code)."""

from __future__ import annotations

import random
import re

from reams.processors.parse import language
from reams.processors.parse.language import guess_language

_REFERENCE_SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7a3]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
_REFERENCE_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _reference_script(sample: str) -> str | None:
    if sample.isascii():
        return "latin" if len(sample) >= 40 else None
    latin = len(_REFERENCE_LATIN.findall(sample))
    counts = [(len(pattern.findall(sample)), code) for code, pattern in _REFERENCE_SCRIPTS]
    count, code = max(counts)
    kana = counts[1][0]
    if kana >= 10 and count == counts[2][0]:
        code, count = "ja", count + kana
    if count >= 40 and count >= latin:
        return code
    return "latin" if latin >= 40 else None


# Characters at and around every range's edges, plus the text around them.
_EDGES = (
    "\u00bf\u00c0\u00e9\u024f\u0250\u036f\u0370\u03ff\u0400\u04ff\u0500\u058f\u0590\u05ff"
    "\u0600\u06ff\u0700\u08ff\u0900\u097f\u0980\u0dff\u0e00\u0e7f\u0e80\u303f\u3040\u30ff"
    "\u3100\u4dff\u4e00\u9fff\ua000\uabff\uac00\ud7a3\ud7a4\U0001f600"
)
_ALPHABET = "aZ zq .,;-0912\n\t" + _EDGES


def _sample(rng: random.Random) -> str:
    pool = "".join(rng.sample(_ALPHABET, rng.randint(1, 8)))
    return "".join(rng.choice(pool) for _ in range(rng.choice((0, 5, 39, 40, 41, 80, 400))))


def test_script_matches_letter_by_letter_counts() -> None:
    rng = random.Random(16)
    for _ in range(6000):
        sample = _sample(rng)
        assert language._script(sample) == _reference_script(sample), repr(sample)


def test_latin_threshold_is_exact() -> None:
    for letters in (38, 39, 40, 41):
        for filler in ("", " ", "é1 ", "\u3000"):
            sample = ("é" + filler) * letters
            assert language._script(sample) == _reference_script(sample)
    # A long run of non-Latin text with no script letter does not backtrack.
    assert language._script("\u3000" * 3000 + "é" * 39) is None


def test_guesses_unchanged_on_plain_texts() -> None:
    assert guess_language("der die und den das ist nicht mit " * 3 + "Grüße") == "de"
    assert guess_language("Привет мир, это пример текста на русском языке для проверки") == "ru"
    assert guess_language("café " * 5) is None
    assert guess_language("le la les des et est une dans pour que qui sur été " * 2) == "fr"


def test_ascii_words_are_the_patterns_runs() -> None:
    rng = random.Random(3)
    alphabet = "abcXYZ 09_-'.,\t\n\x00\x7f\x1f"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))).lower()
        assert text.translate(language._ASCII_WORDS).split() == language._WORD.findall(text)
    every = "".join(map(chr, range(128))) * 2
    assert every.translate(language._ASCII_WORDS).split() == language._WORD.findall(every)
