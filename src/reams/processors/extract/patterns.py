"""Recognisers keyed by meaning, not by field name: document titles, jurisdictions, the parties
of a preamble, durations and currencies. The offline engine calls one when a field's words
(name and description) ask for that meaning; each returns evidence-bearing candidates."""

from __future__ import annotations

import re

from reams.processors.extract.model import Candidate
from reams.processors.extract.numbers import currency_codes
from reams.processors.extract.text import STOPWORDS, DocView, Line, content_stems, tokens

__all__ = ["currency", "durations", "jurisdictions", "parties", "title"]

HEAD_LINES = 40  # how far into a document its title and preamble may be
_FURNITURE = re.compile(
    r"^(?:exhibit|schedule|annex|appendix|attachment|source|page|confidential|execution|"
    r"table of contents|draft|final|certain|redacted|\[)",
    re.IGNORECASE,
)
_UPPER_RUN = re.compile(
    r"(?<![\w])[A-Z][A-Z0-9&'’\-.,/]*(?![a-z])(?:\s+(?:[A-Z0-9&'’\-./(]+[)]?(?![a-z])|of|and|for|to|the))*"
)
_RUN_END = re.compile(r"\s+(?=(?:THIS|WHEREAS|BETWEEN|DATED|BY AND|MADE|ENTERED)\b)")
RUN_START = 40  # a title starts a line (after any "Exhibit 10.1")
_SKIP_LINE = re.compile(r"^(?:source|page)\b", re.IGNORECASE)
_EXHIBIT = re.compile(r"^(?:EXHIBIT|Exhibit|SCHEDULE|ANNEX)\s+[\w.()\-]+\s*", re.UNICODE)


def _title_spans(line: Line) -> list[str]:
    text = _EXHIBIT.sub("", line.text).strip()
    spans = []
    words = text.split()
    if line.kind == "heading" or (1 <= len(words) <= 10 and not text.endswith((".", ";", ","))):
        spans.append(text)
    for match in _UPPER_RUN.finditer(text[: RUN_START + 200]):
        if match.start() > RUN_START:
            break
        run = _RUN_END.split(match.group(0))[0].strip(" ,.-")
        run = re.sub(r"^THIS\s+|\s+(?:OF|TO|AND|FOR|THE|IN)$", "", run)
        run_words = run.split()
        if 2 <= len(run_words) <= 12 and sum(w.isupper() for w in run_words) >= 2:
            spans.append(run)
    return [s for s in dict.fromkeys(spans) if _title_like(s)]


def _title_like(span: str) -> bool:
    visible = [c for c in span if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    if not span or letters < 0.6 * len(visible) or _FURNITURE.match(span):
        return False
    return not set(tokens(span)) <= STOPWORDS and not span.endswith((" OF", " TO", " AND"))


def _title_lines(view: DocView) -> list[Line]:
    """The lines before the body starts: up to the first long paragraph (included)."""
    head: list[Line] = []
    for line in view.lines[:HEAD_LINES]:
        if line.kind == "row" or _SKIP_LINE.match(line.text):
            continue
        head.append(line)
        if len(line.text.split()) >= 40 or len(head) >= 20:
            break
    return head


_SELF_NAME = re.compile(
    r"\b(?:This|THIS)\s+((?:[A-Z][\w&®'’\-/]*,?\s+(?:(?:and|of|for|to|the|on|in)\s+)*){1,10}"
    r"[A-Z][\w®\-]*)\s*,?\s*\(\s*(?:the|this|hereinafter)?[^)]{0,30}?[\"“]"
)


def _self_name(view: DocView) -> tuple[str, Line] | None:
    """The name the document gives itself: 'This Supply Agreement (the "Agreement")'."""
    for line in view.lines[:HEAD_LINES]:
        match = _SELF_NAME.search(line.text)
        if match:
            return match.group(1), line
    return None


def title(view: DocView) -> list[Candidate]:
    """Title-like spans before the body: upper-case or short, named again in the text, best
    when the preamble calls the document by the same name."""
    body = " ".join(line.text for line in view.lines[: HEAD_LINES * 3]).lower()
    self_name = _self_name(view)
    party_names = {p.value.lower() for p in parties(view)}
    named = self_name[0].lower() if self_name else None
    scored: list[tuple[float, int, Candidate]] = []
    for index, line in enumerate(_title_lines(view)):
        for span in _title_spans(line):
            score = _title_score(span, index, body, line) + (2.0 if span.lower() == named else 0)
            score -= 2.0 if any(span.lower() in p or p in span.lower() for p in party_names) else 0
            if score > 0:
                reasoning = f"title-like line {index + 1} on page {line.page}"
                candidate = Candidate(span, line.page, line.text, min(0.9, score / 4), reasoning)
                scored.append((-score, index, candidate))
    if self_name:
        why = f"the document names itself on page {self_name[1].page}"
        candidate = Candidate(self_name[0], self_name[1].page, self_name[1].text, 0.6, why)
        scored.append((-2.4, HEAD_LINES, candidate))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in scored]


