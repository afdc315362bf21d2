"""Where ``reams run`` spends its own CPU: the top frames of a py-spy profile, before and after.

The command of the overhead benchmark (``reams run DIR --job parse --workers 1`` on 1,000
generated mixed documents, fresh data dir) runs under ``py-spy record --gil``: only samples of a
thread holding the GIL count, so the figures are the engine process's Python CPU time (the
worker child, where the documents are parsed, is left out: it is the bare loop's work). Each
frame's share is inclusive (the frame and everything it called), as a flame graph's width.

With ``--baseline REV`` the same runs first on a ``git worktree`` of REV (``PYTHONPATH``), so the
two profiles come from the same machine minutes apart. Writes ``bench/profiles.md``, which
``run_all.py`` copies into the README.

Without py-spy (or with ``--cprofile``) the engine process runs under ``cProfile`` instead, one
profiler per thread timed by ``time.thread_time`` (each thread's own CPU time, so a thread waiting
on the worker child or on a lock costs nothing): the shares are of the engine process's CPU time,
summed over its threads. cProfile's own overhead inflates Python-heavy frames (about 2×), so
compare its shares with each other, not with py-spy's.

``python bench/profile_run.py [--files 1000] [--baseline REV] [--top 25] [--cprofile]``
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import REPO, docgen, worktree

RATE_HZ = 250
OUT = REPO / "bench" / "profiles.md"


@dataclass(frozen=True)
class Profile:
    label: str
    gil_s: float  # seconds of samples holding the GIL
    inclusive: list[tuple[str, float]]  # frame, share of gil_s
    own: list[tuple[str, float]]  # frame, share (self time)


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: make bench installs it (the bench extra)")
    return found


def record(src_root: Path, folder: Path, work: Path) -> Path:
    """One profiled ``reams run`` of ``folder`` with the code under ``src_root``."""
    raw = work / "profile.txt"
    env = {**os.environ, "PYTHONPATH": str(src_root), "REAMS_DATA_DIR": str(work / "data")}
    command = [py_spy(), "record", "--gil", "--rate", str(RATE_HZ), "--format", "raw"]
    command += ["--output", str(raw), "--", sys.executable, "-m", "reams", "run", str(folder)]
    command += ["--job", "parse", "--out", str(work / "out"), "--workers", "1"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=900)
    return raw


# Run in the engine process instead of ``python -m reams`` when profiling with cProfile: a
# profiler per thread (started by the thread's first profiled event), dumped together at exit.
CPROFILE_MAIN = """
import atexit, cProfile, sys, threading, time
output = sys.argv.pop(1)
profilers = [cProfile.Profile(time.thread_time)]
def start(*_):
    sys.setprofile(None)
    profiler = cProfile.Profile(time.thread_time)
    profilers.append(profiler)
    profiler.enable()
def dump():
    import pstats
    profilers[0].disable()
    stats = pstats.Stats(profilers[0])
    for profiler in profilers[1:]:
        stats.add(profiler)
    stats.dump_stats(output)
threading.setprofile(start)
atexit.register(dump)
sys.argv[0] = "reams"
profilers[0].enable()
from reams.cli.main import app
app()
"""


def record_cprofile(src_root: Path, folder: Path, work: Path) -> Path:
    """:func:`record` with cProfile (see the module's docstring): a pstats file."""
    stats = work / "profile.pstats"
    env = {**os.environ, "PYTHONPATH": str(src_root), "REAMS_DATA_DIR": str(work / "data")}
    command = [sys.executable, "-c", CPROFILE_MAIN, str(stats), "run", str(folder)]
    command += ["--job", "parse", "--out", str(work / "out"), "--workers", "1"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=900)
    return stats


def summarize_cprofile(path: Path, label: str, *, top: int) -> Profile:
    """The inclusive (cumulative) and self shares of each function in the threads' CPU time."""
    table: dict[Any, Any] = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values()) or 1.0
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for (filename, line, name), (_, _, self_s, cumulative_s, _) in table.items():
        frame = name if filename == "~" else _frame(f"{name} ({filename}:{line})")  # ~: C
        inclusive[frame] = max(inclusive[frame], cumulative_s)
        own[frame] += self_s
    ours = [(f, s / total) for f, s in inclusive.most_common() if "reams/" in f]
    return Profile(
        label=label,
        gil_s=total,
        inclusive=ours[:top],
        own=[(f, s / total) for f, s in own.most_common(10)],
    )


