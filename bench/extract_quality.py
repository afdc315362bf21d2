"""Extraction accuracy of the offline engine on real documents: CUAD contracts and invoices.

* **CUAD** (``cuad/extraction_gold.jsonl``, 510 contracts): each ``txt/`` file is parsed with
  ``processors.run("parse", ...)`` and extracted with ``bench/extract/cuad_schema.json``. For
  the 8 text fields: precision = correct / predicted non-null, recall = correct / gold
  non-null. Before comparing, dates (gold M/D/YY) become ISO (gold dates with blanks such as
  ``[]/[]/2019`` count as no answer); strings are compared case-, space- and
  punctuation-insensitively; governing law compares the jurisdiction name (the part before a
  comma, any of several ``;``-separated gold places); renewal term and notice period compare
  the first duration ("30 days"); parties are scored per party (gold split on ``;``, aliases in
  parentheses and corporate suffixes dropped, a match is equal or word-contained names). For
  the 33 clause flags: F1 per flag, then the macro mean.
* **invoice2data** (the 12 ``*.json``, with their ``.pdf`` or ``Orlen.txt``), schema
  ``bench/extract/invoice_schema.json``: amount, amount_untaxed, date, invoice_number,
  currency, vat (when the gold has it) and line items (matched on name and unit price).
* **the field set** (``extract_fields.py``): the corpus's 22 invoices, receipts, orders and
  forms in 5 languages, gold by hand, schemas with plain descriptions; per field exact match
  after normalisation.

Splits follow the corpus rule (``harness.split_of``); tune on dev only, holdout is reported
beside it. Speed is documents per second for extraction alone and for parse + extraction.

``python bench/extract_quality.py [--quick]``
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import extract_fields
from harness import Figure, corpus_root, split_of
from reams import processors
from reams.processors.extract.dates import parse_date
from reams.processors.extract.offline import extract_offline
from reams.processors.extract.patterns import durations

HERE = Path(__file__).resolve().parent / "extract"
SPLITS = ("dev", "holdout")
CUAD_TEXT = (
    "document_name",
    "parties",
    "agreement_date",
    "effective_date",
    "expiration_date",
    "renewal_term",
    "notice_period_to_terminate_renewal",
    "governing_law",
)
CUAD_TARGETS = {"governing_law": 0.70, "agreement_date": 0.70, "document_name": 0.70}
CLAUSE_TARGET = 0.60
INVOICE_FIELDS = ("amount", "amount_untaxed", "date", "invoice_number", "currency", "vat")
QUICK_CUAD = 60
_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "lp",
        "llp",
        "plc",
        "sa",
        "ag",
        "gmbh",
        "bv",
        "nv",
    ]
)


@dataclass
class Tally:
    """Counts for one field on one split."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None

    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass
class Run:
    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)  # split -> field -> tally
    docs: int = 0
    parse_s: float = 0.0
    extract_s: float = 0.0

    def tally(self, split: str, name: str) -> Tally:
        return self.tallies.setdefault(split, {}).setdefault(name, Tally())


# ---------------------------------------------------------------------------- normalising


def norm(text: Any) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", str(text).casefold()).split())


def norm_date(value: Any) -> str | None:
    if value is None or "[]" in str(value):
        return None
    return parse_date(str(value)) or norm(value)


def norm_duration(value: Any) -> str:
    found = durations(str(value))
    return found[0][0].rstrip("s") if found else norm(value)


def places(value: Any) -> set[str]:
    return {norm(part.split(",")[0]) for part in str(value).split(";") if part.strip()}


def party_names(value: Any) -> list[str]:
    parts = value if isinstance(value, list) else str(value).split(";")
    names = []
    for part in parts:
        text = re.sub(r"\([^)]*\)|[\"“”]", " ", str(part))
        words = [w for w in norm(text).split() if w not in _SUFFIXES and w != "the"]
        if words:
            names.append(" ".join(words))
    return names


def same_party(a: str, b: str) -> bool:
    left, right = set(a.split()), set(b.split())
    return a == b or (bool(left) and bool(right) and (left <= right or right <= left))


# ---------------------------------------------------------------------------- CUAD


