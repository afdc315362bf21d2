"""Shared plumbing of the benchmarks: figures, statistics, the ``reams run`` command, corpora.

Every benchmark returns :class:`Figure` rows; ``run_all.py`` turns them into the README table.
Timings are wall-clock (``time.perf_counter``) and every ratio compares runs made side by side
in the same invocation, because the machine is shared and absolute times drift.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CLI_TIMEOUT_S = 300.0  # a bound, not an expectation: the largest preset takes ~10 s
# The summary line of `reams run`: "Elapsed: 6.166 s (job: 4.547 s)".
_JOB_SECONDS = re.compile(r"\(job: ([0-9.]+) s\)")


@dataclass(frozen=True)
class Figure:
    """One row of the results table; ``passed`` is None for figures without a target."""

    name: str
    target: str
    measured: str
    passed: bool | None
    detail: str = ""

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: "info"}[self.passed]


def corpus_root() -> Path:
    """``REAMS_CORPUS``, else ``../shared/corpus`` beside the repo (as the tests find it)."""
    configured = os.environ.get("REAMS_CORPUS")
    return Path(configured) if configured else REPO.parent / "shared" / "corpus"


def split_of(doc_id: str) -> str:
    """``"holdout"`` or ``"dev"``: the corpus rule (last hex digit of sha256(id) in 0-3 = holdout).

    ``doc_id`` is the file's path relative to its set folder (``doc_id`` for ``cuad``).
    """
    return "holdout" if hashlib.sha256(doc_id.encode()).hexdigest()[-1] in "0123" else "dev"


def _tests_on_path() -> None:
    tests = str(REPO / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)


def docgen() -> Any:
    """The project's document generators (``tests/docgen.py``)."""
    _tests_on_path()
    import docgen as module

    return module


def servers() -> Any:
    """The project's real-server launcher (``tests/servers.py``)."""
    _tests_on_path()
    import servers as module

    return module


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def compiled() -> None:
    """Byte-compile reams's sources, once per bench process (at import of this module), as
    installing a wheel does.

    An editable checkout run with ``PYTHONDONTWRITEBYTECODE`` set (as on the shared machines)
    would otherwise compile every module again in every command it times: a cost no installed
    copy pays, and one the bare loops (which import less of reams) pay less of.
    """
    global _COMPILED
    if not _COMPILED:
        import compileall

        compileall.compile_dir(str(REPO / "src"), quiet=1)
        _COMPILED = True


_COMPILED = False
compiled()


def reams_command() -> list[str]:
    """The installed ``reams`` console script next to this interpreter, else ``-m reams``."""
    script = Path(sys.executable).parent / "reams"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reams"]


@dataclass(frozen=True)
class CliRun:
    """One ``reams run``: wall time of the whole command, and the job's own time if printed."""

    wall_s: float
    job_s: float | None


def reams_run(src: Path, *, out: Path, data_dir: Path, workers: int, force: bool = False) -> CliRun:
    """Run one whole ``reams run SRC --job parse`` command and time it (raises if it fails)."""
    command = [*reams_command(), "run", str(src), "--job", "parse", "--out", str(out)]
    command += ["--workers", str(workers), *(["--force"] if force else [])]
    env = {**os.environ, "REAMS_DATA_DIR": str(data_dir), "COLUMNS": "120"}
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, timeout=CLI_TIMEOUT_S, check=False)
    elapsed = time.perf_counter() - started
    printed = (done.stdout + done.stderr).decode(errors="replace")
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{printed[-2000:]}")
    job = _JOB_SECONDS.search(printed)
    return CliRun(wall_s=elapsed, job_s=float(job.group(1)) if job else None)


def last_job_counts(data_dir: Path) -> dict[str, int]:
    """Item counts of the newest job in ``data_dir``'s store (to check what a run did)."""
    from sqlalchemy import select

    from reams.settings import Settings
    from reams.store import tables as t
    from reams.store.db import make_engine
    from reams.store.transitions import Store

    db = make_engine(Settings(data_dir=data_dir).resolved_database_url())
    try:
        store = Store(db)
        with store.read() as conn:
            job_id = conn.execute(
                select(t.jobs.c.id).order_by(t.jobs.c.created_at.desc()).limit(1)
            ).scalar_one()
        counts = store.get_job(job_id, project_id=None).counts
        return {name: int(value) for name, value in dataclasses.asdict(counts).items()}
    finally:
        db.dispose()


def ratio_text(value: float) -> str:
    return f"{value:.2f}×"


def seconds_text(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


@contextlib.contextmanager
def worktree(commit: str) -> Iterator[Path]:
    """A detached ``git worktree`` of ``commit`` under /tmp (removed afterwards): the code of a
    baseline to run beside this checkout's, its ``src`` put first on ``PYTHONPATH``."""
    with tempfile.TemporaryDirectory(prefix="reams-bench-tree-") as tmp:
        path = Path(tmp) / "tree"
        git = ["git", "-C", str(REPO)]
        add = [*git, "worktree", "add", "--detach", str(path), commit]
        subprocess.run(add, check=True, capture_output=True)
        try:
            yield path
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(path)], check=False)


PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextlib.contextmanager
def postgres_schema() -> Iterator[str | None]:
    """A URL into a fresh schema of the ``test`` database (dropped after); None without one."""
    from sqlalchemy import create_engine, text

    schema = f"reams_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception:  # no PostgreSQL here: the rows say so
        admin.dispose()
        yield None
        return
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