def _frame(text: str) -> str:
    name, _, where = text.partition(" (")
    path = where.split(":")[0]
    for prefix in ("/src/", "/site-packages/", "/lib/python3.11/"):
        if prefix in path:
            path = path.split(prefix, 1)[1]
    return f"{name} ({path})"


def summarize(raw: Path, label: str, *, top: int) -> Profile:
    total = 0
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_frame(f) for f in stack.split(";")]
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    ours = [
        (f, n / total) for f, n in inclusive.most_common() if "reams/" in f or "engine/base" in f
    ]
    return Profile(
        label=label,
        gil_s=total / RATE_HZ,
        inclusive=ours[:top],
        own=[(f, n / total) for f, n in own.most_common(10)],
    )


def markdown(profiles: list[Profile], *, files: int, command: str, cprofile: bool) -> str:
    how = (
        "`cProfile` with one profiler per thread timed by `time.thread_time`: the engine "
        "process's CPU time summed over its threads, inflated by cProfile's own overhead"
        if cprofile
        else f"`py-spy record --gil` ({RATE_HZ} Hz): the engine process's Python time"
    )
    lines = [
        f"Command: `{command}` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"load average {os.getloadavg()[0]:.2f}. `reams run DIR --job parse --workers 1` on "
        f"{files} generated mixed documents under {how} (the worker child, which parses, is "
        "left out). Shares are inclusive, as a flame graph's widths.",
        "",
    ]
    spent = "of CPU time in the profiled threads" if cprofile else "holding the GIL"
    for profile in profiles:
        lines += [
            f"**{profile.label}**: {profile.gil_s:.2f} s {spent}",
            "",
            "| share | frame (inclusive) |",
            "|---:|---|",
            *[f"| {share:.1%} | `{frame}` |" for frame, share in profile.inclusive],
            "",
            "| share | frame (self) |",
            "|---:|---|",
            *[f"| {share:.1%} | `{frame}` |" for frame, share in profile.own],
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--baseline", help="a git revision to profile first, as 'before'")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--cprofile", action="store_true", help="cProfile per thread (the default without py-spy)"
    )
    args = parser.parse_args()
    has_spy = shutil.which("py-spy") or (Path(sys.executable).parent / "py-spy").exists()
    cprofile = args.cprofile or not has_spy
    profiles = []
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="reams-profile-"))
        root = Path(tmp)
        folder = root / "docs"
        docgen().make_corpus(folder, args.files)
        trees: list[tuple[str, Path]] = []
        if args.baseline:
            rev = subprocess.run(
                ["git", "-C", str(REPO), "rev-parse", "--short", args.baseline],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            before = stack.enter_context(worktree(args.baseline))
            trees.append((f"before ({rev})", before / "src"))
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        trees.append((f"after ({head} and this checkout)", REPO / "src"))
        try:
            for n, (label, src) in enumerate(trees):
                # Byte-compiled first: a fresh worktree would otherwise profile the compiling.
                compile_all = [sys.executable, "-m", "compileall", "-q", str(src)]
                subprocess.run(compile_all, check=False, capture_output=True)
                work = root / f"run{n}"
                work.mkdir()
                if cprofile:
                    stats = record_cprofile(src, folder, work)
                    profiles.append(summarize_cprofile(stats, label, top=args.top))
                else:
                    profiles.append(summarize(record(src, folder, work), label, top=args.top))
        finally:
            if args.baseline:
                subprocess.run(
                    [
                        "git",
                        "-C",
                        str(REPO),
                        "worktree",
                        "remove",
                        "--force",
                        str(root / "baseline"),
                    ],
                    check=False,
                    capture_output=True,
                )
    command = "python bench/profile_run.py" + "".join(f" {a}" for a in sys.argv[1:])
    text = markdown(profiles, files=args.files, command=command, cprofile=cprofile)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nwrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
