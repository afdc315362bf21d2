"""Record BatchWorkflow histories from real runs into tests/integration/data/ (for replay).

    .venv/bin/python tests/integration/record_temporal_histories.py

Run it after a deliberate, compatible change to the workflow, and keep the old files too:
test_temporal_replay.py replays every history there, so a change that would break workflows
already running in production fails the suite. Three runs are recorded: a job that waits for
dead workers' leases before completing, a cancelled job, and the first run of a job that
continues as new.
"""

from __future__ import annotations

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


def record(tmp: Path) -> dict[str, str]:
    server = start_temporal(tmp / "temporal")
    cluster = Cluster(server, tmp / "c")
    try:
        make_corpus(tmp / "a", 30, kinds=("md",))
        waiting = cluster.create(tmp / "a", page_size=5)
        cluster.services.store.claim(owner="dead", lease_s=4, limit=4, job_ids=[waiting.id])
        cluster.add_worker()
        cluster.wait(waiting.id, until=lambda j: j.status == "completed")
        (tmp / "b").mkdir()
        for n in range(8):  # ~0.5 s each: slices are mid-item when the cancel comes
            pages = [f"Doc {n} page {k} " + "lorem " * 300 for k in range(150)]
            make_pdf(tmp / "b" / f"long{n}.pdf", pages)
        cancelled = cluster.create(tmp / "b")
        cluster.wait(cancelled.id, until=lambda j: j.counts.terminal >= 1)
        cluster.services.engine.cancel(cancelled.id, reason="recording")
        (tmp / "c3").mkdir()
        for n in range(40):
            (tmp / "c3" / f"n{n}.md").write_text(f"# note {n}\n")
        continued = cluster.create(tmp / "c3", page_size=5, continue_as_new_threshold=15)
        cluster.wait(continued.id, until=lambda j: j.status == "completed")
        return {
            "batch_completed_after_reclaim.json": _closed(cluster, waiting.id),
            "batch_cancelled.json": _closed(cluster, cancelled.id),
            "batch_continued_as_new.json": _closed(cluster, continued.id, first_run=True),
        }
    finally:
        cluster.close()
        server.stop()


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in record(Path(folder)).items():
            (DATA / name).write_text(text)
            print(f"wrote {DATA / name} ({len(text)} bytes)")
