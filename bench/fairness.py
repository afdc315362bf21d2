"""Fair scheduling: a 10-item job of one project while a 20,000-item job of another runs.

The local engine (2 workers, SQLite) runs in this process. Setup goes through the store, as in
``status_load.py``: a pool of generated documents stored once as blobs, a big directory (20,000
entries cycling through the pool) in project ``big`` and a small one (10 entries) in project
``small``. Jobs pass ``invalidate_cache`` so every item is really processed. Each round runs,
in alternating order:

- **idle**: the small job alone on the idle engine;
- **loaded**: the big job is created and runs for a few seconds (its project has been served
  for a while, as a long job's has), then the small job is created beside it; once the small job
  is done the big job is cancelled and its items in flight are let finish.

Times come from the store: the first item start is the earliest ``started_at`` (when a worker
claimed it) minus the job's ``created_at``; the completion is ``completed_at`` minus
``created_at``. Figures are medians over the rounds; the ratio compares the loaded and idle
medians of one invocation.

``python bench/fairness.py [--big-items 20000] [--small-items 10] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import Figure, median, ratio_text, seconds_text
from status_load import fill_directory, pool_contents

MEASURES = (
    "Fair scheduling on the local engine (2 workers, SQLite, in process): a 10-item parse job "
    "of one project created while a 20,000-item job of another project has been running for a "
    "few seconds, against the same 10-item job on the idle engine, rounds alternating; the "
    "delay to the small job's first item (earliest claim minus creation) and its completion "
    "time (store timestamps), medians, and their ratio."
)
JOB_CONFIG = {
    "job_name": "parse_raw_file_job",
    "parameters": {"type": "parse", "invalidate_cache": True},
}
TARGET_FIRST_S = 2.0
TARGET_RATIO = 2.0
WARM_S = 4.0  # how long the big job runs alone before the small job arrives
TERMINAL = frozenset({"completed", "failed", "cancelled"})


@dataclass(frozen=True)
class SmallRun:
    first_s: float
    total_s: float


@dataclass
class Results:
    idle: list[SmallRun] = field(default_factory=list)
    loaded: list[SmallRun] = field(default_factory=list)
    big_rates: list[float] = field(default_factory=list)  # items/s while the big job ran alone
    big_left: list[int] = field(default_factory=list)  # its pending items when the small ended


class Bench:
    """The engine, its store and the two directories."""

    def __init__(self, data_dir: Path, *, big_items: int, small_items: int, workers: int):
        from reams.bootstrap import build
        from reams.settings import Settings

        self.services = build(Settings(data_dir=data_dir, workers=workers, engine="local"))
        store = self.services.store
        self.big_project = store.ensure_project("big").id
        self.small_project = store.ensure_project("small").id
        with tempfile.TemporaryDirectory() as pool_dir:
            pool = pool_contents(Path(pool_dir))
        contents = [(ext, self.services.blobs.put(data), len(data)) for ext, data in pool]
        self.big_dir = fill_directory(
            store, self.big_project, name="big", count=big_items, contents=contents
        )
        self.small_dir = fill_directory(
            store, self.small_project, name="small", count=small_items, contents=contents
        )
        self.services.start()

    def close(self) -> None:
        self.services.close()

    def submit(self, project_id: str, directory_id: str) -> str:
        from reams.service.jobs import JobRequest

        request = JobRequest(
            project_id=project_id, job_config=JOB_CONFIG, directory_id=directory_id
        )
        return self.services.jobs.submit(request).id

    def job(self, job_id: str) -> Any:
        return self.services.store.get_job(job_id, project_id=None)

    def wait(self, job_id: str, until: Any, timeout: float = 600.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if until(job):
                return job
            time.sleep(0.01)
        raise RuntimeError(f"job {job_id} did not get there in {timeout} s")

    def small_job(self) -> SmallRun:
        job_id = self.submit(self.small_project, self.small_dir)
        job = self.wait(job_id, lambda j: j.status in TERMINAL)
        if job.status != "completed" or job.counts.completed != job.total_items:
            raise RuntimeError(f"the small job ended {job.status}: {job.counts}")
        items, _ = self.services.store.list_items(job_id, project_id=None, limit=1000, offset=0)
        first = min(i.started_at for i in items if i.started_at is not None)
        return SmallRun(
            first_s=(first - job.created_at).total_seconds(),
            total_s=(job.completed_at - job.created_at).total_seconds(),
        )

    def loaded_round(self, results: Results) -> None:
        big_id = self.submit(self.big_project, self.big_dir)
        self.wait(big_id, lambda j: j.status == "running")
        started, done_before = time.perf_counter(), self.job(big_id).counts.completed
        time.sleep(WARM_S)
        done = self.job(big_id).counts.completed - done_before
        results.big_rates.append(done / (time.perf_counter() - started))
        results.loaded.append(self.small_job())
        results.big_left.append(self.job(big_id).counts.pending)
        self.services.jobs.cancel(big_id, project_id=None, reason="benchmark round over")
        self.wait(big_id, lambda j: j.counts.processing == 0)


def measure(
    *, big_items: int = 20_000, small_items: int = 10, rounds: int = 3, workers: int = 2
) -> list[Figure]:
    results = Results()
    with tempfile.TemporaryDirectory(prefix="reams-fair-") as tmp:
        bench = Bench(Path(tmp), big_items=big_items, small_items=small_items, workers=workers)
        try:
            bench.small_job()  # warm-up: worker processes and their imports
            for n in range(rounds):
                if n % 2 == 0:
                    results.idle.append(bench.small_job())
                    bench.loaded_round(results)
                else:
                    bench.loaded_round(results)
                    results.idle.append(bench.small_job())
        finally:
            bench.close()
    return figures(results, big_items=big_items, small_items=small_items)


def _runs_text(runs: list[SmallRun]) -> str:
    return ", ".join(f"{seconds_text(r.first_s)}/{seconds_text(r.total_s)}" for r in runs)


def figures(results: Results, *, big_items: int, small_items: int) -> list[Figure]:
    first = median([r.first_s for r in results.loaded])
    loaded, idle = (
        median([r.total_s for r in results.loaded]),
        median([r.total_s for r in results.idle]),
    )
    rate = median(results.big_rates)
    left = min(results.big_left)
    return [
        Figure(
            f"fairness: {small_items}-item job's first item, {big_items:,}-item job of another "
            "project running",
            f"≤ {TARGET_FIRST_S:.0f} s",
            seconds_text(first),
            first <= TARGET_FIRST_S,
            f"max {seconds_text(max(r.first_s for r in results.loaded))} over "
            f"{len(results.loaded)} rounds; idle engine: "
            f"{seconds_text(median([r.first_s for r in results.idle]))}",
        ),
        Figure(
            f"fairness: {small_items}-item job's completion, beside the big job / on the idle "
            "engine",
            f"≤ {TARGET_RATIO:.1f}×",
            ratio_text(loaded / idle),
            loaded / idle <= TARGET_RATIO,
            f"{seconds_text(loaded)} vs {seconds_text(idle)} (medians); first item/completion "
            f"per round, loaded: {_runs_text(results.loaded)}; idle: {_runs_text(results.idle)}",
        ),
        Figure(
            "fairness: the same small job with oldest-job-first claims (before), estimated",
            "(info)",
            seconds_text(left / max(rate, 1e-9)),
            None,
            f"it would wait for the big job's backlog: at least {left:,} pending items when "
            f"the small job finished, at the big job's {rate:.0f} items/s alone",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-items", type=int, default=20_000)
    parser.add_argument("--small-items", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = measure(
        big_items=args.big_items,
        small_items=args.small_items,
        rounds=args.rounds,
        workers=args.workers,
    )
    for figure in rows:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
