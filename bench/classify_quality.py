"""Classify quality on CUAD: the offline engine against two baselines, dev and holdout side by side.

510 real contracts of ``../shared/corpus/cuad`` (or ``$REAMS_CORPUS``), each labelled with one of
25 contract types (``labels.csv``). The rules are ``bench/classify/cuad_rules.json``: the 25 type
names with a one-line description each, written once from the names before any accuracy was
seen, and never tuned on documents. Only the engine's weights, "no rule" score, temperature and
threshold were tuned, on the **dev** split (of CUAD and of the mixed set below); **holdout**
(last hex digit of sha256(doc_id) in 0-3, 123 contracts) is shown beside it and is the honest
figure.

Every text goes through ``processors.run("parse", ...)`` once (under a neutral file name, so the
label in the CUAD file name cannot leak into the evidence) and is kept in memory. Per method:

* **accuracy**: share of contracts whose predicted type is the label (a None counts as wrong);
* **macro-F1**: mean over the 25 types of the per-type F1;
* **texts/s**: classifications per second, parse excluded (one core, warm model);
* **rejection** (engine only): each dev/holdout contract classified again with its own type's
  rule removed; the share answered None (the right answer), i.e. how well the threshold says
  "none of these".

Methods: the engine (``classify_offline``), its ablations (embedding only: the two semantic
weights alone; lexical only: both semantic weights 0), and the baselines: majority class (the
commonest dev type) and TF-IDF nearest description (cosine of the document's TF-IDF vector with
each rule's, IDF over the rule texts, numpy only).

The everyday set (``bench/classify_mixed.py``: 258 documents of every corpus set, ten kinds
with a catch-all, a reliability table) is measured in the same run.

A second, small **mixed** set keeps the engine from being tuned to contracts alone:
invoices (invoice2data, markitdown-tests), e-mails (unstructured ``eml/``), every 25th CUAD
contract and five scientific papers, against ``bench/classify/mixed_rules.json`` (5 rules,
written once, like the CUAD ones). Its split is the corpus rule on the path relative to the
corpus root.

``python bench/classify_quality.py [--quick] [--per-file] [--tune]``: ``--quick`` takes every
fourth contract and every second mixed document (under a minute); ``--per-file`` prints each
dev contract's outcome and reasoning (never holdout's); ``--tune`` grid-searches the weights,
then the "no rule" score, temperature and threshold, on the dev parts of CUAD and the mixed set
together, and prints the best (it never looks at holdout).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import json
import math
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import classify_mixed
from harness import Figure, corpus_root, split_of
from reams import processors
from reams.domain.errors import ProcessorError
from reams.processors.classify.model import Rule
from reams.processors.classify.offline import (
    DEFAULT_THRESHOLD,
    DEFAULT_WEIGHTS,
    Evidence,
    Weights,
    classify_offline,
    gather,
)

RULES_FILE = Path(__file__).resolve().parent / "classify" / "cuad_rules.json"
MIXED_RULES_FILE = RULES_FILE.with_name("mixed_rules.json")
SPLITS = ("dev", "holdout")
TARGET_ACCURACY = 0.80
TARGET_SPEED = 50.0  # texts/s, parse excluded
Predict = Callable[["Doc"], str | None]


@dataclass
class Doc:
    doc_id: str
    label: str
    parsed: dict[str, Any]

    @property
    def split(self) -> str:
        return split_of(self.doc_id)


def load_rules(path: Path = RULES_FILE) -> list[Rule]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [Rule(type=r["type"], description=r["description"]) for r in raw]


def load_docs(root: Path, *, quick: bool) -> list[Doc]:
    """Every labelled contract, parsed (every fourth one when ``quick``)."""
    with (root / "labels.csv").open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["doc_id"])
    if quick:
        rows = rows[::4]
    docs = []
    for row in rows:
        data = (root / row["txt"]).read_bytes()
        parsed = processors.run("parse", data, "contract.txt", {})
        docs.append(Doc(row["doc_id"], row["contract_type"], parsed))
    return docs


def mixed_docs(root: Path, *, quick: bool) -> list[Doc]:
    """A small cross-domain set: invoices, e-mails, contracts and scientific papers of the
    corpus, labelled by where they come from (ids are paths relative to the corpus root)."""
    sources = {
        "invoice": [
            *sorted((root / "invoice2data").glob("*.pdf")),
            root / "invoice2data" / "Orlen.txt",
            *sorted((root / "markitdown-tests").glob("*-INV-*.pdf")),
        ],
        "email": sorted((root / "unstructured-example-docs" / "eml").glob("*.eml")),
        "contract": sorted((root / "cuad" / "txt").glob("*.txt"))[::25],
        "scientific paper": [
            root / "unstructured-example-docs" / "pdf" / "layout-parser-paper-fast.pdf",
            root / "unstructured-example-docs" / "pdf" / "layout-parser-paper-with-table.pdf",
            root / "markitdown-tests" / "test.pdf",
            root / "markitdown-tests" / "test.docx",
            root / "docling-groundtruth" / "pdf" / "sources" / "2305.03393v1-pg9.pdf",
        ],
    }
    docs = []
    for label, paths in sources.items():
        for path in paths[::2] if quick else paths:
            if not path.is_file():
                continue
            name = "contract.txt" if label == "contract" else path.name
            try:
                parsed = processors.run("parse", path.read_bytes(), name, {})
            except ProcessorError:
                continue  # an empty e-mail fixture: nothing to classify
            docs.append(Doc(path.relative_to(root).as_posix(), label, parsed))
    return docs


# ---------------------------------------------------------------------------- metrics


def accuracy(pairs: Sequence[tuple[str, str | None]]) -> float:
    return sum(label == guess for label, guess in pairs) / len(pairs) if pairs else 0.0


def macro_f1(pairs: Sequence[tuple[str, str | None]]) -> float:
    labels = sorted({label for label, _ in pairs})
    scores = []
    for kind in labels:
        tp = sum(1 for label, guess in pairs if label == kind and guess == kind)
        fp = sum(1 for label, guess in pairs if label != kind and guess == kind)
        fn = sum(1 for label, guess in pairs if label == kind and guess != kind)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return statistics.fmean(scores) if scores else 0.0


@dataclass(frozen=True)
class Result:
    name: str
    pairs: dict[str, list[tuple[str, str | None]]]  # split -> (label, guess)
    seconds: float
    count: int

    def acc(self, split: str | None = None) -> float:
        return accuracy(self.all_pairs() if split is None else self.pairs[split])

    def f1(self, split: str | None = None) -> float:
        return macro_f1(self.all_pairs() if split is None else self.pairs[split])

    def all_pairs(self) -> list[tuple[str, str | None]]:
        return [p for split in SPLITS for p in self.pairs[split]]

    @property
    def speed(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else math.inf


def run_method(name: str, docs: Sequence[Doc], predict: Predict) -> Result:
    pairs: dict[str, list[tuple[str, str | None]]] = {s: [] for s in SPLITS}
    started = time.perf_counter()
    guesses = [predict(doc) for doc in docs]
    elapsed = time.perf_counter() - started
    for doc, guess in zip(docs, guesses, strict=True):
        pairs[doc.split].append((doc.label, guess))
    return Result(name, pairs, elapsed, len(docs))


# ---------------------------------------------------------------------------- baselines

_TOKEN = re.compile(r"[a-z]{3,}")


def tfidf_baseline(rules: Sequence[Rule]) -> Predict:
    """Cosine of sublinear-TF × IDF vectors; IDF over the rule texts (type + description)."""
    texts = [f"{r.type} {r.description}".lower() for r in rules]
    vocab = sorted({t for text in texts for t in _TOKEN.findall(text)})
    index = {t: i for i, t in enumerate(vocab)}
    df = np.zeros(len(vocab))
    for text in texts:
        for t in set(_TOKEN.findall(text)):
            df[index[t]] += 1
    idf = np.log((1 + len(texts)) / (1 + df)) + 1.0

    def vector(text: str) -> np.ndarray[Any, Any]:
        counts = Counter(t for t in _TOKEN.findall(text.lower()) if t in index)
        v = np.zeros(len(vocab))
        for t, c in counts.items():
            v[index[t]] = (1 + math.log(c)) * idf[index[t]]
        n = np.linalg.norm(v)
        return v / n if n > 0 else v

    matrix = np.stack([vector(text) for text in texts])

    def predict(doc: Doc) -> str | None:
        sims = matrix @ vector(doc.parsed.get("text_full") or "")
        return rules[int(np.argmax(sims))].type if sims.any() else None

    return predict


def majority_baseline(docs: Sequence[Doc]) -> Predict:
    commonest = Counter(d.label for d in docs if d.split == "dev").most_common(1)[0][0]
    return lambda _doc: commonest


# ---------------------------------------------------------------------------- engine


def engine(rules: Sequence[Rule], weights: Weights, threshold: float) -> Predict:
    return lambda doc: (
        classify_offline(doc.parsed, rules, threshold=threshold, weights=weights).type
    )


EMBEDDING_ONLY = dataclasses.replace(
    DEFAULT_WEIGHTS, title=0.0, opening=0.0, key_terms=0.0, body=0.0, format=0.0, cues=0.0
)
LEXICAL_ONLY = dataclasses.replace(DEFAULT_WEIGHTS, semantic=0.0, title_semantic=0.0)


def rejection(docs: Sequence[Doc], rules: Sequence[Rule], threshold: float) -> dict[str, float]:
    """Per split: share of contracts answered None once their own type's rule is removed."""
    hits: dict[str, list[bool]] = {s: [] for s in SPLITS}
    for doc in docs:
        others = [r for r in rules if r.type != doc.label]
        hits[doc.split].append(
            classify_offline(doc.parsed, others, threshold=threshold).type is None
        )
    return {s: statistics.fmean(v) if v else 0.0 for s, v in hits.items()}


