"""``IsolatedWorker.answered``: whether collecting the oldest task would wait on the child (the
item driver writes its waiting outcomes first when it would), with a real child process."""

from __future__ import annotations

import json
from pathlib import Path

from docgen import make_pdf
from reams.engine.isolation import IsolatedWorker, Task


def task(path: Path) -> Task:
    return Task("parse", str(path), path.name, {}, 120.0)


def test_answered_is_false_while_the_child_works_and_true_once_its_answer_is_in(
    tmp_path: Path,
) -> None:
    small = tmp_path / "small.md"
    small.write_text("# Hello\n")
    big = make_pdf(tmp_path / "big.pdf", [f"Page {n} " + "lorem ipsum " * 300 for n in range(300)])
    worker = IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024)
    try:
        assert worker.answered(0.0)  # nothing submitted: collect would not wait on anything
        worker.submit(task(small))
        assert not worker.answered(0.0)  # the child is still booting
        assert "Hello" in json.loads(worker.collect().blob)["markdown_full"]
        worker.submit(task(big))
        assert not worker.answered(0.0)  # 300 pages are not parsed in no time
        assert worker.answered(120.0)
        assert "Page 299" in json.loads(worker.collect().blob)["markdown_full"]
    finally:
        worker.close()
