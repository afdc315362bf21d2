"""Booleans from clause presence: a yes/no field is true when some sentence states the clause
its name and description describe.

A sentence counts when it contains the field's name or one of the description's quoted key
phrases (stems, in order, not negated by "no"/"not"/"non-"; a one-word phrase only where the
sentence also names half the field's words), or covers enough of the field's meaningful words
(name words weigh more than the description's; the bar is lower when the description quotes
no key phrase). Words that every clause question shares ("is there a clause in the contract")
carry no meaning and are ignored. Absence is a finding: the value is then ``False``.
"""

from __future__ import annotations

from dataclasses import dataclass

from reams.processors.extract.model import Candidate
from reams.processors.extract.prose import contains_phrase
from reams.processors.extract.text import DocView, FieldTerms, content_stems

__all__ = ["ClauseIndex", "clause_candidate"]

GENERIC = frozenset(
    content_stems(
        "is there clause clauses contract agreement party parties provision provisions whether "
        "does do has have any term terms section true false yes document stated state states "
        "specified specify specifies"
    )
)
NAME_WEIGHT, DESC_WEIGHT = 0.65, 0.35
THRESHOLD = 0.75
THRESHOLD_NAME_ONLY = 0.4  # when the description quotes no key phrase
MIN_SENTENCE = 3  # characters; short headings ("Audit Rights.") count too
NEGATIONS = frozenset({"non", "not", "no", "never", "neither"})
MIN_NAMED = 0.5  # a key phrase counts in a sentence that names half the field's words


@dataclass(frozen=True)
class Sentence:
    page: int
    text: str
    stems: tuple[str, ...]
    present: frozenset[str]


class ClauseIndex:
    """The document's sentences with their stems, computed once for all boolean fields."""

    def __init__(self, view: DocView) -> None:
        self.sentences = [
            Sentence(page, text, tuple(stems), frozenset(stems))
            for page, text, _ in view.sentences()
            if len(text) > MIN_SENTENCE and (stems := content_stems(text, expand=False))
        ]


def clause_candidate(index: ClauseIndex, terms: FieldTerms) -> Candidate:
    """True with the best sentence as evidence, or False when no sentence qualifies."""
    phrases = [p for a in terms.aliases if (p := content_stems(a, expand=False))]
    name = set(content_stems(terms.phrase, expand=False)) - GENERIC
    desc = set(terms.desc_words) - GENERIC - name
    best: tuple[float, Sentence | None] = (0.0, None)
    for sentence in index.sentences:
        score = _score(sentence, phrases, name, desc)
        if score > best[0]:
            best = (score, sentence)
    score, found = best
    # key phrases from the description make the evidence sharper, so the bar is higher
    threshold = THRESHOLD if len(terms.aliases) > 1 else THRESHOLD_NAME_ONLY
    if found is None or score < threshold:
        reasoning = f"no sentence states a {terms.phrase} clause"
        return Candidate(False, 0, "", round(0.5 + 0.5 * (1 - min(score, 1)), 3), reasoning)
    reasoning = f"sentence on page {found.page} states a {terms.phrase} clause"
    return Candidate(True, found.page, found.text, min(0.95, 0.4 + score / 3), reasoning)


def _score(sentence: Sentence, phrases: list[list[str]], name: set[str], desc: set[str]) -> float:
    present = sentence.present
    named = len(name & present) / len(name) if name else 1.0
    for phrase in phrases:
        specific = len(phrase) >= 2 or named >= MIN_NAMED
        if specific and present.issuperset(phrase) and _affirmed(phrase, sentence.stems):
            return 1.5
    if not desc:  # nothing but the name to go by
        return named if name else 0.0
    score = NAME_WEIGHT * named if name else 0.0
    score += DESC_WEIGHT * (len(desc & present) / len(desc))
    return score


def _affirmed(phrase: list[str], stems: tuple[str, ...]) -> bool:
    """Whether ``phrase`` occurs in ``stems`` other than negated ("no", "not", "non-")."""
    end = contains_phrase(phrase, stems)
    if end < 0:
        return False
    start = end - len(phrase)
    return phrase[0] in NEGATIONS or start == 0 or stems[start - 1] not in NEGATIONS