# ---------------------------------------------------------------------------- tuning


FEATURES = ("title", "opening", "key_terms", "body", "semantic", "title_semantic", "format", "cues")
GRID = {
    "title": [0.5, 1.0, 2.0],
    "opening": [0.0, 0.5, 1.0],
    "key_terms": [0.0, 0.5, 1.0, 2.0],
    "body": [0.0, 0.3, 0.6, 1.0],
    "semantic": [0.0, 1.0, 2.0, 3.0, 4.0],
    "title_semantic": [0.0, 1.0, 2.0],
    "format": [2.0],  # tuned with the everyday set: bench/classify_mixed.py --tune
    "cues": [0.0, 0.25, 0.5],
}


def _features(evidence: Sequence[Evidence]) -> np.ndarray[Any, Any]:
    return np.array([[getattr(e, f) for f in FEATURES] for e in evidence])


def tune(docs: Sequence[Doc], rules: Sequence[Rule]) -> None:
    """Grid-search the weights, then the "no rule" score, temperature and threshold, on the dev
    parts of CUAD and of the mixed set together (so nothing is calibrated on contracts alone).
    Holdout is never looked at."""
    mixed_rules = load_rules(MIXED_RULES_FILE)
    mixed = [d for d in mixed_docs(corpus_root(), quick=False) if d.split == "dev"]
    dev = [d for d in docs if d.split == "dev"]
    combos = np.array(list(itertools.product(*(GRID[f] for f in FEATURES))))  # combos × features
    accs = []
    for subset, subset_rules in ((dev, rules), (mixed, mixed_rules)):
        types = [r.type for r in subset_rules]
        labels = np.array([types.index(d.label) for d in subset])
        matrix = np.stack([_features(gather(d.parsed, subset_rules) or []) for d in subset])
        raw = np.einsum("drf,cf->cdr", matrix, combos)
        accs.append((raw.argmax(axis=2) == labels[None, :]).mean(axis=1))
    joint = accs[0] + accs[1]
    order = np.argsort(-joint, kind="stable")
    print("closed-set accuracy, CUAD dev + mixed dev:")
    for index in order[:15]:
        print(f"  {accs[0][index]:.3f} {accs[1][index]:.3f}  {_named(combos[index])}")
    chosen = np.array([getattr(DEFAULT_WEIGHTS, f) for f in FEATURES])
    at = _index_of(combos, chosen) if (combos == chosen).all(axis=1).any() else None
    if at is not None:
        print(f"the default weights: {accs[0][at]:.3f} {accs[1][at]:.3f}")
    sets = [_raw_sets(dev, rules, chosen), _raw_sets(mixed, mixed_rules, chosen)]
    print("null / T / threshold → CUAD dev acc, rejection · mixed dev acc, rejection")
    rows = []
    tops = np.concatenate([s[1].max(axis=1) for s in sets])
    for null in np.unique(np.round(np.quantile(tops, np.linspace(0.0, 0.3, 31)), 1)):
        for temp in (0.1, 0.2, 0.3, 0.5):
            for thr in (0.4, 0.5):
                w = dataclasses.replace(DEFAULT_WEIGHTS, null=float(null), temperature=temp)
                figures = [x for raws in sets for x in _open_set_scores(raws, w, thr)]
                rows.append((sum(figures), f"null={null:.2f} T={temp:.1f} thr={thr:.1f}", figures))
    for total, name, figures in sorted(rows, key=lambda r: -r[0])[:60]:
        print(f"  {name}: " + " ".join(f"{x:.3f}" for x in figures) + f"  sum {total:.3f}")


