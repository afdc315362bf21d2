"""Which country a document comes from, and so which currency its amounts are in when none is
printed: a Dutch bill writes "Totaal 114,47" and means euros, a Swiss one "Endbetrag 1'766.95"
and means francs. The evidence is what such documents print anyway: VAT and company
registration numbers (NL…B01, ATU…, CHE-…), the bank account's IBAN, the country named in an
address, registry words (KvK, SIRET, HRB, Companies House), UK postcodes and US ZIP codes,
and, weakest, the language. An explicit currency always comes first (``patterns.currency``);
this is read only when there is none, and says so in its reasoning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reams.processors.extract.layout import PLine
from reams.processors.extract.model import Candidate

__all__ = ["currency_of_country"]

_EURO = "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK"
CURRENCY = {code: "EUR" for code in _EURO.split()} | {
    "GB": "GBP",
    "CH": "CHF",
    "LI": "CHF",
    "US": "USD",
    "MY": "MYR",
    "IN": "INR",
    "PL": "PLN",
    "SE": "SEK",
    "DK": "DKK",
    "NO": "NOK",
    "CZ": "CZK",
    "SG": "SGD",
    "AU": "AUD",
    "CA": "CAD",
}
# VAT / company numbers whose form names their country (the prefix is the country code).
_TAX_ID = re.compile(
    r"\b(?:(?P<at>ATU\d{8})|(?P<ch>CHE[-\s]?\d{3}\.?\d{3}\.?\d{3})|"
    r"(?P<nl>NL\s?\d{9}\s?B\s?\d{2})|(?P<de>DE\s?\d{9})|(?P<fr>FR\s?[0-9A-Z]{2}\s?\d{9})|"
    r"(?P<be>BE\s?[01]\d{3}\.?\d{3}\.?\d{3})|(?P<es>ES\s?[A-Z0-9]\d{7}[A-Z0-9])|"
    r"(?P<it>IT\s?\d{11})|(?P<lu>LU\s?\d{8})|(?P<gb>GB\s?\d{3}\s?\d{4}\s?\d{2})|"
    r"(?P<pl>PL\s?\d{10}))\b"
)
_IBAN = re.compile(r"\bIBAN\s*:?\s*(?P<cc>[A-Z]{2})\d{2}\s?[A-Z0-9]{4}")
_COUNTRY_NAME = {
    "AT": r"österreich|austria|autriche",
    "BE": r"belgi[eë]|belgique|belgium|belgien",
    "CH": r"schweiz|suisse|switzerland|svizzera",
    "DE": r"deutschland|germany|allemagne",
    "ES": r"españa|spain|espagne",
    "FR": r"france|frankreich",
    "GB": r"united kingdom|england|scotland|wales",
    "IT": r"italia|italy",
    "NL": r"nederland|netherlands|the netherlands|pays-bas",
    "US": r"united states|usa|u\.s\.a\.",
    "MY": r"malaysia",
    "IN": r"india",
}
_NAMED = re.compile(
    "|".join(rf"\b(?P<{cc.lower()}>{words})\b" for cc, words in _COUNTRY_NAME.items()),
    re.IGNORECASE,
)
# Registries and tax words only one country uses.
_REGISTRY = {
    "NL": r"kvk(?:-nummer)?|kamer van koophandel",
    "FR": r"siret|siren|rcs|tva intracommunautaire",
    "DE": r"hrb|amtsgericht|steuernummer",
    "ES": r"nif|cif",
    "GB": r"companies house|registered in england(?: and wales)?",
    "MY": r"sdn\.? bhd|sst",
    "IN": r"gstin",
}
_REGISTRY_WORD = re.compile(
    "|".join(rf"\b(?P<{cc.lower()}>{words})\b" for cc, words in _REGISTRY.items()),
    re.IGNORECASE,
)
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")
_US_ZIP = re.compile(r",\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
# Languages written only in euro countries (or mostly: Swiss German and French documents
# show their country by the evidence above, which outweighs this).
_EURO_LANGUAGES = ("nl", "de", "fr", "es", "it", "pt", "fi", "el")


def currency_of_country(lines: Sequence[PLine], language: str) -> list[Candidate]:
    """The currency of the country the document's evidence points to (see the module
    docstring), or nothing when no evidence names one."""
    votes: dict[str, float] = {}
    where: dict[str, PLine] = {}
    for line in lines:
        for code, weight in _line_votes(line.text):
            votes[code] = votes.get(code, 0.0) + weight
            where.setdefault(code, line)
    if not votes:
        return []
    if language[:2].lower() in _EURO_LANGUAGES:
        votes["EUR"] = votes.get("EUR", 0.0) + 0.5
    code = max(votes, key=lambda c: votes[c])  # the first voted on a tie
    line = where.get(code) or lines[0]
    why = f"no currency printed; the country named on page {line.page} pays in {code}"
    return [Candidate(code, line.page, line.text, 0.4, why)]


def _line_votes(text: str) -> list[tuple[str, float]]:
    """(currency, weight) for each piece of country evidence in one printed line."""
    found: list[tuple[str, float]] = []
    for pattern, weight in ((_TAX_ID, 2.0), (_NAMED, 1.0), (_REGISTRY_WORD, 1.0)):
        for match in pattern.finditer(text):
            country = next(k for k, v in match.groupdict().items() if v).upper()
            found.append((CURRENCY[country], weight))
    for match in _IBAN.finditer(text):
        if match["cc"] in CURRENCY:
            found.append((CURRENCY[match["cc"]], 2.0))
    found += [("GBP", 1.0) for _ in _UK_POSTCODE.finditer(text)]
    found += [("USD", 1.0) for _ in _US_ZIP.finditer(text)]
    return found
