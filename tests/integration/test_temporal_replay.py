"""Replay recorded BatchWorkflow histories: a workflow change that would break workflows
already running (non-determinism) fails here, before it reaches a deployment.

The histories in tests/integration/data come from real runs (record_temporal_histories.py):
a job that waited out dead workers' leases, a cancelled job, a run that continued as new, and
a job whose slices grew (``GROWTH_PATCH``: slices that came back full made the next ones
larger), so changing how slices grow, or dropping the marker, fails here too. The ``_2`` files
are the same four runs recorded after bookkeeping became local activities and slices of fast
items could grow inside (``LOCAL_BOOKKEEPING_PATCH``, ``REACH_PATCH``).
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from reams.engine.temporal.workflow import contracts as c
from reams.engine.temporal.workflow.batch import (
    GROWTH_PATCH,
    LOCAL_BOOKKEEPING_PATCH,
    REACH_PATCH,
    BatchWorkflow,
)

DATA = Path(__file__).parent / "data"
HISTORIES = sorted(DATA.glob("batch_*.json"))


def test_histories_are_recorded() -> None:
    assert {p.name for p in HISTORIES} >= {
        "batch_completed_after_reclaim.json",
        "batch_cancelled.json",
        "batch_continued_as_new.json",
        "batch_slices_grown.json",
    }
    recorded = {p.name for p in HISTORIES}
    assert {n.replace(".json", "_2.json") for n in recorded if "_2" not in n} <= recorded


def _slice_sizes_and_patches(path: Path) -> tuple[list[int], set[str], list[int]]:
    sizes, patches, reaches = [], set(), []
    for event in json.loads(path.read_text())["events"]:
        if marker := event.get("markerRecordedEventAttributes"):
            for payload in marker["details"].get("patch-data", {}).get("payloads", []):
                patches.add(json.loads(base64.b64decode(payload["data"]))["id"])
        scheduled = event.get("activityTaskScheduledEventAttributes")
        if scheduled and scheduled["activityType"]["name"] == c.PROCESS_SLICE:
            data = scheduled["input"]["payloads"][0]["data"]
            request = json.loads(base64.b64decode(data))
            sizes.append(request["max_items"])
            reaches.append(request.get("grow_to", 0))
    return sizes, patches, reaches


def _scheduled(path: Path) -> set[str]:
    """The names of the activities the history scheduled (local activities are markers)."""
    events = json.loads(path.read_text())["events"]
    return {
        e["activityTaskScheduledEventAttributes"]["activityType"]["name"]
        for e in events
        if "activityTaskScheduledEventAttributes" in e
    }


def test_a_recorded_history_holds_grown_slices() -> None:
    """The replays below cover slice growth only if a history has it: the marker, and slices
    larger than the first ones."""
    grown = [p for p in HISTORIES if p.name.startswith("batch_slices_grown")]
    assert grown
    for path in grown:
        sizes, patches, _ = _slice_sizes_and_patches(path)
        assert GROWTH_PATCH in patches
        assert max(sizes) >= 4 * sizes[0], sizes


def test_recorded_histories_hold_local_bookkeeping_and_slices_growing_inside() -> None:
    for path in [p for p in HISTORIES if p.stem.endswith("_2")]:
        _, patches, _ = _slice_sizes_and_patches(path)
        assert {LOCAL_BOOKKEEPING_PATCH, REACH_PATCH} <= patches, path.name
        assert not _scheduled(path) & {c.PLAN, c.JOB_STATE, c.CANCEL_JOB, c.FAIL_JOB}
    grown = DATA / "batch_slices_grown_2.json"
    assert max(_slice_sizes_and_patches(grown)[2]) > 0  # slices that may grow inside


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
def test_recorded_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json("reams-batch-replay", path.read_text())
    result = asyncio.run(Replayer(workflows=[BatchWorkflow]).replay_workflow(history))
    assert result.replay_failure is None