def score_text_field(run: Run, split: str, name: str, gold: Any, got: Any) -> None:
    tally = run.tally(split, name)
    if name == "parties":
        gold_names, got_names = party_names(gold) if gold else [], party_names(got or [])
        matched = sum(any(same_party(g, p) for p in got_names) for g in gold_names)
        tally.gold += len(gold_names)
        tally.predicted += len(got_names)
        tally.correct += min(matched, len(got_names))
        return
    compare: dict[str, Callable[[Any], Any]] = {
        "agreement_date": norm_date,
        "effective_date": norm_date,
        "expiration_date": norm_date,
        "renewal_term": norm_duration,
        "notice_period_to_terminate_renewal": norm_duration,
    }
    fix = compare.get(name, norm)
    gold_value = fix(gold) if gold is not None else None
    tally.gold += gold_value is not None
    tally.predicted += got is not None
    if gold_value is None or got is None:
        return
    if name == "governing_law":
        tally.correct += norm(str(got).split(",")[0]) in places(gold)
    else:
        tally.correct += fix(got) == gold_value


def score_flag(run: Run, split: str, name: str, gold: Any, got: Any) -> None:
    tally = run.tally(split, f"flag:{name}")
    tally.tp += bool(gold) and got is True
    tally.fp += not gold and got is True
    tally.fn += bool(gold) and got is not True


