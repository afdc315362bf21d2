"""Values stated in running text: a date or duration next to words that mean the field
("dated as of March 5, 2010", "renew for successive one (1) year periods"), and labels written
without a colon at the start of a line ("Invoice Number 42183017")."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from reams.processors.extract.dates import find_dates
from reams.processors.extract.model import Candidate
from reams.processors.extract.patterns import durations
from reams.processors.extract.postal import address_like
from reams.processors.extract.text import DocView, FieldTerms, content_stems

__all__ = ["contains_phrase", "leading_labels", "prose_dates", "prose_durations"]

BEFORE, AFTER = 160, 60  # characters of context read on each side of a value
HEAD_LINES = 40
MIN_SCORE = 0.9

Finder = Callable[[str], list[tuple[str, int, int]]]


def contains_phrase(phrase: Sequence[str], words: Sequence[str]) -> int:
    """Index after the last occurrence of ``phrase`` as a contiguous run in ``words``, or -1."""
    size = len(phrase)
    if not size:
        return -1
    for start in range(len(words) - size, -1, -1):
        if list(words[start : start + size]) == list(phrase):
            return start + size
    return -1


class _Context:
    """The field's words, ready to score the text around a value."""

    def __init__(self, terms: FieldTerms) -> None:
        self.phrases = [p for a in terms.aliases if (p := content_stems(a))]
        self.name = set(content_stems(terms.phrase))
        self.desc = set(terms.desc_words) - self.name

    def score(self, before: str, after: str) -> float:
        before_words, after_words = content_stems(before), content_stems(after)
        best = 0.0
        for phrase in self.phrases:
            end = contains_phrase(phrase, before_words)
            if end >= 0:
                best = max(best, 2.0 - 0.08 * (len(before_words) - end))
            if contains_phrase(phrase, after_words[:8]) >= 0:
                best = max(best, 1.6)
        near = set(before_words[-12:]) | set(after_words[:6])
        if self.name:
            best += 0.6 * len(self.name & near) / len(self.name)
        if self.desc:
            best += 0.4 * len(self.desc & near) / len(self.desc)
        return best


def _scan(view: DocView, terms: FieldTerms, finder: Finder, what: str) -> list[Candidate]:
    context = _Context(terms)
    scored: list[tuple[float, int, Candidate]] = []
    for line in view.body():
        for value, start, end in finder(line.text):
            before = line.text[max(0, start - BEFORE) : start]
            score = context.score(before, line.text[end : end + AFTER])
            score += 0.5 * max(0.0, 1 - line.order / HEAD_LINES)
            if score < MIN_SCORE:
                continue
            snippet = line.text[max(0, start - 100) : end + 40]
            reasoning = f"{what} in a sentence about {terms.phrase!r} on page {line.page}"
            candidate = Candidate(value, line.page, snippet, min(0.85, 0.3 + score / 4), reasoning)
            scored.append((-score, line.order, candidate))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in scored]


def prose_dates(view: DocView, terms: FieldTerms, *, dayfirst: bool) -> list[Candidate]:
    """Dates whose surrounding words mean the field, best first."""

    def finder(text: str) -> list[tuple[str, int, int]]:
        return list(_dates_in(text, dayfirst))

    return _scan(view, terms, finder, "date")


@lru_cache(maxsize=4096)
def _dates_in(text: str, dayfirst: bool) -> tuple[tuple[str, int, int], ...]:
    return tuple((d.iso, d.start, d.end) for d in find_dates(text, dayfirst=dayfirst))


@lru_cache(maxsize=4096)
def _durations_in(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(durations(text))


def prose_durations(view: DocView, terms: FieldTerms) -> list[Candidate]:
    """Durations ("30 days") whose surrounding words mean the field, best first."""
    return _scan(view, terms, lambda text: list(_durations_in(text)), "duration")


def leading_labels(view: DocView, terms: FieldTerms) -> list[tuple[str, Candidate]]:
    """Lines that start with one of the field's aliases: (rest of the line, evidence)."""
    patterns = [
        (alias, re.compile(r"^\W*" + r"\W+".join(map(re.escape, words)) + _REST, re.IGNORECASE))
        for alias in terms.aliases
        if (words := alias.split())
    ]
    found = []
    for line in view.lines:
        for alias, pattern in patterns:
            match = pattern.match(line.text)
            if match:
                reasoning = f'line starting "{alias}" on page {line.page}'
                rest = match["rest"]
                if line.parts and " ".join(line.parts) == line.text:
                    rest = _before_address(rest, line.parts)
                found.append((rest, Candidate(None, line.page, line.text, 0.6, reasoning)))
                break
    return found


def _before_address(rest: str, parts: Sequence[str]) -> str:
    """The rest of a paragraph after its label, without the address printed on the lines
    after the value ("Employee" / "John Smith" / "Bahnhofstr. 16" / "80331 München")."""
    offset = len(" ".join(parts)) - len(rest)
    at = 0
    for part in parts:
        if at > offset and address_like(part):
            return rest[: max(0, at - offset - 1)].strip() or rest
        at += len(part) + 1
    return rest


_REST = r"\.?\s*[:#]?\s*(?P<rest>\S.*)$"
