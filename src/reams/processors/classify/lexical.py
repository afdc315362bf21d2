"""Lexical evidence: which words of a rule occur in a document's title zone and body.

Words are lowercased, accent-stripped and cut to a crude stem (``distributor``,
``distribution`` and ``distributors`` all become ``distribut``), so the evidence survives
inflection without a language model. Common kind words of French, German, Spanish and Dutch
(``Rechnung``, ``facture``, ``factura``, ``factuur``) read as their English equivalents
(:mod:`.lexicon`). A rule's *name terms* come from its type name, split into
alternatives on ``/`` (``joint venture / joint filing`` is two phrases); its *key terms* are the
content words of its description.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from reams.processors.classify import lexicon

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_WORD_FAST = re.compile(r"\w+")  # the same runs once "_" is a space, and quicker on long text
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Words that say nothing about a document's kind (function words, and the generic words that
# descriptions use to describe anything).
_STOPWORDS_TEXT = """a about above after again against all also an and any are as at be
    because been before
    being below between both but by can could did do does doing down during each either etc few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just may me might more most must my no nor not now of off often on once one only or
    other others our out over own same she should so some such than that the their them then
    there these they this those through to too under until up upon usually very via was we were
    what when where which while who whom why will with within without would you your
    document documents file text kind type usually typically e g eg ie often one another
    contains containing describes describing usual"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
# Suffixes cut, longest first; a stem keeps at least MIN_STEM characters.
_SUFFIXES = (
    "izations",
    "ization",
    "ational",
    "ations",
    "ation",
    "nesses",
    "ments",
    "ment",
    "ships",
    "ship",
    "ings",
    "ing",
    "ions",
    "ion",
    "ators",
    "ator",
    "ers",
    "ors",
    "ees",
    "ies",
    "ied",
    "ier",
    "ive",
    "ity",
    "ed",
    "er",
    "or",
    "ee",
    "es",
    "al",
    "ly",
    "s",
    "e",
    "y",
)
MIN_STEM = 4


def fold(text: str) -> str:
    """Lowercase and strip accents (``Résumé`` → ``resume``)."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def _meanings(unique: set[str]) -> dict[str, tuple[str, ...]]:
    """The lexicon's English words for those of ``unique`` it lists (each looked up once)."""
    candidates = unique & lexicon.WORDS.keys()
    candidates |= {w for w in unique if len(w) >= lexicon.MIN_PREFIX_WORD}
    return {w: m for w in candidates if (m := lexicon.english(w)) is not None}


def _found(text: str) -> list[str]:
    return _WORD_FAST.findall(fold(text).replace("e-mail", "email").replace("_", " "))


def words(text: str) -> list[str]:
    """The folded words of ``text``, common foreign kind words in English (:mod:`.lexicon`)."""
    found = _found(text)
    unique = set(found)  # bodies run to 400,000 characters: each distinct word looked up once
    meanings = _meanings(unique)
    if not meanings:
        return found
    table: dict[str, tuple[str, ...]] = {w: (w,) for w in unique}
    table.update(meanings)
    return list(chain.from_iterable(map(table.__getitem__, found)))


def stems(text: str) -> list[str]:
    return list(map(stem, words(text)))


def stem_counts(text: str) -> Counter[str]:
    """``Counter(stems(text))``, stemming each distinct word once."""
    counts: dict[str, int] = {}
    for word, count in Counter(words(text)).items():
        key = stem(word)
        counts[key] = counts.get(key, 0) + count
    return Counter(counts)


