"""The offline classify engine (the default): zero-shot from the rule descriptions alone.

No training and no labelled data. Each rule is scored against the parsed document from six
pieces of evidence, each in 0..1 (the two semantic ones are cosines):

* **title**: the share of the rule's type-name words (stemmed; ``/`` separates alternative
  names) found in the document's title lines (first heading, short capitalised lines of the
  opening; see :mod:`.title`);
* **opening**: the same name words in the first ``HEAD_CHARS`` characters, worth more the
  earlier they come;
* **key terms**: the share of the description's content words, weighted by how few rules use
  them, found on the first page;
* **body**: how densely the type-name words occur in the text (per 1,000 words);
* **semantic**: cosine of the document's static embedding (opening plus body) with the rule's
  (type name and description); see :mod:`.embed`;
* **title semantic**: the best cosine of a title line with the type name (``Cooperation
  Agreement`` is close to ``collaboration``).

Their weighted sum is each rule's raw score. A softmax over the raw scores *and a fixed "no
rule" score* turns them into per-rule probabilities, so a single rule gets an absolute answer
(does the document fit at all?) and several rules compete. The best rule wins when its
probability reaches the threshold; otherwise the type is None. The weights, the "no rule"
score, the temperature and the threshold were tuned on the dev splits of CUAD and of a small
mixed set (``bench/classify_quality.py --tune``); holdout figures are in that benchmark.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from reams.processors.classify import embed, fallback, lexical, structure, title
from reams.processors.classify.model import ClassifyOutcome, Rule

__all__ = ["DEFAULT_THRESHOLD", "DEFAULT_WEIGHTS", "ClassifyOutcome", "Rule", "classify_offline"]

HEAD_CHARS = 1000  # the opening, where a document says what it is
TITLE_DECAY = 0.8  # each later title line counts this much less (section headings come later)
FIRST_PAGE_CHARS = 5000  # where the description's key terms are looked for
EMBED_HEAD_CHARS = 2000
EMBED_BODY_CHARS = 30_000
ALIAS_FACTOR = 1.0  # a title naming the description's other names (``receipt``, ``bill``)
FURNITURE_SCAN_CHARS = 20_000  # how far the opening is looked for past running heads
MAX_BODY_CHARS = 400_000  # lexical counts stop here: enough for any document's gist
# A word of a compound name is generic when it means little more than "a document": its
# embedding's cosine with that of ``document`` reaches this (page 0.44, paper 0.52, file 0.55,
# text 0.48, sheet 0.42, filing 0.42; web 0.27, property 0.27, form 0.27, book 0.38,
# scientific 0.10, alliance -0.10).
GENERIC_COSINE = 0.4


@dataclass(frozen=True)
class Weights:
    title: float
    opening: float
    key_terms: float
    body: float
    semantic: float
    title_semantic: float
    format: float  # the file is of a format the rule names (a workbook for "spreadsheet")
    cues: float  # the content cues the rule names (amounts, dates, signatures...) are present
    null: float  # the raw score of "no rule fits"
    temperature: float


DEFAULT_WEIGHTS = Weights(
    title=1.0,
    opening=0.5,
    key_terms=1.0,
    body=0.3,
    semantic=0.5,
    title_semantic=2.0,
    format=2.0,
    cues=0.25,
    null=1.5,
    temperature=0.25,
)
DEFAULT_THRESHOLD = 0.4


@dataclass(frozen=True)
class Evidence:
    """One rule's evidence about one document (every value 0..1, semantic a cosine)."""

    rule: Rule
    terms: lexical.RuleTerms
    title: float
    title_terms: tuple[str, ...]
    title_line: str
    opening: float
    key_terms: float
    key_hits: tuple[str, ...]
    body: float
    body_count: int
    semantic: float
    title_semantic: float
    format: float = 0.0
    cues: float = 0.0
    facts: structure.Facts | None = None
    cue_names: structure.RuleCues = structure.NO_CUES

    def raw(self, weights: Weights) -> float:
        return (
            weights.title * self.title
            + weights.opening * self.opening
            + weights.title_semantic * self.title_semantic
            + weights.key_terms * self.key_terms
            + weights.body * self.body
            + weights.semantic * self.semantic
            + weights.format * self.format
            + weights.cues * self.cues
        )


@dataclass(frozen=True)
class _RuleSet:
    rules: tuple[Rule, ...]
    terms: tuple[lexical.RuleTerms, ...]
    cues: tuple[structure.RuleCues, ...]
    cue_weights: dict[str, float]
    wanted: frozenset[str]
    weights: dict[str, float]
    vectors: np.ndarray[Any, np.dtype[np.float32]]
    name_vectors: np.ndarray[Any, np.dtype[np.float32]]


