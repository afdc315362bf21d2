"""``reams run``'s early worker parses the folder's first files ahead (``engine.prefetch``):
only exactly the same work is answered from it (same file, content, name and parameters)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from reams import processors
from reams.bootstrap import build
from reams.cli.main import plain_run
from reams.engine import isolation
from reams.engine.base import DEFAULT_SLICE_PAGES
from reams.engine.isolation import IsolatedWorker, Task
from reams.engine.prefetch import MAX_FILE_BYTES, PARAMETERS, Prefetch
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest
from reams.settings import Settings

PARSE_JOB = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


def _task(path: Path, name: str) -> Task:
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return Task("parse", str(path.resolve()), name, dict(PARAMETERS), 30.0, sha256=sha256,
                split_above=DEFAULT_SLICE_PAGES)  # fmt: skip


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "b").mkdir(parents=True)
    (root / "out").mkdir()
    (root / "z.md").write_text("# Z\n\nlast of the top folder\n")
    (root / "a.md").write_text("# A\n\nfirst\n")
    (root / ".hidden.md").write_text("# hidden\n")
    (root / "b" / "c.md").write_text("# C\n\nin a folder\n")
    (root / "out" / "a.md.md").write_text("# an output of an earlier run\n")
    (root / "big.txt").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    os.symlink(root / "a.md", root / "link.md")
    return root


def test_files_are_parsed_ahead_in_the_scans_order_and_only_small_ones(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    ahead = Prefetch(str(root), str(root / "out"))
    ahead.run_while(lambda: True)
    assert [p.name for p in ahead.parsed.values()] == ["a.md", "z.md", "b/c.md"]
    # a.md, big.txt (left to its task), z.md, b/c.md: the job's first four items
    assert ahead.ahead == 4
    task = _task(root / "a.md", "a.md")
    parsed = ahead.take(task)
    assert parsed is not None and parsed.output == processors.run(
        "parse", (root / "a.md").read_bytes(), "a.md", PARAMETERS, split_above=DEFAULT_SLICE_PAGES
    )
    assert ahead.take(task) is None  # taken once


@pytest.mark.parametrize(
    "change",
    [
        {"parameters": {"type": "parse", "page_separator": "--"}},
        {"filename": "renamed.md"},
        {"sha256": "0" * 64},
        {"pages": (0, 0)},
        {"split_above": 5},
    ],
)
def test_other_work_is_never_answered_from_what_was_parsed_ahead(
    tmp_path: Path, change: dict[str, object]
) -> None:
    root = _folder(tmp_path)
    ahead = Prefetch(str(root), str(root / "out"))
    ahead.run_while(lambda: True)
    other = replace(_task(root / "z.md", "z.md"), **change)
    assert ahead.take(other) is None


def test_only_a_plain_run_is_parsed_ahead() -> None:
    assert plain_run(["run", "docs", "--out", "o", "--workers", "2"]) == ("docs", "o")
    assert plain_run(["run", "--job=parse", "docs", "--out=o"]) == ("docs", "o")
    for argv in (
        ["run", "docs", "--out", "o", "--param", "page_separator=--"],
        ["run", "docs", "--out", "o", "--force"],
        ["run", "docs", "--job", "classify", "--out", "o", "--rules", "r.json"],
        ["run", "docs", "other", "--out", "o"],
        ["run", "docs"],
    ):
        assert plain_run(argv) is None, argv


def _early_worker(root: Path) -> IsolatedWorker:
    isolation.start_early((str(root), str(root / "out")))
    time.sleep(5)  # booted, and the files parsed ahead (a few milliseconds each)
    return IsolatedWorker(memory_limit_mb=2048, max_items=10, max_rss_mb=1024, niceness=0)


def test_a_file_changed_after_it_was_parsed_ahead_is_parsed_again(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    worker = _early_worker(root)
    try:
        (root / "a.md").write_text("# A\n\nchanged since\n")
        output = worker.run(_task(root / "a.md", "a.md"))
    finally:
        worker.close()
    assert "changed since" in json.loads(output.blob)["markdown_full"]


def test_the_early_worker_answers_from_what_it_parsed_ahead(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    task = _task(root / "a.md", "a.md")
    worker = _early_worker(root)
    try:
        worker.warm()
        assert worker.adopted_early and worker.ahead() == 4  # its "ready" says how far it got
        # Gone since: only the output parsed ahead (of exactly this content) can answer.
        (root / "a.md").unlink()
        output = worker.run(task)
    finally:
        worker.close()
    assert "first" in json.loads(output.blob)["markdown_full"]


def test_the_items_parsed_ahead_go_to_the_worker_holding_the_early_child(tmp_path: Path) -> None:
    """With two workers, the one that adopted the early child claims the items it parsed
    ahead in its first claim, before the other claims anything (which would parse them again):
    items claimed together share their start time."""
    root = tmp_path / "docs"
    root.mkdir()
    for n in range(12):
        (root / f"note-{n:02d}.md").write_text(f"# Note {n}\n\nnumber {n}\n")
    services = build(Settings(data_dir=tmp_path / "data", workers=2, lease_s=30))
    try:
        project = services.catalog.ensure_project("default")
        directory_id = mirror_folder(
            services.catalog, services.blobs, project_id=project.id, root=root
        )
        job = services.jobs.submit(
            JobRequest(project_id=project.id, job_config=PARSE_JOB, directory_id=directory_id)
        )
        isolation.start_early((str(root), str(tmp_path / "out")))
        time.sleep(5)  # booted, and every file parsed ahead
        services.start()
        deadline = time.monotonic() + 60
        while (final := services.catalog.get_job(job.id, project_id=None)).status != "completed":
            assert time.monotonic() < deadline, final
            time.sleep(0.05)
        items, _ = services.catalog.list_items(job.id, project_id=None, limit=20, offset=0)
    finally:
        services.close()
        isolation.discard_early()
    assert final.counts.completed == 12
    assert len({item.started_at for item in items}) == 1, sorted(i.started_at for i in items)
