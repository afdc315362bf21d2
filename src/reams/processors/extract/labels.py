"""Label/value extraction: find ``Label: value`` pairs whose label means the field, and read a
value of the field's type out of the text beside the label."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from reams.processors.extract.dates import find_dates
from reams.processors.extract.model import Candidate
from reams.processors.extract.numbers import find_amounts
from reams.processors.extract.text import DocView, FieldTerms, Pair, content_stems

__all__ = ["label_score", "label_words", "not_a_number", "pair_candidates", "typed_value"]

MIN_LABEL_SCORE = 0.5
IDENTIFIER_WORDS = frozenset({"numbe", "id", "code", "refer", "ident"})


def label_score(terms: FieldTerms, label: str) -> float:
    """How well ``label`` names the field (0..1): best alias coverage, label words explained."""
    key = label_words(label)
    if not key:
        return 0.0
    best = 0.0
    for alias in terms.aliases:
        wanted = label_words(alias)
        if not wanted:
            continue
        shared = len(wanted & key)
        best = max(best, (shared / len(wanted)) * (shared / len(key)) ** 0.5)
    named = label_words(terms.phrase)
    described = _family(terms.desc_words) | named
    if key <= described:
        best = max(best, 0.4 * len(key & named) / len(key) + 0.3)
    if key == _NAME and terms.desc_words[:1] == (*_NAME,) and named and not named & _NAME:
        best = max(best, 0.7)  # "The name of the employee": a "Name" / "Nom" label gives it
    return min(best, 1.0)


_NAME = frozenset(content_stems("name"))
# Stems one label word family shares ("Payment date", "Paid on" name a "pay date"): read as
# one only in labels, so that contracts' clauses keep their plain stems.
_FAMILIES = {"payme": "pay", "paid": "pay"}


@lru_cache(maxsize=8192)
def _family(stems: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_FAMILIES.get(s, s) for s in stems)


def label_words(text: str) -> frozenset[str]:
    """The stems a label is scored by ("Payment date" → pay, dat)."""
    return _family(tuple(content_stems(text)))


def typed_value(
    text: str, kind: str, node: Mapping[str, Any], terms: FieldTerms, *, dayfirst: bool
) -> Any:
    """A value of the field's type read from ``text`` (None when ``text`` holds none)."""
    if node.get("format") in ("date", "date-time"):
        dates = find_dates(text, dayfirst=dayfirst, partial=True)
        return dates[0].iso if dates else None
    if kind in ("number", "integer"):
        last = "total" in terms.desc_words or "total" in content_stems(terms.phrase)
        return _amount(text, integer=kind == "integer", last=last)
    if kind == "string":
        return _string_value(text, terms)
    if kind == "boolean":
        return text
    return None


def _amount(text: str, *, integer: bool, last: bool = False) -> float | int | None:
    """The amount in ``text``: the first (the last for a total: "net | tax | total" rows)."""
    amounts = [a for a in find_amounts(text) if not integer or a.value == int(a.value)]
    if not amounts:
        return None
    dated = find_dates(text)
    amounts = [a for a in amounts if not any(d.start <= a.start < d.end for d in dated)]
    if not amounts:
        return None
    marked = [a for a in amounts if a.has_currency or a.has_decimals]
    chosen = (marked or amounts)[-1 if last else 0]
    return int(chosen.value) if integer else chosen.value


def _string_value(text: str, terms: FieldTerms) -> str | None:
    text = text.strip(" :|-–")
    if not re.search(r"[^\W_]", text):
        return None  # a blank to fill in ("Signature: ______")
    named = set(content_stems(terms.phrase)) | {s for a in terms.aliases for s in content_stems(a)}
    if IDENTIFIER_WORDS & named:
        return _identifier(text)
    return text


def _identifier(text: str) -> str | None:
    """The first code-like word (it has a digit and is not an amount), else a short value;
    never a telephone number, VAT id or IBAN."""
    if not_a_number(text):
        return None
    for word in text.split():
        word = word.strip(".,;:()")
        if re.search(r"\d", word) and len(word) >= 2 and not _AMOUNT_LIKE.fullmatch(word):
            return word
    short = len(text.split()) <= 2 and not _AMOUNT_LIKE.fullmatch(text)
    return text if short and re.search(r"\d", text) else None


