"""Run the benchmarks, print the results table and rewrite ``bench/README.md``.

``make bench`` runs ``python bench/run_all.py``: every benchmark at full size (about seven
minutes on a 2-core machine). ``--only overhead scaling`` picks benchmarks, ``--quick`` runs
scaled-down sizes for a smoke check, ``--rounds N`` overrides the rounds of the timed
comparisons, ``--corpus`` adds the overhead runs on ``../shared/corpus`` (the parse benchmarks
always use the corpus; everything that needs it is skipped when it is absent) and
``--no-readme`` leaves the README alone.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import api_load
import classify_quality
import export
import extract_quality
import fairness
import ingest
import ocr_quality
import overhead
import parse_quality
import parse_speed
import scaling
import slices
import status_load
import temporal_engine
from harness import REPO, Figure


@dataclass(frozen=True)
class Benchmark:
    """One benchmark: what it measures (for the README) and how to run it at a given size."""

    name: str
    script: str
    measures: str
    run: Callable[[argparse.Namespace], list[Figure]]


def _overhead(args: argparse.Namespace) -> list[Figure]:
    files, rounds = (200, 1) if args.quick else (1000, 3)
    rounds = args.rounds or rounds
    rows = overhead.measure(files=files, rounds=rounds)
    return rows + (overhead.measure_corpus(rounds=rounds) if args.corpus else [])


def _scaling(args: argparse.Namespace) -> list[Figure]:
    docs, pages, rounds = (12, 100, 1) if args.quick else (40, 300, 3)
    return scaling.measure(docs=docs, pages=pages, rounds=args.rounds or rounds)


def _status(args: argparse.Namespace) -> list[Figure]:
    items, requests = (10_000, 300) if args.quick else (100_000, 1_000)
    return status_load.measure(items=items, small_items=1_000, requests=requests)


def _export(args: argparse.Namespace) -> list[Figure]:
    return export.measure(items=10_000 if args.quick else 100_000)


def _parse_quality(args: argparse.Namespace) -> list[Figure]:
    return parse_quality.measure()


def _parse_speed(args: argparse.Namespace) -> list[Figure]:
    rounds = args.rounds or (1 if args.quick else 3)
    return parse_speed.measure(rounds=rounds, quick=args.quick)


def _ocr_quality(args: argparse.Namespace) -> list[Figure]:
    return ocr_quality.figures()


def _classify_quality(args: argparse.Namespace) -> list[Figure]:
    return classify_quality.measure(quick=args.quick)


def _extract_quality(args: argparse.Namespace) -> list[Figure]:
    return extract_quality.measure(quick=args.quick)


def _temporal(args: argparse.Namespace) -> list[Figure]:
    items, rounds, docs, pages = (200, 1, 4, 40) if args.quick else (1000, 3, 16, 150)
    return temporal_engine.measure(
        items=items, rounds=args.rounds or rounds, docs=docs, pages=pages
    )


def _api_load(args: argparse.Namespace) -> list[Figure]:
    if shutil.which("wrk") is None:
        return [Figure("api_load", "(wrk)", "skipped: wrk not installed", None)]
    duration, rounds = (3.0, 1) if args.quick else (8.0, 2)
    return api_load.measure(duration=duration, rounds=args.rounds or rounds)


def _slices(args: argparse.Namespace) -> list[Figure]:
    pages, rounds = (1000, 1) if args.quick else (5000, 3)
    return slices.measure(pages=pages, rounds=args.rounds or rounds)


def _ingest(args: argparse.Namespace) -> list[Figure]:
    files, rounds = (300, 1) if args.quick else (1000, 3)
    return ingest.measure(files=files, rounds=args.rounds or rounds, postgres=not args.quick)


def _fairness(args: argparse.Namespace) -> list[Figure]:
    big, rounds = (5_000, 1) if args.quick else (20_000, 3)
    return fairness.measure(big_items=big, rounds=args.rounds or rounds)


BENCHMARKS = (
    Benchmark(
        "overhead",
        "bench/overhead.py",
        "Wall time of `reams run DIR --job parse --workers 1` (a subprocess on a fresh data "
        "dir: start-up, folder scan, store, isolated worker, outputs) against a bare loop "
        "calling `reams.processors.run` over the same 1,000 generated mixed documents (pdf, "
        "docx, html, md, csv, txt) in a fresh interpreter; also against the same loop warm "
        "in-process, and the time of the identical re-run in which every file is skipped as "
        "`already_processed`. Alternating order, median of 3 rounds. Beside them, a probe of "
        "the volume: the time to create one new small file in the work folder just before "
        "each command (the command creates two output files per item, the bare loop none; "
        "on ext4 without a journal a create costs up to ~1 ms of kernel time for minutes "
        "after thousands of deletions nearby, ~0.03 ms otherwise). With `--corpus`, the "
        "same again (as information) on 560 real contracts from `corpus/cuad` (txt + pdf).",
        _overhead,
    ),
    Benchmark(
        "scaling",
        "bench/scaling.py",
        "Speed-up of `reams run --workers 2` over `--workers 1` on CPU-bound input (40 distinct "
        "text PDFs of 300 dense pages each), each run on a fresh data dir, alternating order, "
        "median of 3 rounds; for the whole command and for the job alone.",
        _scaling,
    ),
    Benchmark(
        "status",
        "bench/status_load.py",
        "A real server (`reams serve` on 127.0.0.1, its engine in a process of its own, 2 "
        "workers) processing a 100,000-item parse job "
        "(directory bulk-loaded through the store): p50/p99 of 1,000 sequential keep-alive "
        "`GET /api/v1/beta/batch-processing/{id}` on it, interleaved with as many on a "
        "finished 1,000-item job, and 1,000 on the 1,000-item job while it was processing; the "
        "peak RSS of the server plus its worker processes; the time to create (POST) and "
        "cancel the job, and the item rate on each job. The two absolute p99 figures are taken "
        "under the load each job's own processing creates, so read them with the "
        "processing-rate row; the growth row compares the job sizes under the same load, and "
        "the idle row shows what the endpoint costs without load.",
        _status,
    ),
    Benchmark("slices", "bench/slices.py", slices.MEASURES, _slices),
    Benchmark("api_load", "bench/api_load.py", api_load.MEASURES, _api_load),
    Benchmark("ingest", "bench/ingest.py", ingest.MEASURES, _ingest),
    Benchmark("fairness", "bench/fairness.py", fairness.MEASURES, _fairness),
    Benchmark(
        "export",
        "bench/export.py",
        "A 100,000-item parse job bulk-loaded through the store (every item completed with a "
        "pooled real parse output, in bulk SQL), exported by a real server (uvicorn on 127.0.0.1) "
        "as jsonl, csv and zip over `GET /api/v1/beta/batch-processing/{id}/export`: the peak "
        "RSS growth of the server process over its level after a warm-up export (sampled every "
        "50 ms), the download checked (one line/row per item, two zip entries per item), and "
        "the throughput in items/s per format. Target (issue 12): growth ≤ 50 MB.",
        _export,
    ),
    Benchmark(
        "parse_quality",
        "bench/parse_quality.py",
        "reams's parse output (`markdown_full`) against markitdown 0.1.9's on the same files of "
        "`../shared/corpus`, each converter in its own worker process with a 120 s per-file "
        "timeout; a file a converter fails on scores 0 and is counted. Every figure is shown "
        "for all files, then for the corpus's dev and holdout splits (holdout: last hex digit "
        "of sha256(path in the set) in 0–3), reams first. *docling-groundtruth*, per format "
        "(every source with an expected `.md`): **text similarity**, both Markdowns reduced to "
        "case-folded word tokens (HTML comments, images, link targets, tags, escapes and all "
        "Markdown punctuation dropped), scored by `difflib.SequenceMatcher` ratio over the token "
        "lists, 2·matched/(ref + output): 1 for the same words in the same order, lower for "
        "missing, extra or misordered text (the order-free bag-of-words F1 is in the details); "
        "**table structure**, for documents whose reference has tables: pipe and HTML tables "
        "read as grids and compared by the F1 of their adjacency relations (each non-empty cell "
        "with its nearest non-empty right and lower neighbour, ICDAR 2013 style), so right "
        "cells in the wrong rows or columns score low and no table scores 0. "
        "*markitdown-tests*: share of `test_vectors.json` `must_include` strings found and "
        "`must_not_include` strings avoided (files given by name only, no URL hint), per format "
        "in the details. *tabula-tables*: cell precision/recall of the output table that best "
        "matches each expected CSV (cells compared as normalised tokens). Target (issue 3): "
        "reams at least equal to markitdown on every format where markitdown emits anything "
        "(else info), and better on PDF tables.",
        _parse_quality,
    ),
    Benchmark(
        "parse_speed",
        "bench/parse_speed.py",
        "Conversion time measured inside worker processes that have imported their converter "
        "(files read beforehand). Text PDFs (DA-619p 619 pages, GeoTopo 117, multi-column 13, "
        "redp5110 sample 18): reams pages/s against a bare pypdfium2 loop "
        "(`get_textpage().get_text_range()` per page) over the same pages, warm, each file by "
        "both back to back in alternating order, median of 3 rounds; markitdown once per PDF "
        "in a fresh process. `DA-619p.pdf` and `handbook-872p.docx`: each converter in a "
        "brand-new process, time and peak RSS (the process's own `VmHWM`, which is "
        "`ru_maxrss` without the part Linux inherits from the launching process; imports "
        "included). docx, pptx, xlsx, html (docling-groundtruth sources): per-file time reams "
        "/ markitdown, warm, alternating, median of 3 rounds per file, then the median of the "
        "per-file ratios over the files both convert. Speed set (`bench/parse_speed_set.txt`: "
        "114 varied text PDFs of the corpus, chosen by the rule at its top: every PDF outside "
        "bad-inputs with ≤ 40 pages, ≥ 300 characters of text per page on average and no page "
        "under 20 characters, and every fourth CUAD contract): reams pages/s against the bare "
        "pypdfium2 loop, measured like the text PDFs, with the ratio of its dev and holdout "
        "halves (issue 16: ≥ 0.40×). To compare two versions of the code: "
        "`parse_speed.py --cpu` (the speed set's ratio as CPU time in one process, reams and the "
        "bare loop alternating) and `pdf_identity.py record OUT.json` / `compare A.json B.json` "
        "(sha256 per corpus PDF of the Markdown, items and whole result), each run with the "
        "other checkout's `src` on `PYTHONPATH`, or with `REAMS_PDF_NATIVE=0` for the ctypes "
        "path.",
        _parse_speed,
    ),
    Benchmark(
        "ocr_quality",
        "bench/ocr_quality.py",
        "reams' OCR with each engine (rapidocr; tesseract where installed) on the same pages, "
        "in one process, readers alternating, after a warm-up page: docling-groundtruth's "
        "scanned PDFs (upright and turned) against docling's expected text; invoice2data's "
        "PDFs rendered to 200 dpi PNG scans (and the PNGs the set ships) against the PDFs' own "
        "text layer; generated small print (7-10 pt receipt and letter lines, and one French / "
        "German page read with `lang`). Word F1 (order-free tokens), dev and holdout, and CPU "
        "seconds per page (tesseract's child process counted). Issue 16 asks OCR word F1 not "
        "lower and time per page halved: before this work, rapidocr read the invoice scans at "
        "F1 0.919 in 3.20 CPU s/page (tesseract 0.912, 0.88 s/page), on another day's machine; "
        "`python bench/ocr_versus.py --baseline 13dd22d~1` times that code and this checkout "
        "side by side on the same scans (whole parse, CPU per page, alternating processes).",
        _ocr_quality,
    ),
    Benchmark(
        "classify_quality",
        "bench/classify_quality.py",
        "The offline classify engine on `corpus/cuad`: 510 real contracts, 25 contract types, "
        "rules written once from the type names (`bench/classify/cuad_rules.json`, one-line "
        "description each); each `.txt` parsed by reams under a neutral file name, then "
        "classified. Accuracy and macro-F1 for all, dev and holdout (weights and threshold "
        "tuned on dev only), texts/s for classification alone (parse excluded); ablations "
        "(embedding only, lexical only, no threshold) and two baselines computed in the same "
        "run: majority class and TF-IDF nearest description. Rejection: each contract with its "
        "own rule removed, share answered `type: null`. A small mixed set (invoices, e-mails, "
        "contracts, papers from the corpus; `bench/classify/mixed_rules.json`) as a check "
        "beyond contracts. An everyday set (`bench/classify_mixed.py`, run in the same "
        "benchmark): 258 documents from all ten corpus sets, each labelled by hand with one of "
        "ten kinds (invoice/receipt, contract, scientific_paper, email, spreadsheet, "
        "presentation, form, report, web_page, and a catch-all `other`) in "
        "`bench/classify/mixed_labels.csv`, classified against "
        "`bench/classify/everyday_rules.json` (written once, before any output was seen): "
        "accuracy, null rate and wrong rate at the default threshold, dev and holdout side by "
        "side; per kind; the non-English documents; the same set without the catch-all rule; a "
        "reliability table and threshold sweep written to `bench/classify/reliability.md`. "
        "Targets: (issue 4) CUAD holdout accuracy ≥ 0.80; (issue 15) everyday holdout accuracy "
        "≥ 0.90 with null rate ≤ 0.05.",
        _classify_quality,
    ),
    Benchmark(
        "extract_quality",
        "bench/extract_quality.py",
        "The offline extract engine on `corpus/cuad/extraction_gold.jsonl` (510 contracts; "
        "schema `bench/extract/cuad_schema.json` written from the field names, 8 text "
        "fields + 33 yes/no clause flags, the key phrases quoted in the flags' descriptions "
        "refined on dev only — without them clause macro-F1 is ~0.41 on holdout) and "
        "`corpus/invoice2data` (document fields amount, "
        "amount_untaxed, date, invoice_number, currency, vat, line items; template-only fields "
        "skipped). Dates and party lists normalised before comparing. Per field precision "
        "(correct / predicted) and recall (correct / gold), dev and holdout side by side; "
        "clause flags as macro-F1; docs/s for extraction alone and with parse. Also the field "
        "set (`bench/extract_fields.py`): the corpus's 22 invoices, receipts, orders and forms "
        "in 5 languages (en, fr, de, nl, pl), gold typed by hand in "
        "`bench/extract/fields_gold.jsonl`, schemas with plain descriptions "
        "(`bench/extract/fields_*.json`); per field exact match after normalisation (dates ISO, "
        "amounts to the cent, names without case, punctuation or legal suffix), dev and holdout "
        "side by side. And the generated field set (`bench/extract/generate_fields.py`, gold in "
        "`bench/extract/generated_gold.jsonl`, checked to be what the seeded generator writes): "
        "153 invoices and bills, credit notes, receipts, orders and forms (payslips, delivery "
        "notes, lab reports, registration forms) in 5 languages and 11 locales, 30 layout "
        "templates, a quarter rendered as scans; split by template (11 holdout templates share "
        "no layout and no name with dev); per field, all fields, and scans against text PDFs, "
        "dev and holdout side by side; and a third split, **fresh** "
        "(`bench/extract/fieldgen_fresh.py`): 40 invoices in 8 layouts and conventions of other "
        "countries (Indian GST, Italian, Polish, Mexican CFDI, Australian, Swedish/Danish, a "
        "remit-to-only vendor, a Japanese company in English), a third as scans, written "
        "before the extract rules were read — a generalisation check; scored before any rule "
        "change: number 36/40, date 37/40, total 35/40, vendor 18/40, currency 25/40 (the rules "
        "were then fixed on it, so it is no longer untouched). "
        "A fourth split, **fresh2** (`bench/extract/fieldgen_fresh2.py`): 45 invoices in 9 layouts "
        "(DIN 5008 Rechnung, French facture with SIRET, Spanish factura with IRPF, Dutch/Belgian "
        "factuur under a wordmark, UK VAT invoice, Canadian GST/HST/QST, a subscription invoice, a "
        "marketplace 'Sold by' invoice, a Swiss QR-bill Rechnung) and 20 receipts in 4 (till roll, "
        "restaurant with tip, fuel station, Malaysian/Singapore GST/SST), a third as scans, "
        "written before the rules were read by someone who had not read them; scored before any "
        "rule change: number 42/45, date 43/45, total 44/45, vendor 38/45, currency 41/45; receipt "
        "company 18/20, date 20/20, total 18/20, address 7/20 (its misses were then fixed as "
        "classes, so it too is no longer untouched). "
        "Targets (issue 4, holdout): governing law, agreement date and document "
        "name each ≥ 0.70 exact, clause flags macro-F1 ≥ 0.60; (issue 15, holdout): invoice "
        "number, date, total and vendor each ≥ 0.85, receipt total and date ≥ 0.85, company "
        "≥ 0.70.",
        _extract_quality,
    ),
    Benchmark(
        "temporal",
        "bench/temporal_engine.py",
        "The Temporal engine against a dev server started by the benchmark, fresh SQLite store "
        "per run, clock from `submit` to the job completed in the store. 1,000 distinct "
        "one-line Markdown files: the API side of the Temporal engine in-process plus one "
        "`reams worker` subprocess (2 slots, started and polling before the clock) against "
        "the local engine (2 workers), alternating, median of 3 rounds; target (issue 5): "
        "Temporal ≤ 1.5× the local time. CPU-bound PDFs (16 × 150 pages) on 1 `reams worker` "
        "process against 2 (1 slot each), alternating, median of 3 rounds. Workflow history "
        "events for the 1,000 items in one run, and per run with `continue_as_new_threshold` "
        "= 250.",
        _temporal,
    ),
)


def run_selected(args: argparse.Namespace) -> tuple[list[tuple[Benchmark, Figure]], float]:
    rows: list[tuple[Benchmark, Figure]] = []
    started = time.perf_counter()
    for bench in BENCHMARKS:
        if bench.name in args.only:
            print(f"== {bench.name} ({bench.script}) ...", flush=True)
            figures = bench.run(args)
            rows += [(bench, figure) for figure in figures]
            for figure in figures:
                print(f"   {figure.verdict:4}  {figure.name}: {figure.measured}", flush=True)
    return rows, time.perf_counter() - started


def machine() -> list[str]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return [
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} CPUs (`nproc`), {cpu}, {platform.system()} "
        f"{platform.release()}; load average at start {os.getloadavg()[0]:.2f}",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- Code: {code_revision()}",
    ]


def code_revision() -> str:
    import reams

    commit = _git("rev-parse", "--short", "HEAD") or "unknown commit"
    where = Path(reams.__file__).resolve().parent
    if where != REPO / "src" / "reams":
        return f"`reams` imported from `{where}`, outside this checkout (whose HEAD is `{commit}`)"
    dirty = " plus uncommitted changes under src/" if _git("status", "--short", "src") else ""
    return f"this checkout, commit `{commit}`{dirty}"


def _git(*argv: str) -> str:
    try:
        done = subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True, timeout=10)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def table(rows: list[tuple[Benchmark, Figure]]) -> list[str]:
    lines = ["| benchmark | figure | target | measured | result |", "|---|---|---|---|---|"]
    for bench, f in rows:
        lines.append(f"| {bench.name} | {f.name} | {f.target} | {f.measured} | {f.verdict} |")
    return lines


def details(rows: list[tuple[Benchmark, Figure]]) -> list[str]:
    return [f"- **{f.name}** — {f.detail}" for _, f in rows if f.detail]


def carried_over(measured: set[str]) -> tuple[list[str], list[str]]:
    """Table rows and details of the benchmarks not run this time, from the README as it was,
    so that ``--only`` updates its own rows without dropping the others' last figures."""
    path = REPO / "bench" / "README.md"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    known = {b.name for b in BENCHMARKS} - measured
    rows = [line for line in lines if line.startswith("| ") and line.split("|")[1].strip() in known]
    figures = {row.split("|")[2].strip() for row in rows}
    details = [
        line
        for line in lines
        if line.startswith("- **") and line[4:].split("** — ", 1)[0] in figures
    ]
    return rows, details


