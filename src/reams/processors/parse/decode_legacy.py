"""Guessing the legacy (pre-Unicode) encoding of text that is not valid UTF-8.

charset_normalizer alone misreads short Western European text (it prefers cp775 or cp1125 for
"café – €5") and ranks koi8-r above cp1255 for Hebrew. Two checks of our own come first and last:

* cp1252 is by far the most common legacy encoding, so text that reads as plausible Western
  European in cp1252 is taken as such without asking charset_normalizer. Plausible means few
  accented letters among plain ones (Cyrillic or Greek read as cp1252 is all accented letters), no
  symbol wedged inside a word (Polish "ż" read as cp1252 is "¿") and none of the Icelandic letters
  that Turkish text turns into.
* Among charset_normalizer's least chaotic candidates, an implausible reading (all capitals:
  Hebrew read as koi8-r; mostly half-width katakana: Cyrillic read as Shift-JIS) is set aside,
  and the most language-coherent of the rest wins.
"""

from __future__ import annotations

from typing import Any

from reams.domain.errors import ProcessorError

# charset_normalizer must not guess UTF-16/32 for BOM-less text: decode.py detects those itself,
# and its guess turns short cp1252 text such as "a – b" into CJK.
_WIDE_ENCODINGS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
_CHAOS_MARGIN = 0.01
_SAMPLE_CHARS = 64 * 1024
_MAX_ACCENTED_SHARE = 0.5
_MIN_CASED_LETTERS = 20
_ALL_CAPS_SHARE = 0.9
_KATAKANA_SHARE = 0.3
_ATTEMPTS = 3
_TURKISH_IN_CP1252 = frozenset("ÐÝÞðýþ")
_APOSTROPHES = frozenset("’‘")


def guess_legacy_encoding(data: bytes) -> str:
    """Name the legacy encoding ``data`` (not valid UTF-8, no NUL bytes) is most likely in."""
    if _plausible_western(data):
        return "cp1252"
    excluded = list(_WIDE_ENCODINGS)
    for _ in range(_ATTEMPTS):
        close = _least_chaotic(data, excluded)
        readable = [match for match in close if not _implausible(str(match))]
        if readable:
            # Equally coherent readings: cp1252, the most common, then charset_normalizer's order.
            best = max(readable, key=lambda match: (match.coherence, match.encoding == "cp1252"))
            return str(best.encoding)
        # charset_normalizer stops at the first chaos-free reading, which may be nonsense:
        # ask again without those encodings.
        excluded.extend(str(match.encoding) for match in close)
    return str(close[0].encoding)


def _least_chaotic(data: bytes, excluded: list[str]) -> list[Any]:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_exclusion=excluded))
    if not matches:
        raise ProcessorError(
            "unsupported_format", "The file is not text in any encoding reams recognises."
        )
    floor = matches[0].chaos + _CHAOS_MARGIN
    return [match for match in matches if match.chaos <= floor]


def _implausible(text: str) -> bool:
    """All capitals (Hebrew as koi8-r) or mostly half-width katakana (Cyrillic as Shift-JIS)."""
    letters = [char for char in text[:_SAMPLE_CHARS] if char.isalpha()]
    if len(letters) < _MIN_CASED_LETTERS:
        return False
    katakana = sum(1 for char in letters if "\uff61" <= char <= "\uff9f")
    return katakana > _KATAKANA_SHARE * len(letters) or _all_capitals(text[:_SAMPLE_CHARS])


def _plausible_western(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")[:_SAMPLE_CHARS]
    except UnicodeDecodeError:
        return False  # 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned in cp1252
    letters = accented = 0
    for index, char in enumerate(text):
        if char.isascii():
            letters += char.isalpha()
            continue
        if char in _TURKISH_IN_CP1252 or _wedged_symbol(text, index):
            return False
        if char.isalpha():
            letters += 1
            accented += 1
    return accented <= _MAX_ACCENTED_SHARE * letters


def _wedged_symbol(text: str, index: int) -> bool:
    char = text[index]
    if char.isalpha() or char in _APOSTROPHES or index == 0 or index + 1 == len(text):
        return False
    return text[index - 1].isalpha() and text[index + 1].isalpha()


def _all_capitals(text: str) -> bool:
    cased = [char for char in text if char.isupper() or char.islower()]
    if len(cased) < _MIN_CASED_LETTERS:
        return False
    return sum(char.isupper() for char in cased) >= _ALL_CAPS_SHARE * len(cased)
