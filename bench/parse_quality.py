"""Parse quality on real documents: reams against markitdown, side by side on the same files.

Three sets of ``../shared/corpus`` (or ``$REAMS_CORPUS``), each split into dev and holdout by the
corpus rule (holdout when the last hex digit of sha256(path relative to the set folder) is 0-3):

* **docling-groundtruth**: every ``<fmt>/sources/<file>`` that has an expected Markdown
  (``<fmt>/groundtruth/<file>.md``; ``<stem>.md`` for pdf, ``<stem>.<engine>.md`` for ocr). Per
  format, the mean text similarity and the mean table-structure score (documents whose
  reference has tables) of each converter; see ``mdscore.py`` for both measures.
* **markitdown-tests**: ``test_vectors.json`` (the general vectors whose file is in the corpus):
  the share of ``must_include`` strings found in, and of ``must_not_include`` strings absent
  from, each converter's Markdown, per format.
* **tabula-tables**: each PDF with an expected CSV: cell precision/recall of the output table
  that best matches the CSV (``mdscore.cell_scores``), plus its adjacency-relation F1.

Each converter runs in its own worker process with a per-file timeout (``convert.py``), the two
at once. A file a converter fails on (error, timeout, crash, unsupported format) scores 0 and
stays in the average; the failures are counted in each row's details. The verdict of a row uses
all files; the dev and holdout means are shown beside it.

``python bench/parse_quality.py [--sets docling vectors tabula] [--formats pdf ...] [--timeout 120]
[--per-file]`` (``--formats``: only the docling-groundtruth sources of these formats, e.g. ``pdf``
for the PDF figures alone)
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import mdscore
from convert import IsolatedConverter, Outcome
from harness import Figure, corpus_root, split_of

SIDES = ("reams", "markitdown")
SPLITS = ("dev", "holdout")
FORMATS = ("pdf", "docx", "pptx", "xlsx", "xls", "html", "odf", "doc", "ppt", "ocr")
SETS = ("docling", "vectors", "tabula")
STRICTLY_BETTER = frozenset({"pdf"})  # "better on PDFs with tables" (issue 3)
DEFAULT_TIMEOUT_S = 120.0
Outcomes = dict[str, dict[Path, Outcome]]  # side -> file -> outcome


@dataclass(frozen=True)
class Doc:
    """One scored input: its corpus set, its id in the set (path relative to the set folder),
    its format, the file itself and what it is compared with."""

    corpus_set: str
    doc_id: str
    fmt: str
    path: Path
    expected: Path

    @property
    def split(self) -> str:
        return split_of(self.doc_id)


@dataclass(frozen=True)
class Scored:
    """One document's scores for one converter (None: the measure does not apply)."""

    doc: Doc
    side: str
    values: dict[str, float | None]
    error: str
    produced: bool  # the converter emitted at least one word


# ---------------------------------------------------------------------------- running


def convert_all(paths: Sequence[Path], *, timeout_s: float) -> Outcomes:
    """Every path through both converters, each in its own worker, both sides concurrently."""

    def run_side(side: str) -> dict[Path, Outcome]:
        with IsolatedConverter(side, timeout_s=timeout_s) as converter:
            return {path: converter.convert(path) for path in paths}

    with ThreadPoolExecutor(max_workers=len(SIDES)) as pool:
        return dict(zip(SIDES, pool.map(run_side, SIDES), strict=True))


# ---------------------------------------------------------------------------- inputs


def reference_for(fmt: str, source: Path) -> Path | None:
    """The expected Markdown of a docling source, if there is one."""
    folder = source.parent.parent / "groundtruth"
    candidates = [folder / f"{source.name}.md"]
    if fmt == "pdf":
        candidates.append(folder / f"{source.stem}.md")
    if fmt == "ocr":
        candidates += sorted(folder.glob(f"{source.stem}.*.md"))
    return next((path for path in candidates if path.is_file()), None)


def docling_docs(root: Path) -> list[Doc]:
    docs = []
    for fmt in FORMATS:
        sources = root / fmt / "sources"
        for source in sorted(sources.iterdir()) if sources.is_dir() else []:
            if (expected := reference_for(fmt, source)) is not None:
                doc_id = source.relative_to(root).as_posix()
                docs.append(Doc("docling-groundtruth", doc_id, fmt, source, expected))
    return docs


