"""Bulk export of a 100,000-item job: memory of the server while it streams, and throughput.

Setup goes straight through the store, before the server starts: a pool of generated
documents (``docgen.make_corpus``) is parsed once by ``reams.processors.run`` and each output
stored as a blob; a directory of ``--items`` files (cycling through the pool, as
``bench/status_load.py`` builds it) gets a parse job through ``Store.create_job`` (every item
pending, one transaction), and then every item becomes ``completed`` with a result row pointing
at one of the pooled outputs, in bulk SQL (chunks of 5,000). A 1,000-item job is built the same
way for a warm-up.

Then ``tests/servers.py`` starts uvicorn on 127.0.0.1 and, per format (jsonl, csv, zip): the
small job's export warms the code path, the server's RSS is read as the baseline, and the big
job's export is streamed over one httpx connection while the server process's RSS is sampled
(``procmem``); the figure is the peak growth over the baseline. Each download is checked: the
JSONL has one line per item, the CSV one row per item plus the header, the zip (written to a
temporary file and opened with ``zipfile``) two entries per item.

``python bench/export.py [--items 100000]``
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from harness import Figure, docgen, seconds_text, servers
from procmem import MIB, TreeMemorySampler, rss_bytes

BATCH = "/api/v1/beta/batch-processing"
JOB_CONFIG = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}
POOL_SIZE = 200
CHUNK = 5000
SMALL_ITEMS = 1000
TARGET_GROWTH_MB = 50
FORMATS = ("jsonl", "csv", "zip")


@dataclass(frozen=True)
class Jobs:
    small: str
    big: str


def parsed_pool(folder: Path) -> list[tuple[str, bytes, bytes]]:
    """(extension, document bytes, parse output JSON) of ``POOL_SIZE`` generated documents."""
    from reams.processors import run

    paths = docgen().make_corpus(folder, POOL_SIZE, seed=29)
    found = []
    for path in paths:
        data = path.read_bytes()
        output = run("parse", data, path.name, {})
        found.append((path.suffix.lstrip("."), data, json.dumps(output).encode()))
    return found


def completed_job(store: Any, project_id: str, directory_id: str, outputs: list[str]) -> str:
    """A parse job over the directory, every item completed with a pooled result (bulk SQL)."""
    from sqlalchemy import bindparam, select, update

    from reams.domain.jobconfig import resolve
    from reams.store import tables as t

    settings = resolve(JOB_CONFIG)
    job = store.create_job(
        project_id=project_id,
        settings=settings,
        job_config=JOB_CONFIG,
        directory_id=directory_id,
        item_ids=None,
    )
    i = t.items.c
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        rows = conn.execute(
            select(i.id, i.item_id, i.item_name, i.sha256).where(i.job_id == job.id)
        ).all()
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            results = [
                {
                    "id": f"res-{row.id}",
                    "project_id": project_id,
                    "job_id": job.id,
                    "item_row_id": row.id,
                    "item_id": row.item_id,
                    "file_name": row.item_name,
                    "job_type": "parse",
                    "job_config": JOB_CONFIG,
                    "parameters_hash": settings.parameters_hash,
                    "sha256": row.sha256,
                    "output_sha256": outputs[(start + n) % len(outputs)],
                    "output_metadata": None,
                    "cacheable": True,
                    "duration_s": 0.01,
                    "processed_at": now,
                }
                for n, row in enumerate(chunk)
            ]
            conn.execute(t.results.insert(), results)
            conn.execute(
                update(t.items)
                .where(i.id == bindparam("b_id"))
                .values(
                    status="completed",
                    result_id=bindparam("b_result"),
                    attempts=1,
                    started_at=now,
                    completed_at=now,
                    updated_at=now,
                ),
                [{"b_id": row.id, "b_result": f"res-{row.id}"} for row in chunk],
            )
        conn.execute(
            update(t.jobs)
            .where(t.jobs.c.id == job.id)
            .values(
                status="completed",
                n_pending=0,
                n_completed=len(rows),
                started_at=now,
                completed_at=now,
                updated_at=now,
            )
        )
    return str(job.id)


def seed_store(data_dir: Path, pool: list[tuple[str, bytes, bytes]], *, items: int) -> Jobs:
    from reams.bootstrap import build
    from reams.settings import Settings
    from status_load import fill_directory

    services = build(Settings(data_dir=data_dir))
    try:
        store = services.store
        project_id = store.ensure_project("default").id
        contents = [(ext, services.blobs.put(data), len(data)) for ext, data, _ in pool]
        outputs = [services.blobs.put(output) for _, _, output in pool]
        small_dir = fill_directory(
            store, project_id, name="small", count=SMALL_ITEMS, contents=contents
        )
        big_dir = fill_directory(store, project_id, name="big", count=items, contents=contents)
        return Jobs(
            small=completed_job(store, project_id, small_dir, outputs),
            big=completed_job(store, project_id, big_dir, outputs),
        )
    finally:
        services.store.engine.dispose()


@dataclass
class Download:
    seconds: float
    size: int
    growth: int
    count: int  # lines, rows or entries found


def _count(fmt: str, path: Path) -> int:
    if fmt == "jsonl":
        with path.open("rb") as lines:
            return sum(1 for line in lines if json.loads(line)["result"] is not None)
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as text:
            return sum(1 for _ in csv.reader(text)) - 1
    with zipfile.ZipFile(path) as archive:
        return len(archive.namelist())


def download(client: httpx.Client, pid: int, job_id: str, fmt: str, target: Path) -> Download:
    baseline = rss_bytes(pid)
    started = time.perf_counter()
    with (
        TreeMemorySampler(pid, interval_s=0.05) as memory,
        client.stream("GET", f"{BATCH}/{job_id}/export", params={"format": fmt}) as response,
    ):
        response.raise_for_status()
        with target.open("wb") as sink:
            for chunk in response.iter_bytes(256 * 1024):
                sink.write(chunk)
    seconds = time.perf_counter() - started
    size = target.stat().st_size
    count = _count(fmt, target)
    target.unlink()
    return Download(seconds, size, max(0, memory.peak_root - baseline), count)


def measure(*, items: int = 100_000) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="reams-bench-export-") as tmp:
        work = Path(tmp)
        pool = parsed_pool(work / "pool")
        started = time.perf_counter()
        jobs = seed_store(work / "data", pool, items=items)
        setup_s = time.perf_counter() - started
        server = servers().start_server(work / "data")
        found: dict[str, Download] = {}
        try:
            with httpx.Client(
                base_url=server.base_url, headers={"Authorization": "Bearer x"}, timeout=600
            ) as client:
                pid = server.process.pid
                for fmt in FORMATS:
                    download(client, pid, jobs.small, fmt, work / f"warm.{fmt}")
                    found[fmt] = download(client, pid, jobs.big, fmt, work / f"big.{fmt}")
        finally:
            server.stop()
    return figures(found, items=items, setup_s=setup_s)


def figures(found: dict[str, Download], *, items: int, setup_s: float) -> list[Figure]:
    expected = {"jsonl": items, "csv": items, "zip": 2 * items}
    rows = []
    for fmt, got in found.items():
        complete = got.count == expected[fmt]
        rows.append(
            Figure(
                f"export of a {items:,}-item parse job as {fmt}: server RSS peak growth",
                f"≤ {TARGET_GROWTH_MB} MB",
                f"{got.growth / MIB:.1f} MB",
                got.growth <= TARGET_GROWTH_MB * MIB and complete,
                f"{got.count:,} of {expected[fmt]:,} lines/rows/entries; "
                f"{got.size / MIB:,.0f} MB in {seconds_text(got.seconds)}",
            )
        )
        rows.append(
            Figure(
                f"export of a {items:,}-item parse job as {fmt}: throughput",
                "(info)",
                f"{items / got.seconds:,.0f} items/s",
                None,
                f"{got.size / MIB / got.seconds:,.1f} MB/s; store setup {seconds_text(setup_s)}",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    for figure in measure(items=args.items):
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
