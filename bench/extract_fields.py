"""Field extraction from everyday documents: invoices, receipts, orders and forms.

The field set is ``bench/extract/fields_gold.jsonl``: every invoice, receipt, order and form
the corpus holds (invoice2data's PDFs, scans and text invoice, markitdown's receipt, booking
order, repair estimate, inventory report and medical report, docling's order receipt), with
gold values typed by hand from what each document prints (invoice2data's JSON where it states
a printed value; its template strings such as ``issuer`` are not used). Each line names its
schema (``bench/extract/fields_<schema>.json``, written once from the field names, with plain
English descriptions and no label lists), so the engine must find "Factuurnummer" or
"Rechnungsdatum" by itself.

Scoring is exact match after normalisation: dates as ISO, amounts rounded to cents, codes
upper-case, identifiers and names without case, spaces or punctuation, and for company names
without legal suffixes (Ltd, B.V., Inc...). A gold value may list several accepted spellings
when the document prints the name several ways. A field whose gold is null is not scored.

Splits follow the corpus rule (id = the path inside its set folder); tune on dev only.

Beside it, the **generated set** (``bench/extract/generate_fields.py``, gold in
``bench/extract/generated_gold.jsonl``): 153 invoices and bills, credit notes, receipts, orders
and forms (payslips, delivery notes, lab reports, registration forms) in 5 languages and 11
locales, a quarter of them scans, written from how real documents look; failures are looked
for on its dev templates only. Its split is by template
(holdout templates share neither layout nor vendor with dev; see the generator's docstring), so
it is read from each gold row. The documents are generated into ``bench/extract/.cache``
(ignored by git) when missing or stale, and the bench first checks that the generator still
writes the committed gold. Both sets are reported separately, per field and in total, dev and
holdout side by side; the generated set also by scans against PDFs with a text layer.

The generated set's third split, **fresh** (``bench/extract/fieldgen_fresh.py``): 40 invoices
in 8 layouts and conventions none of the other templates has (India's GST, Italy, Poland,
Mexico, a US remit-to footer, an Australian right-hand vendor block, Sweden/Denmark, a
Japanese company in English), written before the extractor's rules were read, as a check that
the rules generalise. ``--set fresh`` scores only those.

The fourth split, **fresh2** (``bench/extract/fieldgen_fresh2.py``): 45 invoices in 9 layouts
(a DIN 5008 Rechnung, a French facture with SIRET, a Spanish factura with IRPF withholding, a
Dutch/Belgian factuur under a wordmark, a UK VAT invoice with a tax point, Canadian GST/HST/QST,
a subscription invoice, a marketplace "Sold by" invoice, a Swiss QR-bill Rechnung) and 20
receipts in 4 (till roll, restaurant with tip, fuel station, Malaysian/Singapore GST/SST),
written and first scored before any rule was changed for them, since the fresh split had been
tuned on: number 42/45, date 43/45, total 44/45, vendor 38/45, currency 41/45; receipt company
18/20, date 20/20, total 18/20, address 7/20. Its misses were then fixed as classes, so it is no
longer untouched either. ``--set fresh2`` scores only those.

The issue's targets (invoice number, date, total, vendor; receipt total, date, company) apply
to the **field set as a whole**: with both sets scored, a row per targeted field pools the
corpus's holdout documents with the generated holdout (the corpus alone has 22 documents, 5 of
them holdout invoices: one document moves a figure by 0.20), with the fresh2 figure beside
it; the per-set rows are then its parts, shown without a verdict. One set alone
(``--set corpus`` / ``generated``) is judged on its own holdout.

``--show`` prints the dev mismatches (never holdout's); ``--show-fresh`` the fresh split's,
``--show-fresh2`` the fresh2 split's.

``python bench/extract_fields.py [--show] [--show-fresh] [--show-fresh2]
[--set corpus|generated|fresh|fresh2|both]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import Figure, corpus_root, split_of
from reams import processors
from reams.processors.extract.dates import parse_date
from reams.processors.extract.offline import extract_offline

sys.path.insert(0, str(Path(__file__).resolve().parent / "extract"))
import generate_fields

HERE = Path(__file__).resolve().parent / "extract"
GOLD = HERE / "fields_gold.jsonl"
GENERATED_GOLD = HERE / "generated_gold.jsonl"
SPLITS = ("dev", "holdout", "fresh", "fresh2")
AMOUNT_FIELDS = frozenset({"total", "net_pay"})
ORGANISATION_FIELDS = frozenset(
    {"vendor", "company", "seller", "organisation", "employer", "supplier"}
)
IDENTIFIER_FIELDS = frozenset(
    {
        "invoice_number",
        "receipt_number",
        "order_number",
        "report_id",
        "delivery_number",
        "credit_note_number",
    }
)
# Targets of issue 15 on holdout, by document kind and field.
TARGETS = {
    ("invoice", "invoice_number"): 0.85,
    ("invoice", "invoice_date"): 0.85,
    ("invoice", "total"): 0.85,
    ("invoice", "vendor"): 0.85,
    ("receipt", "total"): 0.85,
    ("receipt", "date"): 0.85,
    ("receipt", "company"): 0.70,
}
_LEGAL = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "ltd",
        "limited",
        "llc",
        "plc",
        "pvt",
        "private",
        "pte",
        "sa",
        "sas",
        "sarl",
        "ag",
        "gmbh",
        "bv",
        "nv",
        "kg",
        "spa",
        "srl",
        "sl",
        "bhd",
        "sdn",
        "llp",
        "eurl",
        "slu",
        "vof",
        "og",
        "sprl",
        "enterprise",
    ]
)


@dataclass
class Score:
    right: int = 0
    scored: int = 0

    def add(self, ok: bool) -> None:
        self.scored += 1
        self.right += ok

    def text(self) -> str:
        if not self.scored:
            return "-"
        return f"{self.right}/{self.scored} ({self.right / self.scored:.2f})"


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def normalise(name: str, value: Any) -> Any:
    """The comparable form of a value of field ``name``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if name in AMOUNT_FIELDS:
        try:
            return round(float(value), 2)
        except (TypeError, ValueError):
            return None
    if name.endswith("date"):
        return parse_date(str(value))
    if name == "currency":
        return str(value).strip().upper()
    if name in ORGANISATION_FIELDS:
        # Dots dropped first, so that "B.V.", "S.A." and "S.L." are the suffixes bv, sa, sl.
        words = re.sub(r"[\W_]+", " ", str(value).casefold().replace(".", "")).split()
        while len(words) > 1 and words[-1] in _LEGAL:
            words.pop()
        return "".join(words)
    if name in IDENTIFIER_FIELDS:
        return _squash(str(value)).upper()
    return _squash(str(value))