def vector_entries(root: Path) -> tuple[list[tuple[Doc, dict[str, list[str]]]], list[str]]:
    """The general test vectors whose file is present, and the names of those that are not."""
    vectors = json.loads((root / "test_vectors.json").read_text(encoding="utf-8"))
    present, missing = [], []
    for vector in vectors["GENERAL_TEST_VECTORS"]:
        path = root / vector["filename"]
        if not path.is_file():
            missing.append(vector["filename"])
            continue
        fmt = path.suffix.lstrip(".").lower()
        present.append((Doc("markitdown-tests", vector["filename"], fmt, path, path), vector))
    return present, missing


def tabula_docs(root: Path) -> list[Doc]:
    docs = []
    for expected in sorted((root / "expected_csv").glob("*.csv")):
        pdf = root / "pdf" / f"{expected.stem}.pdf"
        if pdf.is_file():
            doc_id = pdf.relative_to(root).as_posix()
            docs.append(Doc("tabula-tables", doc_id, "pdf", pdf, expected))
    return docs


# ---------------------------------------------------------------------------- scoring


def score_docling(doc: Doc, side: str, outcome: Outcome) -> Scored:
    reference = doc.expected.read_text(encoding="utf-8")
    table_ref = mdscore.markdown_tables(reference)
    has_tables = mdscore.table_score(table_ref, []) is not None
    output = outcome.markdown
    if output is None:
        zero = {"text": 0.0, "bag": 0.0, "table": 0.0 if has_tables else None}
        return Scored(doc, side, zero, outcome.error, produced=False)
    ref_tokens, out_tokens = mdscore.tokens(reference), mdscore.tokens(output)
    values = {
        "text": mdscore.text_similarity(ref_tokens, out_tokens),
        "bag": mdscore.token_f1(ref_tokens, out_tokens),
        "table": mdscore.table_score(table_ref, mdscore.markdown_tables(output)),
    }
    return Scored(doc, side, values, "", produced=bool(out_tokens))


def produced(outcome: Outcome) -> bool:
    return outcome.markdown is not None and bool(mdscore.tokens(outcome.markdown))


def score_vector(doc: Doc, vector: dict[str, list[str]], side: str, outcome: Outcome) -> Scored:
    output = outcome.markdown
    include, exclude = vector["must_include"], vector["must_not_include"]
    found = sum(s in output for s in include) if output is not None else 0
    avoided = sum(s not in output for s in exclude) if output is not None else 0
    values: dict[str, float | None] = {
        "found": found,
        "include": len(include),
        "avoided": avoided,
        "exclude": len(exclude),
    }
    return Scored(doc, side, values, outcome.error, produced(outcome))


def score_tabula(doc: Doc, side: str, outcome: Outcome) -> Scored:
    expected = mdscore.csv_grid(doc.expected.read_text(encoding="utf-8"))
    tables = mdscore.markdown_tables(outcome.markdown) if outcome.markdown is not None else []
    match = mdscore.cell_scores(expected, tables)
    values: dict[str, float | None] = {
        "precision": match.precision,
        "recall": match.recall,
        "f1": match.f1,
        "structure": match.relations_f1,
        "tables": match.tables,
    }
    return Scored(doc, side, values, outcome.error, produced(outcome))


# ---------------------------------------------------------------------------- aggregation


def select(rows: Iterable[Scored], side: str) -> list[Scored]:
    return [r for r in rows if r.side == side]


def mean_of(rows: Sequence[Scored], key: str) -> float | None:
    values = [v for r in rows if (v := r.values[key]) is not None]
    return statistics.fmean(values) if values else None


def total_of(rows: Sequence[Scored], key: str) -> int:
    return int(sum(r.values[key] or 0 for r in rows))


def num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def versus(rows: Sequence[Scored], show: Callable[[list[Scored]], str]) -> str:
    """``"A vs B"`` of reams against markitdown over ``rows``."""
    return " vs ".join(show(select(rows, side)) for side in SIDES)


def by_split(rows: Sequence[Scored], show: Callable[[list[Scored]], str]) -> str:
    """All files, then dev and holdout, each as reams vs markitdown."""
    parts = [
        f"{split} {versus([r for r in rows if r.doc.split == split], show)}" for split in SPLITS
    ]
    return f"{versus(rows, show)} ({' · '.join(parts)})"


