"""The record behind a ``reams run`` with nothing to run (``cli.unchanged``,
``service.folders.save_run_record`` / ``unchanged_run``): which command lines it reads, what its
key depends on, and that any change to a file, a watched path or the key is noticed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reams.cli.unchanged import (
    PRIORITY_RANGE,
    RunOptions,
    data_dir,
    read_run_args,
    record_path,
    run_key,
)
from reams.domain.fairness import PRIORITY_MAX, PRIORITY_MIN
from reams.service import folders
from reams.service.folders import Scan, save_run_record, unchanged_run


def test_the_command_lines_read_are_those_typer_reads_the_same_way() -> None:
    assert read_run_args(["run", "docs", "--out", "o"]) == RunOptions(path="docs", out="o")
    argv = ["run", "--out=o", "docs", "--job", "classify", "--rules", "r.json", "--param", "a=1"]
    argv += ["--param=b=x", "--workers", "2", "--priority=5", "--follow-links"]
    assert read_run_args(argv) == RunOptions(
        path="docs",
        out="o",
        job="classify",
        params=("a=1", "b=x"),
        rules="r.json",
        follow_links=True,
    )
    left_to_typer = [
        ["run", "docs", "--out", "o", "--force"],
        ["run", "docs", "--out", "o", "--retry-failed"],
        ["run", "docs", "--out", "o", "--help"],
        ["run", "docs"],  # no --out
        ["run", "docs", "more", "--out", "o"],
        ["run", "docs", "--out", "o", "--out", "p"],
        ["run", "docs", "--out"],
        ["run", "docs", "--out", "o", "--workers", "0"],
        ["run", "docs", "--out", "o", "--workers", "two"],
        ["run", "docs", "--out", "o", "--priority", str(PRIORITY_MAX + 1)],
        ["run", "docs", "--out", "o", "--follow-links=yes"],
        ["run", "docs", "--out", "o", "--"],
        ["--base-url", "http://x", "run", "docs", "--out", "o"],
        ["status", "job"],
        [],
    ]
    for argv in left_to_typer:
        assert read_run_args(argv) is None, argv


def test_the_priority_range_is_the_domains() -> None:
    assert (PRIORITY_RANGE.start, PRIORITY_RANGE.stop - 1) == (PRIORITY_MIN, PRIORITY_MAX)


def test_the_key_changes_with_every_option_the_environment_and_the_rules_content(
    tmp_path: Path,
) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text('[{"type": "a", "description": "x"}]')

    def key(
        job: str = "classify",
        params: tuple[str, ...] = ("a=1",),
        root: str = "docs",
        out: str = "out",
        follow_links: bool = False,
        environ: dict[str, str] | None = None,
    ) -> str:
        return run_key(
            job=job,
            params=params,
            rules=rules,
            schema=None,
            root=tmp_path / root,
            out=tmp_path / out,
            follow_links=follow_links,
            environ={"REAMS_DATA_DIR": "/d", "HOME": "/h"} if environ is None else environ,
        )

    base = key()
    assert key(environ={"REAMS_DATA_DIR": "/d", "HOME": "/elsewhere"}) == base
    changed = [
        key(job="parse"),
        key(params=("a=2",)),
        key(params=("a=1", "b=1")),
        key(root="other"),
        key(out="elsewhere"),
        key(follow_links=True),
        key(environ={"REAMS_DATA_DIR": "/d", "REAMS_MAX_FILE_BYTES": "10"}),
        key(environ={"REAMS_DATA_DIR": "/d", "reams_default_project": "p"}),
    ]
    assert base not in changed and len(set(changed)) == len(changed)
    rules.write_text('[{"type": "b", "description": "x"}]')
    assert key() != base


def test_the_data_folder_is_the_one_settings_use() -> None:
    assert data_dir({"REAMS_DATA_DIR": "/data"}) == Path("/data")
    assert data_dir({"XDG_DATA_HOME": "/xdg"}) == Path("/xdg/reams")
    assert data_dir({"reams_data_dir": "/data"}) is None  # pydantic reads it: left to typer
    assert record_path(Path("/d"), Path("/a"), Path("/b")) != record_path(
        Path("/d"), Path("/a"), Path("/c")
    )


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A folder of three files, two outputs, a database file: recorded as unchanged."""
    root, out = tmp_path / "docs", tmp_path / "out"
    (root / "sub").mkdir(parents=True)
    out.mkdir()
    for name in ("a.md", "b.md", "sub/c.md"):
        (root / name).write_text(f"# {name}")
    watched = [str(out / "a.md.json"), str(tmp_path / "reams.db")]
    for name in watched:
        Path(name).write_text("x")
    scan = Scan()
    later = time.time_ns() + 10 * folders.RACY_NS  # as if scanned well after the writes
    for path, st in folders.walk(root):
        scan.add(path.relative_to(root).as_posix(), st, later)
    assert scan.trusted
    record = tmp_path / "runs" / "r.json"
    assert save_run_record(
        record,
        key="k",
        scan=scan,
        required=watched,
        absent=[str(tmp_path / "reams.db-wal")],
        facts={"job_id": "bjb-1"},
    )
    assert unchanged_run(record, key="k", root=root) == {"job_id": "bjb-1"}
    return root, record, watched


