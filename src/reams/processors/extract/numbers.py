"""Amounts and currencies in free text.

``$1,234.56``, ``1.234,56 €``, ``1 234,56``, ``EUR 12.00``, ``(45.00)`` and ``-3,5`` all parse.
The decimal separator is the last of ``.``/``,`` when both occur; a lone separator followed by
exactly three digits is a thousands separator (``1,234`` and ``1.234`` are 1234), otherwise a
decimal one (``4,11`` is 4.11).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["FoundAmount", "currency_codes", "find_amounts", "parse_amount", "parse_integer"]

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "zł": "PLN", "₽": "RUB"}
CODES = frozenset(
    [
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "INR",
        "PLN",
        "CHF",
        "CAD",
        "AUD",
        "NZD",
        "SEK",
        "NOK",
        "DKK",
        "CZK",
        "HUF",
        "RUB",
        "CNY",
        "HKD",
        "SGD",
        "ZAR",
        "MYR",
        "THB",
        "IDR",
        "AED",
        "BRL",
        "MXN",
    ]
)
WORD_CODES = {
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "rupees": "INR",
    "euro": "EUR",
    "euros": "EUR",
    "us dollars": "USD",
    "us dollar": "USD",
    "u.s. dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "singapore dollars": "SGD",
    "hong kong dollars": "HKD",
    "new zealand dollars": "NZD",
    "rm": "MYR",
    "ringgit": "MYR",
    "pounds sterling": "GBP",
    "sterling": "GBP",
    "złotych": "PLN",
    "pesos mexicanos": "MXN",
    # Crowns: Sweden's, Denmark's and Norway's share the mark; ``country.settle_shared_sign``
    # decides which from the country the document names.
    "kr": "SEK",
    "kr.": "SEK",
    "schweizer franken": "CHF",
    "franken": "CHF",
    "francs suisses": "CHF",
    "franc suisse": "CHF",
}
_CURRENCY = (
    r"(?:[$€£¥₹]|zł|\b(?:" + "|".join(sorted(CODES)) + r")(?![A-Za-z])|\bRs\.?(?![A-Za-z])|"
    r"\bRM(?![A-Za-z]))"
)
# The lookahead names every alternative's first character: positions that cannot start one are
# skipped at once (three times faster over a contract, the same matches).
_CURRENCY_TOKEN = re.compile(
    r"(?=[$€£¥₹₽zA-Zdersfpk])(?:"
    r"[$€£¥₹₽]|zł|\b[A-Z]{3}\b|\bRs\.?|\bRM\b|"
    r"\b(?:(?:U\.?S\.?|Canadian|Australian|Singapore|Hong\s+Kong|New\s+Zealand)\s+)?[Dd]ollars?\b|\b[Ee]uros?\b|"
    r"\b[Rr]upees\b|\b[Rr]inggit\b|\b(?:[Pp]ounds\s+)?[Ss]terling\b|\bzłotych\b|"
    r"\b(?:[Ss]chweizer\s+)?Franken\b|\b[Ff]rancs?\s+[Ss]uisses?\b|\bpesos\s+mexicanos\b|"
    r"\bkr\b\.?"
    r")"
)
_NUMBER = (
    r"[-−]?\(?\d{1,3}(?:[ .,'\u00a0\u202f]\d{3})*(?:[.,]\d{1,4})?\)?(?!\d)|[-−]?\d+(?:[.,]\d{1,4})?"
)
_AMOUNT = re.compile(
    rf"(?:(?P<pre>{_CURRENCY}\s?)|(?<![\w.,/-]))(?P<num>{_NUMBER})(?![\w/]|[.,]\d)"
    rf"(?:\s?(?P<post>{_CURRENCY}))?"
)


@dataclass(frozen=True)
class FoundAmount:
    """A number found in text, whether a currency marks it, and its span."""

    value: float
    has_currency: bool
    has_decimals: bool
    start: int
    end: int


def parse_amount(text: str) -> float | None:
    """The single number in ``text`` (currency marks allowed), else None."""
    cleaned = re.sub(_CURRENCY, " ", text.strip(), flags=re.IGNORECASE).strip()
    cleaned = cleaned.rstrip("*").strip().rstrip("-").strip()
    if not cleaned or not re.fullmatch(r"[-−+]?\(?[\d .,'\u00a0\u202f]+\)?", cleaned):
        return None
    return _to_float(cleaned)


def _to_float(raw: str) -> float | None:
    negative = raw.startswith(("-", "−")) or (raw.startswith("(") and raw.endswith(")"))
    digits = re.sub(r"[^\d.,]", "", raw)
    if not digits or not any(c.isdigit() for c in digits):
        return None
    digits = _normalise_separators(digits)
    try:
        number = float(digits)
    except ValueError:
        return None
    return -number if negative else number


def _normalise_separators(digits: str) -> str:
    dot, comma = digits.rfind("."), digits.rfind(",")
    if dot >= 0 and comma >= 0:
        decimal = "." if dot > comma else ","
        thousands = "," if decimal == "." else "."
        return digits.replace(thousands, "").replace(decimal, ".")
    sep = "." if dot >= 0 else "," if comma >= 0 else ""
    if not sep:
        return digits
    head, _, tail = digits.rpartition(sep)
    if len(tail) == 3 and (digits.count(sep) > 1 or sep == "," or len(head) <= 3):
        return digits.replace(sep, "")
    return digits.replace(sep, "", digits.count(sep) - 1).replace(sep, ".")


def parse_integer(text: str) -> int | None:
    """``text`` as an integer when it is a whole number (``"1,200"``, ``"12.0"``)."""
    number = parse_amount(text)
    if number is None or number != int(number):
        return None
    return int(number)


def find_amounts(text: str) -> list[FoundAmount]:
    """Every number in ``text``, in reading order (dates and long ids are not amounts)."""
    found = []
    for match in _AMOUNT.finditer(text):
        value = _to_float(match["num"])
        if value is None:
            continue
        decimals = bool(re.search(r"[.,]\d{1,2}\)?$", match["num"]))
        marked = bool(match["pre"] or match["post"])
        found.append(FoundAmount(value, marked, decimals, match.start(), match.end()))
    return found


# An Italian address's province after its city ("00186 Roma (RM)", "20121 Milano (MI)"): Rome's
# RM is not a ringgit (a Malaysian "Total (RM) 12.50" has its amount after it).
_PROVINCE = re.compile(
    r"\b\d{5}[ \t]+[A-ZÀ-Ý][\w'’-]*(?:[ \t]+[\w'’-]+){0,3}[ \t]+\([A-Z]{2}\)(?!\s*[-−]?\d)"
)


def currency_codes(text: str) -> list[str]:
    """ISO 4217 codes named or symbolised in ``text``, most frequent first."""
    counts: Counter[str] = Counter()
    found = _CURRENCY_TOKEN.findall(text)
    if "RM" in found and _PROVINCE.search(text):  # rare: the scan again without provinces
        found = _CURRENCY_TOKEN.findall(_PROVINCE.sub(" ", text))
    for token in found:
        token = " ".join(token.split())
        code = (
            SYMBOLS.get(token)
            or WORD_CODES.get(token.lower())
            or (token if token in CODES else None)
        )
        if code:
            counts[code] += 1
    return [code for code, _ in counts.most_common()]