_ORGANISATION = re.compile(
    r"\b(?:inc|corp|corporation|ltd|limited|llc|plc|gmbh|ag|s\.?a|b\.?v|n\.?v|l\.?p)\.?$",
    re.IGNORECASE,
)


def _title_score(span: str, index: int, body: str, line: Line) -> float:
    letters = [c for c in span if c.isalpha()]
    if len(letters) < 4 or re.search(r"\d{3,}|@|www\.|https?:", span):
        return 0.0
    score = 1.0 if sum(c.isupper() for c in letters) / len(letters) > 0.8 else 0.0
    score += 0.5 if line.kind == "heading" else 0.0
    score += 1.5 if body.count(span.lower()) >= 2 else 0.0
    last = span.split()[-1].lower().strip(".,")
    score += min(1.0, body.count(last) / 10)
    score -= (
        1.0 if _ORGANISATION.search(span) or span.lower().startswith(("this ", "whereas")) else 0
    )
    score -= 0.1 * index + (0.5 if len(span.split()) == 1 else 0.0)
    return score


_PLACE = r"(?P<place>[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*){0,3})"
_LAW = re.compile(
    r"\b(?i:laws?)\s+(?:(?:and|or)\s+(?i:decisions|regulations|statutes)\s+)?(?:of|in)\s+"
    r"(?:and\s+in\s+\w+\s+with\s+)?(?i:the\s+)?"
    r"(?i:(?:State|Commonwealth|Province|Republic|Kingdom|Canton|Federal Republic|"
    r"People's Republic)\s+of\s+)?" + _PLACE + r"(?:,\s*(?P<country>(?:U\.S\.A\.|USA|"
    r"United States(?: of America)?|Canada|[A-Z][a-z]+)))?"
)
# "governed by Michigan law", "in accordance with English law"
_LAW_AFTER = re.compile(
    r"\b(?:governed\s+by|accordance\s+with|subject\s+to|construed\s+under)\s+(?:the\s+)?"
    + _PLACE
    + r"\s+(?i:laws?)\b"
)
_NOT_PLACES = frozenset({"united", "any", "such", "all", "each", "this", "that", "said"})
MIN_SUPPORT = 1  # a place counts in a sentence that says what the law does (governs, ...)


def jurisdictions(view: DocView, wanted: set[str]) -> list[Candidate]:
    """Places named by "the laws of (the State of) X" or "X law" in sentences that carry at
    least one of the ``wanted`` stems (e.g. govern, constru), best supported first."""
    scored: list[tuple[float, int, Candidate]] = []
    for page, sentence, order in view.sentences():
        matches = [*_LAW.finditer(sentence), *_LAW_AFTER.finditer(sentence)]
        support = len(wanted & set(content_stems(sentence))) if matches else 0
        if support < MIN_SUPPORT:
            continue
        for match in matches:
            place = _clean_place(match["place"])
            if not place:
                continue
            country = match.groupdict().get("country")
            if country and country not in ("USA", "U.S.A.", "United States"):
                place = f"{place}, {country}"
            reasoning = f'"laws of {place}" on page {page}'
            candidate = Candidate(place, page, sentence, min(0.9, 0.4 + 0.15 * support), reasoning)
            scored.append((-support, order, candidate))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in scored]


def _clean_place(place: str) -> str:
    words = place.replace("’", "'").split()
    while words and words[-1].lower() in ("and", "of", "without", "in", "state"):
        words.pop()
    if not words or (words[0].lower() in _NOT_PLACES and len(words) == 1):
        return ""
    if words[0].lower() in ("any", "such", "this", "that", "said", "each"):
        return ""
    return " ".join(words).rstrip(".,")