def cuad_rows(root: Path, quick: bool) -> list[dict[str, Any]]:
    lines = (root / "cuad" / "extraction_gold.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    if quick:
        dev = [r for r in rows if split_of(r["doc_id"]) == "dev"][: QUICK_CUAD * 2 // 3]
        holdout = [r for r in rows if split_of(r["doc_id"]) == "holdout"][: QUICK_CUAD // 3]
        rows = dev + holdout
    return rows


def run_cuad(root: Path, schema: Mapping[str, Any], quick: bool) -> Run:
    run = Run()
    for row in cuad_rows(root, quick):
        path = root / "cuad" / row["txt"]
        result = timed_extract(run, path.read_bytes(), path.name, schema)
        split = split_of(row["doc_id"])
        for name, gold in row["fields"].items():
            got = result.get(name)
            if name in CUAD_TEXT:
                score_text_field(run, split, name, gold, got)
            else:
                score_flag(run, split, name, gold, got)
    return run


def timed_extract(run: Run, data: bytes, filename: str, schema: Mapping[str, Any]) -> Any:
    started = time.perf_counter()
    doc = processors.run("parse", data, filename, {})
    parsed = time.perf_counter()
    outcome = extract_offline(doc, schema)
    run.parse_s += parsed - started
    run.extract_s += time.perf_counter() - parsed
    run.docs += 1
    return outcome.result


# ---------------------------------------------------------------------------- invoices


def invoice_docs(root: Path) -> list[tuple[Path, dict[str, Any]]]:
    folder = root / "invoice2data"
    docs = []
    for gold_path in sorted(folder.glob("*.json")):
        source = next(
            (
                p
                for p in (gold_path.with_suffix(".pdf"), gold_path.with_suffix(".txt"))
                if p.exists()
            ),
            None,
        )
        if source is not None:
            docs.append((source, json.loads(gold_path.read_text(encoding="utf-8"))[0]))
    return docs


def invoice_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in ("amount", "amount_untaxed"):
        try:
            return round(float(value), 2)
        except (TypeError, ValueError):
            return None
    if name == "date":
        return parse_date(str(value))
    if name == "currency":
        return str(value).upper()
    return re.sub(r"[\W_]+", "", str(value)).upper().lstrip("#")


def score_lines(run: Run, split: str, gold: Sequence[Mapping[str, Any]], got: Any) -> None:
    tally = run.tally(split, "lines")
    wanted = [g for g in gold if g.get("name")]
    found = [g for g in got or [] if isinstance(g, Mapping) and g.get("name")]
    tally.gold += len(wanted)
    tally.predicted += len(found)
    for line in wanted:
        name, price = norm(line["name"]), line.get("price_unit")
        tally.correct += any(
            same_party(name, norm(item["name"]))
            and (price is None or abs(float(item.get("price_unit") or -1) - float(price)) < 0.01)
            for item in found
        )


def run_invoices(root: Path, schema: Mapping[str, Any]) -> Run:
    run = Run()
    for path, gold in invoice_docs(root):
        result = timed_extract(run, path.read_bytes(), path.name, schema)
        split = split_of(path.name)
        for name in INVOICE_FIELDS:
            tally = run.tally(split, name)
            want, got = invoice_value(name, gold.get(name)), invoice_value(name, result.get(name))
            tally.gold += want is not None
            tally.predicted += got is not None and (name != "vat" or want is not None)
            tally.correct += want is not None and got == want
        if gold.get("lines"):
            score_lines(run, split, gold["lines"], result.get("lines"))
    return run


# ---------------------------------------------------------------------------- figures


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def pct3(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def pr(run: Run, name: str) -> str:
    parts = []
    for split in SPLITS:
        tally = run.tally(split, name)
        parts.append(f"{split} P {pct(tally.precision())} R {pct(tally.recall())}")
    return " · ".join(parts)


def macro_f1(run: Run, split: str) -> float | None:
    scores = [
        f1
        for name, tally in run.tallies.get(split, {}).items()
        if name.startswith("flag:") and (f1 := tally.f1()) is not None
    ]
    return statistics.fmean(scores) if scores else None


def field_figures(
    run: Run, prefix: str, names: Iterable[str], targets: Mapping[str, float]
) -> list[Figure]:
    figures = []
    for name in names:
        recall = run.tally("holdout", name).recall()
        target = targets.get(name)
        passed = None if target is None or recall is None else recall >= target
        shown = f"≥ {target:.2f} holdout exact" if target is not None else "(info)"
        figures.append(Figure(f"{prefix} {name}", shown, pr(run, name), passed))
    return figures


def cuad_figures(run: Run) -> list[Figure]:
    figures = field_figures(run, "extract cuad", CUAD_TEXT, CUAD_TARGETS)
    dev, holdout = macro_f1(run, "dev"), macro_f1(run, "holdout")
    passed = None if holdout is None else holdout >= CLAUSE_TARGET
    figures.append(
        Figure(
            "extract cuad clause flags macro-F1",
            f"≥ {CLAUSE_TARGET:.2f} holdout",
            f"dev {pct3(dev)} · holdout {pct3(holdout)}",
            passed,
            detail=flag_detail(run),
        )
    )
    figures.append(speed_figure("extract cuad speed", run))
    return figures


def flag_detail(run: Run) -> str:
    names = sorted(n for n in run.tallies.get("dev", {}) if n.startswith("flag:"))
    return ", ".join(
        f"{n[5:]} {pct(run.tally('dev', n).f1())}/{pct(run.tally('holdout', n).f1())}"
        for n in names
    )


def speed_figure(name: str, run: Run) -> Figure:
    alone = run.docs / run.extract_s if run.extract_s else 0.0
    both = run.docs / (run.extract_s + run.parse_s) if run.docs else 0.0
    measured = f"{alone:.1f} docs/s extract, {both:.1f} docs/s parse+extract ({run.docs} docs)"
    return Figure(name, "(info)", measured, None)


def measure(quick: bool = False) -> list[Figure]:
    """Every extraction figure (``quick``: a 60-contract CUAD subset)."""
    root = corpus_root()
    if not (root / "cuad" / "extraction_gold.jsonl").is_file():
        return [Figure("extract quality", "(info)", f"skipped: no corpus at {root}", None)]
    cuad_schema = json.loads((HERE / "cuad_schema.json").read_text(encoding="utf-8"))
    invoice_schema = json.loads((HERE / "invoice_schema.json").read_text(encoding="utf-8"))
    figures = cuad_figures(run_cuad(root, cuad_schema, quick))
    invoices = run_invoices(root, invoice_schema)
    figures += field_figures(invoices, "extract invoice", (*INVOICE_FIELDS, "lines"), {})
    figures.append(speed_figure("extract invoice speed", invoices))
    figures += extract_fields.figures()
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 60-contract CUAD subset")
    parser.add_argument("--flags", action="store_true", help="print per-flag F1 (dev/holdout)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = measure(quick=args.quick)
    width = max(len(f.name) for f in figures)
    for figure in figures:
        print(
            f"{figure.name:<{width}}  {figure.verdict:<4}  {figure.target:<22}  {figure.measured}"
        )
        if args.flags and figure.detail:
            print("    " + figure.detail)
    print(f"elapsed {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