def in_benchmark_order(table_lines: list[str], carried_rows: list[str]) -> list[str]:
    order = {b.name: n for n, b in enumerate(BENCHMARKS)}
    body = sorted(table_lines[2:] + carried_rows, key=lambda row: order[row.split("|")[1].strip()])
    return table_lines[:2] + body


def readme(rows: list[tuple[Benchmark, Figure]], *, command: str, elapsed_s: float) -> str:
    measured = {bench.name for bench, _ in rows}
    carried = carried_over(measured)
    note = (
        ["Rows of benchmarks not run this time are from their last run.", ""] if carried[0] else []
    )
    parts = [
        "# Benchmarks",
        "",
        "Written by `bench/run_all.py`; do not edit by hand. `make bench` runs "
        "`python bench/run_all.py` (all benchmarks, full size, about seven minutes); each script "
        "also runs alone (`python bench/<name>.py --help`). Load only ever targets 127.0.0.1. "
        "The machine is shared, so every ratio compares runs made side by side in one "
        "invocation, in alternating order, and reports the median. The parse benchmarks need "
        "`../shared/corpus` (or `$REAMS_CORPUS`) and show a `skipped: no corpus` row without "
        "it; `python bench/parse_quality.py --per-file` prints every file's scores.",
        "",
        "## What each benchmark measures",
        "",
        *[f"- **{b.name}** (`{b.script}`): {b.measures}" for b in BENCHMARKS],
        "",
        "## Last run",
        "",
        f"- Command: `{command}` ({elapsed_s / 60:.1f} min; benchmarks run: "
        f"{', '.join(b.name for b in BENCHMARKS if b.name in measured)})",
        *machine(),
        "",
        *in_benchmark_order(table(rows), carried[0]),
        "",
        *note,
        "### Details",
        "",
        *details(rows),
        *carried[1],
        "",
        *profiles(),
    ]
    return "\n".join(parts)


def profiles() -> list[str]:
    """``bench/profiles.md`` (written by ``profile_run.py``): where ``reams run`` spends its
    CPU, before and after the last change measured that way."""
    path = REPO / "bench" / "profiles.md"
    if not path.exists():
        return []
    return ["## Profile of `reams run`", "", path.read_text(encoding="utf-8").rstrip(), ""]


def main() -> None:
    names = [b.name for b in BENCHMARKS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=names, default=names)
    parser.add_argument("--quick", action="store_true", help="scaled-down sizes, 1 round")
    parser.add_argument("--rounds", type=int, default=None, help="rounds of timed comparisons")
    parser.add_argument("--corpus", action="store_true", help="add runs on ../shared/corpus")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the README")
    args = parser.parse_args()
    rows, elapsed = run_selected(args)
    print("\n" + "\n".join(table(rows)))
    if not args.no_readme:
        command = "python bench/run_all.py" + "".join(f" {a}" for a in sys.argv[1:])
        text = readme(rows, command=command, elapsed_s=elapsed)
        (REPO / "bench" / "README.md").write_text(text, encoding="utf-8")
        print("\nwrote bench/README.md")


if __name__ == "__main__":
    main()
