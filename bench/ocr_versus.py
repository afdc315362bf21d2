"""OCR time per page of this checkout against an older commit's code, side by side.

The same invoice scans as ``ocr_quality.py`` (invoice2data's pages rendered at 200 dpi, and the
PNGs the set ships), parsed whole by ``reams.processors.run`` in a fresh process per tree and
round (one untimed warm-up page loads the engine), CPU time of the process (all its threads) per
page; the trees alternate, the order reversed each round; medians and their ratio. This is how
issue 16's "OCR at least 2x faster" is checked on one machine: against the code at the issue's
start (``--baseline 13dd22d~1``), not against a figure measured on another day's machine.

    python bench/ocr_versus.py --baseline 13dd22d~1 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import REPO, corpus_root, median, worktree
from ocr_quality import invoice_cases

CHILD = """
import sys, time
from pathlib import Path
from reams import processors
pages = sorted(Path(sys.argv[1]).iterdir())
data = [(page.name, page.read_bytes()) for page in pages]
processors.run("parse", data[0][1], data[0][0], {})
start = time.process_time()
for name, content in data:
    processors.run("parse", content, name, {})
print((time.process_time() - start) / len(data))
"""


def per_page(src: Path, pages: Path) -> float:
    """CPU seconds per page of a fresh process running ``src``'s reams over ``pages``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(pages)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--baseline",
        default="13dd22d~1",
        help="the older commit (default: the code at issue 16's start)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reams-ocr-versus-") as tmp:
        pages = Path(tmp)
        for _, content, name, _ in invoice_cases(corpus_root()):
            (pages / name).write_bytes(content)
        count = len(list(pages.iterdir()))
        with worktree(args.baseline) as base:
            trees = {"baseline": base / "src", "this checkout": REPO / "src"}
            times: dict[str, list[float]] = {name: [] for name in trees}
            for round_ in range(args.rounds):
                order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
                for name in order:
                    times[name].append(per_page(trees[name], pages))
                    print(f"round {round_ + 1}: {name} {times[name][-1]:.3f} CPU s/page")
    before, now = median(times["baseline"]), median(times["this checkout"])
    print(
        f"{count} invoice scans; baseline {args.baseline}: {before:.3f} CPU s/page; "
        f"this checkout: {now:.3f} CPU s/page; {before / now:.2f}x faster"
    )


if __name__ == "__main__":
    main()