@lru_cache(maxsize=64)
def _rule_set(rules: tuple[Rule, ...]) -> _RuleSet:
    terms = tuple(
        lexical.with_generic(lexical.rule_terms(r.type, r.description), _is_generic) for r in rules
    )
    cues = tuple(structure.rule_cues(r.type, r.description) for r in rules)
    vectors = np.stack([embed.embed(f"{r.type}. {r.description}") for r in rules])
    names = np.stack([_name_vector(r.type, t) for r, t in zip(rules, terms, strict=True)])
    weights = lexical.term_weights(terms)
    return _RuleSet(
        rules,
        terms,
        cues,
        structure.cue_weights(cues),
        structure.wanted(cues),
        weights,
        vectors,
        names,
    )


def _is_generic(word: str) -> bool:
    return float(embed.embed(word) @ embed.embed("document")) >= GENERIC_COSINE


def _name_vector(type_name: str, terms: lexical.RuleTerms) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The type name's embedding for title semantic, without the direction of its generic
    words: "web page" is close to any line full of "page" (cosine 0.72 with "First Page
    Previous Page Next Page"), and what tells a web page is "web"."""
    vector = embed.embed(type_name)
    for stem in sorted(terms.generic):
        generic = embed.embed(terms.surface.get(stem, stem))
        vector = vector - float(vector @ generic) * generic
    return _unit(vector)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class DocText:
    """A parse output's text by zone: title candidates, opening, and body."""

    titles: tuple[str, ...]
    opening: str
    body: str
    headings: tuple[str, ...] = ()  # every heading of the parsed pages (section names)


def document_text(doc: Mapping[str, Any]) -> DocText:
    """The zones of a parse output (``pages``, ``text_full``, ``markdown_full``)."""
    pages = [p for p in doc.get("pages") or [] if isinstance(p, Mapping)]
    body = _text(doc.get("text_full")) or _text(doc.get("markdown_full"))
    if not body.strip():
        body = "\n\n".join(_text(p.get("text")) or _text(p.get("markdown")) for p in pages)
    head = _without_furniture(body, _furniture(pages)) if pages else body
    found = title.titles(head, title.first_headings(pages))
    return DocText(tuple(found), head[:HEAD_CHARS], body[:MAX_BODY_CHARS], _headings(pages))


def _furniture(pages: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    """The lines of the pages' running headers and footers, as the parse found them (text
    repeated at the top or bottom of the pages of a PDF, a Word file's header and footer)."""
    out: set[str] = set()
    for page in pages:
        parts = [page.get("header"), page.get("footer")]
        for item in page.get("items") or []:
            if isinstance(item, Mapping) and item.get("type") in ("header", "footer"):
                parts.extend(
                    sub.get("value") for sub in item.get("items") or [] if isinstance(sub, Mapping)
                )
        for part in parts:
            if isinstance(part, str):
                out.update(line.strip() for line in part.splitlines() if line.strip())
    return frozenset(out)


def _without_furniture(body: str, furniture: frozenset[str]) -> str:
    """The opening of ``body`` (``title.TITLE_ZONE_CHARS`` long) without the lines of the
    running headers and footers: a running head or a table header repeated on every page
    ("Contract Description  Contract No.") is not where the document names itself."""
    if not furniture:
        return body[: max(title.TITLE_ZONE_CHARS, HEAD_CHARS)]
    kept: list[str] = []
    size = 0
    for line in body[:FURNITURE_SCAN_CHARS].split("\n"):
        if line.strip() in furniture:
            continue
        kept.append(line)
        size += len(line) + 1
        if size >= max(title.TITLE_ZONE_CHARS, HEAD_CHARS):
            break
    return "\n".join(kept)


def _headings(pages: Sequence[Mapping[str, Any]], limit: int = 200) -> tuple[str, ...]:
    """The short headings of every page (where papers say Abstract, Methods, References)."""
    out: list[str] = []
    for page in pages:
        for item in page.get("items") or []:
            if isinstance(item, Mapping) and item.get("type") == "heading":
                value = item.get("value") or item.get("md")
                if isinstance(value, str) and 0 < len(value) <= 80:
                    out.append(value)
                    if len(out) >= limit:
                        return tuple(out)
    return tuple(out)


def _unit(vector: np.ndarray[Any, np.dtype[np.float32]]) -> np.ndarray[Any, np.dtype[np.float32]]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def gather(doc: Mapping[str, Any], rules: Sequence[Rule]) -> list[Evidence] | None:
    """Every rule's evidence about ``doc``, or None when the document has neither text nor a
    format that tells what it is."""
    text = document_text(doc)
    rule_set = _rule_set(tuple(rules))
    facts = structure.facts(doc, text.body, rule_set.wanted)
    if not any(ch.isalnum() for ch in text.body) and not facts.families:
        return None
    model = embed.model()
    title_stems = [frozenset(lexical.stems(line)) for line in text.titles]
    opening = lexical.stems(text.opening)
    first_page = frozenset(lexical.stems(text.body[:FIRST_PAGE_CHARS])) | frozenset(
        lexical.stems(" ".join(text.headings))
    )
    opening_first = lexical.first_positions(opening)
    body_counts = lexical.stem_counts(text.body)
    body_words = sum(body_counts.values())
    doc_vec = _unit(
        model.embed(text.body[:EMBED_HEAD_CHARS]) + model.embed(text.body[:EMBED_BODY_CHARS])
    )
    semantic = rule_set.vectors @ doc_vec
    if text.titles:
        title_vecs = np.stack([model.embed(line) for line in text.titles])
        title_semantic = (rule_set.name_vectors @ title_vecs.T).max(axis=1)
    else:
        title_semantic = np.zeros(len(rule_set.rules), dtype=np.float32)
    evidence = []
    for i, (rule, terms, cues) in enumerate(
        zip(rule_set.rules, rule_set.terms, rule_set.cues, strict=True)
    ):
        share, phrase, line = _title_match(terms, text.titles, title_stems, rule_set.weights)
        names = lexical.name_terms(terms, body_counts)
        body_score, body_count = lexical.density(names, body_counts, body_words)
        evidence.append(
            Evidence(
                rule=rule,
                terms=terms,
                title=share,
                title_terms=phrase,
                title_line=line,
                opening=lexical.earliness(terms, opening, opening_first),
                key_terms=lexical.weighted_share(terms.key_terms, first_page, rule_set.weights),
                key_hits=_telling(terms.key_terms, first_page, rule_set.weights),
                body=body_score,
                body_count=body_count,
                semantic=float(semantic[i]),
                title_semantic=float(title_semantic[i]),
                format=structure.format_score(cues, facts),
                cues=structure.cue_score(cues, facts, rule_set.cue_weights),
                facts=facts,
                cue_names=cues,
            )
        )
    return _containers_yield(evidence)


def _containers_yield(evidence: list[Evidence]) -> list[Evidence]:
    """A container format (a web page, a scan) holds documents of any kind: when the title
    names another rule (an HTML page titled "Order Receipt"), the container's format evidence
    counts that much less, so the content's kind can win."""
    out = []
    for i, e in enumerate(evidence):
        if e.format > 0 and e.facts is not None:
            families = e.facts.families
            family = max(e.cue_names.families, key=lambda f: families.get(f, 0.0), default="")
            if family in structure.CONTAINER_FAMILIES:
                named = max((o.title for j, o in enumerate(evidence) if j != i), default=0.0)
                e = dataclasses.replace(e, format=e.format * (1.0 - named))
        out.append(e)
    return out


def _title_match(
    terms: lexical.RuleTerms,
    lines: Sequence[str],
    stems: Sequence[frozenset[str]],
    weights: dict[str, float],
) -> tuple[float, tuple[str, ...], str]:
    """The title line that best carries a name phrase: (share of the phrase in it, discounted
    by ``TITLE_DECAY`` per earlier title line; the phrase's stems found; the line)."""
    best: tuple[float, tuple[str, ...], str] = (0.0, (), "")
    for rank, (line, present) in enumerate(zip(lines, stems, strict=True)):
        share, phrase = lexical.best_phrase(terms, present, weights, ALIAS_FACTOR)
        score = share * TITLE_DECAY**rank
        if score > best[0]:
            best = (score, tuple(t for t in phrase if t in present), line)
    return best


def _telling(
    terms: Sequence[str], present: frozenset[str], weights: dict[str, float]
) -> tuple[str, ...]:
    """The terms present, most telling first, leaving out those most rules share."""
    top = max((weights.get(t, 0.0) for t in terms), default=0.0)
    hits = [t for t in terms if t in present and weights.get(t, 0.0) >= 0.5 * top]
    return tuple(sorted(hits, key=lambda t: -weights.get(t, 0.0)))


def probabilities(evidence: Sequence[Evidence], weights: Weights) -> list[float]:
    """Softmax over the rules' raw scores and the "no rule" score; the rules' shares."""
    raws = [e.raw(weights) for e in evidence]
    top = max([*raws, weights.null])
    exps = [math.exp((r - top) / weights.temperature) for r in raws]
    null = math.exp((weights.null - top) / weights.temperature)
    total = sum(exps) + null
    return [x / total for x in exps]


def decide(
    evidence: Sequence[Evidence], weights: Weights, threshold: float
) -> tuple[int, list[float]]:
    """The index of the winning rule (-1: none reaches ``threshold``) and every probability."""
    probs = probabilities(evidence, weights)
    best = max(range(len(probs)), key=lambda i: (probs[i], -i))
    return (best if probs[best] >= threshold else -1), probs


def classify_offline(
    doc: Mapping[str, Any],
    rules: Sequence[Rule],
    *,
    threshold: float | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> ClassifyOutcome:
    """Classify one parsed document (``processors.run("parse", ...)``'s output) by ``rules``.

    ``threshold`` (default :data:`DEFAULT_THRESHOLD`): the least probability the best rule
    needs; below it the type is None. A fallback rule (:mod:`.fallback`) takes the probability
    of "no rule fits". Deterministic: same document and rules, same outcome.
    """
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    if not rules:
        return ClassifyOutcome(None, 0.0, "no rules", {})
    catch_all = fallback.find(rules)
    specific = [r for i, r in enumerate(rules) if i != catch_all]
    evidence = gather(doc, specific) if specific else []
    if evidence is None:
        return ClassifyOutcome(None, 0.0, "no text", {r.type: 0.0 for r in rules})
    probs = probabilities(evidence, weights)
    scores = {e.rule.type: round(p, 4) for e, p in zip(evidence, probs, strict=True)}
    ranked = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
    if catch_all >= 0:
        rest = max(0.0, 1.0 - sum(probs))
        fallback_rule = rules[catch_all]
        scores[fallback_rule.type] = round(rest, 4)
        if not ranked or rest > probs[ranked[0]]:
            why = _fallback_reason(evidence, probs, ranked)
            if rest >= limit:
                return ClassifyOutcome(
                    fallback_rule.type, round(rest, 4), f"{fallback_rule.type!r}: {why}", scores
                )
            verdict = (
                f"no rule fits: the fallback {fallback_rule.type!r} scores {rest:.2f}, "
                f"below the threshold {limit:.2f}"
            )
            return ClassifyOutcome(None, round(rest, 4), f"{verdict}; {why}", scores)
    best = evidence[ranked[0]]
    confidence = round(probs[ranked[0]], 4)
    runner_up = (evidence[ranked[1]], probs[ranked[1]]) if len(ranked) > 1 else None
    why = explain(best, runner_up)
    if confidence < limit:
        verdict = (
            f"no rule fits: the best, {best.rule.type!r}, scores {confidence:.2f}, "
            f"below the threshold {limit:.2f}"
        )
        return ClassifyOutcome(None, confidence, f"{verdict}; its evidence: {why}", scores)
    return ClassifyOutcome(best.rule.type, confidence, f"{best.rule.type!r}: {why}", scores)


def _fallback_reason(
    evidence: Sequence[Evidence], probs: Sequence[float], ranked: Sequence[int]
) -> str:
    if not ranked:
        return "it is the only rule"
    best = evidence[ranked[0]]
    return (
        f"no other rule fits: the best, {best.rule.type!r}, scores {probs[ranked[0]]:.2f} "
        f"(semantic similarity {best.semantic:.2f})"
    )


_FAMILY_NAMES = {
    "workbook": "a workbook",
    "slides": "a slide deck",
    "email": "an e-mail",
    "web": "a web page",
    "scan": "a scan",
    "fillable": "a fillable form (form fields)",
    "paper": "built like a paper (abstract, references, citations)",
    "book": "a publication (pages of prose, or a printed table of figures)",
}


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(f'"{w}"' for w in words)


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain(best: Evidence, runner_up: tuple[Evidence, float] | None) -> str:
    """The evidence for ``best`` in words, then the runner-up rule and its score."""
    surface = best.terms.surface
    parts = []
    if best.title_terms:
        named = _quoted([surface.get(t, t) for t in best.title_terms])
        parts.append(f'title "{_clip(best.title_line)}" matches {named}')
    elif best.opening:
        parts.append("the opening names the type")
    else:
        parts.append("the type name is not in the title")
    if best.body_count:
        parts.append(f"the text mentions the type name {best.body_count}×")
    if best.format > 0 and best.facts is not None:
        families = best.facts.families
        family = max(best.cue_names.families, key=lambda f: families.get(f, 0.0), default="")
        kind = best.facts.detected_type or "unknown type"
        parts.append(f"the file is {_FAMILY_NAMES.get(family, family)} ({kind})")
    if best.cues >= 0.5:
        parts.append(f"the content cues its description names are present ({best.cues:.2f})")
    if best.key_hits:
        hits = _quoted([surface.get(t, t) for t in best.key_hits[:6]])
        parts.append(f"the first page has description terms {hits}")
    parts.append(f"title similarity to the type name {best.title_semantic:.2f}")
    parts.append(f"semantic similarity to the description {best.semantic:.2f}")
    if runner_up is not None:
        other, score = runner_up
        parts.append(
            f"next best: {other.rule.type!r} (score {score:.2f}, semantic {other.semantic:.2f})"
        )
    return "; ".join(parts)