def _named(row: np.ndarray[Any, Any]) -> dict[str, float]:
    return dict(zip(FEATURES, row.tolist(), strict=True))


def _index_of(combos: np.ndarray[Any, Any], row: np.ndarray[Any, Any]) -> int:
    return int(np.where((combos == row).all(axis=1))[0][0])


RawSets = tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[np.ndarray[Any, Any]]]


def _raw_sets(docs: Sequence[Doc], rules: Sequence[Rule], weights: np.ndarray[Any, Any]) -> RawSets:
    types = [r.type for r in rules]
    labels = np.array([types.index(d.label) for d in docs])
    closed = np.stack([_features(gather(d.parsed, rules) or []) @ weights for d in docs])
    opened = [
        _features(gather(d.parsed, [r for r in rules if r.type != d.label]) or []) @ weights
        for d in docs
    ]
    return labels, closed, opened


def _open_set_scores(raws: RawSets, w: Weights, thr: float) -> tuple[float, float]:
    labels, closed, opened = raws
    good = rejected = 0
    for i, label in enumerate(labels):
        p = _probs(closed[i], w)
        good += p.max() >= thr and int(p.argmax()) == label
        rejected += _probs(opened[i], w).max() < thr
    return good / len(labels), rejected / len(labels)


def _probs(raw: np.ndarray[Any, Any], w: Weights) -> np.ndarray[Any, Any]:
    scaled = np.append(raw, w.null) / w.temperature
    e: np.ndarray[Any, Any] = np.exp(scaled - scaled.max())
    shares: np.ndarray[Any, Any] = (e / e.sum())[:-1]
    return shares