_BETWEEN = re.compile(r"\b(?:by\s+and\s+)?(?:between|among|amongst)\b:?", re.IGNORECASE)
_PREAMBLE_END = re.compile(
    r"\b(?:WHEREAS|Whereas|RECITALS|Recitals|W\s?I\s?T\s?N\s?E\s?S\s?S|NOW,? THEREFORE|"
    r"BACKGROUND)\b"
    r"|(?<=[)\"”])\s*\.(?:\s|$)"
)
_NAME_END = re.compile(
    r",\s+(?:a|an|the|having|with|whose|located|organized|organised|incorporated|registered|"
    r"its|each|hereinafter|acting|on behalf|as|duly)\b|,\s+[a-z]|"
    r",?\s+(?:hereinafter|herein|with its|located|having its|whose)\b"
)
_ALIAS = re.compile(r"\([^()]*(?:\([^()]*\)[^()]*)*\)")
MAX_NAME_WORDS = 10


def parties(view: DocView) -> list[Candidate]:
    """The parties named in the preamble ("by and between A and B"), in order."""
    head = view.lines[:HEAD_LINES]
    for index, line in enumerate(head):
        match = _BETWEEN.search(line.text)
        if not match or match.start() > 800:
            continue
        tail = line.text[match.end() :]
        if len(tail.split()) < 2:  # a title page: "between" / A / "and" / B on their own lines
            tail = " ".join(x.text for x in head[index + 1 : index + 6])
        names = _split_parties(tail)
        if len(names) >= 2:
            reasoning = f"preamble naming the parties on page {line.page}"
            return [Candidate(n, line.page, line.text, 0.7, reasoning) for n in names]
    return []


def _split_parties(text: str) -> list[str]:
    end = _PREAMBLE_END.search(text)
    text = text[: end.start()] if end else text[:1500]
    if _ALIAS.search(text):
        segments = _ALIAS.split(text)
    else:
        segments = re.split(r";\s*|\s+and\s+(?=[A-Z0-9])|\s*,\s+and\s+", text)
    names = []
    for segment in segments:
        segment = re.sub(r"^[\s,;:]*(?:and\s+|&\s+)?", "", segment)
        if segment[:1].islower():  # the previous party's description, then ", and B"
            parts = re.split(r"(?:,\s*|\s)and\s+", segment, maxsplit=1)
            segment = parts[1] if len(parts) == 2 else ""
        cut = _NAME_END.search(segment)
        name = (segment[: cut.start()] if cut else segment).strip(' ,;:"“”')
        name = re.sub(r"^(?:the|and)\s+(?=[A-Z])", "", name).strip()
        if _name_like(name):
            names.append(name)
    return list(dict.fromkeys(names))


def _name_like(name: str) -> bool:
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or not any(c.isupper() for c in words[0]):
        return False
    if not name[0].isalnum() or ":" in name:
        return False
    return not name.endswith(".") or bool(_ORGANISATION.search(name)) or len(words) <= 4


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "forty-five": 45, "sixty": 60, "ninety": 90})
_DURATION = re.compile(
    r"\b(?:(?P<word>[a-z]+(?:-[a-z]+)?)\s*\(\s*(?P<digits>\d+)\s*\)|(?P<bare>\d+|[a-z]+(?:-[a-z]+)?))"
    r"[\s-]*(?:calendar\s+|business\s+|full\s+|consecutive\s+|additional\s+)?"
    r"(?P<unit>days?|months?|years?|weeks?)\b",
    re.IGNORECASE,
)


def durations(sentence: str) -> list[tuple[str, int, int]]:
    """Durations in ``sentence`` as ("30 days", start, end), numbers as digits."""
    out = []
    for match in _DURATION.finditer(sentence):
        raw = match["digits"] or match["bare"]
        number = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw.lower())
        if number is None or number == 0:
            continue
        unit = match["unit"].lower().rstrip("s")
        out.append((f"{number} {unit}{'s' if number != 1 else ''}", match.start(), match.end()))
    return out


def currency(view: DocView) -> list[Candidate]:
    """The currency the document's amounts are in (the most frequent code or symbol)."""
    for line in view.lines:
        codes = currency_codes(line.text)
        if codes:
            everywhere = currency_codes(" ".join(x.text for x in view.lines))
            code = everywhere[0] if everywhere else codes[0]
            source = next((x for x in view.lines if code in currency_codes(x.text)), line)
            reasoning = f"currency mark on page {source.page}"
            return [Candidate(code, source.page, source.text, 0.7, reasoning)]
    return []
