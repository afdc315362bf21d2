"""Classify on everyday documents: the offline engine on a labelled set from every corpus set.

``bench/classify/mixed_labels.csv`` lists 258 documents of ``../shared/corpus`` (or
``$REAMS_CORPUS``) from all ten sets, each labelled by hand with one of ten kinds, by looking at
the document: invoice (receipts included), contract, scientific_paper, email, spreadsheet,
presentation, form, report, web_page, and the catch-all other. The rules are
``bench/classify/everyday_rules.json``, written once before any output was seen; ``other`` is
a fallback rule ("Anything else: ..."). Ids are paths relative to the corpus root; the split is
the corpus rule on that path (holdout: last hex digit of sha256 in 0-3).

Each file is parsed as a classify job parses it (its own file name, the first 20 pages), then
classified at the engine's default threshold. Figures, dev and holdout side by side:

* **accuracy** (right / all), **null rate** (``type: null``) and **wrong rate** (another kind);
  every kind of the set has a rule, so these are the issue's "documents whose kind has a rule";
* per kind, right / count and nulls;
* the non-English documents (the ``language`` column: French, German, Dutch, Spanish,
  Polish);
* **without the catch-all**: the ``other`` rule removed, the share of ``other`` documents
  answered null (the right answer then) and the accuracy on the rest;
* **calibration**: a reliability table (confidence bins against the share right) and a
  threshold sweep on dev, written to ``bench/classify/reliability.md``.

``python bench/classify_mixed.py [--quick] [--per-file]``: ``--quick`` takes every second
document; ``--per-file`` prints each dev document's outcome (never holdout's); ``--tune``
grid-searches the engine's weights and "no rule" score on the dev parts of this set and of CUAD,
then shows temperature and threshold for the chosen weights (it never looks at holdout).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from harness import Figure, corpus_root, split_of
from reams import processors
from reams.domain.errors import ProcessorError
from reams.processors.classify.model import ClassifyOutcome, Rule
from reams.processors.classify.offline import DEFAULT_THRESHOLD, classify_offline

HERE = Path(__file__).resolve().parent / "classify"
LABELS_FILE = HERE / "mixed_labels.csv"
RULES_FILE = HERE / "everyday_rules.json"
RELIABILITY_FILE = HERE / "reliability.md"
SPLITS = ("dev", "holdout")
PARSE = {"max_pages": 20}  # as a classify job parses (CLASSIFY_DEFAULT_MAX_PAGES)
TARGET_ACCURACY = 0.90
TARGET_NULL = 0.05
BINS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)
SWEEP = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class Doc:
    path: str
    kind: str
    language: str
    parsed: dict[str, Any]

    @property
    def split(self) -> str:
        return split_of(self.path)


def load_rules(path: Path = RULES_FILE) -> list[Rule]:
    return [Rule(r["type"], r["description"]) for r in json.loads(path.read_text("utf-8"))]


def load_docs(root: Path, *, quick: bool) -> tuple[list[Doc], list[str]]:
    """The labelled documents, parsed; and the paths that could not be (with the reason)."""
    with LABELS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if quick:
        rows = rows[::2]
    docs, failed = [], []
    for row in rows:
        path = root / row["path"]
        if split_of(row["path"]) != row["split"]:
            raise ValueError(f"{row['path']}: split column disagrees with the corpus rule")
        try:
            parsed = processors.run("parse", path.read_bytes(), path.name, PARSE)
        except (OSError, ProcessorError) as error:
            failed.append(f"{row['path']}: {error}")
            continue
        docs.append(Doc(row["path"], row["kind"], row["language"], parsed))
    return docs, failed


@dataclass(frozen=True)
class Outcome:
    doc: Doc
    guess: str | None
    confidence: float

    @property
    def verdict(self) -> str:
        if self.guess is None:
            return "null"
        return "right" if self.guess == self.doc.kind else "wrong"


def classify_all(
    docs: Sequence[Doc], rules: Sequence[Rule], threshold: float = DEFAULT_THRESHOLD
) -> list[Outcome]:
    out = []
    for doc in docs:
        result: ClassifyOutcome = classify_offline(doc.parsed, rules, threshold=threshold)
        out.append(Outcome(doc, result.type, result.confidence))
    return out


def rates(outcomes: Sequence[Outcome]) -> dict[str, float]:
    count = Counter(o.verdict for o in outcomes)
    n = len(outcomes) or 1
    return {v: count[v] / n for v in ("right", "null", "wrong")}


def by_split(outcomes: Sequence[Outcome], split: str) -> list[Outcome]:
    return [o for o in outcomes if o.doc.split == split]


def _side_by_side(outcomes: Sequence[Outcome], key: str) -> str:
    parts = []
    for split in SPLITS:
        subset = by_split(outcomes, split)
        parts.append(f"{split} {rates(subset)[key]:.2f} (n={len(subset)})")
    return " · ".join(parts)


def reliability(outcomes: Sequence[Outcome]) -> list[str]:
    """Markdown rows: per confidence bin, dev and holdout count and share right (nulls count as
    answers at threshold 0: the confidence is the best rule's, fallback included)."""
    rows = [
        "| confidence | dev: n | dev: share right | holdout: n | holdout: share right |",
        "|---|---|---|---|---|",
    ]
    for low, high in itertools.pairwise(BINS):
        cells = []
        for split in SPLITS:
            inside = [o for o in by_split(outcomes, split) if low <= o.confidence < high]
            right = sum(o.guess == o.doc.kind for o in inside)
            cells += [str(len(inside)), f"{right / len(inside):.2f}" if inside else "-"]
        rows.append(f"| {low:.2f}–{min(high, 1.0):.2f} | " + " | ".join(cells) + " |")
    return rows


def sweep(outcomes: Sequence[Outcome]) -> list[str]:
    """Markdown rows: per threshold, right / null / wrong on dev and on holdout."""
    rows = [
        "| threshold | dev: right | dev: null | dev: wrong | holdout: right | holdout: null "
        "| holdout: wrong |",
        "|---|---|---|---|---|---|---|",
    ]
    for threshold in SWEEP:
        cells = []
        for split in SPLITS:
            subset = by_split(outcomes, split)
            got = [
                Outcome(o.doc, o.guess if o.confidence >= threshold else None, 0) for o in subset
            ]
            r = rates(got)
            cells += [f"{r['right']:.2f}", f"{r['null']:.2f}", f"{r['wrong']:.2f}"]
        mark = " (default)" if abs(threshold - DEFAULT_THRESHOLD) < 1e-9 else ""
        rows.append(f"| {threshold:.1f}{mark} | " + " | ".join(cells) + " |")
    return rows


def write_reliability(outcomes: Sequence[Outcome], path: Path | None = None) -> None:
    path = RELIABILITY_FILE if path is None else path
    text = [
        "# Classify confidence: reliability on the everyday set",
        "",
        "Written by `bench/classify_mixed.py` (do not edit). The offline engine on",
        f"`{LABELS_FILE.name}` with the rules `{RULES_FILE.name}`. Each document's confidence is",
        "the winning rule's probability (the catch-all's is the share of \"no other rule fits\").",
        "A well-calibrated engine is right about as often as it is confident. The default",
        f"threshold ({DEFAULT_THRESHOLD}) was chosen on dev only: it keeps the wrong answers",
        "few without turning right answers into nulls (the sweep below); holdout is shown",
        "beside it, never tuned on.",
        "",
        "## Reliability (threshold 0: every document answered)",
        "",
        *reliability(outcomes),
        "",
        "## Threshold sweep",
        "",
        *sweep(outcomes),
        "",
    ]
    path.write_text("\n".join(text), encoding="utf-8")


def figures(*, quick: bool = False, per_file: bool = False) -> list[Figure]:
    root = corpus_root()
    if not LABELS_FILE.is_file() or not (root / "cuad").is_dir():
        return [Figure("everyday classify", "(info)", f"skipped: no corpus ({root})", None)]
    rules = load_rules()
    started = time.perf_counter()
    docs, failed = load_docs(root, quick=quick)
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    outcomes = classify_all(docs, rules)
    classify_s = time.perf_counter() - started
    counts = Counter(d.split for d in docs)
    sizes = (
        f"{len(docs)} documents ({counts['dev']} dev, {counts['holdout']} holdout) of "
        f"{len({d.path.split('/')[0] for d in docs})} corpus sets, {len(rules)} rules"
    )
    holdout = rates(by_split(outcomes, "holdout"))
    out = [
        Figure(
            "everyday classify, offline engine: accuracy",
            f"holdout ≥ {TARGET_ACCURACY:.2f}",
            _side_by_side(outcomes, "right"),
            holdout["right"] >= TARGET_ACCURACY,
            f"{sizes}; threshold {DEFAULT_THRESHOLD}; parse {parse_s:.0f} s, classify "
            f"{classify_s:.1f} s" + (f"; not parsed: {len(failed)}" if failed else ""),
        ),
        Figure(
            "everyday classify, offline engine: null rate",
            f"holdout ≤ {TARGET_NULL:.2f}",
            _side_by_side(outcomes, "null"),
            holdout["null"] <= TARGET_NULL,
            f"wrong rate {_side_by_side(outcomes, 'wrong')}",
        ),
    ]
    kinds = sorted({d.kind for d in docs})
    per_kind = []
    for kind in kinds:
        cells = []
        for split in SPLITS:
            subset = [o for o in by_split(outcomes, split) if o.doc.kind == kind]
            nulls = sum(o.verdict == "null" for o in subset)
            right = sum(o.verdict == "right" for o in subset)
            cells.append(f"{right}/{len(subset)}" + (f" ({nulls} null)" if nulls else ""))
        per_kind.append(f"{kind} dev {cells[0]} · holdout {cells[1]}")
    out.append(
        Figure("everyday classify, offline engine: per kind", "(info)", "; ".join(per_kind), None)
    )
    foreign = [o for o in outcomes if o.doc.language not in ("", "en")]
    languages = Counter(o.doc.language for o in foreign)
    out.append(
        Figure(
            "everyday classify, offline engine: non-English documents",
            "(info)",
            f"{rates(foreign)['right']:.2f} right, {rates(foreign)['null']:.2f} null "
            f"(n={len(foreign)}: "
            + ", ".join(f"{n} {lang}" for lang, n in sorted(languages.items()))
            + ")",
            None,
            "dev and holdout together (too few for a split): "
            + "; ".join(f"{o.doc.path} → {o.guess}" for o in foreign if o.verdict != "right"),
        )
    )
    specific = [r for r in rules if r.type != "other"]
    if len(specific) < len(rules):
        without = classify_all(docs, specific)
        others = [o for o in without if o.doc.kind == "other"]
        rest = [o for o in without if o.doc.kind != "other"]
        out.append(
            Figure(
                "everyday classify, without the catch-all rule: 'other' documents answered null",
                "(info)",
                _side_by_side(others, "null"),
                None,
                f"accuracy on the other kinds: {_side_by_side(rest, 'right')}",
            )
        )
    at_zero = classify_all(docs, rules, threshold=0.0)
    write_reliability(at_zero)
    out.append(
        Figure(
            "everyday classify, offline engine, argmax (threshold 0): accuracy",
            "(info)",
            _side_by_side(at_zero, "right"),
            None,
            f"reliability table and threshold sweep: bench/classify/{RELIABILITY_FILE.name}",
        )
    )
    if per_file:
        for o in outcomes:
            if o.doc.split == "dev":  # holdout is for reporting, never for looking at
                guess = f"{o.guess!s:16} {o.confidence:.2f}"
                print(f"{o.verdict:5} {o.doc.kind:16} → {guess} {o.doc.path}")
    for line in failed:
        print(f"not parsed: {line}")
    return out


# ---------------------------------------------------------------------------- tuning

FEATURES = ("title", "opening", "key_terms", "body", "semantic", "title_semantic", "format", "cues")
GRID = {
    "title": [0.5, 1.0, 2.0],
    "opening": [0.0, 0.5, 1.0],
    "key_terms": [0.5, 1.0, 2.0],
    "body": [0.0, 0.3, 0.6],
    "semantic": [0.5, 1.0, 2.0],
    "title_semantic": [1.0, 2.0, 3.0],
    "format": [2.0, 3.0],
    "cues": [0.0, 0.25, 0.5],
}
NULLS = (1.25, 1.5, 1.75, 2.0)


def _matrix(evidence: Sequence[Any]) -> np.ndarray[Any, Any]:
    return np.array([[getattr(e, f) for f in FEATURES] for e in evidence])


def _answers(
    x: np.ndarray[Any, Any], w: np.ndarray[Any, Any], null: float, temperature: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Per document: the answer (rule index, -1: the catch-all) and its probability."""
    raw = x @ w
    z = np.concatenate([raw, np.full((len(raw), 1), null)], axis=1) / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    best, top, rest = p[:, :-1].argmax(axis=1), p[:, :-1].max(axis=1), p[:, -1]
    return np.where(rest > top, -1, best), np.maximum(rest, top)


def tune(quick: bool) -> None:
    """Grid-search the weights and the "no rule" score on the dev parts of the everyday set
    (catch-all included) and of CUAD (closed set), argmax accuracy; then the temperature and
    threshold for the best. Holdout is never looked at."""
    import classify_quality
    from reams.processors.classify import fallback
    from reams.processors.classify.offline import DEFAULT_WEIGHTS, gather

    rules = load_rules()
    specific = [r for r in rules if not fallback.is_fallback(r)]
    types = [r.type for r in specific]
    docs = [d for d in load_docs(corpus_root(), quick=quick)[0] if d.split == "dev"]
    kept = [(d, gather(d.parsed, specific)) for d in docs]
    mixed_x = np.stack([_matrix(ev) for _, ev in kept if ev is not None])
    mixed_y = np.array([types.index(d.kind) if d.kind in types else -1 for d, ev in kept if ev])
    cuad_rules = classify_quality.load_rules()
    cuad_types = [r.type for r in cuad_rules]
    cuad = [
        d
        for d in classify_quality.load_docs(corpus_root() / "cuad", quick=quick)
        if d.split == "dev"
    ]
    cuad_x = np.stack([_matrix(gather(d.parsed, cuad_rules) or []) for d in cuad])
    cuad_y = np.array([cuad_types.index(d.label) for d in cuad])
    rows = []
    for combo in itertools.product(*(GRID[f] for f in FEATURES)):
        w = np.array(combo)
        cuad_acc = float(((cuad_x @ w).argmax(axis=1) == cuad_y).mean())
        for null in NULLS:
            guess, _ = _answers(mixed_x, w, null, 0.3)
            rows.append((float((guess == mixed_y).mean()), cuad_acc, combo, null))
    rows.sort(key=lambda r: (-(r[0] + r[1]), -r[1]))
    print("argmax accuracy, everyday dev · CUAD dev:")
    for acc, cuad_acc, combo, null in rows[:15]:
        print(f"  {acc:.3f} {cuad_acc:.3f}  {dict(zip(FEATURES, combo, strict=True))} null={null}")
    w = np.array([getattr(DEFAULT_WEIGHTS, f) for f in FEATURES])
    print(f"the default weights, null {DEFAULT_WEIGHTS.null}: temperature / threshold → right null")
    for temperature in (0.2, 0.25, 0.3, 0.4):
        guess, conf = _answers(mixed_x, w, DEFAULT_WEIGHTS.null, temperature)
        for threshold in (0.3, 0.4, 0.5, 0.6):
            ok = conf >= threshold
            right = float(((guess == mixed_y) & ok).mean())
            print(f"  T={temperature} thr={threshold}: {right:.3f} {float((~ok).mean()):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every second document")
    parser.add_argument("--per-file", action="store_true", help="print each dev outcome")
    parser.add_argument("--tune", action="store_true", help="grid-search the weights on dev")
    args = parser.parse_args()
    if args.tune:
        tune(args.quick)
        return
    started = time.perf_counter()
    for figure in figures(quick=args.quick, per_file=args.per_file):
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured}")
        if figure.detail:
            print(f"      {figure.detail}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
