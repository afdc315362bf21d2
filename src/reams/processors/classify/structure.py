"""Evidence beyond the words: what the file *is* and how it is built, scored against each rule.

A document's **facts** come from the parse output: its format family (a workbook, a slide
deck, an e-mail, a web page, a scan, from the detected file type, and from the structure where
the type says nothing: ``From:``/``To:``/``Subject:`` header lines make a printed e-mail,
landscape pages with little text a slide deck exported to PDF), and its content cues (currency
amounts, dates, signature lines, blanks and check boxes to fill in, the share of the text in
tables, length and headings).

A rule's **cues** come from its type name and description alone: a rule that says
``spreadsheet``, ``workbook``, ``Excel`` or ``CSV`` expects a workbook; one that says ``total
amount`` or ``price`` expects currency amounts; one that says ``signed`` expects signature lines.
No rule name is special: the same words in any rule's text ask for the same cues, in English
or in the languages of :mod:`.lexicon`.

Two scores per rule, each 0..1: **format** (the strength of the document's format family among
those the rule names; 0 when the rule names none) and **cues** (the mean presence, in the
document, of the content cues the rule names; 0 when it names none).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reams.processors.classify import lexical


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Format families, and the words (folded, after lexicon.english) by which a rule names each.
FAMILY_WORDS: dict[str, frozenset[str]] = {
    "workbook": _set(
        "spreadsheet spreadsheets workbook workbooks excel xlsx xls xlsm ods csv tsv sheet sheets "
        "worksheet worksheets"
    ),
    "slides": _set(
        "presentation presentations slide slides deck decks powerpoint pptx ppt keynote odp "
        "slideshow"
    ),
    "email": _set("email emails mail mails inbox mailbox outlook eml msg"),
    "web": _set("web webpage webpages website websites html htm wiki wikipedia blog"),
    "scan": _set("scan scans scanned photo photos photograph fax faxed"),
    # A file with interactive form fields (a fillable PDF): read from the parse metadata's
    # ``form_field_count`` when the parser reports it.
    "fillable": _set("form forms fillable questionnaire questionnaires"),
    # Families read from the structure alone (no file type says them):
    "paper": _set("paper papers scientific scholarly academic journal preprint thesis abstract"),
    "book": _set(
        "report reports manual manuals handbook handbooks guide guides publication publications "
        "book books booklet chapter chapters"
    ),
}
# The detected file types of each family.
FAMILY_TYPES: dict[str, frozenset[str]] = {
    "workbook": frozenset({"xlsx", "xls", "xlsm", "xlsb", "ods", "csv", "tsv"}),
    "slides": frozenset({"pptx", "ppt", "odp"}),
    "email": frozenset({"eml", "msg"}),
    "web": frozenset({"html"}),
    "scan": frozenset({"png", "jpeg", "tiff", "bmp", "gif", "webp"}),
}
# File types that are not printed pages: their tables say nothing of a publication.
_NOT_PRINTED = frozenset().union(*FAMILY_TYPES.values()) - FAMILY_TYPES["scan"]
# Families that say how a document was delivered, not what it is: a web page or a scan can
# hold an invoice as well as an article.
CONTAINER_FAMILIES = frozenset({"web", "scan"})
# Content cues, and the words by which a rule asks for each.
CUE_WORDS: dict[str, frozenset[str]] = {
    "amounts": _set(
        "amount amounts total totals price prices cost costs payment payments paid due tax taxes "
        "vat fee fees currency money sum subtotal balance"
    ),
    "dates": _set("date dates dated deadline"),
    "signature": _set("signature signatures signed signatory"),
    "fields": _set("fill blank blanks checkbox checkboxes tick fields"),
    "tables": _set("table tables rows columns tabular"),
    "long": _set("chapter chapters handbook handbooks manual manuals book books"),
}

# Amounts, dates and signatures are read on folded text (lowercase, no accents).
_CURRENCY = (
    r"(?:[$€£¥₹₩₽¢]|\b(?:usd|eur|gbp|chf|jpy|inr|cad|aud|rs|sek|nok|dkk|pln|czk|myr|sgd|cny|"
    r"rm|zar|brl|mxn)\b)"
)
_NUMBER = r"\d{1,3}(?:[ ,.'\u00a0]\d{3})*(?:[.,]\d{1,2})?"
# Each pattern opens with a lookahead for the characters its matches can start with (the same
# matches, found sooner: most positions fail on one test instead of every alternative).
_AMOUNT = re.compile(
    r"(?=[$€£¥₹₩₽¢\d]|\b[a-z])(?:"
    rf"{_CURRENCY}\s?{_NUMBER}|{_NUMBER}\s?{_CURRENCY}|"
    r"\b(?:total|amount|due|sum|balance|montant|betrag|summe|importe|totaal|bedrag|importo)\b"
    r"[^\n\d]{0,30}\d[\d ,.']*[.,]\d\d\b)"
)
_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|"
    r"\b\d{1,2}\.?\s+[a-z]{3,9}\.?\s+\d{4}\b|\b[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}\b"
)
_SIGNATURE = re.compile(
    r"(?:signature|signed|signatory|unterschrift|handtekening|firma|signe)\s*(?::|_{3,})|"
    r"/s/|^\s*by:\s*_{3,}|in witness whereof",
    re.MULTILINE,
)
_BLANK = re.compile(r"(?=[_.☐☑☒□■\[(])(?:_{4,}|\.{6,}\s*$|[☐☑☒□■]|\[\s?\]|\(\s\))", re.MULTILINE)
# Header lines of an e-mail in the languages of the lexicon (a printed or saved message).
_MAIL_HEADER = re.compile(
    r"^\s*(?:from|to|cc|subject|sent|date|de|à|a|objet|envoyé|von|an|betreff|gesendet|para|"
    r"asunto|enviado|van|aan|onderwerp|verzonden)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
# On folded text (lowercase, no accents): abstract and references headings in the lexicon's
# languages too (``Résumé``, ``Zusammenfassung``, ``Références``, ``Literatur``).
_ABSTRACT = re.compile(
    r"^\W*(?:abstract|summary|resume|zusammenfassung|resumen|samenvatting|riassunto)\b",
    re.MULTILINE,
)
_REFERENCES = re.compile(
    r"^\W*(?:\d+\.?\s*)?(?:references|bibliography|works cited|literature cited|"
    r"bibliographie|literatur|literaturverzeichnis|referencias|bibliografia|referenties|"
    r"literatuur)\W*$",
    re.MULTILINE,
)
_CITATION = re.compile(r"\bet al\b|\[\d+(?:[,–-]\s*\d+)*\]|\(\w[\w-]+,? (?:19|20)\d\d\w?\)")
MAIL_HEAD_CHARS = 1500
MAX_PAPER_CHARS = 100_000
CITATION_CHARS = 20_000
REFERENCES_CHARS = 40_000  # the references section closes a paper
CUE_CHARS = 6000  # amounts, dates and blanks on the first pages; signatures on the last
BOOK_MAX = 0.6  # length alone is weak evidence: contracts and papers are long too
# A printed page that is mostly one large table of figures (a statistics release, a register of
# payments, a voting record) is a publication however short; stronger evidence than length.
PRINTED_TABLE_MAX = 0.8
PRINTED_TABLE_SHARE = 0.5  # most of the text in tables
# The largest table's Markdown characters: a sample grid or a table of key-value fields has a
# few hundred; a table of figures across a page, a few thousand.
SMALL_TABLE_CHARS = 1000
LARGE_TABLE_CHARS = 1500
SLIDE_WORDS_PER_PAGE = 120
# Formats parsed as one page whatever their length, and the words of a printed page. Their
# words are counted on the first 20,000 characters (as above): at most some six pages, so a
# long Word handbook reads as one of several pages, and a long contract no more than that.
UNPAGED_TYPES = frozenset({"docx", "doc", "odt", "rtf", "text", "markdown", "epub"})
WORDS_PER_PAGE = 500  # a landscape page with fewer words reads as a slide


@dataclass(frozen=True)
class Facts:
    """What a parsed document is (format family strengths) and what it holds (cues), 0..1."""

    detected_type: str
    families: dict[str, float]
    cues: dict[str, float]

    def describe(self) -> list[str]:
        """The notable facts in words, for the reasoning."""
        out = [f"a {name} ({strength:.1f})" for name, strength in self.families.items()]
        out += [f"{name} {value:.1f}" for name, value in self.cues.items() if value >= 0.5]
        return out


def _squash(count: float, scale: float) -> float:
    return 1.0 - math.exp(-count / scale)


def _pages(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [p for p in doc.get("pages") or [] if isinstance(p, Mapping)]


def _items(pages: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [i for p in pages for i in p.get("items") or [] if isinstance(i, Mapping)]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def facts(doc: Mapping[str, Any], text: str, wanted: frozenset[str] | None = None) -> Facts:
    """The facts of a parse output (``text``: its full text, as the engine reads it).

    ``wanted``: the families and cues some rule names (None: all); the costly ones no rule
    asks for are left out (0), as they would score nothing.
    """

    def want(name: str) -> bool:
        return wanted is None or name in wanted

    document = doc.get("document")
    info: Mapping[str, Any] = document if isinstance(document, Mapping) else {}
    detected = str(info.get("detected_type") or "")
    pages = _pages(doc)
    page_count = int(_number(info.get("page_count"))) or len(pages)
    families = _families(detected, pages, text, form_fields(info))
    paper = _paper(text) if want("paper") else 0.0
    if paper > 0:
        families["paper"] = paper
    items = _items(pages)
    table_chars = sum(len(str(i.get("md") or "")) for i in items if i.get("type") == "table")
    all_chars = sum(len(str(i.get("md") or "")) for i in items) or len(text)
    table_share = table_chars / all_chars if all_chars else 0.0
    if detected in FAMILY_TYPES["workbook"]:
        table_share = 1.0
    headings = sum(1 for i in items if i.get("type") == "heading")
    words = max(1, len(text[:20_000].split()))  # enough to tell a long document
    sheets = page_count
    if detected in UNPAGED_TYPES:  # one page for the whole text: count pages of print
        sheets = max(page_count, words // WORDS_PER_PAGE)
    book = BOOK_MAX * _squash(max(0, sheets - 1), 6.0) * min(1.0, words / 2000)
    if detected in _NOT_PRINTED:
        # A workbook's sheets are not chapters. A printed document's tables are no evidence
        # against a publication: "figures and tables" is what a report rule says it has.
        book *= 1.0 - table_share
    elif table_share >= PRINTED_TABLE_SHARE:
        tables = [len(str(i.get("md") or "")) for i in items if i.get("type") == "table"]
        largest = max(tables, default=0)
        size = (largest - SMALL_TABLE_CHARS) / (LARGE_TABLE_CHARS - SMALL_TABLE_CHARS)
        book = max(book, PRINTED_TABLE_MAX * min(1.0, max(0.0, size)))
    if book > 0.05:
        families["book"] = book
    first = lexical.fold(text[:CUE_CHARS])
    last = lexical.fold(text[-CUE_CHARS:]) if want("signature") else ""
    counted = {"amounts": (_AMOUNT, first, 3.0), "dates": (_DATE, first, 2.0)}
    counted |= {"signature": (_SIGNATURE, last, 1.0), "fields": (_BLANK, first, 3.0)}
    cues = {
        name: _squash(len(pattern.findall(zone)), scale) if want(name) else 0.0
        for name, (pattern, zone, scale) in counted.items()
    }
    fields = form_fields(info)
    if fields:
        cues["fields"] = max(cues["fields"], _squash(fields, 2.0))
    cues |= {
        "tables": min(1.0, table_share * 1.5),
        "long": max(_squash(max(0, page_count - 2), 4.0), _squash(headings, 15.0))
        * min(1.0, words / 1500),
    }
    return Facts(detected, families, cues)


FORM_FIELDS_KEY = "form_field_count"  # in the parse output's ``document.metadata``


def form_fields(info: Mapping[str, Any]) -> int:
    """The number of interactive form fields the parser found (0: none or not reported)."""
    metadata = info.get("metadata")
    value = metadata.get(FORM_FIELDS_KEY) if isinstance(metadata, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _families(
    detected: str, pages: Sequence[Mapping[str, Any]], text: str, fields: int = 0
) -> dict[str, float]:
    """The format families the file type and the page shapes say (0..1 each)."""
    families = {family: 1.0 for family, types in FAMILY_TYPES.items() if detected in types}
    if fields:
        families["fillable"] = max(0.6, _squash(fields, 2.0))
    if pages and any(p.get("ocr") for p in pages):
        families["scan"] = max(families.get("scan", 0.0), 0.7)
    head = text[:MAIL_HEAD_CHARS]
    headers = {m.group(0).strip().lower() for m in _MAIL_HEADER.finditer(head)}
    if "email" not in families and len(headers) >= 3:
        families["email"] = 0.7
    if "slides" not in families and detected == "pdf" and len(pages) >= 2:
        landscape = [
            p
            for p in pages
            if _number(p.get("width")) > 1.15 * _number(p.get("height")) > 0 and not p.get("ocr")
        ]
        short = [
            p for p in landscape if len(str(p.get("text") or "").split()) <= SLIDE_WORDS_PER_PAGE
        ]
        if len(short) >= 0.6 * len(pages):
            families["slides"] = 0.6
    return families


def _paper(text: str) -> float:
    """How much the text is built like a scholarly article: an abstract at the start, a
    references section, citations (``et al.``, ``[12]``, ``(Smith, 2020)``); 0..1."""
    head = lexical.fold(text[:CITATION_CHARS])
    abstract = 1.0 if _ABSTRACT.search(head[:4000]) or "abstract" in head[:3000] else 0.0
    tail = lexical.fold(text[:MAX_PAPER_CHARS][-REFERENCES_CHARS:])
    references = 1.0 if _REFERENCES.search(tail) else 0.0
    citations = _squash(len(_CITATION.findall(head)), 5.0)
    return (abstract + references + citations) / 3.0


@dataclass(frozen=True)
class RuleCues:
    """The format families and content cues a rule's words name."""

    families: frozenset[str]
    cues: frozenset[str]


