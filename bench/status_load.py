"""``get_status`` latency while a real server processes a 100,000-item job, and its memory.

Setup goes straight through the store (no 100k uploads over HTTP): a pool of generated documents
(``docgen.make_corpus``) is stored once as blobs, then one file row and one directory entry per
item reference them, in a 1,000-item and a 100,000-item directory. Then ``reams serve`` starts
on 127.0.0.1 (its engine in a process of its own, 2 workers) and, over one keep-alive httpx
client:

1. the 1,000-item job is created (timed) and ``GET /api/v1/beta/batch-processing/{id}`` is
   sampled ``--requests`` times, sequentially, while it is processing;
2. the 100,000-item job is created (timed), and the same GET is sampled ``--requests`` times on
   it, interleaved with as many on the 1,000-item job: the same load, side by side;
3. the big job is cancelled (timed); once its items in flight are recorded, the GET is sampled
   again on the idle server, as the reference for what the processing load adds;
4. the server is stopped.

All the while the summed RSS of the server and its worker processes is sampled from ``/proc``.
Jobs pass ``invalidate_cache`` so that every item is really processed.

``python bench/status_load.py [--items 100000] [--small-items 1000] [--requests 1000]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import api_load
from harness import REPO, Figure, docgen, median, percentile, ratio_text, seconds_text
from procmem import MIB, TreeMemorySampler

BATCH = "/api/v1/beta/batch-processing"
JOB_CONFIG = {
    "job_name": "parse_raw_file_job",
    "parameters": {"type": "parse", "invalidate_cache": True},
}
POOL_SIZE = 300
CHUNK = 5000
SAMPLING_LIMIT_S = 120.0  # per phase; the request count normally ends it long before
TARGET_P99_MS = 10.0
TARGET_GROWTH = 1.5  # p99 on the big job at most this many times the small job's
TARGET_PEAK_MB = 400
TERMINAL = frozenset({"completed", "failed", "cancelled"})


@dataclass(frozen=True)
class Directories:
    small: str
    big: str


def pool_contents(folder: Path) -> list[tuple[str, bytes]]:
    """(extension, bytes) of ``POOL_SIZE`` small mixed documents."""
    paths = docgen().make_corpus(folder, POOL_SIZE, seed=23)
    return [(path.suffix.lstrip("."), path.read_bytes()) for path in paths]


def seed_store(
    data_dir: Path, pool: list[tuple[str, bytes]], *, small: int, big: int
) -> Directories:
    """Blobs, files and two directories written through the store, before the server starts."""
    from reams.bootstrap import build
    from reams.settings import Settings

    services = build(Settings(data_dir=data_dir))
    try:
        store = services.store
        project_id = store.ensure_project("default").id
        contents = [(ext, services.blobs.put(data), len(data)) for ext, data in pool]
        return Directories(
            small=fill_directory(store, project_id, name="small", count=small, contents=contents),
            big=fill_directory(store, project_id, name="big", count=big, contents=contents),
        )
    finally:
        services.store.engine.dispose()


def fill_directory(
    store: Any, project_id: str, *, name: str, count: int, contents: list[tuple[str, str, int]]
) -> str:
    """A directory of ``count`` files cycling through ``contents``, added in chunks."""
    directory_id: str = store.create_directory(project_id=project_id, name=name).id
    for start in range(0, count, CHUNK):
        entries = []
        for index in range(start, min(count, start + CHUNK)):
            ext, sha256, size = contents[index % len(contents)]
            file_name = f"{name}-{index:06d}.{ext}"
            record = store.create_file(
                project_id=project_id, name=file_name, sha256=sha256, size=size
            )
            entries.append(
                {"file_id": record.id, "display_name": file_name, "unique_id": file_name}
            )
        store.add_directory_files(project_id=project_id, directory_id=directory_id, entries=entries)
    return directory_id


def create_job(client: httpx.Client, directory_id: str) -> tuple[str, float]:
    """Create a parse job over ``directory_id``; returns (job id, seconds the call took)."""
    started = time.perf_counter()
    response = client.post(BATCH, json={"job_config": JOB_CONFIG, "directory_id": directory_id})
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return str(response.json()["id"]), elapsed


@dataclass
class Latencies:
    """Sequential GET latencies of one job, and how many were taken while it was running."""

    seconds: list[float] = field(default_factory=list)
    running: int = 0
    first: tuple[float, int] | None = None  # (time, processed_items) of the first sample
    last: tuple[float, int] | None = None

    def add(self, elapsed: float, body: dict[str, Any]) -> None:
        self.seconds.append(elapsed)
        job = body["job"]
        self.running += job["status"] == "running"
        point = (time.perf_counter(), int(job.get("processed_items") or 0))
        self.first = self.first or point
        self.last = point

    def throughput(self) -> float:
        """Items completed per second between the first and the last sample."""
        if self.first is None or self.last is None or self.last[0] <= self.first[0]:
            return 0.0
        return (self.last[1] - self.first[1]) / (self.last[0] - self.first[0])


def sample_status(
    client: httpx.Client, job_ids: Sequence[str], *, requests: int
) -> dict[str, Latencies]:
    """``requests`` sequential GETs per job, round-robin over ``job_ids`` (time-bounded)."""
    found = {job_id: Latencies() for job_id in job_ids}
    deadline = time.monotonic() + SAMPLING_LIMIT_S
    for _ in range(requests):
        if time.monotonic() > deadline:
            break
        for job_id in job_ids:
            started = time.perf_counter()
            response = client.get(f"{BATCH}/{job_id}")
            elapsed = time.perf_counter() - started
            response.raise_for_status()
            found[job_id].add(elapsed, response.json())
    return found


def wait_until_done(client: httpx.Client, job_id: str) -> None:
    deadline = time.monotonic() + SAMPLING_LIMIT_S
    while time.monotonic() < deadline:
        if client.get(f"{BATCH}/{job_id}").json()["job"]["status"] in TERMINAL:
            return
        time.sleep(0.2)
    raise RuntimeError(f"job {job_id} did not finish within {SAMPLING_LIMIT_S:g} s")


@dataclass
class Run:
    """Everything one status-load run measured."""

    setup_s: float = 0.0
    create_small_s: float = 0.0
    create_big_s: float = 0.0
    cancel_s: float = 0.0
    small_alone: Latencies = field(default_factory=Latencies)
    big: Latencies = field(default_factory=Latencies)
    small_beside: Latencies = field(default_factory=Latencies)
    idle: Latencies = field(default_factory=Latencies)  # the big job, cancelled, server idle
    memory: TreeMemorySampler | None = None


def drive(client: httpx.Client, dirs: Directories, run: Run, *, requests: int) -> None:
    """The phases against a started server; last, the idle baseline after the cancel."""
    small_job, run.create_small_s = create_job(client, dirs.small)
    run.small_alone = sample_status(client, [small_job], requests=requests)[small_job]
    wait_until_done(client, small_job)  # else the big job waits behind it (oldest job first)
    big_job, run.create_big_s = create_job(client, dirs.big)
    both = sample_status(client, [big_job, small_job], requests=requests)
    run.big, run.small_beside = both[big_job], both[small_job]
    started = time.perf_counter()
    client.post(f"{BATCH}/{big_job}/cancel", json={"reason": "benchmark over"}).raise_for_status()
    run.cancel_s = time.perf_counter() - started
    wait_until_idle(client, big_job)
    run.idle = sample_status(client, [big_job], requests=requests)[big_job]


def wait_until_idle(client: httpx.Client, job_id: str) -> None:
    """Until the items in flight when the job was cancelled are recorded (time-bounded)."""
    deadline = time.monotonic() + SAMPLING_LIMIT_S
    while time.monotonic() < deadline:
        if not client.get(f"{BATCH}/{job_id}").json()["job"]["processing_items"]:
            return
        time.sleep(0.2)


def measure(
    *, items: int = 100_000, small_items: int = 1_000, requests: int = 1_000
) -> list[Figure]:
    run = Run()
    with tempfile.TemporaryDirectory(prefix="reams-bench-status-") as tmp:
        work = Path(tmp)
        pool = pool_contents(work / "pool")
        started = time.perf_counter()
        dirs = seed_store(work / "data", pool, small=small_items, big=items)
        run.setup_s = time.perf_counter() - started
        # What ships: `reams serve`, its engine in a process of its own.
        server = api_load.start_serve(REPO, work / "data", {"REAMS_WORKERS": "2"})
        try:
            with (
                TreeMemorySampler(server.pid) as memory,
                httpx.Client(
                    base_url=server.base_url, headers={"Authorization": "Bearer x"}, timeout=120
                ) as client,
            ):
                run.memory = memory
                drive(client, dirs, run, requests=requests)
        finally:
            server.stop()
    return figures(run, items=items, small_items=small_items)


def _ms(seconds: list[float], pct: float) -> float:
    return percentile(seconds, pct) * 1000


def _latency_text(latencies: Latencies) -> str:
    n = len(latencies.seconds)
    return (
        f"p50 {_ms(latencies.seconds, 50):.1f} ms, p99 {_ms(latencies.seconds, 99):.1f} ms "
        f"over {n} GETs ({latencies.running} while the job was running)"
    )


def figures(run: Run, *, items: int, small_items: int) -> list[Figure]:
    big_p99, small_p99 = _ms(run.big.seconds, 99), _ms(run.small_beside.seconds, 99)
    memory = run.memory
    peak_mb = memory.peak_total / MIB if memory else 0.0
    return [
        Figure(
            f"get_status p99, {items:,}-item job processing",
            f"≤ {TARGET_P99_MS:.0f} ms",
            f"{big_p99:.1f} ms",
            big_p99 <= TARGET_P99_MS,
            _latency_text(run.big) + f"; {run.big.throughput():.0f} items/s processed meanwhile",
        ),
        Figure(
            f"get_status p99, {small_items:,}-item job processing",
            f"≤ {TARGET_P99_MS:.0f} ms",
            f"{_ms(run.small_alone.seconds, 99):.1f} ms",
            _ms(run.small_alone.seconds, 99) <= TARGET_P99_MS,
            _latency_text(run.small_alone)
            + f"; {run.small_alone.throughput():.0f} items/s processed meanwhile",
        ),
        Figure(
            f"get_status p99 growth, {items:,} vs {small_items:,} items (interleaved, same load)",
            f"≤ {TARGET_GROWTH:.1f}× (no growth)",
            ratio_text(big_p99 / small_p99),
            big_p99 / small_p99 <= TARGET_GROWTH,
            f"p50 {median(run.big.seconds) * 1000:.1f} vs "
            f"{median(run.small_beside.seconds) * 1000:.1f} ms; small (finished) job: "
            + _latency_text(run.small_beside),
        ),
        Figure(
            "get_status p99 on an idle server (the big job after its cancel), for reference",
            "(info)",
            f"{_ms(run.idle.seconds, 99):.1f} ms",
            None,
            _latency_text(run.idle),
        ),
        Figure(
            "server + workers peak RSS",
            f"≤ {TARGET_PEAK_MB} MB",
            f"{peak_mb:.0f} MB",
            peak_mb <= TARGET_PEAK_MB,
            f"server process alone {memory.peak_root / MIB:.0f} MB; up to "
            f"{memory.peak_processes} processes; {memory.samples} samples every 0.2 s"
            if memory
            else "",
        ),
        Figure(
            f"processing rate, {items:,}-item job / {small_items:,}-item job",
            "(info; ≈ 1× expected)",
            ratio_text(run.big.throughput() / max(run.small_alone.throughput(), 1e-9)),
            None,
            f"{run.big.throughput():.0f} vs {run.small_alone.throughput():.0f} items/s "
            "completed while each was sampled (same documents, same server)",
        ),
        Figure(
            f"create the {items:,}-item job (POST, one transaction)",
            "(info)",
            seconds_text(run.create_big_s),
            None,
            f"{small_items:,}-item job: {seconds_text(run.create_small_s)}; "
            f"cancel of the big job: {seconds_text(run.cancel_s)}; "
            f"store setup: {seconds_text(run.setup_s)}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--small-items", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=1_000)
    args = parser.parse_args()
    rows = measure(items=args.items, small_items=args.small_items, requests=args.requests)
    for figure in rows:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
