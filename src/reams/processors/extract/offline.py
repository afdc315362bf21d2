"""The offline extract engine: schema-guided extraction from a parse output, no model needed.

For each property of the schema the engine reads the field's words (its name split into
words, its description's content words and the phrases quoted in the description) and tries,
by the field's type and meaning:

* recognisers for a few common meanings: document titles, parties of a preamble, governing-law
  jurisdictions, currencies, durations;
* ``Label: value`` pairs in lines and two-cell table rows whose label means the field;
* lines that start with the field's label ("Invoice Number 42183017");
* for dates and durations, the date or duration whose surrounding words mean the field;
* for booleans, the presence of the clause the field describes (``clauses.py``);
* for arrays of objects, the tables whose header cells name the item's properties.

Values are then conformed to the schema (``conform.py``), so the result always validates
against ``nullable_schema(schema)``. Nothing is invented: a field with no evidence is absent
(``None`` when required).

Field metadata: every field with a value has an entry ``{"citation": [{"page",
"matching_text"}], "confidence", "reasoning"}``; nested objects map to dicts of entries, arrays
to lists. Fields without a value have no entry. A boolean found ``False`` because no clause
matched has an entry with an empty citation list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

from reams.processors.extract import everyday, patterns
from reams.processors.extract.clauses import ClauseIndex, clause_candidate
from reams.processors.extract.conform import conform, conform_node
from reams.processors.extract.country import currency_of_country, settle_shared_sign
from reams.processors.extract.labels import (
    IDENTIFIER_WORDS,
    label_score,
    label_words,
    pair_candidates,
    typed_value,
)
from reams.processors.extract.model import Candidate, ExtractOutcome
from reams.processors.extract.prose import leading_labels, prose_dates, prose_durations
from reams.processors.extract.rows import per_table_rows
from reams.processors.extract.schema import value_type
from reams.processors.extract.tables import table_items
from reams.processors.extract.text import DocView, FieldTerms, content_stems, field_terms

__all__ = ["extract_offline"]

Target = Literal["per_doc", "per_page", "per_table_row"]
Strategy = Callable[["FieldTerms", str, Mapping[str, Any]], "Candidate | None"]
DURATION_WORDS = frozenset(content_stems("period duration term notice"))
TITLE_WORDS = frozenset(content_stems("title"))
MONEY_CONTEXT = frozenset(content_stems("invoice order sale pay bill"))
PRINTED_CONFIDENCE = 0.8  # a layout pair's label must name the field well (score ≥ 0.67)
FORM_CHARS = 8000  # characters of a form-sized document (a few pages of labels and values)
TOTAL_WORDS = frozenset(content_stems("total amount due balance grand sum paid payable"))
DOC_NAME_WORDS = frozenset(content_stems("document name"))


def extract_offline(
    doc: Mapping[str, Any], schema: Mapping[str, Any], *, target: Target = "per_doc"
) -> ExtractOutcome:
    """Extract ``schema`` from the parse output ``doc`` (see the module docstring)."""
    if target == "per_page":
        results: list[dict[str, Any]] = []
        metas: list[dict[str, Any]] = []
        for page in doc.get("pages") or []:
            number = int(page.get("page_number") or len(results) + 1)
            result, meta = _Engine(DocView.build(doc, page=number), schema, doc, number).run()
            results.append(result)
            metas.append(meta)
        return ExtractOutcome(results, {"page_metadata": metas})
    if target == "per_table_row":
        view = DocView.build(doc)
        rows, metas = per_table_rows(view, schema, dayfirst=_dayfirst(view, doc))
        result_rows = [conform(row, schema) for row in rows]
        metas = [_prune(meta, row) for meta, row in zip(metas, result_rows, strict=True)]
        warnings = [] if rows else ["no table matched the schema's properties"]
        return ExtractOutcome(result_rows, {"row_metadata": metas}, warnings)
    result, meta = _Engine(DocView.build(doc), schema, doc).run()
    return ExtractOutcome(result, {"document_metadata": meta})


def _dayfirst(view: DocView, doc: Mapping[str, Any]) -> bool:
    text = "\n".join(line.text for line in view.lines[:400])
    return everyday.day_first(text, _language(doc))


def _language(doc: Mapping[str, Any]) -> str:
    document = doc.get("document")
    return str((document.get("language") if isinstance(document, Mapping) else None) or "")


def _prune(meta: dict[str, Any], result: Any) -> dict[str, Any]:
    """Metadata only for the fields that kept a value after conforming."""
    if not isinstance(result, Mapping):
        return {}
    out = {}
    for name, value in meta.items():
        kept = result.get(name)
        if kept is None:
            continue
        if isinstance(kept, Mapping) and isinstance(value, dict) and "citation" not in value:
            out[name] = _prune(value, kept)
        else:
            out[name] = value
    return out


class _Engine:
    """One extraction over one view (a whole document, or a single page)."""

    def __init__(
        self,
        view: DocView,
        root: Mapping[str, Any],
        doc: Mapping[str, Any],
        page: int | None = None,
    ) -> None:
        self.view = view
        self.root = root
        self.dayfirst = _dayfirst(view, doc)
        self._doc = doc
        self._page = page
        self._layout: everyday.Layout | None = None
        self._clauses: ClauseIndex | None = None

    @property
    def layout(self) -> everyday.Layout:
        """The printed lines and their pairs, built on first use."""
        if self._layout is None:
            self._layout = everyday.Layout.build(
                self._doc, page=self._page, language=_language(self._doc)
            )
        return self._layout

    def run(self) -> tuple[dict[str, Any], dict[str, Any]]:
        raw, meta = self._object(self.root, "")
        result = conform(raw or {}, self.root)
        return result, _prune(meta, result)

    def clauses(self) -> ClauseIndex:
        if self._clauses is None:
            self._clauses = ClauseIndex(self.view)
        return self._clauses

    def _object(
        self, node: Mapping[str, Any], parent: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        values: dict[str, Any] = {}
        meta: dict[str, Any] = {}
        for name, sub in (node.get("properties") or {}).items():
            terms = field_terms(name, sub)
            if parent:
                terms = FieldTerms(
                    name, terms.name_words, terms.desc_words, (*terms.aliases, f"{parent} {name}")
                )
            value, evidence = self._field(terms, sub)
            value = conform_node(value, sub, self.root)
            if value is not None:
                values[name] = value
                meta[name] = evidence
        return values, meta

    def _field(self, terms: FieldTerms, node: Mapping[str, Any]) -> tuple[Any, Any]:
        kind, branch = value_type(node, self.root)
        if kind == "object":
            found, meta = self._object(branch, terms.phrase)
            return (found or None), meta
        if kind == "array":
            return self._array(terms, branch)
        if kind == "boolean":
            candidate = clause_candidate(self.clauses(), terms)
            return candidate.value, _boolean_meta(candidate)
        scalar = self._scalar(terms, kind, branch)
        return (scalar.value, scalar.metadata()) if scalar else (None, None)

    def _array(self, terms: FieldTerms, node: Mapping[str, Any]) -> tuple[Any, Any]:
        items = node.get("items")
        if not isinstance(items, Mapping):
            return None, None
        kind, branch = value_type(items, self.root)
        if kind == "object":
            objects, metas = table_items(self.view, branch, self.root, dayfirst=self.dayfirst)
            return (objects, metas) if objects else (None, None)
        found = self._list(terms, kind, branch)
        values = [conform_node(c.value, items, self.root) for c in found]
        kept = [(v, c) for v, c in zip(values, found, strict=True) if v is not None]
        if not kept:
            return None, None
        return [v for v, _ in kept], [c.metadata() for _, c in kept]

    def _list(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> list[Candidate]:
        if {"parti", "party"} & set(content_stems(terms.phrase)):
            found = patterns.parties(self.view)
            if found:
                return found
        for candidate in pair_candidates(self.view, terms, "string", {}):
            parts = [p.strip() for p in re.split(r"[;,]\s*|\s+and\s+", str(candidate.value))]
            return [
                Candidate(
                    p, candidate.page, candidate.source, candidate.confidence, candidate.reasoning
                )
                for p in parts
                if p and typed_value(p, kind, node, terms, dayfirst=self.dayfirst) is not None
            ]
        return []

    def _scalar(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> Candidate | None:
        strategies: list[Strategy] = [
            self._recognised,
            self._labelled,
            self._prose,
            self._enum,
            self._printed,
            self._person_name,
            self._addressee,
        ]
        if node.get("format") in ("date", "date-time"):  # _prose weighs labels against prose
            strategies = [self._document_date, self._recognised, self._prose]
        elif kind in ("number", "integer"):
            strategies = [self._total, *strategies]
        for strategy in strategies:
            found = strategy(terms, kind, node)
            if found is not None:
                return self._person(terms, found)
        return None

    def _person(self, terms: FieldTerms, found: Candidate) -> Candidate:
        """A person's name without its salutation ("Mr Daniel Hughes" → "Daniel Hughes")."""
        if not isinstance(found.value, str):
            return found
        if not (everyday.wants_person(terms) or everyday.wants_person_name(terms)):
            return found
        value = everyday.without_salutation(found.value)
        return Candidate(value, found.page, found.source, found.confidence, found.reasoning)

    def _recognised(
        self, terms: FieldTerms, kind: str, node: Mapping[str, Any]
    ) -> Candidate | None:
        name = set(content_stems(terms.phrase))
        found: list[Candidate] = []
        if kind != "string" or "enum" in node or node.get("format"):
            return None
        if "curre" in name:
            found = patterns.currency(self.view)
            lines, language = self.layout.lines, self.layout.language
            found = [settle_shared_sign(found[0], lines, language)] if found else []
            found = found or currency_of_country(lines, language)
        elif everyday.wants_issuer(terms):
            found = everyday.issuer(self.layout, terms)
        elif "addre" in name:
            found = everyday.address(self.layout, terms)
        elif everyday.wants_customer(terms) and not name & IDENTIFIER_WORDS:
            found = everyday.customer(self.layout, terms)
        elif name & IDENTIFIER_WORDS and (name - IDENTIFIER_WORDS) & everyday.DOC_WORDS:
            found = everyday.identifier(self.layout, terms)
        elif name & {"law", "juris"}:
            wanted = (set(terms.desc_words) | name) - {"law"}
            found = patterns.jurisdictions(self.view, wanted)
        elif name & TITLE_WORDS or name >= DOC_NAME_WORDS:
            found = patterns.title(self.view)
        return found[0] if found else None

    def _labelled(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> Candidate | None:
        found = pair_candidates(self.view, terms, kind, node, dayfirst=self.dayfirst)
        if _is_duration(terms, kind, node):
            found = [_as_duration(c) for c in found if patterns.durations(str(c.value))]
        if found:
            return self._whole_cell(found[0], terms, kind, node)
        for rest, evidence in leading_labels(self.view, terms):
            value = typed_value(rest, kind, node, terms, dayfirst=self.dayfirst)
            if value is not None and conform_node(value, node, self.root) is not None:
                return Candidate(
                    value, evidence.page, evidence.source, evidence.confidence, evidence.reasoning
                )
        return None

    def _whole_cell(
        self, candidate: Candidate, terms: FieldTerms, kind: str, node: Mapping[str, Any]
    ) -> Candidate:
        """A text value cut short by a label-like run inside the item's joined text (OCR's
        "Jonathan Michael Harrison Bscaer: ..." split at "Michael Harrison Bscaer:") is
        taken whole from the printed cell that starts with it under the same label."""
        value = candidate.value
        if kind != "string" or not isinstance(value, str) or "enum" in node:
            return candidate
        for pair in self.layout.pairs:
            rest = pair.value[len(value) :]
            words = rest[:1] == " " and len(rest.split()) <= 4 and not re.search(r"[\d:]", rest)
            longer = words and pair.value.startswith(value) and pair.page == candidate.page
            if longer and label_score(terms, pair.key) >= 0.5:
                return Candidate(
                    pair.value, pair.page, pair.source, candidate.confidence, candidate.reasoning
                )
        return candidate

    def _document_date(
        self, terms: FieldTerms, kind: str, node: Mapping[str, Any]
    ) -> Candidate | None:
        """An issue date ("invoice date", "date of the purchase"): see everyday.document_date."""
        name = set(content_stems(terms.phrase)) - {"dat"}
        if not name <= everyday.DOC_WORDS:
            return None
        found = everyday.document_date(self.layout, terms, dayfirst=self.dayfirst)
        if not found:
            return None
        value = found[0].value
        if node.get("format") == "date-time":
            value = f"{value}T00:00:00"
        c = found[0]
        return Candidate(value, c.page, c.source, c.confidence, c.reasoning)

    def _total(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> Candidate | None:
        """A total or amount due (see everyday.total), for fields that mean one."""
        words = set(content_stems(terms.phrase))
        if not words & TOTAL_WORDS and not words <= everyday.NET_WORDS | MONEY_CONTEXT:
            return None
        found = everyday.total(self.layout, terms)
        if not found:
            return None
        c = found[0]
        value = int(c.value) if kind == "integer" and c.value == int(c.value) else c.value
        if kind == "integer" and value != c.value:
            return None
        return Candidate(value, c.page, c.source, c.confidence, c.reasoning)

    def _printed(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> Candidate | None:
        """Labels found in the printed lines' layout (a value under its label, columns), for
        fields that are not durations (those are read from sentences)."""
        name = set(content_stems(terms.phrase))
        if _is_duration(terms, kind, node) or name & TITLE_WORDS or name >= DOC_NAME_WORDS:
            return None  # read from sentences, or by the title recogniser
        found = pair_candidates(
            DocView(pairs=self.layout.pairs), terms, kind, node, dayfirst=self.dayfirst
        )
        return found[0] if found and found[0].confidence >= PRINTED_CONFIDENCE else None

    def _person_name(
        self, terms: FieldTerms, kind: str, node: Mapping[str, Any]
    ) -> Candidate | None:
        """A person field of a form ("person", "applicant"): first and last name joined, or
        a name label's value."""
        if kind != "string" or "enum" in node or node.get("format"):
            return None
        if not everyday.wants_person_name(terms):
            return None
        found = everyday.person_name(self.layout)
        return found[0] if found else None

    def _addressee(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> Candidate | None:
        """A person field no label names ("employee"): whom the document is addressed to."""
        if kind != "string" or "enum" in node or node.get("format"):
            return None
        if not everyday.wants_person(terms):
            return None
        found = everyday.addressee(self.layout)
        return found[0] if found else None

    def _prose(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> Candidate | None:
        if node.get("format") in ("date", "date-time"):
            found = prose_dates(self.view, terms, dayfirst=self.dayfirst)
            labelled = pair_candidates(self.view, terms, kind, node, dayfirst=self.dayfirst)
            printed = self._printed_date(terms, kind, node)
            found = sorted([*labelled[:1], *printed, *found[:1]], key=lambda c: -c.confidence)
        elif _is_duration(terms, kind, node):
            found = prose_durations(self.view, terms)
        else:
            return None
        return found[0] if found else None

    def _printed_date(
        self, terms: FieldTerms, kind: str, node: Mapping[str, Any]
    ) -> list[Candidate]:
        """The date beside a printed label that names the field beyond "date" ("Payé le",
        "Zahltag"): an OCR'd page's items are paragraphs without pairs. Read on a form-sized
        document (a contract's dates are read from its sentences; its printed lines would
        cost a layout of every page)."""
        if self._layout is None and sum(len(x.text) for x in self.view.lines) > FORM_CHARS:
            return []
        own = label_words(terms.phrase) - {"dat"}
        pairs = [p for p in self.layout.pairs if own & label_words(p.key)]
        found = pair_candidates(DocView(pairs=pairs), terms, kind, node, dayfirst=self.dayfirst)
        return [c for c in found[:1] if c.confidence >= PRINTED_CONFIDENCE]

    def _enum(self, terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> Candidate | None:
        options = [o for o in node.get("enum") or [] if isinstance(o, str) and o.strip()]
        if not options:
            return None
        name = set(content_stems(terms.phrase))
        best: tuple[int, Candidate | None] = (0, None)
        for line in self.view.lines:
            lowered = line.text.lower()
            for option in options:
                if re.search(rf"(?<!\w){re.escape(option.lower())}(?!\w)", lowered):
                    support = 1 + 2 * len(name & set(content_stems(line.text)))
                    if support > best[0]:
                        why = f'option "{option}" named on page {line.page}'
                        best = (support, Candidate(option, line.page, line.text, 0.4, why))
        return best[1]


def _is_duration(terms: FieldTerms, kind: str, node: Mapping[str, Any]) -> bool:
    """A free-text field whose name means a length of time ("notice period", "term")."""
    plain = kind == "string" and "enum" not in node and not node.get("format")
    return plain and bool(DURATION_WORDS & set(content_stems(terms.phrase)))


def _as_duration(candidate: Candidate) -> Candidate:
    value = patterns.durations(str(candidate.value))[0][0]
    return Candidate(
        value, candidate.page, candidate.source, candidate.confidence, candidate.reasoning
    )


def _boolean_meta(candidate: Candidate) -> dict[str, Any]:
    if candidate.page:
        return candidate.metadata()
    return {"citation": [], "confidence": candidate.confidence, "reasoning": candidate.reasoning}
