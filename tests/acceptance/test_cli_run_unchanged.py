"""``reams run`` again over a folder that has not changed: the summary of a job in which every
file is skipped, without that job (``cli.unchanged``); and every change that must run the full
command does: a file changed, added or removed, another option, an output missing or edited,
``--force``, any write to the store since (another job, results no longer serving dedup).

Each test fails if the shortcut answers when it must not: the full command's outcome (files
completed, outputs written, a new job) differs from the shortcut's (all skipped, no job)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import docgen

RUN_TIMEOUT_S = 300
AGED_S = 2.2  # files this old are trusted to their stat signature (service.folders.RACY_NS)
NOTHING_CHANGED = "Nothing changed since job"


def reams(data: Path, docs: Path, out: Path, *extra: str, **env: str) -> str:
    """One ``reams run``; its stdout (the summary). Fails on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", "reams.cli", "run", str(docs), "--out", str(out), *extra],
        env={**os.environ, "REAMS_DATA_DIR": str(data), "COLUMNS": "200", **env},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def count(summary: str, outcome: str) -> int:
    found = re.search(rf"│ {outcome}\s*│ (\d+)", summary)
    assert found, f"no {outcome!r} row in:\n{summary}"
    return int(found.group(1))


def jobs(data: Path) -> int:
    # Read-write and closed: a read-only connection leaves the -wal and -shm files behind,
    # and the next run takes those for the store in use (it runs the full command then).
    with contextlib.closing(sqlite3.connect(data / "reams.db", timeout=10)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM jobs").fetchone()[0])


def tables(summary: str) -> str:
    """The summary without its job line (which names the job and the time)."""
    return "\n".join(
        line
        for line in summary.splitlines()
        if not line.startswith(("Job ", NOTHING_CHANGED, "Elapsed"))
    )


@pytest.fixture(scope="module")
def aged(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """A fresh copy, per test, of a folder of six documents (two in a subfolder) whose files
    were all written more than RACY_NS before (``os.utime`` cannot age a ctime: they are
    made once, then the module waits once)."""
    base = tmp_path_factory.mktemp("aged")
    copies = [base / f"docs{i}" for i in range(16)]
    for docs in copies:
        docgen.make_corpus(docs, 4, kinds=("md", "txt", "html", "csv"), seed=3)
        docgen.make_corpus(docs / "sub", 2, kinds=("md", "txt"), seed=5)
    time.sleep(AGED_S)
    return copies.pop


def first_run(aged: Callable[[], Path], tmp_path: Path) -> tuple[Path, Path, Path, str]:
    docs, data, out = aged(), tmp_path / "data", tmp_path / "out"
    summary = reams(data, docs, out)
    assert count(summary, "completed") == 6
    return docs, data, out, summary


def test_an_unchanged_rerun_prints_the_summary_of_the_job_it_would_create(
    aged: Callable[[], Path], tmp_path: Path
) -> None:
    docs, data, out, first = first_run(aged, tmp_path)
    job = re.search(r"Job (\S+) completed", first)
    assert job, first
    quick = reams(data, docs, out, "--workers", "1")
    assert f"{NOTHING_CHANGED} {job.group(1)}: no new job." in quick, quick
    assert jobs(data) == 1
    # The full command (an unrelated setting changes the key) creates that job: same tables.
    full = reams(data, docs, out, REAMS_LOG_LEVEL="WARNING")
    assert NOTHING_CHANGED not in full and jobs(data) == 2
    assert tables(quick) == tables(full), (quick, full)
    assert (count(quick, "skipped"), count(quick, "completed")) == (6, 0)
    assert "Outputs: 0 written, 6 already there" in quick


def change_a_file(docs: Path, out: Path) -> None:
    path = docs / "sub" / "doc-0000.md"
    path.write_text(path.read_text() + "\nOne more line.\n")


def add_a_file(docs: Path, out: Path) -> None:
    (docs / "sub" / "new.md").write_text("# A new document\n\nWith a paragraph.\n")


def remove_a_file(docs: Path, out: Path) -> None:
    (docs / "doc-0001.txt").unlink()


def remove_an_output(docs: Path, out: Path) -> None:
    (out / "sub" / "doc-0001.txt.md").unlink()


def edit_an_output(docs: Path, out: Path) -> None:
    with (out / "doc-0000.md.json").open("a") as sink:
        sink.write(" ")


@pytest.mark.parametrize(
    ("change", "completed", "skipped", "written"),
    [
        (change_a_file, 1, 5, 1),
        (add_a_file, 1, 6, 1),
        (remove_a_file, 0, 5, 0),
        (remove_an_output, 0, 6, 1),
        (edit_an_output, 0, 6, 0),  # kept as edited, but by a new job that says so
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_change_runs_the_full_command(
    aged: Callable[[], Path],
    tmp_path: Path,
    change: Callable[[Path, Path], None],
    completed: int,
    skipped: int,
    written: int,
) -> None:
    docs, data, out, _ = first_run(aged, tmp_path)
    change(docs, out)
    again = reams(data, docs, out)
    assert NOTHING_CHANGED not in again and jobs(data) == 2, again
    assert (count(again, "completed"), count(again, "skipped")) == (completed, skipped)
    assert f"Outputs: {written} written" in again


@pytest.mark.parametrize(
    "options", [["--force"], ["--param", "max_pages=1"], ["--job", "classify"]]
)
def test_other_options_run_the_full_command(
    aged: Callable[[], Path], tmp_path: Path, options: list[str]
) -> None:
    docs, data, out, _ = first_run(aged, tmp_path)
    if options == ["--job", "classify"]:
        rules = tmp_path / "rules.json"
        rules.write_text('[{"type": "table", "description": "rows and columns of data"}]')
        options = [*options, "--rules", str(rules)]
    again = reams(data, docs, out, *options)
    assert NOTHING_CHANGED not in again and jobs(data) == 2, again
    assert count(again, "completed") == 6  # processed again: another configuration


def test_a_classify_rerun_is_answered_until_its_rules_change(
    aged: Callable[[], Path], tmp_path: Path
) -> None:
    docs, data, out = aged(), tmp_path / "data", tmp_path / "out"
    rules = tmp_path / "rules.json"
    rules.write_text('[{"type": "table", "description": "rows and columns of data"}]')
    first = reams(data, docs, out, "--job", "classify", "--rules", str(rules))
    assert count(first, "completed") == 6
    quick = reams(data, docs, out, "--job", "classify", "--rules", str(rules))
    assert NOTHING_CHANGED in quick and "Classified as" in quick and jobs(data) == 1
    full = reams(
        data, docs, out, "--job", "classify", "--rules", str(rules), REAMS_LOG_LEVEL="INFO"
    )
    assert tables(quick) == tables(full), (quick, full)
    rules.write_text('[{"type": "prose", "description": "paragraphs of text"}]')
    changed = reams(data, docs, out, "--job", "classify", "--rules", str(rules))
    assert NOTHING_CHANGED not in changed and count(changed, "completed") == 6


def test_a_write_to_the_store_since_runs_the_full_command(
    aged: Callable[[], Path], tmp_path: Path
) -> None:
    docs, data, out, _ = first_run(aged, tmp_path)
    # Another folder's job in the same store: the store changed, so the full command runs
    # (here it skips every file too, and records that).
    other = aged()
    shutil.rmtree(other / "sub")
    reams(data, other, tmp_path / "other-out")
    again = reams(data, docs, out)
    assert NOTHING_CHANGED not in again and count(again, "skipped") == 6 and jobs(data) == 3
    assert NOTHING_CHANGED in reams(data, docs, out)
    # Results no longer serving dedup (what deleting the job that made them does to results
    # other jobs reused): every file is processed again, not skipped.
    with contextlib.closing(sqlite3.connect(data / "reams.db", timeout=10)) as conn, conn:
        conn.execute("UPDATE results SET cacheable = 0")
    again = reams(data, docs, out)
    assert NOTHING_CHANGED not in again and count(again, "completed") == 6
