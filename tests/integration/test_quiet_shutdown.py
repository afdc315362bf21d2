"""A worker child whose parent is gone ends quietly: killed while the child was starting (its
"ready" has nobody to read it), or exited (Ctrl-C) while the child was working on an item (its
answer has nobody to read it). Either way the child exits 0 and prints no traceback, and a
terminal's Ctrl-C reaching a child that is still importing does not kill it with one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

from reams.engine.isolation import Task


class Child:
    """``python -m reams.engine.child`` on two pipes, as the engine starts it, stderr kept."""

    def __init__(self) -> None:
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        cmd = [sys.executable, "-m", "reams.engine.child", str(task_r), str(result_w), "2048"]
        self.proc = subprocess.Popen(
            cmd, pass_fds=(task_r, result_w), stdin=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        os.close(task_r)
        os.close(result_w)
        self.tasks: Connection | None = Connection(task_w, readable=False)
        self.results: Connection | None = Connection(result_r, writable=False)

    def parent_gone(self) -> None:
        """What the kernel does when the parent dies: its ends of the pipes close."""
        for end in (self.results, self.tasks):
            if end is not None:
                end.close()
        self.tasks = self.results = None

    def finish(self) -> tuple[int, str]:
        _, stderr = self.proc.communicate(timeout=60)
        return self.proc.returncode, stderr.decode(errors="replace")


def test_a_child_still_starting_when_its_parent_dies_ends_quietly() -> None:
    child = Child()
    child.parent_gone()  # at once: the child is still importing when it wants to say "ready"
    code, stderr = child.finish()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_a_child_working_when_its_parent_exits_ends_quietly(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# A document\n\n" + "Some text. " * 2000)
    child = Child()
    assert child.results is not None and child.tasks is not None
    assert child.results.poll(60) and child.results.recv() == ("ready", 0)  # nothing parsed ahead
    child.results.close()  # the parent exited (Ctrl-C) before the answer: nobody reads it
    child.results = None
    child.tasks.send(Task("parse", str(doc), doc.name, {}, 60.0))
    code, stderr = _finish_after_answer(child)
    assert code == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def _finish_after_answer(child: Child) -> tuple[int, str]:
    """Wait for the child to end (it stops when its answer cannot be delivered, before it
    would read another task), then close the last pipe."""
    deadline = time.monotonic() + 60
    while child.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    child.parent_gone()
    return child.finish()


def test_ctrl_c_reaching_a_starting_child_prints_nothing() -> None:
    child = Child()
    time.sleep(0.3)  # importing the processors by now
    child.proc.send_signal(signal.SIGINT)
    assert child.results is not None
    assert child.results.poll(60) and child.results.recv() == ("ready", 0)  # nothing parsed ahead
    child.parent_gone()  # then the parent goes, as after Ctrl-C
    code, stderr = child.finish()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
