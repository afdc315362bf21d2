"""The worker child answers through a pipe wide enough for a claim's worth of small documents'
outputs, so it goes on to its next queued task instead of waiting for the engine to read
(real child process)."""

from __future__ import annotations

import fcntl
import time
from pathlib import Path

from reams.engine.isolation import ANSWER_PIPE_BYTES, IsolatedWorker, Task

NOTES = 24
WORDS = 600  # a few kilobytes of output per note: together, more than Linux's 64 KiB default


def test_the_child_answers_queued_tasks_without_waiting_for_them_to_be_read(
    tmp_path: Path,
) -> None:
    notes = []
    for n in range(NOTES):
        note = tmp_path / f"note-{n}.md"
        note.write_text(f"# Note {n}\n\n" + " ".join(f"word{i}" for i in range(WORDS)) + "\n")
        notes.append(note)
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=1000, max_rss_mb=1024)
    try:
        worker.run(Task("parse", str(notes[0]), notes[0].name, {}, 60.0))  # booted
        assert worker._io is not None
        answers = worker._io[1].fileno()
        assert fcntl.fcntl(answers, fcntl.F_GETPIPE_SZ) >= ANSWER_PIPE_BYTES
        for note in notes:
            worker.submit(Task("parse", str(note), note.name, {}, 60.0))
        # Nothing is read meanwhile: the child can only finish every task if their answers
        # fit in the pipe.
        deadline = time.monotonic() + 20.0
        while worker._proc is not None and _cpu_idle(worker._proc.pid) is False:
            assert time.monotonic() < deadline
        outputs = [worker.collect() for _ in notes]
        assert sum(len(o.blob) for o in outputs) > 64 * 1024
    finally:
        worker.close()


def _cpu_idle(pid: int) -> bool:
    """Whether the child is asleep waiting for a task (its input) rather than working or
    blocked on a full pipe: it sleeps in a read of its task pipe."""
    time.sleep(0.2)
    wchan = Path(f"/proc/{pid}/wchan").read_text().strip()
    return wchan.endswith("pipe_read")
