"""Isolated worker processes: timeouts, crashes and recycling, with real child processes."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from docgen import make_pdf
from reams.domain.errors import ProcessorError
from reams.engine.isolation import NOT_STARTED, IsolatedWorker, Task
from reams.engine.processor_output import ProcessorOutput


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, Path]:
    small = tmp_path / "small.md"
    small.write_text("# Hello\n\nworld\n")
    big = make_pdf(tmp_path / "big.pdf", [f"Page {n} " + "lorem ipsum " * 300 for n in range(400)])
    return {"small": small, "big": big}


def markdown(output: ProcessorOutput) -> str:
    return str(json.loads(output.blob)["markdown_full"])


def task(path: Path, timeout_s: float = 30.0) -> Task:
    return Task("parse", str(path), path.name, {}, timeout_s)


def test_output_comes_back(docs: dict[str, Path]) -> None:
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024)
    try:
        output = worker.run(task(docs["small"]))
    finally:
        worker.close()
    assert "Hello" in json.loads(output.blob)["markdown_full"]
    assert output.metadata is not None and output.metadata["detected_type"] == "markdown"


def test_timeout_kills_the_child_and_the_next_task_runs(docs: dict[str, Path]) -> None:
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024)
    try:
        with pytest.raises(ProcessorError) as info:
            worker.run(task(docs["big"], timeout_s=0.05))
        assert info.value.code == "timeout" and not info.value.retryable
        assert "world" in markdown(worker.run(task(docs["small"])))
    finally:
        worker.close()


def test_a_killed_child_is_a_retryable_crash(docs: dict[str, Path]) -> None:
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024)
    worker.run(task(docs["small"]))
    assert worker._proc is not None
    pid = worker._proc.pid
    killer = threading.Timer(0.05, os.kill, args=(pid, signal.SIGKILL))
    killer.start()
    try:
        with pytest.raises(ProcessorError) as info:
            worker.run(task(docs["big"]))
        assert info.value.code == "worker_crashed" and info.value.retryable
        assert "Hello" in markdown(worker.run(task(docs["small"])))
    finally:
        killer.cancel()
        worker.close()


def test_a_task_queued_behind_a_timeout_was_never_begun(docs: dict[str, Path]) -> None:
    """Fast items wait in the child's queue; when the one ahead takes the child down, the
    queued one comes back as ``not_started`` (its driver gives it back without spending an
    attempt), and the next task runs on a new child."""
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024)
    try:
        worker.submit(task(docs["big"], timeout_s=0.05))
        worker.submit(task(docs["small"]))
        with pytest.raises(ProcessorError) as first:
            worker.collect()
        assert first.value.code == "timeout"
        with pytest.raises(ProcessorError) as queued:
            worker.collect()
        assert queued.value.code == NOT_STARTED and queued.value.retryable
        assert not worker.busy
        assert "world" in markdown(worker.run(task(docs["small"])))
    finally:
        worker.close()


@pytest.mark.parametrize("niceness", [0, 10])
def test_children_run_at_the_configured_niceness(docs: dict[str, Path], niceness: int) -> None:
    """10 under a server (the API stays responsive), 0 for `reams run`."""
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024, niceness=niceness)
    try:
        worker.run(task(docs["small"]))
        assert worker._proc is not None
        assert os.getpriority(os.PRIO_PROCESS, worker._proc.pid) == os.nice(0) + niceness
    finally:
        worker.close()


def test_children_are_recycled_after_max_items(docs: dict[str, Path]) -> None:
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=2, max_rss_mb=1024)
    pids = []
    try:
        for _ in range(5):
            worker.run(task(docs["small"]))
            if worker._proc is not None:
                pids.append(worker._proc.pid)
            time.sleep(0)
    finally:
        worker.close()
    # After every second item the child is replaced: never more than two items per pid.
    assert len(set(pids)) >= 2
    assert all(pids.count(p) <= 1 for p in set(pids))


def test_a_child_asked_to_stop_exits_cleanly_and_quietly(
    docs: dict[str, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    """Asked to stop, the child exits at once (no teardown of its modules) with status 0,
    its answers all given; a PDF it kept open for more page parts leaves no warning."""
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024)
    part = Task("parse", str(docs["big"]), "big.pdf", {}, 30.0, pages=(0, 9))
    assert json.loads(worker.run(part).blob)["count"] == 10
    proc = worker._proc
    assert proc is not None
    worker.close()
    assert proc.returncode == 0
    assert capfd.readouterr().err == ""
