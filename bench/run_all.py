"""Run the benchmarks, print the results table and rewrite ``bench/README.md``.

``make bench`` runs ``python bench/run_all.py``: every benchmark at full size (about five
minutes on a 2-core machine). ``--only overhead scaling`` picks benchmarks, ``--quick`` runs
scaled-down sizes for a smoke check, ``--rounds N`` overrides the rounds of the timed
comparisons, ``--corpus`` adds runs on ``../shared/corpus`` (skipped when it is absent) and
``--no-readme`` leaves the README alone.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import overhead
import scaling
import status_load
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


BENCHMARKS = (
    Benchmark(
        "overhead",
        "bench/overhead.py",
        "Wall time of `reams run DIR --job parse --workers 1` (a subprocess on a fresh data "
        "dir: start-up, folder scan, store, isolated worker, outputs) against a bare loop "
        "calling `reams.processors.run` over the same 1,000 generated mixed documents (pdf, "
        "docx, html, md, csv, txt) in a fresh interpreter; also against the same loop warm "
        "in-process, and the time of the identical re-run in which every file is skipped as "
        "`already_processed`. Alternating order, median of 3 rounds. With `--corpus`, the "
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
        "A real server (uvicorn on 127.0.0.1, 2 workers) processing a 100,000-item parse job "
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


def readme(rows: list[tuple[Benchmark, Figure]], *, command: str, elapsed_s: float) -> str:
    measured = {bench.name for bench, _ in rows}
    parts = [
        "# Benchmarks",
        "",
        "Written by `bench/run_all.py`; do not edit by hand. `make bench` runs "
        "`python bench/run_all.py` (all benchmarks, full size, about five minutes); each script "
        "also runs alone (`python bench/<name>.py --help`). Load only ever targets 127.0.0.1. "
        "The machine is shared, so every ratio compares runs made side by side in one "
        "invocation, in alternating order, and reports the median.",
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
        *table(rows),
        "",
        "### Details",
        "",
        *details(rows),
        "",
    ]
    return "\n".join(parts)


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