NO_CUES = RuleCues(frozenset(), frozenset())


def rule_cues(type_name: str, description: str) -> RuleCues:
    present = set(lexical.words(f"{type_name.replace('_', ' ')} {description}"))
    families = frozenset(f for f, names in FAMILY_WORDS.items() if present & names)
    cues = frozenset(c for c, names in CUE_WORDS.items() if present & names)
    return RuleCues(families, cues)


def wanted(rules: Sequence[RuleCues]) -> frozenset[str]:
    """Every family and cue some rule names."""
    return frozenset(n for rule in rules for n in (*rule.families, *rule.cues))


def format_score(rule: RuleCues, found: Facts) -> float:
    """The strength of the document's format family among those the rule names (0: none)."""
    return max((found.families.get(f, 0.0) for f in rule.families), default=0.0)


def cue_weights(rules: Sequence[RuleCues]) -> dict[str, float]:
    """Each cue's weight 0..1 over the rules: a cue every rule names separates none of them
    (contracts all have amounts and dates), one rule alone names it fully."""
    count = len(rules)
    top = math.log((count + 1) / 1.5)
    frequency = Counter(c for rule in rules for c in rule.cues)
    if top <= 0:
        return dict.fromkeys(frequency, 1.0)
    return {c: max(0.0, math.log((count + 1) / (df + 0.5)) / top) for c, df in frequency.items()}


def cue_score(rule: RuleCues, found: Facts, weights: Mapping[str, float]) -> float:
    """The mean presence in the document of the content cues the rule names, each weighted by
    how few rules name it (0: the rule names none)."""
    if not rule.cues:
        return 0.0
    return sum(found.cues.get(c, 0.0) * weights.get(c, 1.0) for c in rule.cues) / len(rule.cues)
