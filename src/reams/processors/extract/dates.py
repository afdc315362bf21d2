"""Dates in free text: find them, and normalise them to ISO 8601.

Understands numeric dates (``2014-08-03``, ``8/3/2014``, ``03.08.14``), month names in English,
French, German, Dutch, Spanish, Italian and Portuguese (``August 3, 2014``, ``3 Aug 2014``,
``18 april 2014``, ``12 de mayo de 2025``), and the legal form ``the 5th day of March, 2010``.
Numeric day/month order follows ``dayfirst`` unless one part is above 12. Two-digit years map
to 1950-2049.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from dateutil import parser as dateutil_parser

__all__ = ["FoundDate", "find_dates", "parse_date", "parse_datetime"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janvier janv januar januari jänner enero gennaio janeiro",
        "february feb feb. fevrier février fevr févr februar februari febrero febbraio fevereiro",
        "march mar mars märz maerz maart marzo março",
        "april apr avril avr abril aprile",
        "may mai mei mayo maggio maio",
        "june jun juin juni junio giugno junho",
        "july jul juillet juil juli julio luglio julho",
        "august aug aout août augustus agosto",
        "september sep sept septembre septiembre setiembre settembre setembro",
        "october oct octobre oktober octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec decembre décembre dezember diciembre dicembre dezembro",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name.rstrip(".")] = _number


def _trie(words: list[str]) -> str:
    """An alternation of ``words`` written as a tree of their shared prefixes, longest match
    first like a longest-first alternation, but far quicker to try at every word of a long
    contract than some ninety month names one after another."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(char) + render(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(root)


_MONTH = r"(?P<month>" + _trie(list(_MONTHS)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:s\s?t|n\s?d|r\s?d|t\s?h|er|e|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})(?![\d/-]|\.\d)"
)
_WORDY = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}\b", re.IGNORECASE),
    re.compile(
        rf"\b{_DAY}\s+(?:day\s+of\s+|de\s+)?{_MONTH},?\s+(?:of\s+|de\s+|del\s+)?{_YEAR}\b",
        re.IGNORECASE,
    ),
    # "18-Dec-2023", "02/Jan/24": the day, the month's short name and the year joined by dashes
    # or slashes (Indian and British business software prints dates so).
    re.compile(
        r"\b(?P<day>[0-3]?\d)(?P<sep>[-/])" + _MONTH[:-3] + r"(?P=sep)(?P<year>(?:19|20)?\d\d)\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
]


_DASHED_HINT = re.compile(r"\d[-/][A-Za-z]")


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: its ISO form and the span it covers."""

    iso: str
    start: int
    end: int


def _make(year: int, month: int, day: int) -> str | None:
    if year < 100:
        year += 2000 if year < 50 else 1900
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(a: str, b: str, c: str, sep: str, dayfirst: bool) -> str | None:
    if len(a) == 4:
        return _make(int(a), int(b), int(c))
    first, second, year = int(a), int(b), int(c)
    if len(c) == 3:
        return None
    if first > 12 or ((dayfirst or sep == ".") and second <= 12):
        return _make(year, second, first)
    return _make(year, first, second)


def _wordy(groups: dict[str, str | None]) -> str | None:
    month = _MONTHS.get((groups.get("month") or "").lower().rstrip("."))
    year = groups.get("year")
    if month is None or year is None:
        return None
    day = groups.get("day")
    return _make(int(year), month, int(day) if day else 1)


_OCR_COLON = re.compile(r"(?<![\d:.])[0-3]?\d(?:\.[01]?\d:|:[01]?\d\.)(?:19|20)\d\d(?![\d:])")


def find_dates(text: str, *, dayfirst: bool = False, partial: bool = False) -> list[FoundDate]:
    """Every date in ``text`` in reading order (``partial`` also yields "March 2010" as the
    1st of the month)."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    patterns = _WORDY if partial else _WORDY[:3]
    for pattern in patterns:
        if pattern is _WORDY[2] and not _DASHED_HINT.search(text):
            continue  # a cheap scan spares most texts the dashed pattern
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            iso = _wordy(match.groupdict())
            if iso:
                found.append(FoundDate(iso, match.start(), match.end()))
                taken.append(match.span())
    if ":" in text:  # OCR reads a dot of "04.02.2022" as a colon: "04.02:2022", "04:02.2022"
        text = _OCR_COLON.sub(lambda m: m.group().replace(":", "."), text)
    for match in _NUMERIC.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        iso = _numeric(match["a"], match["b"], match["c"], match["sep"], dayfirst)
        if iso:
            found.append(FoundDate(iso, match.start(), match.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(value: str, *, dayfirst: bool = False) -> str | None:
    """``value`` as ``YYYY-MM-DD`` if it holds exactly one recognisable date, else None."""
    text = value.strip()
    if not text:
        return None
    found = find_dates(text, dayfirst=dayfirst, partial=True)
    if found:
        return found[0].iso
    return _fallback(text, dayfirst)


def _fallback(text: str, dayfirst: bool) -> str | None:
    if not re.search(r"\d", text) or len(text) > 40:
        return None
    try:
        parsed = dateutil_parser.parse(text, dayfirst=dayfirst, default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return str(parsed.date().isoformat())


def parse_datetime(value: str, *, dayfirst: bool = False) -> str | None:
    """``value`` as an ISO 8601 date-time (midnight when only a date is given)."""
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?", text):
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
        except ValueError:
            return None
    if re.search(r"\d:\d\d", text) and len(text) <= 40:
        try:
            return str(dateutil_parser.parse(text, dayfirst=dayfirst).isoformat())
        except (ValueError, OverflowError):
            return None
    day = parse_date(text, dayfirst=dayfirst)
    return f"{day}T00:00:00" if day else None
