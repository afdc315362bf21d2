"""Ingest: 1,000 tiny distinct files uploaded to a real server, three ways, files/s for each.

A real uvicorn server (``tests/servers.py``) on 127.0.0.1 with a fresh data directory; per
round, each way uploads its own 1,000 new files (distinct contents, read from disk inside the
timed loop):

(a) one file per request, ``POST /api/v1/beta/files`` over one keep-alive httpx connection;
(b) the official SDK (``llama_cloud``), ``files.create`` one by one;
(c) the reams client's ``files.upload_folder`` (bulk upload, 100 files per request).

The ways run in turn, the order reversed every round, and each figure is the median over the
rounds. The server's CPU time per file (from ``/proc``) is reported beside the rate: it is
less sensitive than wall time to what else runs on the machine. ``--baseline REV`` also serves
that commit's code (a temporary git worktree under /tmp) beside this checkout's, in the same
rounds, for a before/after of (a) and (b) (a commit without the bulk route skips (c)).
``--postgres`` repeats the rounds on PostgreSQL (a fresh schema of the ``test`` database on
127.0.0.1:5432), this checkout's code only.

``python bench/ingest.py [--files 1000] [--rounds 3] [--baseline REV] [--postgres]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from harness import PG_ADMIN_URL, Figure, median, postgres_schema, servers, worktree

FILES = "/api/v1/beta/files"
AUTH = {"Authorization": "Bearer bench"}
TARGET_SINGLE = 200.0  # files/s, one file per request (issue 14)
TARGET_BULK_RATIO = 5.0  # bulk at least this many times one-per-request
BULK_BATCH = 100
WAYS = ("single", "sdk", "bulk")
WAY_NAMES = {
    "single": "(a) one file per request, one keep-alive connection",
    "sdk": "(b) official SDK files.create, one by one",
    "bulk": f"(c) client upload_folder (bulk, {BULK_BATCH} files per request)",
}

MEASURES = (
    "A real uvicorn server on 127.0.0.1 with a fresh data dir; per round each way uploads its "
    "own 1,000 new tiny files (distinct contents, read from disk in the timed loop): (a) `POST "
    "/api/v1/beta/files` one file per request over one keep-alive httpx connection, (b) the "
    "official SDK's `files.create` one by one, (c) the reams client's `files.upload_folder` "
    "(the bulk route, 100 files per request). Ways alternate, the order reversed each round; "
    "medians over 3 rounds, with the server's CPU ms per file from /proc. `--baseline REV` "
    "serves that commit's code (a git worktree) beside this checkout in the same rounds for a "
    "before/after; `--postgres` repeats on PostgreSQL (a fresh schema of `test`). Targets "
    "(issue 14): (a) ≥ 200 files/s on SQLite; (c) ≥ 5× (a)."
)


@dataclass
class Samples:
    """Per-round rates (files/s) and server CPU (ms per file) of one way on one server."""

    rates: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    def text(self) -> str:
        if not self.rates:
            return "not measured"
        rounds = ", ".join(f"{r:.0f}" for r in self.rates)
        return (
            f"{median(self.rates):.0f} files/s (rounds: {rounds}); server CPU "
            f"{median(self.cpu_ms):.2f} ms/file"
        )


@dataclass
class Target:
    """One server under test: its label, its code, what it can do, and its samples."""

    label: str
    server: Any
    has_bulk: bool
    samples: dict[str, Samples] = field(default_factory=lambda: {w: Samples() for w in WAYS})


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_files(folder: Path, count: int) -> list[Path]:
    """``count`` tiny files with contents no other round or way has."""
    folder.mkdir(parents=True)
    tag = uuid.uuid4().hex
    paths = []
    for index in range(count):
        path = folder / f"doc-{index:05d}.txt"
        path.write_text(f"tiny file {index} of {tag}\n")
        paths.append(path)
    return paths


def upload_single(base_url: str, paths: list[Path]) -> None:
    with httpx.Client(base_url=base_url, headers=AUTH, timeout=60) as client:
        for path in paths:
            response = client.post(
                FILES, files={"file": (path.name, path.read_bytes())}, data={"purpose": "parse"}
            )
            response.raise_for_status()


def upload_sdk(base_url: str, paths: list[Path]) -> None:
    from llama_cloud import LlamaCloud

    sdk = LlamaCloud(api_key="bench", base_url=base_url, max_retries=0)
    try:
        for path in paths:
            sdk.files.create(file=(path.name, path.read_bytes()), purpose="parse")
    finally:
        sdk.close()


def upload_bulk(base_url: str, paths: list[Path]) -> None:
    from reams.client import Client

    with Client(base_url, "bench", max_retries=0) as client:
        created = client.files.upload_folder(paths[0].parent, batch_size=BULK_BATCH)
    if len(created) != len(paths):
        raise RuntimeError(f"upload_folder created {len(created)} files of {len(paths)}")


UPLOADERS: dict[str, Callable[[str, list[Path]], None]] = {
    "single": upload_single,
    "sdk": upload_sdk,
    "bulk": upload_bulk,
}


def warm_up(target: Target, work: Path) -> None:
    """A few uploads each way first: imports, connections and caches are ready."""
    for way in WAYS:
        if way != "bulk" or target.has_bulk:
            UPLOADERS[way](target.server.base_url, make_files(work / f"warm-{way}", 20))


def timed(target: Target, way: str, paths: list[Path]) -> None:
    cpu0, started = cpu_seconds(target.server.pid), time.perf_counter()
    UPLOADERS[way](target.server.base_url, paths)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(target.server.pid) - cpu0
    target.samples[way].rates.append(len(paths) / elapsed)
    target.samples[way].cpu_ms.append(cpu / len(paths) * 1000)


def run_rounds(targets: list[Target], work: Path, *, files: int, rounds: int) -> None:
    runs = [(t, w) for w in WAYS for t in targets if w != "bulk" or t.has_bulk]
    for number in range(rounds):
        for target, way in runs if number % 2 == 0 else list(reversed(runs)):
            folder = work / f"r{number}-{target.label}-{way}"
            timed(target, way, make_files(folder, files))


@contextlib.contextmanager
def served(label: str, data_dir: Path, env: dict[str, str]) -> Iterator[Target]:
    server = servers().start_server(data_dir, env=env)
    try:
        bulk = httpx.get(f"{server.base_url}/openapi.json", timeout=30).json()["paths"]
        yield Target(label, server, has_bulk=f"{FILES}/bulk" in bulk)
    finally:
        server.stop()


def measure(
    *, files: int = 1000, rounds: int = 3, baseline: str | None = None, postgres: bool = False
) -> list[Figure]:
    with (
        tempfile.TemporaryDirectory(prefix="reams-bench-ingest-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        work = Path(tmp)
        targets = [stack.enter_context(served("now", work / "data-now", {}))]
        if baseline is not None:
            tree = stack.enter_context(worktree(baseline))
            env = {"PYTHONPATH": str(tree / "src")}
            targets.append(stack.enter_context(served("before", work / "data-before", env)))
        for target in targets:
            warm_up(target, work / target.label)
        run_rounds(targets, work / "rounds", files=files, rounds=rounds)
        rows = figures(targets, database="SQLite", files=files, baseline=baseline)
        if postgres:
            rows += measure_postgres(work, files=files, rounds=rounds)
    return rows


def measure_postgres(work: Path, *, files: int, rounds: int) -> list[Figure]:
    with postgres_schema() as url:
        if url is None:
            reason = f"PostgreSQL at {PG_ADMIN_URL} did not answer"
            return [Figure("ingest on PostgreSQL", "(info)", "skipped", None, reason)]
        with served("pg", work / "data-pg", {"REAMS_DATABASE_URL": url}) as target:
            warm_up(target, work / "pg")
            run_rounds([target], work / "rounds-pg", files=files, rounds=rounds)
            return figures([target], database="PostgreSQL", files=files, baseline=None)


def figures(
    targets: list[Target], *, database: str, files: int, baseline: str | None
) -> list[Figure]:
    now = targets[0].samples
    single, bulk = median(now["single"].rates), median(now["bulk"].rates)
    rows = [
        Figure(
            f"ingest {database}: {WAY_NAMES['single']}, {files:,} tiny files",
            f"≥ {TARGET_SINGLE:.0f} files/s" if database == "SQLite" else "(info)",
            f"{single:.0f} files/s",
            single >= TARGET_SINGLE if database == "SQLite" else None,
            now["single"].text(),
        ),
        Figure(
            f"ingest {database}: {WAY_NAMES['sdk']}, {files:,} tiny files",
            "(info)",
            f"{median(now['sdk'].rates):.0f} files/s",
            None,
            now["sdk"].text(),
        ),
        Figure(
            f"ingest {database}: {WAY_NAMES['bulk']}, {files:,} tiny files",
            f"≥ {TARGET_BULK_RATIO:.0f}× (a)",
            f"{bulk:.0f} files/s ({bulk / single:.1f}× (a))",
            bulk >= TARGET_BULK_RATIO * single,
            now["bulk"].text(),
        ),
    ]
    if len(targets) > 1:
        rows += before_after(now, targets[1].samples, baseline or "")
    return rows


def before_after(now: dict[str, Samples], before: dict[str, Samples], rev: str) -> list[Figure]:
    rows = []
    for way in ("single", "sdk"):
        ratio = median(now[way].rates) / median(before[way].rates)
        rows.append(
            Figure(
                f"ingest SQLite: {WAY_NAMES[way]}, this checkout / {rev}",
                "(info; same rounds, alternating)",
                f"{ratio:.2f}×",
                None,
                f"now {now[way].text()}; before {before[way].text()}",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="Also serve this commit's code (a git worktree).")
    parser.add_argument("--postgres", action="store_true", help="Repeat on PostgreSQL.")
    args = parser.parse_args()
    rows = measure(
        files=args.files, rounds=args.rounds, baseline=args.baseline, postgres=args.postgres
    )
    for figure in rows:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