# ---------------------------------------------------------------------------- measure


def _by_split(value: Callable[[str | None], float], fmt: str = "{:.2f}") -> str:
    dev, holdout = fmt.format(value("dev")), fmt.format(value("holdout"))
    return f"{fmt.format(value(None))} (dev {dev} · holdout {holdout})"


def measure(quick: bool = False, *, per_file: bool = False) -> list[Figure]:
    root = corpus_root() / "cuad"
    if not (root / "labels.csv").is_file():
        return [Figure("classify quality", "(info)", f"skipped: no corpus ({root})", None)]
    rules = load_rules()
    started = time.perf_counter()
    docs = load_docs(root, quick=quick)
    parse_s = time.perf_counter() - started
    counts = Counter(d.split for d in docs)
    sizes = f"{len(docs)} contracts ({counts['dev']} dev, {counts['holdout']} holdout)"
    classify_offline(docs[0].parsed, rules)  # load the model before timing
    methods = [
        ("offline engine", engine(rules, DEFAULT_WEIGHTS, DEFAULT_THRESHOLD)),
        ("offline engine, argmax (no threshold)", engine(rules, DEFAULT_WEIGHTS, 0.0)),
        ("ablation: embedding only", engine(rules, EMBEDDING_ONLY, 0.0)),
        ("ablation: lexical only", engine(rules, LEXICAL_ONLY, 0.0)),
        ("baseline: TF-IDF nearest description", tfidf_baseline(rules)),
        ("baseline: majority class", majority_baseline(docs)),
    ]
    results = [run_method(name, docs, predict) for name, predict in methods]
    figures = []
    for result in results:
        is_engine = result.name == "offline engine"
        figures.append(
            Figure(
                f"CUAD classify, {result.name}: accuracy",
                f"holdout ≥ {TARGET_ACCURACY:.2f}" if is_engine else "(info)",
                _by_split(result.acc),
                result.acc("holdout") >= TARGET_ACCURACY if is_engine else None,
                f"macro-F1 {_by_split(result.f1)}; {result.speed:.0f} texts/s (parse excluded); "
                f"{sizes}",
            )
        )
    engine_result = results[0]
    figures.append(
        Figure(
            "CUAD classify, offline engine: speed (parse excluded)",
            f"≥ {TARGET_SPEED:.0f} texts/s",
            f"{engine_result.speed:.0f} texts/s",
            engine_result.speed >= TARGET_SPEED,
            f"{len(docs)} contracts, one core, warm model; parse took {parse_s:.1f} s "
            f"({len(docs) / parse_s:.0f} texts/s)",
        )
    )
    rejected = rejection(docs, rules, DEFAULT_THRESHOLD)
    figures.append(
        Figure(
            "CUAD classify, offline engine: None when the true type's rule is removed",
            "(info)",
            f"dev {rejected['dev']:.2f} · holdout {rejected['holdout']:.2f}",
            None,
            f"threshold {DEFAULT_THRESHOLD}; 24 rules per contract",
        )
    )
    figures += mixed_figures(quick=quick)
    figures += classify_mixed.figures(quick=quick)
    if per_file:
        print_per_file(docs, rules)
    return figures


