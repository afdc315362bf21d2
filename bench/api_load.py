"""The API under concurrent clients: status and item pages at 1 / 50 / 200 connections, on an
idle server and while a 1,500-item parse job runs, driven by ``wrk`` (a compiled load generator,
so the client takes little of the machine's CPU).

A real ``reams serve`` on 127.0.0.1 with a fresh data directory is seeded over HTTP (a pool of
generated documents uploaded once, then ``--items`` directory entries cycling through them).
A first job over the directory runs to completion; then, at each level:

* **idle**: ``GET /api/v1/beta/batch-processing/{id}`` and ``GET .../{id}/items?limit=50&offset=…``
  on that completed job, ``--duration`` seconds each;
* **busy**: the same two, each against a fresh ``--items``-item job created just before (with
  ``invalidate_cache``, so every item is processed) and cancelled right after; the items it
  completed in the window are reported, and a row is only "while a job runs" if the job was
  still running at the window's end.

wrk reports requests/s, latency percentiles (``--latency``) and socket errors (connect, read,
write, timeout); a request wrk gives up on (``--timeout``) is counted as a timeout, not as a
latency. ``--tree PATH`` serves a checkout's ``src`` (``--commit REV`` makes a worktree of a
commit) with this interpreter; ``--baseline REV`` serves that commit's code beside it, each
figure run on both in alternating order (``--rounds N``: medians of N), for a before/after
measured side by side. ``--env`` / ``--baseline-env`` set ``REAMS_*`` for either server.

``python bench/api_load.py [--levels 1,50,200] [--duration 8] [--rounds 1] [--baseline REV]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from harness import REPO, Figure, docgen, median, servers, worktree

BATCH = "/api/v1/beta/batch-processing"
JOB_CONFIG = {
    "job_name": "parse_raw_file_job",
    "parameters": {"type": "parse", "invalidate_cache": True},
}
POOL_SIZE = 120
AUTH = {"Authorization": "Bearer bench"}
WRK_TIMEOUT_S = 30  # well above any latency seen: a request slower than this is an error
START_TIMEOUT_S = 60.0
JOB_TIMEOUT_S = 600.0
TARGET_RATIO = 0.8  # rate at the highest level / rate at one client
TARGET_P99_MS = 100.0  # at 50 clients
TERMINAL = frozenset({"completed", "failed", "cancelled"})

MEASURES = (
    "A real `reams serve` on 127.0.0.1 (fresh data dir, seeded over HTTP with 1,500 directory "
    "entries of generated documents) driven by `wrk` (one thread, `--latency`, 30 s timeout) "
    "at 1, 50 and 200 keep-alive connections, 8 s per run: `GET "
    "/api/v1/beta/batch-processing/{id}` (status) and `GET .../{id}/items?limit=50` (an items "
    "page), (a) idle, on a completed 1,500-item job, (b) busy, each run against a fresh "
    "1,500-item parse job (`invalidate_cache`) created just before and cancelled after, whose "
    "items completed in the window are reported. Requests/s, p50/p99 latency and socket errors "
    "(connect/read/write/timeout) per level. Targets (issue 14): at 200 clients at least 0.8× "
    "the 1-client rate, p99 ≤ 100 ms at 50 clients, no socket error while a job runs. "
    "`--baseline REV` serves an older commit's code (a git worktree) beside it, the two "
    "alternating run by run, for a before/after measured side by side."
)

_RATE = re.compile(r"Requests/sec:\s+([0-9.]+)")
_PCT = re.compile(r"^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s)\s*$", re.M)
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_DONE = re.compile(r"(\d+) requests in")
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run printed."""

    requests: int
    rate: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]
    non_2xx: int

    @property
    def socket_errors(self) -> int:
        return sum(self.errors.values())

    def text(self) -> str:
        errors = ", ".join(f"{k} {v}" for k, v in self.errors.items() if v) or "none"
        return (
            f"{self.rate:.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
            f"{self.requests} requests, socket errors: {errors}, non-2xx: {self.non_2xx}"
        )


