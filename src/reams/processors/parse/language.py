"""A cheap guess of a document's language: writing system first, then common function words.

Only the first few thousand words are looked at, so the guess costs microseconds per page. The
answer is an ISO 639-1 code, or None when the evidence is thin: a wrong language is worse than
none for a caller that routes documents by it.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain, repeat

_SAMPLE_CHARS = 3_000
_WORD_SAMPLE_CHARS = 3_000
_MIN_LETTERS = 40
_MIN_HITS = 8
_MIN_SHARE = 0.6  # of the function-word hits, for the winning language

# Scripts that identify a language (or a close family) on their own, by Unicode block. Each
# pattern finds runs of the script's letters: a sample's count of them is the runs' total
# length (a list of one-character strings, one per letter, had cost three times as much).
_SCRIPT_RANGES: tuple[tuple[str, str], ...] = (
    ("ko", "\uac00-\ud7a3"),
    ("ja", "\u3040-\u30ff"),
    ("zh", "\u4e00-\u9fff"),
    ("ar", "\u0600-\u06ff"),
    ("he", "\u0590-\u05ff"),
    ("el", "\u0370-\u03ff"),
    ("th", "\u0e00-\u0e7f"),
    ("hi", "\u0900-\u097f"),
    ("ru", "\u0400-\u04ff"),
)
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(f"[{letters}]+")) for code, letters in _SCRIPT_RANGES
)
# Runs of letters of any of those scripts: each script's letters are all in them, so they are
# counted in the runs alone (a few letters in most Latin text); none, none of them.
_ANY_SCRIPT = re.compile(f"[{''.join(letters for _, letters in _SCRIPT_RANGES)}]+")
_LATIN_LETTERS = "A-Za-z\u00c0-\u024f"
_LATIN = re.compile(f"[{_LATIN_LETTERS}]+")
# At least _MIN_LETTERS Latin letters, told by one match from the start that stops at the last
# one needed (possessive, and the two classes are disjoint: nothing to backtrack).
_ENOUGH_LATIN = re.compile(f"(?:[^{_LATIN_LETTERS}]*+[{_LATIN_LETTERS}]){{{_MIN_LETTERS}}}")
_WORD = re.compile(r"[^\W\d_]+")
# ASCII text's words (the runs of _WORD: in ASCII, the letters) by one C pass that makes every
# other character a space, and a split: a quarter of the cost of the pattern's search.
_ASCII_WORDS = str.maketrans({chr(c): chr(c) if chr(c).isalpha() else " " for c in range(128)})

# The most frequent function words of each language, space-separated.
_COMMON_WORDS = {
    "en": "the of and to in is that for it with as was on are be by this from",
    "fr": "le la les des et est une dans pour que qui sur pas par au du avec",
    "de": "der die und den das ist nicht mit von zu sich auf dem ein eine auch",
    "es": "el los las del que por una para con como pero sus más este entre",
    "it": "il di che della per sono non una gli nel alla anche come delle",
    "pt": "os das dos uma com não para por mais como pelo pela são também",
    "nl": "het een van en dat niet zijn voor met ook aan bij wordt deze",
}
_FUNCTION_WORDS = {language: frozenset(words.split()) for language, words in _COMMON_WORDS.items()}
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _language, _words in _FUNCTION_WORDS.items():
    for _word in _words:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _language)


def guess_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is most likely written in, or None."""
    sample = text[:_SAMPLE_CHARS]
    script = _script(sample)
    if script != "latin":
        return script
    low = sample[:_WORD_SAMPLE_CHARS].lower()
    words = low.translate(_ASCII_WORDS).split() if low.isascii() else _WORD.findall(low)
    # One counting pass over every word's languages, in word order (ties break as they come).
    hits = Counter(chain.from_iterable(map(_LANGUAGES_OF.get, words, repeat(()))))
    if not hits:
        return None
    language, count = hits.most_common(1)[0]
    if count < _MIN_HITS or count < _MIN_SHARE * sum(hits.values()):
        return None
    return language


def _script(sample: str) -> str | None:
    """The language a non-Latin script gives away, "latin", or None for too little text."""
    if sample.isascii():
        return "latin" if len(sample) >= _MIN_LETTERS else None
    scripts = "".join(_ANY_SCRIPT.findall(sample))
    if not scripts:
        # Every script counts 0 letters, short of _MIN_LETTERS: only the Latin ones tell.
        return "latin" if _ENOUGH_LATIN.match(sample) else None
    counts = [(_letters(pattern, scripts), code) for code, pattern in _SCRIPTS]
    count, code = max(counts)
    # Kana mark Japanese even among many Han characters; Han alone is Chinese.
    kana = counts[1][0]
    if kana >= _MIN_LETTERS // 4 and count == counts[2][0]:
        code, count = "ja", count + kana
    # The Latin letters are counted only when the script has enough to outnumber them: a
    # stray Greek or Cyrillic letter in Latin text needs only the test for _MIN_LETTERS.
    if count >= _MIN_LETTERS and count >= _letters(_LATIN, sample):
        return code
    return "latin" if _ENOUGH_LATIN.match(sample) else None


def _letters(runs: re.Pattern[str], sample: str) -> int:
    """How many letters of ``sample`` the pattern's runs hold."""
    return sum(map(len, runs.findall(sample)))