def test_any_change_of_a_file_is_noticed(recorded: tuple[Path, Path, list[str]]) -> None:
    root, record, _ = recorded
    (root / "b.md").write_text("# B.md")  # same size, new content
    assert unchanged_run(record, key="k", root=root) is None


@pytest.mark.parametrize("change", ["added", "removed", "hidden", "renamed"])
def test_added_and_removed_files_are_noticed(
    recorded: tuple[Path, Path, list[str]], change: str
) -> None:
    root, record, _ = recorded
    if change == "added":
        (root / "sub" / "d.md").write_text("# d")
    elif change == "removed":
        (root / "sub" / "c.md").unlink()
    elif change == "hidden":  # a hidden file is not a document: no difference
        (root / ".notes").write_text("x")
    else:
        (root / "a.md").rename(root / "z.md")
    expected = {"job_id": "bjb-1"} if change == "hidden" else None
    assert unchanged_run(record, key="k", root=root) == expected


def test_a_watched_path_changed_or_appearing_is_noticed(
    recorded: tuple[Path, Path, list[str]],
) -> None:
    root, record, (output, database) = recorded
    assert unchanged_run(record, key="other", root=root) is None
    Path(database + "-wal").write_text("")  # the database in use since
    assert unchanged_run(record, key="k", root=root) is None
    Path(database + "-wal").unlink()
    assert unchanged_run(record, key="k", root=root) == {"job_id": "bjb-1"}
    with open(output, "a") as sink:
        sink.write("edited")
    assert unchanged_run(record, key="k", root=root) is None


def test_a_missing_output_is_noticed(recorded: tuple[Path, Path, list[str]]) -> None:
    root, record, (output, _) = recorded
    os.unlink(output)
    assert unchanged_run(record, key="k", root=root) is None


def test_no_record_when_a_file_changed_too_recently_to_be_trusted(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.md").write_text("# a")
    scan = Scan()
    for path, st in folders.walk(root):
        scan.add(path.name, st, time.time_ns())  # written just now: racy
    record = tmp_path / "r.json"
    record.write_text("an earlier record")
    assert not scan.trusted
    assert not save_run_record(record, key="k", scan=scan, required=[], facts={})
    assert not record.exists()


def test_no_record_when_a_required_path_is_missing_or_a_link(tmp_path: Path) -> None:
    scan, record = Scan(), tmp_path / "r.json"
    assert not save_run_record(
        record, key="k", scan=scan, required=[str(tmp_path / "no")], facts={}
    )
    (tmp_path / "target").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    assert not save_run_record(
        record, key="k", scan=scan, required=[str(tmp_path / "link")], facts={}
    )
    assert save_run_record(
        record, key="k", scan=scan, required=[str(tmp_path / "target")], facts={}
    )


def test_a_path_just_written_is_recorded_only_once_settled(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.write_text("x")
    started = time.time_ns()
    assert save_run_record(
        tmp_path / "r.json", key="k", scan=Scan(), required=[str(fresh)], facts={}
    )
    waited = time.time_ns() - started
    assert waited >= folders.SETTLE_NS - (started - fresh.stat().st_mtime_ns)


def test_an_unreadable_record_is_no_record(recorded: tuple[Path, Path, list[str]]) -> None:
    root, record, _ = recorded
    record.write_text("{not json")
    assert unchanged_run(record, key="k", root=root) is None
    record.write_text('{"version": 1, "key": "k", "files": [], "watched": "x", "facts": {}}')
    assert unchanged_run(record, key="k", root=root) is None