def mixed_figures(*, quick: bool) -> list[Figure]:
    """The CUAD-tuned engine, unchanged, on documents of other kinds (rules written once)."""
    rules = load_rules(MIXED_RULES_FILE)
    docs = mixed_docs(corpus_root(), quick=quick)
    if not docs:
        return []
    counts = Counter(d.label for d in docs)
    sizes = ", ".join(f"{n} {label}" for label, n in counts.items())
    figures = []
    for name, predict in [
        ("offline engine", engine(rules, DEFAULT_WEIGHTS, DEFAULT_THRESHOLD)),
        ("offline engine, argmax", engine(rules, DEFAULT_WEIGHTS, 0.0)),
        ("baseline: TF-IDF nearest description", tfidf_baseline(rules)),
    ]:
        result = run_method(name, docs, predict)
        figures.append(
            Figure(
                f"mixed kinds, {name}: accuracy",
                "(info)",
                _by_split(result.acc),
                None,
                f"macro-F1 {_by_split(result.f1)}; {sizes}; rules {MIXED_RULES_FILE.name}",
            )
        )
    rejected = rejection(docs, rules, DEFAULT_THRESHOLD)
    figures.append(
        Figure(
            "mixed kinds, offline engine: None when the true type's rule is removed",
            "(info)",
            f"dev {rejected['dev']:.2f} · holdout {rejected['holdout']:.2f}",
            None,
            f"threshold {DEFAULT_THRESHOLD}; {len(rules) - 1} rules per document",
        )
    )
    return figures


def print_per_file(docs: Sequence[Doc], rules: Sequence[Rule]) -> None:
    for doc in docs:  # dev only: holdout is for reporting, never for looking at
        if doc.split != "dev":
            continue
        outcome = classify_offline(doc.parsed, rules)
        mark = "ok " if outcome.type == doc.label else "BAD"
        print(
            f"{mark} {doc.split:7} {doc.label:22} → {outcome.type!s:22} {outcome.confidence:.2f}  "
            f"{doc.doc_id[:60]}\n      {outcome.reasoning}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every fourth contract")
    parser.add_argument(
        "--per-file", action="store_true", help="print every dev contract's outcome"
    )
    parser.add_argument("--tune", action="store_true", help="grid-search the weights on dev")
    args = parser.parse_args()
    if args.tune:
        tune(load_docs(corpus_root() / "cuad", quick=args.quick), load_rules())
        return
    started = time.perf_counter()
    rows = measure(quick=args.quick, per_file=args.per_file)
    for figure in rows:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured}")
        if figure.detail:
            print(f"      {figure.detail}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