def matches(name: str, gold: Any, got: Any) -> bool:
    accepted = gold if isinstance(gold, list) else [gold]
    value = normalise(name, got)
    return value is not None and any(value == normalise(name, g) for g in accepted)


def gold_rows() -> list[dict[str, Any]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def doc_split(path: str) -> str:
    """The corpus rule on the path inside the set folder."""
    return split_of(path.split("/", 1)[1])


Scores = dict[tuple[str, str, str], Score]


@dataclass
class Run:
    """One set's scores: by (schema, field, split), and by (group, split) over every field."""

    fields: Scores
    groups: dict[tuple[str, str], Score]
    docs: int
    elapsed: float


def score(
    rows: Sequence[Mapping[str, Any]], root: Path, splits: Sequence[str], show: bool | set[str]
) -> Run:
    """Parse and extract every row's document under ``root``; ``splits[i]`` is row i's split.

    ``show`` (True for dev, or a set of split names) prints those splits' mismatches.
    """
    shown = ({"dev"} if show else set()) if isinstance(show, bool) else show
    schemas: dict[str, Mapping[str, Any]] = {}
    fields: Scores = {}
    groups: dict[tuple[str, str], Score] = {}
    started = time.perf_counter()
    for row, split in zip(rows, splits, strict=True):
        schema = schemas.setdefault(
            row["schema"],
            json.loads((HERE / f"fields_{row['schema']}.json").read_text(encoding="utf-8")),
        )
        path = root / row["path"]
        doc = processors.run("parse", path.read_bytes(), path.name, {})
        result = extract_offline(doc, schema).result
        assert isinstance(result, dict)
        kinds = ("all", "scans" if row.get("scan") else "text")
        for name, gold in row["fields"].items():
            if gold is None:
                continue
            ok = matches(name, gold, result.get(name))
            fields.setdefault((row["schema"], name, split), Score()).add(ok)
            for group in kinds:
                groups.setdefault((group, split), Score()).add(ok)
            if not ok and split in shown:
                print(f"  {row['path']}: {name} gold {gold!r} got {result.get(name)!r}")
    return Run(fields, groups, len(rows), time.perf_counter() - started)


def run(show: bool = False) -> tuple[dict[tuple[str, str, str], Score], int, float]:
    """The corpus set (the figures the bench reported before the generated set)."""
    rows = gold_rows()
    result = score(rows, corpus_root(), [doc_split(row["path"]) for row in rows], show)
    return result.fields, result.docs, result.elapsed


def generated_gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GENERATED_GOLD.read_text(encoding="utf-8").splitlines()]


def run_generated(show: bool | set[str] = False, only: str | None = None) -> Run | str:
    """The generated set (or its split ``only``), or why it cannot be scored (stale gold)."""
    rows = generated_gold()
    if generate_fields.gold_text(generate_fields.gold_rows()) != generate_fields.gold_text(rows):
        return f"{GENERATED_GOLD.name} is not what the generator writes: regenerate and review"
    root = generate_fields.ensure()
    rows = [row for row in rows if only is None or row["split"] == only]
    return score(rows, root, [row["split"] for row in rows], show)


def _split_text(score_of: Mapping[str, Score]) -> str:
    return " · ".join(f"{s} {score_of.get(s, Score()).text()}" for s in SPLITS)