def failures(rows: Sequence[Scored]) -> str:
    """``"failed: reams 2 (x.pptx: unsupported_format ...), markitdown 0"``."""
    parts = []
    for side in SIDES:
        failed = [r for r in select(rows, side) if r.error]
        examples = "; ".join(f"{r.doc.path.name}: {r.error[:70]}" for r in failed[:2])
        more = f"; +{len(failed) - 2} more" if len(failed) > 2 else ""
        parts.append(f"{side} {len(failed)}" + (f" ({examples}{more})" if failed else ""))
    return "failed (scored 0): " + ", ".join(parts)


def split_counts(docs: Sequence[Doc]) -> str:
    dev = sum(d.split == "dev" for d in docs)
    files = "file" if len(docs) == 1 else "files"
    return f"{len(docs)} {files} ({dev} dev, {len(docs) - dev} holdout)"


def verdict(reams: float | None, other: float | None, *, strict: bool) -> bool | None:
    """Compare as displayed (2 decimals); None when markitdown has nothing to compare with."""
    if reams is None or other is None:
        return None
    mine, theirs = round(reams, 2), round(other, 2)
    return mine > theirs if strict else mine >= theirs


def no_output(rows: Sequence[Scored], side: str) -> bool:
    """Whether ``side`` failed or emitted no words on every one of ``rows``."""
    return not any(r.produced for r in select(rows, side))


# ---------------------------------------------------------------------------- figures


def compared(rows: Sequence[Scored], key: str, *, strict: bool) -> tuple[str, bool | None]:
    """Target text and verdict of reams's mean ``key`` against markitdown's."""
    target = "> markitdown" if strict else "≥ markitdown"
    if no_output(rows, "markitdown"):
        return f"{target} (n/a: markitdown emits nothing)", None
    reams, other = (mean_of(select(rows, side), key) for side in SIDES)
    return target, verdict(reams, other, strict=strict)


def docling_figures(rows: list[Scored], fmt: str) -> list[Figure]:
    """The text row of one format, and its table row when its references have tables."""
    mine = [r for r in rows if r.doc.fmt == fmt]
    if not mine:
        return []
    figures = [_docling_text(mine, fmt)]
    if tabled := [r for r in mine if r.values["table"] is not None]:
        figures.append(_docling_tables(tabled, fmt))
    return figures


def _docs(rows: Sequence[Scored]) -> list[Doc]:
    return sorted({r.doc for r in rows}, key=lambda d: d.doc_id)


def _docling_text(rows: list[Scored], fmt: str) -> Figure:
    target, passed = compared(rows, "text", strict=False)
    bag = versus(rows, lambda side: num(mean_of(side, "bag")))
    return Figure(
        f"docling-groundtruth {fmt}: text similarity, reams vs markitdown",
        target,
        by_split(rows, lambda side: num(mean_of(side, "text"))),
        passed,
        f"{split_counts(_docs(rows))}; bag-of-words F1 {bag}; {failures(rows)}",
    )


def _docling_tables(rows: list[Scored], fmt: str) -> Figure:
    target, passed = compared(rows, "table", strict=fmt in STRICTLY_BETTER)
    return Figure(
        f"docling-groundtruth {fmt}: table structure, reams vs markitdown",
        target,
        by_split(rows, lambda side: num(mean_of(side, "table"))),
        passed,
        f"{split_counts(_docs(rows))} whose reference has tables; {failures(rows)}",
    )


def _share(rows: Sequence[Scored], hit: str, of: str) -> str:
    total = total_of(rows, of)
    return f"{total_of(rows, hit)}/{total}" + (
        f" ({total_of(rows, hit) / total:.0%})" if total else ""
    )


def vector_figures(rows: list[Scored], missing: Sequence[str]) -> list[Figure]:
    """must_include found and must_not_include avoided: totals, per format in the details."""
    return [
        _vector_figure(rows, missing, hit="found", of="include", kind="must_include"),
        _vector_figure(rows, missing, hit="avoided", of="exclude", kind="must_not_include"),
    ]