# Values that are not document numbers: telephone numbers, VAT ids and IBANs. An international
# prefix "00" counts only when a space or bracket follows the country code ("0049 89 ...");
# "0042" and "0000482193" are document numbers.
_PHONE_VALUE = re.compile(
    r"^(?:\+\d{1,3}[\s.-]?\(?\d|00\d{1,3}(?:[\s.-]\(?|\s?\()\d|\(\d{2,5}\)\s*\d{2,}|"
    r"\d{2,5}(?:[\s.]\d{2,5}){2,}\s*$)"
)
_VAT_VALUE = re.compile(
    r"^(?:AT|BE|BG|CH|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|"
    r"SE|SI|SK)\s?(?:U\d{8}|[0-9A-Z]{2}\s?\d{3}\s?\d{3}\s?\d{3}|\d{8,12})(?:\s?B\d{2})?(?!\w)"
)
_IBAN_VALUE = re.compile(r"^[A-Z]{2}\d{2}\s?(?:[A-Z0-9]{4}\s?){2,7}[A-Z0-9]{1,4}(?!\w)")


# The VAT id's shape after its country code where the country fixes it, so that an invoice
# number such as "FR2024001234" or "NL2024000117" is not taken for one.
_VAT_SHAPES = {
    "AT": r"U\d{8}",
    "BE": r"[01]?\d{9}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FR": r"[0-9A-Z]{2}\d{9}",
    "GB": r"\d{9}|\d{12}",
    "IT": r"\d{11}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "SE": r"\d{10}01",
}


def not_a_number(value: str) -> bool:
    """A telephone number, a VAT id or an IBAN where a document number was looked for."""
    return bool(_phone(value) or _vat_id(value) or _iban(value))


def _phone(value: str) -> bool:
    """A telephone number; one with an international "00" prefix has at least ten digits
    ("0049 89 123456"), so a receipt's "0021-4521" stays a number."""
    match = _PHONE_VALUE.match(value)
    if match is None:
        return False
    if not value.startswith("00"):
        return True
    number = re.match(r"[\d\s().\-/]+", value)
    return number is not None and sum(c.isdigit() for c in number.group()) >= 10


def _vat_id(value: str) -> bool:
    match = _VAT_VALUE.match(value)
    if match is None:
        return False
    compact = re.sub(r"\s", "", match.group(0))
    shape = _VAT_SHAPES.get(compact[:2])
    return shape is None or re.fullmatch(shape, compact[2:]) is not None


def _iban(value: str) -> bool:
    """An IBAN: its shape and its ISO 7064 mod-97 check digits, so that a code such as
    "DE21AEUDE123456" stays a document number."""
    match = _IBAN_VALUE.match(value)
    if match is None:
        return False
    compact = re.sub(r"\s", "", match.group(0))
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return len(compact) >= 15 and int(digits) % 97 == 1


_AMOUNT_LIKE = re.compile(
    r"[-(]?[$€£¥₹]?\s?\d{1,3}(?:[.,\s]\d{3})*[.,]\d{2}\)?\s?(?:[$€£¥₹%]|\w{3})?|\d+%"
)


def pair_candidates(
    view: DocView,
    terms: FieldTerms,
    kind: str,
    node: Mapping[str, Any],
    *,
    dayfirst: bool = False,
) -> list[Candidate]:
    """Candidates from labelled values, best first (ties keep reading order)."""
    found: list[tuple[float, int, Candidate]] = []
    said = set(content_stems(terms.phrase)) | set(terms.desc_words)
    said |= {s for a in terms.aliases for s in content_stems(a)}
    names_only = kind == "string" and not IDENTIFIER_WORDS & said
    for pair in view.pairs:
        score = label_score(terms, pair.key)
        if score < MIN_LABEL_SCORE:
            continue
        if names_only and IDENTIFIER_WORDS & set(content_stems(pair.key)):
            continue  # "Customer No." labels the customer's number, not the customer
        value = typed_value(pair.value, kind, node, terms, dayfirst=dayfirst)
        if value is None:
            continue
        if kind == "number" and not any(
            a.has_currency or a.has_decimals for a in find_amounts(pair.value)
        ):
            score *= 0.8  # money is written with decimals or a currency
        found.append((-score, pair.order, _candidate(pair, value, score)))
    found.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in found]


def _candidate(pair: Pair, value: Any, score: float) -> Candidate:
    reasoning = f'label "{pair.key}" on page {pair.page}'
    return Candidate(value, pair.page, pair.source, 0.5 + 0.45 * score, reasoning)