def field_figures(prefix: str, scores: Scores, *, judged: bool = True) -> list[Figure]:
    """A row per (kind, field). ``judged``: the issue's targets are applied to this set's
    holdout; when the corpus and generated sets are both scored, the targets are applied to
    the whole field set instead (:func:`combined_figures`) and these rows are its parts."""
    out = []
    for schema, name in sorted({(schema, name) for schema, name, _ in scores}):
        by_split = {s: scores[(schema, name, s)] for s in SPLITS if (schema, name, s) in scores}
        target = TARGETS.get((schema, name))
        holdout = by_split.get("holdout")
        passed = None
        if target is not None and holdout and holdout.scored and judged:
            passed = holdout.right / holdout.scored >= target
        if target is None:
            shown = "(info)"
        elif judged:
            shown = f"≥ {target:.2f} holdout exact"
        else:
            shown = "(info; part of the field set row)"
        out.append(Figure(f"{prefix} {schema} {name}", shown, _split_text(by_split), passed))
    return out


def combined_figures(corpus: Scores, generated: Scores) -> list[Figure]:
    """The issue's targets on the field set as a whole: the corpus's documents and the
    generated ones, holdout pooled (the corpus alone holds 22 documents, 5 holdout invoices);
    the fresh2 split beside it (layouts written by someone who had not read the rules; its
    first figure, before any rule change, is in the docstring above)."""
    out = []
    for (schema, name), target in TARGETS.items():
        parts = [scores.get((schema, name, "holdout"), Score()) for scores in (corpus, generated)]
        pooled = Score(sum(p.right for p in parts), sum(p.scored for p in parts))
        if not pooled.scored:
            continue
        fresh2 = generated.get((schema, name, "fresh2"), Score())
        measured = (
            f"holdout {pooled.text()} (corpus {parts[0].text()} + generated {parts[1].text()})"
            f" · fresh2 {fresh2.text()}"
        )
        passed = pooled.right / pooled.scored >= target
        out.append(
            Figure(
                f"extract field set {schema} {name}",
                f"≥ {target:.2f} holdout exact",
                measured,
                passed,
            )
        )
    return out


def group_figures(prefix: str, result: Run) -> list[Figure]:
    out = []
    for group, label in (("all", "all fields"), ("text", "PDFs with text"), ("scans", "scans")):
        by_split = {s: result.groups[(group, s)] for s in SPLITS if (group, s) in result.groups}
        if by_split:
            out.append(Figure(f"{prefix} {label}", "(info)", _split_text(by_split), None))
    return out


def figures(show: bool | set[str] = False, which: str = "both") -> list[Figure]:
    out: list[Figure] = []
    corpus_scores: Scores | None = None
    # With both sets scored, the targets apply to the pooled rows (combined_figures).
    if which in ("corpus", "both"):
        if not (corpus_root() / "invoice2data").is_dir():
            out.append(
                Figure("extract fields", "(info)", f"skipped: no corpus at {corpus_root()}", None)
            )
        else:
            rows = gold_rows()
            splits = [doc_split(row["path"]) for row in rows]
            corpus = score(rows, corpus_root(), splits, show)
            corpus_scores = corpus.fields
            out += field_figures("extract fields", corpus.fields, judged=which == "corpus")
            out += group_figures("extract fields", corpus)[:1]
            speed = f"{corpus.docs} docs, {corpus.docs / corpus.elapsed:.1f} docs/s parse+extract"
            out.append(Figure("extract fields speed", "(info)", speed, None))
    if which in ("generated", "fresh", "fresh2", "both"):
        generated = run_generated(show, which if which in ("fresh", "fresh2") else None)
        if isinstance(generated, str):
            return [*out, Figure("extract generated", "gold reproduced", generated, False)]
        judged = corpus_scores is None
        out += field_figures("extract generated", generated.fields, judged=judged)
        out += group_figures("extract generated", generated)
        if corpus_scores is not None:
            out = combined_figures(corpus_scores, generated.fields) + out
        rate = generated.docs / generated.elapsed
        speed = f"{generated.docs} docs, {rate:.1f} docs/s parse+extract (OCR for the scans)"
        out.append(Figure("extract generated speed", "(info)", speed, None))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print dev mismatches")
    parser.add_argument("--show-fresh", action="store_true", help="print fresh mismatches")
    parser.add_argument("--show-fresh2", action="store_true", help="print fresh2 mismatches")
    parser.add_argument(
        "--set", choices=("corpus", "generated", "fresh", "fresh2", "both"), default="both"
    )
    args = parser.parse_args(argv)
    shown = {"dev"} if args.show else set()
    shown |= {"fresh"} if args.show_fresh else set()
    shown |= {"fresh2"} if args.show_fresh2 else set()
    rows = figures(show=shown, which=args.set)
    width = max(len(f.name) for f in rows)
    for figure in rows:
        verdict = f"{figure.verdict:<4}  {figure.target:<22}"
        print(f"{figure.name:<{width}}  {verdict}  {figure.measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
