"""Parallel speed-up of ``reams run``: ``--workers 2`` against ``--workers 1``.

The input is CPU-bound: ``--docs`` distinct text PDFs of ``--pages`` dense pages each, made with
``docgen.make_pdf`` (each page a heading and five 60-word paragraphs). Each round runs both
commands on the same folder, each with a fresh ``REAMS_DATA_DIR`` and output folder, in
alternating order; the figure is the median speed-up. The whole command is timed (start-up,
folder scan and output writing included), and so is the job alone as the command reports it.

In the same rounds the machine's own parallel capacity is measured on the same PDFs: one fresh
interpreter parsing every file in a bare loop (``reams.processors.run``, no store, no engine)
against two started together on half the files each, wall time until both are done. Two
vCPUs of a shared host seldom give two cores' worth of work; reams' speed-up is read against
that figure (``reams / machine``), which no scheduler can exceed.

``python bench/scaling.py [--docs 40] [--pages 300] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import CliRun, Figure, docgen, median, ratio_text, reams_run, seconds_text

TARGET_SPEEDUP = 1.8
WORDS = ("customer", "order", "invoice", "shipment", "budget", "review", "team", "policy")


def make_pdfs(folder: Path, *, docs: int, pages: int, seed: int = 5) -> None:
    """``docs`` distinct PDFs (no two share content, so nothing is deduplicated)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)

    def paragraph() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."

    for doc in range(docs):
        texts = [
            f"# Report {doc}, section {page}\n\n" + "\n\n".join(paragraph() for _ in range(5))
            for page in range(pages)
        ]
        docgen().make_pdf(folder / f"report-{doc:03d}.pdf", texts, title=f"Report {doc}")


def timed_pair(src: Path, work: Path, *, two_first: bool) -> tuple[CliRun, CliRun]:
    """One run with 1 worker and one with 2, each on a fresh data dir; returns (one, two)."""
    runs: dict[int, CliRun] = {}
    for workers in (2, 1) if two_first else (1, 2):
        data, out = Path(tempfile.mkdtemp(dir=work)), Path(tempfile.mkdtemp(dir=work))
        runs[workers] = reams_run(src, out=out, data_dir=data, workers=workers)
    return runs[1], runs[2]


def bare_parse(paths: list[str]) -> None:
    """The child side of :func:`bare_capacity`: parse each file in a plain loop."""
    from reams import processors

    for name in paths:
        path = Path(name)
        processors.run("parse", path.read_bytes(), path.name, {})


def bare_capacity(src: Path) -> tuple[float, float]:
    """Seconds for one fresh interpreter to parse every PDF, and for two started together to
    parse half each (alternate files, so both halves weigh the same; until both are done)."""
    files = sorted(str(p) for p in src.glob("*.pdf"))

    def start(names: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, __file__, "--bare", *names])

    started = time.perf_counter()
    if start(files).wait() != 0:
        raise RuntimeError("the bare parse failed")
    one = time.perf_counter() - started
    started = time.perf_counter()
    children = [start(files[0::2]), start(files[1::2])]
    if any(child.wait() != 0 for child in children):
        raise RuntimeError("the bare parse failed")
    return one, time.perf_counter() - started


def measure(*, docs: int = 40, pages: int = 300, rounds: int = 3) -> list[Figure]:
    capacity: list[tuple[float, float]] = []
    pairs: list[tuple[CliRun, CliRun]] = []
    with tempfile.TemporaryDirectory(prefix="reams-bench-scaling-") as tmp:
        work = Path(tmp)
        src = work / "pdfs"
        make_pdfs(src, docs=docs, pages=pages)
        for i in range(rounds):
            pairs.append(timed_pair(src, work, two_first=i % 2 == 1))
            capacity.append(bare_capacity(src))
    return figures(pairs, capacity, docs=docs, pages=pages)


def figures(
    pairs: list[tuple[CliRun, CliRun]],
    capacity: list[tuple[float, float]],
    *,
    docs: int,
    pages: int,
) -> list[Figure]:
    one = median([a.wall_s for a, _ in pairs])
    two = median([b.wall_s for _, b in pairs])
    speedup = median([a.wall_s / b.wall_s for a, b in pairs])
    basis = f"median of {len(pairs)} rounds, {docs} PDFs × {pages} pages"
    rows = [
        Figure(
            "`reams run --workers 2` speed-up over `--workers 1` (whole command)",
            f"≥ {TARGET_SPEEDUP:.1f}×",
            ratio_text(speedup),
            speedup >= TARGET_SPEEDUP,
            f"{basis}: 1 worker {seconds_text(one)}, 2 workers {seconds_text(two)} (medians "
            f"of each; the figure is the median of the rounds' own ratios, paired: "
            f"{', '.join(ratio_text(a.wall_s / b.wall_s) for a, b in pairs)})",
        )
    ]
    job_pairs = [(a.job_s, b.job_s) for a, b in pairs if a.job_s and b.job_s]
    if job_pairs:
        job_speedup = median([a / b for a, b in job_pairs])
        rows.append(
            Figure(
                "same, the job alone (as `reams run` reports it)",
                "(info)",
                ratio_text(job_speedup),
                None,
                f"{basis}: 1 worker {seconds_text(median([a for a, _ in job_pairs]))}, "
                f"2 workers {seconds_text(median([b for _, b in job_pairs]))}",
            )
        )
    if capacity:
        machine = median([one / two for one, two in capacity])
        rows.append(
            Figure(
                "machine's parallel capacity: bare parse, 2 processes on half the PDFs each / 1",
                "(info; ≤ 2×)",
                ratio_text(machine),
                None,
                f"{basis}: 1 process {seconds_text(median([a for a, _ in capacity]))}, "
                f"2 processes {seconds_text(median([b for _, b in capacity]))}, same rounds",
            )
        )
        rows.append(
            Figure(
                "reams' whole-command speed-up / the machine's capacity",
                "(info; 1.00 = all the machine gives)",
                f"{speedup / machine:.2f}",
                None,
                f"{ratio_text(speedup)} / {ratio_text(machine)}",
            )
        )
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":  # the child side of bare_capacity
        bare_parse(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for figure in measure(docs=args.docs, pages=args.pages, rounds=args.rounds):
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
