"""A huge PDF parsed in page parts: ``reams run --workers 2`` against ``--workers 1``.

One generated 5,000-page PDF (running headers and footers, a text layer on every page) is
parsed by whole ``reams run`` commands, each with a fresh ``REAMS_DATA_DIR``, in alternating
order every round: with 2 workers and with 1 (in page parts of ``REAMS_SLICE_PART_PAGES`` = 250
pages, the default), and with 1 worker unsliced (``REAMS_SLICE_PAGES=0``) as the reference. The
ratio is of the medians of the job's own time (``reams run`` prints it: claim to last outcome)
and, as information, of the whole command. Every run's Markdown and JSON output must equal the
unsliced run's. In the same rounds, the machine's own parallel capacity is measured as the
ceiling: fresh interpreters parsing the PDF in a plain loop, all pages in one process against
half the pages in each of two processes started together (a shared machine gives less than 2×).

``python bench/slices.py [--pages 5000] [--rounds 3] [--part-pages 250]``
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness import CLI_TIMEOUT_S, Figure, median, ratio_text, reams_command, seconds_text

MEASURES = (
    "a generated 5,000-page PDF parsed by whole `reams run` commands (fresh data directory "
    "each), alternating rounds: 2 workers vs 1 with page parts of 250 pages, and 1 worker "
    "unsliced as the reference; ratio of the median job times (whole command as information); "
    "every run's Markdown and JSON must equal the unsliced run's; the ceiling, in the same "
    "rounds: a bare parse loop in one process against two processes parsing half each"
)
TARGET_RATIO = 1.7
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india")
_JOB_SECONDS = re.compile(r"\(job: ([0-9.]+) s\)")


def make_document(folder: Path, pages: int) -> Path:
    """A PDF of ``pages`` pages of 180 words each, with a running header and footer."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from docgen_pdf import make_running_heads_pdf

    rng = random.Random(5)
    texts = [" ".join(rng.choice(WORDS) for _ in range(180)) for _ in range(pages)]
    folder.mkdir(parents=True, exist_ok=True)
    return make_running_heads_pdf(folder / "huge.pdf", texts)


@dataclass(frozen=True)
class Run:
    wall_s: float
    job_s: float
    markdown: bytes
    json: bytes
    # From the store's timestamps (runs in parts): the item's time outside its page parts
    # (claim to split, last part to merged) and the parts' span.
    serial_s: float = 0.0
    parts_s: float = 0.0


def timeline(data_dir: Path) -> tuple[float, float]:
    """(serial, parts) seconds of the one item of the run whose data is in ``data_dir``."""
    import sqlite3
    from datetime import datetime

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text)

    with sqlite3.connect(data_dir / "reams.db") as db:
        started, completed = db.execute("select started_at, completed_at from items").fetchone()
        first, last = db.execute(
            "select min(created_at), max(updated_at) from item_parts where kind = 'pages'"
        ).fetchone()
    if first is None:
        return 0.0, 0.0
    serial = (at(first) - at(started)) + (at(completed) - at(last))
    return serial.total_seconds(), (at(last) - at(first)).total_seconds()


def run_once(src: Path, work: Path, *, workers: int, slice_pages: int) -> Run:
    """One whole ``reams run`` with its own data directory; its times and outputs."""
    run_dir = Path(tempfile.mkdtemp(dir=work))
    out = run_dir / "out"
    command = [*reams_command(), "run", str(src), "--job", "parse", "--out", str(out)]
    command += ["--workers", str(workers)]
    env = os.environ | {"REAMS_DATA_DIR": str(run_dir / "data"), "COLUMNS": "120"}
    env.pop("REAMS_SLICE_PAGES", None)  # sliced: the default threshold (the PDF is over it)
    if slice_pages:
        env["REAMS_SLICE_PART_PAGES"] = str(slice_pages)
    else:
        env["REAMS_SLICE_PAGES"] = "0"
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, timeout=CLI_TIMEOUT_S, check=False)
    wall = time.perf_counter() - started
    printed = (done.stdout + done.stderr).decode(errors="replace")
    job = _JOB_SECONDS.search(printed)
    if done.returncode != 0 or job is None:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{printed[-2000:]}")
    serial, parts = timeline(run_dir / "data") if slice_pages else (0.0, 0.0)
    return Run(wall, float(job.group(1)), *_outputs(out), serial_s=serial, parts_s=parts)


def _outputs(out: Path) -> tuple[bytes, bytes]:
    markdown = (out / "huge.pdf.md").read_bytes()
    # The JSON output names its result id, new in every run: compare the rest.
    import orjson

    data = orjson.loads((out / "huge.pdf.json").read_bytes())
    data.pop("result_id", None)
    return markdown, orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def bare_parse(path: Path, first: int, last: int) -> None:
    """The child side of :func:`bare_capacity`: parse pages ``first``..``last`` in-process."""
    from reams import processors

    target = {"target_pages": f"{first}-{last}"}
    processors.run("parse", path.read_bytes(), path.name, target)


