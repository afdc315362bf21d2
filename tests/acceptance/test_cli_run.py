"""``reams run`` as a user runs it: a subprocess over real documents in a temporary folder, its
own data directory, and checks on the outputs, the summary and the store it leaves behind."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import docgen  # type: ignore[import-not-found]

RUN_TIMEOUT_S = 300


def reams_env(data_dir: Path) -> dict[str, str]:
    # A wide virtual terminal keeps the summary's table rows on one line each.
    return {**os.environ, "REAMS_DATA_DIR": str(data_dir), "COLUMNS": "200"}


def reams(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reams.cli", *args],
        env=reams_env(data_dir),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )


def count(summary: str, outcome: str) -> int:
    found = re.search(rf"│ {outcome}\s*│ (\d+)", summary)
    assert found, f"no {outcome!r} row in:\n{summary}"
    return int(found.group(1))


def db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / 'reams.db'}?mode=ro", uri=True, timeout=10)


def results_per_item(data_dir: Path) -> dict[str, int]:
    with db(data_dir) as conn:
        rows = conn.execute("SELECT item_id, COUNT(*) FROM results GROUP BY item_id").fetchall()
    return dict(rows)


def relpaths(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Twelve varied real documents, some in a subfolder."""
    docs = tmp_path / "docs"
    docgen.make_corpus(docs, 8)
    docgen.make_corpus(docs / "nested", 4, kinds=("md", "html"), seed=11)
    return docs