def parse_wrk(output: str) -> WrkResult:
    """The figures of ``wrk --latency`` output (raises if wrk printed none)."""
    rate = _RATE.search(output)
    done = _DONE.search(output)
    if rate is None or done is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    pct = {p: float(v) * _UNIT_MS[u] for p, v, u in _PCT.findall(output)}
    sock = _SOCKET.search(output)
    counts = [int(n) for n in sock.groups()] if sock else [0, 0, 0, 0]
    non_2xx = _NON_2XX.search(output)
    return WrkResult(
        requests=int(done.group(1)),
        rate=float(rate.group(1)),
        p50_ms=pct.get("50", float("nan")),
        p99_ms=pct.get("99", float("nan")),
        errors=dict(zip(("connect", "read", "write", "timeout"), counts, strict=True)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def wrk(url: str, *, connections: int, duration_s: float) -> WrkResult:
    """One wrk run: one thread (the load generator stays small), keep-alive connections."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs it: apt-get install wrk)")
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{duration_s:g}s", "--latency",
        f"--timeout={WRK_TIMEOUT_S}s", "-H", f"Authorization: {AUTH['Authorization']}", url,
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration_s + WRK_TIMEOUT_S + 30
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


# -- the server -------------------------------------------------------------------------------


@contextlib.contextmanager
def code_tree(tree: Path | None, commit: str | None) -> Iterator[Path]:
    """The checkout whose ``src`` serves: ``tree``, a worktree of ``commit``, or this one."""
    if commit is None:
        yield (tree or REPO).resolve()
        return
    with worktree(commit) as path:
        yield path


def start_serve(src_tree: Path, data_dir: Path, env: dict[str, str]) -> Any:
    """``reams serve`` (this interpreter, ``src_tree``'s code) on a free loopback port."""
    srv = servers()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = srv.free_port()
    full_env = {
        **os.environ,
        "PYTHONPATH": str(src_tree / "src"),
        "REAMS_DATA_DIR": str(data_dir),
        "REAMS_LOG_LEVEL": "WARNING",
        **env,
    }
    command = [sys.executable, "-m", "reams.cli", "serve", "--host", "127.0.0.1"]
    log_path = data_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = srv.RunningServer(
        process=process, base_url=f"http://127.0.0.1:{port}", data_dir=data_dir,
        log_path=log_path, env=full_env,
    )  # fmt: skip
    _wait_ready(server)
    return server


def _wait_ready(server: Any) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"reams serve exited while starting:\n{server.log()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"reams serve not ready after {START_TIMEOUT_S:g} s:\n{server.log()}")


# -- seeding and jobs -------------------------------------------------------------------------


def seed(client: httpx.Client, pool: Sequence[Path], *, items: int) -> str:
    """Upload ``pool`` once; a directory of ``items`` entries cycling through it; its id."""
    file_ids = []
    for path in pool:
        response = client.post(
            "/api/v1/beta/files",
            files={"file": (path.name, path.read_bytes())},
            data={"purpose": "user_data"},
        )
        response.raise_for_status()
        file_ids.append(response.json()["id"])
    response = client.post("/api/v1/beta/directories", json={"name": "bench"})
    response.raise_for_status()
    directory_id = str(response.json()["id"])
    for index in range(items):
        entry = {"file_id": file_ids[index % len(file_ids)], "unique_id": f"entry-{index:06d}"}
        client.post(f"/api/v1/beta/directories/{directory_id}/files", json=entry).raise_for_status()
    return directory_id


def create_job(client: httpx.Client, directory_id: str) -> str:
    body = {"job_config": JOB_CONFIG, "directory_id": directory_id}
    response = client.post(BATCH, json=body)
    response.raise_for_status()
    return str(response.json()["id"])


def job_state(client: httpx.Client, job_id: str) -> dict[str, Any]:
    response = client.get(f"{BATCH}/{job_id}")
    response.raise_for_status()
    return dict(response.json()["job"])


def wait_for(client: httpx.Client, job_id: str, *, idle: bool = False) -> None:
    """Until the job is terminal (``idle``: and has no item in flight)."""
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        job = job_state(client, job_id)
        if job["status"] in TERMINAL and not (idle and job["processing_items"]):
            return
        time.sleep(0.3)
    raise RuntimeError(f"job {job_id} still not settled after {JOB_TIMEOUT_S:g} s")


# -- the runs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One wrk run, and for a busy one the job's items completed in the window and whether
    it was still running when the window closed."""

    wrk: WrkResult
    completed: int | None = None
    running_at_end: bool | None = None


Key = tuple[str, str, int]  # (phase, endpoint, connections)


@dataclass
class Target:
    """One server under test (this code, or the baseline's) and what it measured."""

    label: str
    server: Any
    client: httpx.Client
    directory_id: str
    reference: str = ""  # the completed job of the idle runs
    runs: dict[Key, list[Run]] = field(default_factory=dict)

    def median(self, key: Key) -> tuple[float, float, int, Run]:
        """Median req/s and p99 over the rounds, the socket errors summed, the last run."""
        runs = self.runs[key]
        rate = median([r.wrk.rate for r in runs])
        p99 = median([r.wrk.p99_ms for r in runs])
        errors = sum(r.wrk.socket_errors + r.wrk.non_2xx for r in runs)
        return rate, p99, errors, runs[-1]


def paths(job_id: str, items: int) -> dict[str, str]:
    """The two endpoints measured, by name (the items page from the middle of the job)."""
    offset = max(0, items // 2 - 25)
    return {
        "status": f"{BATCH}/{job_id}",
        "items": f"{BATCH}/{job_id}/items?limit=50&offset={offset}",
    }


def busy_run(target: Target, *, endpoint: str, connections: int, args: Any) -> Run:
    client = target.client
    job_id = create_job(client, target.directory_id)
    while job_state(client, job_id)["status"] not in ("running", *TERMINAL):
        time.sleep(0.05)
    before = job_state(client, job_id)["processed_items"]
    url = client.base_url.join(paths(job_id, args.items)[endpoint])
    result = wrk(str(url), connections=connections, duration_s=args.duration)
    after = job_state(client, job_id)
    client.post(f"{BATCH}/{job_id}/cancel", json={"reason": "bench"}).raise_for_status()
    wait_for(client, job_id, idle=True)
    return Run(result, after["processed_items"] - before, after["status"] == "running")


def one_run(target: Target, key: Key, args: Any) -> Run:
    phase, endpoint, connections = key
    if phase == "busy":
        return busy_run(target, endpoint=endpoint, connections=connections, args=args)
    url = target.client.base_url.join(paths(target.reference, args.items)[endpoint])
    return Run(wrk(str(url), connections=connections, duration_s=args.duration))


def drive(targets: Sequence[Target], args: Any) -> None:
    """Every (phase, endpoint, level) on every target, targets alternating in order."""
    for target in targets:
        target.reference = create_job(target.client, target.directory_id)
        wait_for(target.client, target.reference)
    keys = [
        (phase, endpoint, connections)
        for phase in args.phases
        for connections in args.levels
        for endpoint in ("status", "items")
    ]
    for round_ in range(args.rounds):
        for n, key in enumerate(keys):
            order = targets if (round_ + n) % 2 == 0 else list(reversed(targets))
            for target in order:
                run = one_run(target, key, args)
                target.runs.setdefault(key, []).append(run)
                print(f"{target.label}: {' '.join(map(str, key))}: {run.wrk.text()}", flush=True)


@contextlib.contextmanager
def serving(
    label: str, src_tree: Path, work: Path, pool: list[Path], env: dict[str, str], args: Any
) -> Iterator[Target]:
    server = start_serve(src_tree, work, env)
    try:
        with httpx.Client(base_url=server.base_url, headers=AUTH, timeout=120) as client:
            directory_id = seed(client, pool, items=args.items)
            yield Target(label=label, server=server, client=client, directory_id=directory_id)
    finally:
        server.stop()


def measure(
    *,
    levels: Sequence[int] = (1, 50, 200),
    duration: float = 8.0,
    items: int = 1500,
    tree: Path | None = None,
    commit: str | None = None,
    baseline: str | None = None,
    rounds: int = 1,
    env: dict[str, str] | None = None,
    baseline_env: dict[str, str] | None = None,
    phases: Sequence[str] = ("idle", "busy"),
) -> list[Figure]:
    args = argparse.Namespace(
        levels=list(levels), duration=duration, items=items, phases=list(phases), rounds=rounds
    )
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reams-bench-api-")))
        pool = docgen().make_corpus(work / "pool", POOL_SIZE, seed=31)
        src_tree = stack.enter_context(code_tree(tree, commit))
        label = describe_tree(src_tree, commit) + _env_text(env)
        this = serving(label, src_tree, work / "this", pool, env or {}, args)
        targets = [stack.enter_context(this)]
        if baseline is not None:
            base_tree = stack.enter_context(code_tree(None, baseline))
            label = describe_tree(base_tree, baseline) + _env_text(baseline_env)
            base = serving(label, base_tree, work / "base", pool, baseline_env or {}, args)
            targets.append(stack.enter_context(base))
        drive(targets, args)
    return figures(targets, args)


def _env_text(env: dict[str, str] | None) -> str:
    return f" ({', '.join(f'{k}={v}' for k, v in env.items())})" if env else ""


def describe_tree(src_tree: Path, commit: str | None) -> str:
    head = subprocess.run(
        ["git", "-C", str(src_tree), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    dirty = subprocess.run(
        ["git", "-C", str(src_tree), "status", "--porcelain", "--", "src"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return f"{commit or 'this tree'} at {head or '?'}{' + uncommitted src' if dirty else ''}"


def figures(targets: Sequence[Target], args: Any) -> list[Figure]:
    main, *rest = targets
    rows: list[Figure] = []
    for phase in args.phases:
        for endpoint in ("status", "items"):
            for connections in args.levels:
                rows.append(_level_row(main, rest, (phase, endpoint, connections)))
            rows += _ratio_row(main, rest, phase, endpoint, args.levels)
    return rows


def _versus(rest: Sequence[Target], key: Key) -> str:
    found = []
    for other in rest:
        rate, p99, errors, _ = other.median(key)
        found.append(f"{other.label}: {rate:.0f} req/s, p99 {p99:.1f} ms, {errors} errors")
    return "; ".join(found)


def _level_row(main: Target, rest: Sequence[Target], key: Key) -> Figure:
    phase, endpoint, connections = key
    rate, p99, errors, last = main.median(key)
    target, passed = "(info)", None
    if connections == 50 and endpoint == "status":
        target, passed = f"p99 ≤ {TARGET_P99_MS:.0f} ms", p99 <= TARGET_P99_MS
    if phase == "busy":
        target = target.replace("(info)", "") + ", no socket error"
        passed = (passed is not False) and errors == 0
    detail = f"median of {len(main.runs[key])}: {last.wrk.text()}"
    if last.completed is not None:
        state = "still running" if last.running_at_end else "NOT running at the end"
        detail += f"; the job completed {last.completed} items in the window, {state}"
    if rest:
        detail += f"; before ({_versus(rest, key)})"
    return Figure(
        f"{endpoint}, {phase}, {connections} client(s)",
        target.strip(", "),
        f"{rate:.0f} req/s, p99 {p99:.1f} ms, {errors} errors",
        passed,
        detail,
    )


def _ratio_row(
    main: Target, rest: Sequence[Target], phase: str, endpoint: str, levels: Sequence[int]
) -> list[Figure]:
    low, high = min(levels), max(levels)
    if low == high:
        return []

    def ratio(target: Target) -> float:
        top = target.median((phase, endpoint, high))[0]
        return top / max(target.median((phase, endpoint, low))[0], 1e-9)

    value = ratio(main)
    before = "; ".join(f"{t.label}: {ratio(t):.2f}×" for t in rest)
    return [
        Figure(
            f"{endpoint}, {phase}: req/s at {high} clients / at {low}",
            f"≥ {TARGET_RATIO:.1f}×" if endpoint == "status" else "(info)",
            f"{value:.2f}×",
            value >= TARGET_RATIO if endpoint == "status" else None,
            f"{main.label}" + (f"; before ({before})" if before else ""),
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,50,200", help="Connection counts, comma-separated.")
    parser.add_argument("--duration", type=float, default=8.0, help="Seconds per wrk run.")
    parser.add_argument("--items", type=int, default=1500, help="Items per job.")
    parser.add_argument("--phases", default="idle,busy", help="idle, busy or both.")
    parser.add_argument("--rounds", type=int, default=1, help="Runs per figure (median).")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--tree", type=Path, help="Serve this checkout's src/ instead.")
    where.add_argument("--commit", help="Serve this commit's code (a temporary git worktree).")
    parser.add_argument(
        "--baseline", help="Also serve this commit's code, side by side (alternating runs)."
    )
    parser.add_argument(
        "--env", action="append", default=[], help="NAME=VALUE for the server (repeatable)."
    )
    parser.add_argument(
        "--baseline-env", action="append", default=[], help="NAME=VALUE for the baseline's."
    )
    args = parser.parse_args()
    rows = measure(
        levels=[int(n) for n in args.levels.split(",")],
        duration=args.duration,
        items=args.items,
        tree=args.tree,
        commit=args.commit,
        baseline=args.baseline,
        rounds=args.rounds,
        env=dict(item.split("=", 1) for item in args.env),
        baseline_env=dict(item.split("=", 1) for item in args.baseline_env),
        phases=args.phases.split(","),
    )
    for figure in rows:
        print(f"{figure.verdict:4}  {figure.name}: {figure.measured} ({figure.detail})")


if __name__ == "__main__":
    main()
