"""Record BatchWorkflow histories from real runs into tests/integration/data/ (for replay).

    .venv/bin/python tests/integration/record_temporal_histories.py

    .venv/bin/python tests/integration/record_temporal_histories.py --only grown --suffix 2

Run it after a deliberate, compatible change to the workflow, and keep the old files too
(``--suffix`` names the new ones beside them): test_temporal_replay.py replays every history
there, so a change that would break workflows already running in production fails the suite.
Four runs are recorded: a job that waits for dead workers' leases before completing, a
cancelled job, the first run of a job that continues as new, and a job of fast items whose
slices grew (no page size: the slice-growth marker and doubled slices are in its history).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: the test helpers live one folder up
    sys.path.insert(0, str(Path(__file__).parents[1]))

from test_temporal_engine import Cluster

from docgen import make_corpus, make_pdf
from temporal_servers import start_temporal

DATA = Path(__file__).parent / "data"


async def _history(address: str, workflow_id: str, *, first_run: bool) -> str:
    from temporalio.client import Client

    client = await Client.connect(address)
    handle = client.get_workflow_handle(workflow_id)
    if first_run:
        runs = [r async for r in client.list_workflows(f"WorkflowId = '{workflow_id}'")]
        oldest = min(runs, key=lambda r: r.start_time)
        handle = client.get_workflow_handle(workflow_id, run_id=oldest.run_id)
    return (await handle.fetch_history()).to_json()


def _closed(cluster: Cluster, job_id: str, *, first_run: bool = False) -> str:
    job = cluster.job(job_id)
    deadline = time.monotonic() + 60
    while True:
        try:
            text = asyncio.run(
                _history(cluster.server.address, job.workflow_id, first_run=first_run)
            )
            if "WORKFLOW_EXECUTION_COMPLETED" in text or "EXECUTION_CANCELED" in text:
                return text
            if first_run and "CONTINUED_AS_NEW" in text:
                return text
        except Exception:
            pass
        assert time.monotonic() < deadline, f"{job.workflow_id} did not close"
        time.sleep(0.5)


RECORDINGS = ("reclaim", "cancelled", "continued", "grown")


def record(tmp: Path, only: tuple[str, ...] = RECORDINGS) -> dict[str, str]:
    server = start_temporal(tmp / "temporal")
    cluster = Cluster(server, tmp / "c")
    try:
        histories = {}
        if "reclaim" in only:
            histories["batch_completed_after_reclaim.json"] = _reclaim(cluster, tmp)
        if "cancelled" in only:
            histories["batch_cancelled.json"] = _cancelled(cluster, tmp)
        if "continued" in only:
            histories["batch_continued_as_new.json"] = _continued(cluster, tmp)
        if "grown" in only:
            histories["batch_slices_grown.json"] = _grown(cluster, tmp)
        return histories
    finally:
        cluster.close()
        server.stop()


def _reclaim(cluster: Cluster, tmp: Path) -> str:
    """A job that waits out a dead worker's leases (claimed here) before completing."""
    make_corpus(tmp / "a", 30, kinds=("md",))
    waiting = cluster.create(tmp / "a", page_size=5)
    cluster.services.store.claim(owner="dead", lease_s=4, limit=4, job_ids=[waiting.id])
    _one_worker(cluster)
    cluster.wait(waiting.id, until=lambda j: j.status == "completed")
    return _closed(cluster, waiting.id)


def _cancelled(cluster: Cluster, tmp: Path) -> str:
    _one_worker(cluster)
    (tmp / "b").mkdir()
    for n in range(8):  # ~0.5 s each: slices are mid-item when the cancel comes
        pages = [f"Doc {n} page {k} " + "lorem " * 300 for k in range(150)]
        make_pdf(tmp / "b" / f"long{n}.pdf", pages)
    cancelled = cluster.create(tmp / "b")
    cluster.wait(cancelled.id, until=lambda j: j.counts.terminal >= 1)
    cluster.services.engine.cancel(cancelled.id, reason="recording")
    return _closed(cluster, cancelled.id)


def _continued(cluster: Cluster, tmp: Path) -> str:
    _one_worker(cluster)
    (tmp / "c3").mkdir()
    for n in range(40):
        (tmp / "c3" / f"n{n}.md").write_text(f"# note {n}\n")
    continued = cluster.create(tmp / "c3", page_size=5, continue_as_new_threshold=15)
    cluster.wait(continued.id, until=lambda j: j.status == "completed")
    return _closed(cluster, continued.id, first_run=True)


def _grown(cluster: Cluster, tmp: Path) -> str:
    """Fast items and no page size: slices of 10 come back full and the next ones double (up
    to 80 with the default growth), so the history holds the growth marker and grown slices."""
    (tmp / "g").mkdir()
    for n in range(300):
        (tmp / "g" / f"g{n}.md").write_text(f"# grown {n}\n")
    _one_worker(cluster)
    grown = cluster.create(tmp / "g")
    cluster.wait(grown.id, until=lambda j: j.status == "completed")
    return _closed(cluster, grown.id)


def _one_worker(cluster: Cluster) -> None:
    if not cluster.workers:
        cluster.add_worker()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=RECORDINGS, default=list(RECORDINGS))
    parser.add_argument("--suffix", default="", help="file name suffix: batch_<name>_<suffix>")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in record(Path(folder), tuple(args.only)).items():
            if args.suffix:
                name = name.replace(".json", f"_{args.suffix}.json")
            (DATA / name).write_text(text)
            print(f"wrote {DATA / name} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