def content_terms(text: str) -> list[str]:
    """The stems of the content words of ``text``, in order, each once."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word in STOPWORDS or len(word) < 3 or word.isdigit():
            continue
        seen.setdefault(stem(word), None)
    return list(seen)


@dataclass(frozen=True)
class RuleTerms:
    """A rule's lexical side: name phrases (alternatives, each a tuple of stems) and key terms."""

    phrases: tuple[tuple[str, ...], ...]
    key_terms: tuple[str, ...]
    surface: dict[str, str]  # stem -> a word that produced it, for the reasoning
    # Other names the description opens with (``An invoice, bill or receipt: ...``,
    # ``A legal agreement between ...``): more names for the title, at a discount.
    aliases: tuple[tuple[str, ...], ...] = ()
    # Words of a compound name that only say "a document" (``page`` of ``web page``,
    # ``paper`` of ``scientific paper``): they count only beside the name's distinctive
    # words, since any document says "page" (:func:`with_generic`).
    generic: frozenset[str] = frozenset()

    def distinctive(self, phrase: tuple[str, ...]) -> tuple[str, ...]:
        """The words of ``phrase`` that tell the kind apart (all of them if none does)."""
        return tuple(t for t in phrase if t not in self.generic) or phrase


def rule_terms(type_name: str, description: str) -> RuleTerms:
    surface: dict[str, str] = {}  # the rule's own words, before translation
    for word in _WORD.findall(fold(f"{type_name} {description}").replace("e-mail", "email")):
        for meaning in lexicon.english(word) or (word,):
            surface.setdefault(stem(meaning), word)
    alternatives = [part for part in re.split(r"[/|,;]+", type_name) if part.strip()]
    phrases = tuple(
        terms for part in alternatives if (terms := tuple(content_terms(part.replace("_", " "))))
    )
    names = {t for phrase in phrases for t in phrase}
    keys = tuple(t for t in content_terms(description) if t not in names)
    aliases = tuple(a for a in description_names(description) if a not in phrases)
    return RuleTerms(phrases, keys, surface, aliases)


# A description's naming head: its first words, up to a colon or bracket or the first word
# that starts saying what the thing does or holds (a function word, ``describing``, ``signed``).
_HEAD_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
_HEAD_STOPS = frozenset(":;().!?\u2013\u2014")
_HEAD_JOINS = frozenset({"a", "an", "the", "or", "and", ",", "/"})
MAX_ALIAS_TERMS = 3


def with_generic(terms: RuleTerms, is_generic: Callable[[str], bool]) -> RuleTerms:
    """``terms`` with the generic words of its compound name phrases marked: a word of a phrase
    of several words for which ``is_generic(surface word)`` holds, when the phrase keeps at
    least one word that is not generic."""
    generic: set[str] = set()
    for phrase in terms.phrases:
        if len(phrase) < 2:
            continue
        marked = {t for t in phrase if is_generic(terms.surface.get(t, t))}
        if len(marked) < len(phrase):
            generic |= marked
    return dataclasses.replace(terms, generic=frozenset(generic))


def description_names(description: str) -> list[tuple[str, ...]]:
    """The names a description opens with, each a phrase of stems: ``A report, manual or
    official publication: ...`` names ``report``, ``manual``, ``official publication``;
    ``A CV describing ...`` names only ``CV``."""
    parts: list[list[str]] = [[]]
    for token in _HEAD_TOKEN.findall(fold(description).replace("e-mail", "email")):
        if token in _HEAD_STOPS:
            break
        if token in _HEAD_JOINS:
            if parts[-1]:
                parts.append([])
            continue
        if token == "-":  # ``co-branding``
            continue
        if (
            token in STOPWORDS
            or not token.isalnum()
            or (parts[-1] and len(token) > 5 and token.endswith(("ing", "ed")))
        ):
            break
        parts[-1].append(token)
    out: list[tuple[str, ...]] = []
    for part in parts:
        terms = tuple(content_terms(" ".join(part)))
        if terms and len(terms) <= MAX_ALIAS_TERMS and terms not in out:
            out.append(terms)
    return out


def term_weights(rules: Sequence[RuleTerms]) -> dict[str, float]:
    """IDF of each term over the rules: a word every rule uses separates none of them."""
    count = len(rules)
    frequency: Counter[str] = Counter()
    for terms in rules:
        frequency.update({*terms.key_terms, *(t for p in terms.phrases for t in p)})
    return {term: math.log((count + 1) / (df + 0.5)) for term, df in frequency.items()}


