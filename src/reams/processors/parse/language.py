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

# Scripts that identify a language (or a close family) on their own, by Unicode block.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
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
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+")

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
    words = _WORD.findall(sample[:_WORD_SAMPLE_CHARS].lower())
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
    latin = len(_LATIN.findall(sample))
    counts = [(len(pattern.findall(sample)), code) for code, pattern in _SCRIPTS]
    count, code = max(counts)
    # Kana mark Japanese even among many Han characters; Han alone is Chinese.
    kana = counts[1][0]
    if kana >= _MIN_LETTERS // 4 and count == counts[2][0]:
        code, count = "ja", count + kana
    if count >= _MIN_LETTERS and count >= latin:
        return code
    return "latin" if latin >= _MIN_LETTERS else None