def test_run_writes_markdown_and_json_and_failures_stay_alone(folder: Path, tmp_path: Path) -> None:
    (folder / "corrupt.pdf").write_bytes(os.urandom(4096))
    (folder / "archive.7z").write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(200))
    out = tmp_path / "out"
    done = reams(tmp_path / "data", "run", str(folder), "--job", "parse", "--out", str(out))
    assert done.returncode == 1, done.stderr  # some files failed
    good = relpaths(folder) - {"corrupt.pdf", "archive.7z"}
    assert relpaths(out) == {f"{p}.md" for p in good} | {f"{p}.json" for p in good}
    for name in good:
        data = json.loads((out / f"{name}.json").read_text())
        assert data["file"] == name and data["pages"] and data["pages"][0]["page_number"] == 1
        assert (out / f"{name}.md").read_text().strip()
    summary = done.stdout
    assert (count(summary, "completed"), count(summary, "failed")) == (len(good), 2)
    assert re.search(r"corrupt\.pdf\s*│ corrupt_document", summary), summary
    assert re.search(r"archive\.7z\s*│ unsupported_format", summary), summary
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_rerun_skips_everything_quickly_and_force_reprocesses(tmp_path: Path) -> None:
    docs, data, out = tmp_path / "docs", tmp_path / "data", tmp_path / "out"
    n = 1000
    docgen.make_corpus(docs, n, kinds=("md", "txt", "csv", "html"))
    first = reams(data, "run", str(docs), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert count(first.stdout, "completed") == n
    stamp = (out / "doc-0000.md.md").stat().st_mtime_ns

    again = reams(data, "run", str(docs), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert (count(again.stdout, "skipped"), count(again.stdout, "completed")) == (n, 0)
    assert re.search(rf"already_processed\s*│ {n}", again.stdout), again.stdout
    # How long the re-run takes is a benchmark figure (bench/overhead.py), not a test: on a
    # shared 2-core machine a time limit here fails for the machine's load, not for reams.
    assert (out / "doc-0000.md.md").stat().st_mtime_ns == stamp

    forced = reams(data, "run", str(docs), "--out", str(out), "--force", "--workers", "2")
    assert forced.returncode == 0, forced.stderr
    assert count(forced.stdout, "completed") == n
    assert all(c == 2 for c in results_per_item(data).values())


@pytest.mark.slow
def test_a_new_out_folder_is_filled_from_earlier_results(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert reams(data, "run", str(folder), "--out", str(tmp_path / "a")).returncode == 0
    second = reams(data, "run", str(folder), "--out", str(tmp_path / "b"))
    assert second.returncode == 0, second.stderr
    assert count(second.stdout, "skipped") == len(relpaths(folder))
    assert relpaths(tmp_path / "b") == relpaths(tmp_path / "a")
    assert all(n == 1 for n in results_per_item(data).values())


def wait_for_results(data_dir: Path, at_least: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if sum(results_per_item(data_dir).values()) >= at_least:
                return
        except sqlite3.OperationalError:
            pass  # the database or its tables do not exist yet
        time.sleep(0.005)
    pytest.fail("the run never produced a result (or ended before it could be interrupted)")


@pytest.mark.slow
@pytest.mark.parametrize(
    "whole_group",
    [
        pytest.param(False, id="signal-to-reams"),
        # A terminal's Ctrl-C reaches the whole foreground process group, worker children too.
        pytest.param(True, id="terminal-ctrl-c"),
    ],
)
def test_ctrl_c_stops_cleanly_and_a_rerun_finishes_the_rest_without_repeats(
    tmp_path: Path, whole_group: bool
) -> None:
    docs, data, out = tmp_path / "docs", tmp_path / "data", tmp_path / "out"
    n = 80
    docgen.make_corpus(docs, n, kinds=("pdf", "docx"))
    command = [sys.executable, "-m", "reams.cli", "run", str(docs), "--out", str(out)]
    proc = subprocess.Popen(
        [*command, "--workers", "1"],
        env=reams_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_for_results(data, 2, proc)
    if whole_group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout + stderr
    assert "stopping" in stderr and "Traceback" not in stderr, stderr
    assert "Re-run the same command to resume" in stderr
    done_first = sum(results_per_item(data).values())
    assert 0 < done_first < n, "the interrupt came too late to test anything"
    with db(data) as conn:
        crashed = conn.execute("SELECT COUNT(*) FROM items WHERE error_code IS NOT NULL")
        assert crashed.fetchone() == (0,)

    rerun = reams(data, "run", str(docs), "--out", str(out), "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert count(rerun.stdout, "skipped") == done_first
    assert count(rerun.stdout, "completed") == n - done_first
    per_item = results_per_item(data)
    assert len(per_item) == n and set(per_item.values()) == {1}, per_item
    assert len(relpaths(out)) == 2 * n


def test_usage_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    missing = reams(tmp_path / "data", "run", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "f.md").write_text("# f\n")
    itself = reams(
        tmp_path / "data", "run", str(tmp_path / "f.md"), "--out", str(tmp_path / "f.md")
    )
    assert itself.returncode == 2 and "must not be the input" in itself.stderr
    (tmp_path / "docs").mkdir()
    bad = reams(tmp_path / "data", "run", str(tmp_path / "docs"), "--out", "o", "--job", "x")
    assert bad.returncode == 2 and "not available" in bad.stderr


def test_retry_failed_runs_only_the_failed_files_of_the_last_run(tmp_path: Path) -> None:
    docs, data, out = tmp_path / "docs", tmp_path / "data", tmp_path / "out"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n")
    (docs / "b.md").write_text("# B\n")
    (docs / "corrupt.pdf").write_bytes(b"%PDF-1.7 garbage " + os.urandom(512))
    never = reams(data, "run", str(docs), "--out", str(out), "--retry-failed")
    assert never.returncode == 2 and "no earlier 'parse' run" in never.stderr
    first = reams(data, "run", str(docs), "--out", str(out))
    assert first.returncode == 1, first.stderr  # a file failed
    assert (count(first.stdout, "completed"), count(first.stdout, "failed")) == (2, 1)
    before = results_per_item(data)
    (docs / "new.md").write_text("# not scanned by a retry\n")
    again = reams(data, "run", str(docs), "--out", str(out), "--retry-failed")
    assert again.returncode == 1, again.stderr  # the job completes; the file fails again
    assert "Retrying 1 failed item(s) of job bjb-" in again.stderr
    assert (count(again.stdout, "completed"), count(again.stdout, "failed")) == (2, 1)
    assert results_per_item(data) == before  # nothing else processed, nothing re-scanned
    with db(data) as conn:
        ((jobs,),) = conn.execute("SELECT COUNT(*) FROM jobs").fetchall()
        ((attempts,),) = conn.execute(
            "SELECT attempts FROM items WHERE item_name = 'corrupt.pdf'"
        ).fetchall()
    assert jobs == 1 and attempts >= 1  # the same job, its failed item tried again
    (docs / "corrupt.pdf").unlink()
    clean = reams(data, "run", str(docs), "--out", str(out))
    assert clean.returncode == 0, clean.stderr
    nothing = reams(data, "run", str(docs), "--out", str(out), "--retry-failed")
    assert nothing.returncode == 0 and "Nothing to retry" in nothing.stderr


def test_exit_codes_say_whether_every_file_was_done(tmp_path: Path) -> None:
    """0 all done (completed or skipped), 1 some failed (all of them here), 2 usage error."""
    docs, data = tmp_path / "docs", tmp_path / "data"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n")
    assert reams(data, "run", str(docs), "--out", str(tmp_path / "o")).returncode == 0
    assert reams(data, "run", str(docs), "--out", str(tmp_path / "o")).returncode == 0  # skipped
    bad = tmp_path / "bad"
    bad.mkdir()
    for n in range(2):
        (bad / f"b{n}.pdf").write_bytes(b"%PDF-1.7 garbage " + os.urandom(256))
    failed = reams(data, "run", str(bad), "--out", str(tmp_path / "ob"))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert count(failed.stdout, "failed") == 2
    helped = reams(data, "run", "--help")
    assert re.search(r"Exit codes: 0 .*1 some files failed.*2 usage error.*130 interrupted",
                     " ".join(helped.stdout.split()))  # fmt: skip


def test_unknown_param_keys_are_refused_with_the_nearest_key(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n")
    out = tmp_path / "out"
    typo = reams(tmp_path / "data", "run", str(docs), "--out", str(out), "--param", "max_page=1")
    assert typo.returncode == 2, typo.stdout + typo.stderr
    assert "'max_page'" in typo.stderr and "did you mean 'max_pages'" in typo.stderr
    assert not out.exists() and not (tmp_path / "data" / "reams.db").exists()


@pytest.mark.parametrize(
    "param", ["max_pages=abc", "target_pages=two", "page_error_tolerance=5", "ocr_engine=x"]
)
def test_bad_param_values_stop_before_any_work(tmp_path: Path, param: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n")
    out = tmp_path / "out"
    bad = reams(tmp_path / "data", "run", str(docs), "--out", str(out), "--param", param)
    assert bad.returncode == 2, bad.stdout + bad.stderr
    assert param.partition("=")[0] in bad.stderr and "Traceback" not in bad.stderr
    assert not out.exists() and not (tmp_path / "data" / "reams.db").exists()


@pytest.mark.parametrize(
    ("flag", "job"), [("--rules", "parse"), ("--rules", "extract"), ("--schema", "parse"),
                      ("--schema", "classify")],
)  # fmt: skip
def test_rules_or_schema_with_another_job_is_a_usage_error(
    tmp_path: Path, flag: str, job: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    spec = tmp_path / "spec.json"
    spec.write_text("[]")
    other = ("--schema", str(spec)) if job == "extract" else ("--rules", str(spec))
    extra = other if job in ("classify", "extract") and other[0] != flag else ()
    done = reams(tmp_path / "data", "run", str(docs), "--out", str(tmp_path / "o"),
                 "--job", job, flag, str(spec), *extra)  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{flag} is for --job" in done.stderr


def test_an_empty_folder_warns(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden").write_text("x")
    done = reams(tmp_path / "data", "run", str(tmp_path / "empty"), "--out", str(tmp_path / "o"))
    assert done.returncode == 0, done.stderr
    assert "no files to process" in done.stderr


def test_a_single_file_is_processed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Alone\n")
    (docs / "b.md").write_text("# Not this one\n")
    out = tmp_path / "out"
    done = reams(tmp_path / "data", "run", str(docs / "a.md"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert count(done.stdout, "completed") == 1
    assert relpaths(out) == {"a.md.md", "a.md.json"}
    assert "Alone" in (out / "a.md.md").read_text()
    # --out may be the file's own folder: only the file itself cannot be the output.
    beside = reams(tmp_path / "data", "run", str(docs / "b.md"), "--out", str(docs))
    assert beside.returncode == 0, beside.stderr
    assert (docs / "b.md.md").exists()


def test_links_out_of_the_folder_are_not_followed_unless_asked(tmp_path: Path) -> None:
    docs, data = tmp_path / "docs", tmp_path / "data"
    docs.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("the host secret\n")
    (docs / "a.md").write_text("# A\n")
    (docs / "x").symlink_to(secret)
    (docs / "alias.md").symlink_to(docs / "a.md")  # inside the folder: fine
    out = tmp_path / "out"
    done = reams(data, "run", str(docs), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert relpaths(out) == {"a.md.md", "a.md.json", "alias.md.md", "alias.md.json"}
    assert "Skipped 1 link(s) leading out of" in done.stderr and "--follow-links" in done.stderr
    followed = reams(data, "run", str(docs), "--out", str(out), "--follow-links")
    assert followed.returncode == 0, followed.stderr
    assert "the host secret" in (out / "x.md").read_text()


def test_the_command_in_examples_readme_runs(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    readme = (repo / "examples" / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"`(reams run [^`]*)`", readme)
    assert commands, "examples/README.md names no `reams run` command"
    for command in commands:
        args = shlex.split(command)[1:]
        out = args.index("--out")
        args[out + 1] = str(tmp_path / args[out + 1])  # written under tmp, not in the checkout
        done = subprocess.run(
            [sys.executable, "-m", "reams.cli", *args],
            env=reams_env(tmp_path / "data"), cwd=repo, capture_output=True, text=True,
            timeout=RUN_TIMEOUT_S,
        )  # fmt: skip
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert count(done.stdout, "completed") >= 5
