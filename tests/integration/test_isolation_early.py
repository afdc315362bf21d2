"""The early worker child of ``reams run`` (``engine.isolation.start_early``): started before the
command's imports, adopted by the first worker with that worker's limits, stopped at exit when
no worker took it. Real child processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reams.cli.main import runs_here
from reams.engine import isolation
from reams.engine.isolation import IsolatedWorker, Task, discard_early, start_early


@pytest.fixture(autouse=True)
def no_early_child_left() -> Iterator[None]:
    yield
    discard_early()


def address_space_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            return line.split()[3]
    raise AssertionError("no address space line")


def test_the_first_worker_adopts_the_early_child_with_its_own_limits(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# Early\n\nbird\n")
    start_early()
    early_pid = isolation._early[0][0].pid
    worker = IsolatedWorker(memory_limit_mb=1536, max_items=10, max_rss_mb=1024, niceness=3)
    try:
        output = worker.run(Task("parse", str(note), note.name, {}, 60.0))
        assert "bird" in json.loads(output.blob)["markdown_full"]
        assert worker._proc is not None and worker._proc.pid == early_pid
        assert not isolation._early  # taken: a second worker starts its own
        assert os.getpriority(os.PRIO_PROCESS, early_pid) == os.nice(0) + 3
        assert address_space_limit(early_pid) == str(1536 * 1024 * 1024)
    finally:
        worker.close()


def test_an_early_child_nobody_adopts_is_stopped_and_waited_for() -> None:
    start_early()
    proc = isolation._early[0][0]
    discard_early()
    assert proc.returncode is not None  # reaped: its CPU time counts as this process's child's
    assert not isolation._early


def test_a_process_that_exits_without_adopting_it_leaves_no_child() -> None:
    """The early child waits for its limits; the exit hook closes its pipe and reaps it."""
    code = (
        "from reams.engine import isolation\n"
        "isolation.start_early()\n"
        "print(isolation._early[0][0].pid, flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[0])
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["run", "docs", "--out", "out"], {}, True),
        (["run", "docs", "--out", "out"], {"REAMS_ENGINE": "Temporal"}, False),
        (["run", "--help"], {}, False),
        (["serve"], {}, False),
        ([], {}, False),
    ],
)
def test_only_a_local_run_starts_a_worker_early(
    argv: list[str], environ: dict[str, str], expected: bool
) -> None:
    assert runs_here(argv, environ) is expected
