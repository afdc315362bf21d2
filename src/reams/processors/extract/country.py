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
from dataclasses import replace

from reams.processors.extract.layout import PLine
from reams.processors.extract.model import Candidate

__all__ = ["currency_of_country", "settle_shared_sign", "specific_currency"]

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
    "MX": "MXN",
    "JP": "JPY",
    "NZ": "NZD",
}
# Signs several currencies share, the currency each means when nothing says otherwise, and the
# currencies it may stand for: "$" on an Australian or Mexican invoice is not a US dollar,
# "kr" on a Danish one not a Swedish crown.
SHARED_SIGNS = {
    "USD": frozenset({"USD", "AUD", "CAD", "MXN", "NZD", "SGD", "HKD"}),
    "SEK": frozenset({"SEK", "DKK", "NOK"}),
}
# Languages spoken mostly in one country outside the euro: the weakest evidence of all.
_LANGUAGE_CURRENCY = {"sv": "SEK", "da": "DKK", "nb": "NOK", "no": "NOK", "pl": "PLN", "ja": "JPY"}
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
    "AU": r"australia",
    "MX": r"m[ée]xico",
    "JP": r"japan|nippon",
    "SE": r"sverige|sweden",
    "DK": r"danmark|denmark",
    "NO": r"norge|norway",
    "PL": r"polska|poland",
    "CA": r"canada|canadian|canadiens?|canadiennes?|qu[ée]bec|ontario|british columbia",
    "NZ": r"new zealand",
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
    "AU": r"abn:?\s*\d{2}\s?\d{3}|bsb",
    "MX": r"rfc:?\s*[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}|cfdi|m\.n\.",
    "JP": r"registration\s+no\.?\s+t\d{13}|consumption\s+tax",
    "SE": r"bankgiro|plusgiro|org\.?\s?nr\.?\s*\d{6}-\d{4}",
    "DK": r"cvr(?:-nr)?\.?",
    "PL": r"nip|regon|krs",
    # Canada's sales taxes and business number: "GST/HST No. … RT0001", "TPS", "TVQ"
    "CA": r"gst/hst|hst|tps|tvq|qst|rt\s?0001",
}
_REGISTRY_WORD = re.compile(
    "|".join(rf"\b(?P<{cc.lower()}>{words})\b" for cc, words in _REGISTRY.items()),
    re.IGNORECASE,
)
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")
_US_ZIP = re.compile(r",\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_AU_STATE_POSTCODE = re.compile(r"\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b")
_CA_POSTCODE = re.compile(
    r"\b(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"
)
# Languages written only in euro countries (or mostly: Swiss German and French documents
# show their country by the evidence above, which outweighs this).
_EURO_LANGUAGES = ("nl", "de", "fr", "es", "it", "pt", "fi", "el")


def currency_of_country(lines: Sequence[PLine], language: str) -> list[Candidate]:
    """The currency of the country the document's evidence points to (see the module
    docstring), or nothing when no evidence names one."""
    votes = _votes([line.text for line in lines], language)
    if not votes:
        return []
    code = max(votes, key=lambda c: votes[c])  # the first voted on a tie
    line = next((x for x in lines if any(c == code for c, _ in _line_votes(x.text))), lines[0])
    why = f"no currency printed; the country named on page {line.page} pays in {code}"
    return [Candidate(code, line.page, line.text, 0.4, why)]


def _votes(texts: Sequence[str], language: str) -> dict[str, float]:
    """Currency → weight of the country evidence in ``texts`` (in order of first evidence), the
    language adding to a currency only when some evidence was found."""
    votes: dict[str, float] = {}
    for text in texts:
        for code, weight in _line_votes(text):
            votes[code] = votes.get(code, 0.0) + weight
    lang = language[:2].lower()
    if votes and lang in _EURO_LANGUAGES:
        votes["EUR"] = votes.get("EUR", 0.0) + 0.5
    elif votes and lang in _LANGUAGE_CURRENCY:
        code = _LANGUAGE_CURRENCY[lang]
        votes[code] = votes.get(code, 0.0) + 0.5
    return votes


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
    found += [("AUD", 1.0) for _ in _AU_STATE_POSTCODE.finditer(text)]
    found += [("CAD", 1.0) for _ in _CA_POSTCODE.finditer(text)]
    return found


def settle_shared_sign(found: Candidate, lines: Sequence[PLine], language: str) -> Candidate:
    """``found`` (the printed currency), made specific when it was read from a sign several
    currencies share (``$``, ``kr``): see :func:`specific_currency`."""
    code = specific_currency(found.value, " ".join(line.text for line in lines), language)
    if code == found.value:
        return found
    why = f"{found.reasoning}; the sign is shared, and the document points to {code}"
    return replace(found, value=code, reasoning=why)


def specific_currency(code: str, text: str, language: str) -> str:
    """``code`` as read from the sign, or, when several currencies share that sign, the one the
    document means: a code of that family printed anywhere ("TOTAL AUD", "Moneda: MXN"), then
    the country the document names (its language last), else the sign's usual reading."""
    family = SHARED_SIGNS.get(code)
    if family is None:
        return code
    printed = [other for other in sorted(family - {code}) if re.search(rf"\b{other}\b", text)]
    if len(printed) == 1:
        return printed[0]
    if printed or re.search(rf"\b{code}\b", text):
        return code
    votes = _votes([text], language)
    named = max(votes, key=lambda c: votes[c]) if votes else None
    named = named or _LANGUAGE_CURRENCY.get(language[:2].lower())
    return named if named in family else code
