"""Replay recorded BatchWorkflow histories: a workflow change that would break workflows
already running (non-determinism) fails here, before it reaches a deployment.

The histories in tests/integration/data come from real runs (record_temporal_histories.py):
a job that waited out dead workers' leases, a cancelled job, and a run that continued as new.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from reams.engine.temporal.workflow.batch import BatchWorkflow

DATA = Path(__file__).parent / "data"
HISTORIES = sorted(DATA.glob("batch_*.json"))


def test_histories_are_recorded() -> None:
    assert {p.name for p in HISTORIES} >= {
        "batch_completed_after_reclaim.json",
        "batch_cancelled.json",
        "batch_continued_as_new.json",
    }


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
def test_recorded_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json("reams-batch-replay", path.read_text())
    result = asyncio.run(Replayer(workflows=[BatchWorkflow]).replay_workflow(history))
    assert result.replay_failure is None