def bare_capacity(path: Path, pages: int) -> tuple[float, float]:
    """Seconds for one fresh process to parse every page, and for two started together to
    parse half each (wall time until both are done)."""
    import sys

    def start(first: int, last: int) -> subprocess.Popen[bytes]:
        command = [sys.executable, __file__, "--bare", str(path), str(first), str(last)]
        return subprocess.Popen(command)

    started = time.perf_counter()
    if start(0, pages - 1).wait() != 0:
        raise RuntimeError("the bare parse failed")
    one = time.perf_counter() - started
    started = time.perf_counter()
    half = pages // 2
    children = [start(0, half - 1), start(half, pages - 1)]
    if any(child.wait() != 0 for child in children):
        raise RuntimeError("the bare parse failed")
    return one, time.perf_counter() - started


@dataclass
class Samples:
    runs: dict[str, list[Run]] = field(default_factory=dict)
    bare_one: list[float] = field(default_factory=list)
    bare_two: list[float] = field(default_factory=list)

    def add(self, label: str, run: Run) -> None:
        self.runs.setdefault(label, []).append(run)

    def job(self, label: str) -> float:
        return median([r.job_s for r in self.runs[label]])

    def wall(self, label: str) -> float:
        return median([r.wall_s for r in self.runs[label]])


CONFIGS = {"2 workers": (2, True), "1 worker": (1, True), "unsliced": (1, False)}


def measure(*, pages: int = 5000, rounds: int = 3, slice_pages: int = 250) -> list[Figure]:
    samples = Samples()
    with tempfile.TemporaryDirectory(prefix="reams-bench-slices-") as tmp:
        work = Path(tmp)
        src = work / "src"
        make_document(src, pages)
        for n in range(rounds):
            order = list(CONFIGS) if n % 2 == 0 else list(reversed(CONFIGS))
            for label in order:
                workers, sliced = CONFIGS[label]
                size = slice_pages if sliced else 0
                samples.add(label, run_once(src, work, workers=workers, slice_pages=size))
            one, two = bare_capacity(src / "huge.pdf", pages)
            samples.bare_one.append(one)
            samples.bare_two.append(two)
    return figures(samples, pages=pages, rounds=rounds, slice_pages=slice_pages)


def figures(samples: Samples, *, pages: int, rounds: int, slice_pages: int) -> list[Figure]:
    reference = samples.runs["unsliced"][0]
    same = all(
        r.markdown == reference.markdown and r.json == reference.json
        for runs in samples.runs.values()
        for r in runs
    )
    speedup = samples.job("1 worker") / samples.job("2 workers")
    whole = samples.wall("1 worker") / samples.wall("2 workers")
    parts_cost = samples.job("1 worker") / samples.job("unsliced")
    ceiling = median(samples.bare_one) / median(samples.bare_two)
    one = samples.runs["1 worker"]
    serial, parts = median([r.serial_s for r in one]), median([r.parts_s for r in one])
    projected = (serial + parts) / (serial + parts / 2)
    times = ", ".join(
        f"{label} {seconds_text(samples.job(label))} (whole {seconds_text(samples.wall(label))})"
        for label in CONFIGS
    )
    detail = (
        f"{pages:,} pages, parts of {slice_pages}, medians of {rounds} rounds: {times}; "
        f"the machine's ceiling in the same rounds: {ratio_text(ceiling)}"
    )
    return [
        Figure(
            f"{pages:,}-page PDF in page parts: 2 workers vs 1 (job time)",
            f"≥ {TARGET_RATIO}×",
            ratio_text(speedup),
            speedup >= TARGET_RATIO,
            detail,
        ),
        Figure(
            f"{pages:,}-page PDF in page parts: 2 workers vs 1 (whole command)",
            "(info)",
            ratio_text(whole),
            None,
            "start-up, upload to the store and writing the outputs included",
        ),
        Figure(
            f"{pages:,}-page PDF: Markdown and JSON in parts equal the unsliced parse",
            "identical",
            "identical" if same else "DIFFERENT",
            same,
            f"{sum(len(r) for r in samples.runs.values())} runs compared",
        ),
        Figure(
            "machine's parallel capacity: bare parse, 1 process vs 2 on half the pages each",
            "(info)",
            ratio_text(ceiling),
            None,
            f"{seconds_text(median(samples.bare_one))} vs {seconds_text(median(samples.bare_two))}"
            ", fresh interpreters, wall time",
        ),
        Figure(
            f"{pages:,}-page PDF: projected 2 vs 1 on two free cores (from the 1-worker runs)",
            "(info)",
            ratio_text(projected),
            None,
            f"a projection, not a measurement: the item's serial time {seconds_text(serial)} "
            f"(claim to split, last part to merged) plus its parts' {seconds_text(parts)} "
            "halved, from the store's timestamps",
        ),
        Figure(
            f"{pages:,}-page PDF: 1 worker in parts / unsliced (job time)",
            "(info)",
            ratio_text(parts_cost),
            None,
            "the cost of parts on one worker (each opens the PDF; a split step and a merge)",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--part-pages", dest="slice_pages", type=int, default=250)
    parser.add_argument("--bare", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:  # the child side of bare_capacity
        bare_parse(Path(args.bare[0]), int(args.bare[1]), int(args.bare[2]))
        return
    rows = measure(pages=args.pages, rounds=args.rounds, slice_pages=args.slice_pages)
    for figure in rows:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