def _vector_figure(
    rows: list[Scored], missing: Sequence[str], *, hit: str, of: str, kind: str
) -> Figure:
    def share(side_rows: list[Scored]) -> str:
        return _share(side_rows, hit, of)

    formats = sorted({r.doc.fmt for r in rows})
    by_format = {fmt: [r for r in rows if r.doc.fmt == fmt] for fmt in formats}
    worse = [
        fmt
        for fmt, mine in by_format.items()
        if total_of(select(mine, "reams"), hit) < total_of(select(mine, "markitdown"), hit)
    ]
    per_format = "; ".join(
        f"{fmt} {versus(mine, share)}"
        for fmt, mine in by_format.items()
        if total_of(select(mine, "reams"), of)
    )
    behind = f"; reams behind on: {', '.join(worse)}" if worse else ""
    return Figure(
        f"markitdown-tests: {kind} strings {hit}, reams vs markitdown",
        "≥ markitdown on every format",
        by_split(rows, share),
        not worse,
        f"{split_counts(_docs(rows))}; per format: {per_format}{behind}; {failures(rows)}; "
        f"vectors whose file is not in the corpus: {', '.join(missing) or 'none'}",
    )


def _pr(rows: Sequence[Scored]) -> str:
    return f"{num(mean_of(rows, 'precision'))}/{num(mean_of(rows, 'recall'))}"


def tabula_figures(rows: list[Scored]) -> list[Figure]:
    target, passed = compared(rows, "f1", strict=True)
    f1s = versus(rows, lambda side: num(mean_of(side, "f1")))
    structure = versus(rows, lambda side: num(mean_of(side, "structure")))
    tables = versus(rows, lambda side: str(total_of(side, "tables")))
    return [
        Figure(
            "tabula-tables: cell precision/recall of the best-matching table, reams vs markitdown",
            f"{target} (cell F1)",
            by_split(rows, _pr),
            passed,
            f"{split_counts(_docs(rows))}; cell F1 {f1s}; adjacency-relation F1 of the same "
            f"table {structure}; tables found {tables}; {failures(rows)}",
        )
    ]


def skipped(reason: str) -> list[Figure]:
    return [Figure("parse quality", "(info)", f"skipped: {reason}", None)]


# ---------------------------------------------------------------------------- measure


def measure(
    *,
    sets: Sequence[str] = SETS,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    per_file: bool = False,
    formats: Sequence[str] = FORMATS,
) -> list[Figure]:
    """Convert every input of the chosen sets with both converters and score them."""
    root = corpus_root()
    if not root.is_dir():
        return skipped(f"no corpus ({root})")
    docling = docling_docs(root / "docling-groundtruth") if "docling" in sets else []
    docling = [doc for doc in docling if doc.fmt in formats]
    vectors, missing = vector_entries(root / "markitdown-tests") if "vectors" in sets else ([], [])
    tabula = tabula_docs(root / "tabula-tables") if "tabula" in sets else []
    paths = sorted({d.path for d in [*docling, *(d for d, _ in vectors), *tabula]})
    outcomes = convert_all(paths, timeout_s=timeout_s)
    figures: list[Figure] = []
    scored: list[Scored] = []
    if docling:
        rows = [score_docling(d, s, outcomes[s][d.path]) for d in docling for s in SIDES]
        figures += [f for fmt in FORMATS for f in docling_figures(rows, fmt)]
        scored += rows
    if vectors:
        rows = [score_vector(d, v, s, outcomes[s][d.path]) for d, v in vectors for s in SIDES]
        figures += vector_figures(rows, missing)
        scored += rows
    if tabula:
        rows = [score_tabula(d, s, outcomes[s][d.path]) for d in tabula for s in SIDES]
        figures += tabula_figures(rows)
        scored += rows
    if per_file:
        print_per_file(scored)
    return figures


def print_per_file(rows: Sequence[Scored]) -> None:
    """One line per document and converter: its scores, or its error."""
    for row in sorted(rows, key=lambda r: (r.doc.corpus_set, r.doc.doc_id, r.side)):
        values = " ".join(
            f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}"
            for key, value in row.values.items()
            if value is not None
        )
        error = f"  ERROR {row.error}" if row.error else ""
        name = f"{row.doc.corpus_set}/{row.doc.doc_id}"
        print(f"{row.doc.split:7} {name:75} {row.side:10} {values}{error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="s per file")
    parser.add_argument("--per-file", action="store_true", help="print every file's scores")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    args = parser.parse_args()
    rows = measure(
        sets=args.sets, timeout_s=args.timeout, per_file=args.per_file, formats=args.formats
    )
    for figure in rows:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured}")
        if figure.detail:
            print(f"      {figure.detail}")


if __name__ == "__main__":
    main()