@dataclass(frozen=True)
class Zones:
    """A document's words by where they are: title zone (heading + opening) and whole body."""

    head: frozenset[str]
    head_counts: Counter[str]
    body_counts: Counter[str]
    body_words: int
    head_text: str


def zones(head_text: str, body_text: str) -> Zones:
    head_stems = stems(head_text)
    body_stems = stems(body_text)
    return Zones(
        head=frozenset(head_stems),
        head_counts=Counter(head_stems),
        body_counts=Counter(body_stems),
        body_words=len(body_stems),
        head_text=head_text,
    )


def weighted_share(
    terms: Iterable[str], present: frozenset[str] | Counter[str], w: dict[str, float]
) -> float:
    total = hit = 0.0
    for term in terms:
        weight = w.get(term, 1.0)
        total += weight
        if term in present:
            hit += weight
    return hit / total if total > 0 else 0.0


def best_phrase(
    terms: RuleTerms,
    present: frozenset[str],
    alias_weights: Mapping[str, float] | None = None,
    alias_factor: float = 1.0,
) -> tuple[float, tuple[str, ...]]:
    """The name phrase most present in ``present``: (share of its stems present, the phrase).
    With ``alias_weights`` (term IDF over the rules), the description's names count too, each
    stem weighted by how few rules use it, times ``alias_factor``."""
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    for phrase in terms.phrases:
        if present.isdisjoint(terms.distinctive(phrase)):
            continue
        share = sum(t in present for t in phrase) / len(phrase)
        if share > best[0]:
            best = (share, phrase)
    if alias_weights is not None:
        for phrase in terms.aliases:
            if present.isdisjoint(phrase):
                continue
            total = sum(alias_weights.get(t, 1.0) for t in phrase)
            hit = sum(alias_weights.get(t, 1.0) for t in phrase if t in present)
            share = alias_factor * hit / total if total > 0 else 0.0
            if share > best[0]:
                best = (share, phrase)
    return best


def first_positions(opening: Sequence[str]) -> dict[str, int]:
    """Each stem of ``opening`` and the index of its first occurrence."""
    first: dict[str, int] = {}
    for index, word in enumerate(opening):
        first.setdefault(word, index)
    return first


def earliness(
    terms: RuleTerms, opening: Sequence[str], first: Mapping[str, int] | None = None
) -> float:
    """How early the best name phrase shows in ``opening`` (stems in order): its share of
    stems present times 1 at the first word, falling to 0 at the last. ``first``: the
    opening's :func:`first_positions`, when already known."""
    if not opening:
        return 0.0
    if first is None:
        first = first_positions(opening)
    best = 0.0
    for phrase in terms.phrases:
        found = [first[t] for t in phrase if t in first]
        if found and any(t in first for t in terms.distinctive(phrase)):
            share = len(found) / len(phrase)
            best = max(best, share * (1.0 - min(found) / len(opening)))
    return best


def name_terms(terms: RuleTerms, counts: Counter[str]) -> set[str]:
    """The name words whose occurrences count as the name's: every word of each phrase whose
    distinctive words occur in ``counts`` (a text saying "page" but never "web" does not name
    web pages)."""
    out: set[str] = set()
    for phrase in terms.phrases:
        if any(counts.get(t, 0) for t in terms.distinctive(phrase)):
            out.update(phrase)
    return out


def density(terms: Iterable[str], counts: Counter[str], total_words: int) -> tuple[float, int]:
    """Occurrences of ``terms`` per 1,000 words squashed to 0..1, and the raw count."""
    hits = sum(counts.get(t, 0) for t in terms)
    if total_words == 0:
        return 0.0, 0
    per_mille = 1000.0 * hits / total_words
    return 1.0 - math.exp(-per_mille / 4.0), hits
