"""Isolated worker processes: a processor runs in a child process with a timeout and a memory cap.

A hung or crashed processor costs one child, never the engine: on timeout the child is killed
and replaced. Children are recycled after N items or above an RSS threshold so memory stays
flat over long jobs.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from reams.domain.errors import ProcessorError
from reams.domain.outputs import output_contents
from reams.engine.prefetch import Prefetch
from reams.engine.processor_output import ProcessorOutput, encode, encoded
from reams.store.blobs import LocalBlobStore
from reams.store.files import write_atomically

if TYPE_CHECKING:
    from reams.processors.llm.config import LlmConfig

log = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 60.0
DEFAULT_NICENESS = 10
RSS_CHECK_S = 0.25
# The capacity of the pipe the child answers through (Linux's default is 64 KiB): a few small
# documents' outputs filled it, and the child then waited, its queue full of tasks, until the
# engine's thread (busy with a claim or a transaction) read them. Larger, the child runs ahead
# by a claim's worth of outputs (``drive.Lane``).
ANSWER_PIPE_BYTES = 1024 * 1024
# A queued task's fate: handed to the child; refused (no child could take it); dropped (its
# child went away before reaching it).
HANDED, REFUSED, DROPPED = "handed", "refused", "dropped"
NOT_STARTED = "not_started"  # the error code of a dropped task: not the document's doing
EARLY = "-"  # the memory limit argument of an early child: its limits come as a message
# A changed file's content is missing as much as a lost blob's (the same code, a clearer word).
FILE_CHANGED_MESSAGE = (
    "The file changed after it was scanned (its content no longer matches); "
    "run again to process its new content."
)
# A result this large is put into the blob store by the worker that made it, not handed to
# the engine's process: a 300-page PDF's 4.7 MB crossed the pipe, was hashed and written by the
# parent (and its page parts' too), a fifth of all the CPU of a run, taken from the workers
# on two cores. Smaller results still go over the pipe, even when the workers take every
# core: creating a file is what a small result costs (0.3–0.8 ms of kernel time each on an
# ext4 volume after many deletions), and two workers creating files at once in the same
# folders spent half as much again as the engine's one thread did for the same files (1,000
# small files, 2 workers: 3.0 s of system time against 2.0).
KEEP_LARGE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Task:
    job_type: str
    path: str
    filename: str
    parameters: dict[str, Any]
    timeout_s: float
    llm: LlmConfig | None = None  # the LLM endpoint, for classify and extract
    # Page parts (docs/slices.md): answer "split" for a PDF of more pages than this (0: never);
    # parse only these pages (first, last; 0-based); or merge these parts' outputs (paths).
    split_above: int = 0
    pages: tuple[int, int] | None = None
    merge: tuple[str, ...] = ()
    # When ``path`` is a user's file standing in for its blob (store.blobs): the sha256 its
    # bytes must hash to (it may have changed since it was scanned).
    sha256: str = ""
    # The blob store's folder when the worker may write into it (``BlobStore.shared_root``):
    # a result of ``KEEP_LARGE_BYTES`` or more is then stored by the worker (``keep_large``).
    blob_root: str = ""
    # ``reams run --out``: the item's output files (absolute paths, as ``domain.outputs``
    # names them), written here when the worker stored the result itself (a large one), under
    # ``result_id``, the id its result will be recorded with.
    outputs: tuple[str, ...] = ()
    result_id: str = ""


def _limit_memory(limit_mb: int) -> None:
    if limit_mb > 0:
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _llm_slot(config: LlmConfig) -> AbstractContextManager[None]:
    """The LLM limiter processors hold around each request: one of the host-wide slots.

    Imported on first use: the slots module needs the llm package (httpx), which workers that
    only parse never load.
    """
    from reams.engine.llm_slots import hold_llm_slot

    return hold_llm_slot(config)


def _run_task(task: Task) -> tuple[str, Any]:
    from reams import processors

    parsed = _ahead.take(task) if _ahead is not None and _ahead.parsed else None
    if parsed is not None:
        return "ok", keep_large(task, parsed.encoded, parsed.output)
    try:
        started = time.perf_counter()
        if task.merge:
            parts = [Path(path).read_bytes() for path in task.merge]
            blob, document = processors.merge(task.job_type, parts, task.parameters)
            merged = encoded(blob, document, duration_s=time.perf_counter() - started)
            return "ok", keep_large(task, merged)
        else:
            data = Path(task.path).read_bytes()
            if task.sha256 and hashlib.sha256(data).hexdigest() != task.sha256:
                return "error", ("file_missing", FILE_CHANGED_MESSAGE, False)
            output = processors.run(
                task.job_type,
                data,
                task.filename,
                task.parameters,
                llm=task.llm,
                limiter=_llm_slot,
                split_above=task.split_above,
                pages=task.pages,
            )
        encoded_output = encode(output, duration_s=time.perf_counter() - started)
        return "ok", keep_large(task, encoded_output, output)
    except ProcessorError as exc:
        return "error", (exc.code, exc.message, exc.retryable)
    except MemoryError:
        return "error", ("too_large", "The document needs more memory than allowed.", False)
    except Exception as exc:  # a processor bug must not kill the child; users get a code
        log.exception("processor failed on %s", task.filename)
        return "error", (
            "processing_error",
            f"Unexpected {type(exc).__name__} in processor.",
            False,
        )


def keep_large(
    task: Task, output: ProcessorOutput, result: dict[str, Any] | None = None
) -> ProcessorOutput:
    """``output`` with a blob of ``KEEP_LARGE_BYTES`` or more put into the task's blob store
    (``stored``, the bytes dropped), when the task allows it; else as it is. A blob that cannot
    be written here (a full disk) goes to the parent, whose write says why. Then the item's
    output files too, when the task names them (``result``: the decoded blob, if at hand)."""
    if not task.blob_root or len(output.blob) < KEEP_LARGE_BYTES:
        return output
    store = _stores.get(task.blob_root)
    try:
        if store is None:
            store = _stores[task.blob_root] = LocalBlobStore(Path(task.blob_root))
        digest = store.put(output.blob)
    except OSError:
        log.warning("could not store a result blob in the worker; the engine stores it")
        return output
    kept = replace(output, blob=b"", stored=digest)
    if task.outputs and _write_outputs(task, output.blob, result):
        return replace(kept, result_id=task.result_id)
    return kept


def _write_outputs(task: Task, blob: bytes, result: dict[str, Any] | None) -> bool:
    """Write the item's output files from its result; False (the engine's process writes
    them) when that fails."""
    if result is None:
        result = orjson.loads(blob)
    try:
        for path, data in reversed(
            output_contents(list(task.outputs), task.filename, task.result_id, result)
        ):  # the JSON first
            write_atomically(path, data, _made)
    except OSError as exc:
        log.warning("could not write the output files of %s: %s", task.filename, exc)
        return False
    return True


# The worker's blob stores, by folder (one a process, in practice).
_stores: dict[str, LocalBlobStore] = {}
# The output folders this worker created.
_made: set[str] = set()


def child_main(argv: list[str]) -> None:
    """Entry point of a worker process:
    ``python -m reams.engine.child IN_FD OUT_FD LIMIT_MB [NICENESS]``; ``LIMIT_MB`` ``-``: an
    early child (:func:`start_early`), whose limits are the first message it receives."""
    inbound = Connection(int(argv[0]), writable=False)
    outbound = Connection(int(argv[1]), readable=False)
    early = argv[2] == EARLY
    if not early:
        _apply_limits(int(argv[2]), int(argv[3]) if len(argv) > 3 else DEFAULT_NICENESS)
    # Ctrl-C in a terminal reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Loaded before "ready" so that item timeouts exclude them (the parse package alone takes
    # ~0.1 s to import, more than a tight per-item timeout on a busy machine).
    import reams.processors
    import reams.processors.parse.document  # noqa: F401

    global _ahead
    if early and len(argv) > 4:  # ``reams run``'s folder (and OUT): parse ahead while idle
        _ahead = Prefetch(argv[4], argv[5] if len(argv) > 5 else "")
        _ahead.run_while(lambda: not inbound.poll(0))
    if early and not _receive_limits(inbound):
        return  # never adopted: its parent exited (or discarded it)
    # Adopted: the parse ahead ends, and "ready" says how many of the job's first items it may
    # answer, so that the worker holding this child claims them (another worker's child would
    # parse them again).
    ahead = 0
    if _ahead is not None:
        _ahead.stop()
        ahead = _ahead.ahead
    if _answer(outbound, ("ready", ahead)):
        _serve(inbound, outbound)


# What this early child parsed ahead (``engine.prefetch``), if it was given a folder.
_ahead: Prefetch | None = None


def _apply_limits(limit_mb: int, niceness: int) -> None:
    _limit_memory(limit_mb)
    # Under a server, workers yield the CPU to the API and the engine's bookkeeping: on a busy
    # machine status reads stay fast and items are recorded as soon as they are done.
    if niceness:
        os.nice(niceness)


def _receive_limits(inbound: Connection) -> bool:
    """An early child's limits, sent by the worker that adopts it; False when none comes."""
    try:
        limits = inbound.recv()
    except (EOFError, OSError, KeyboardInterrupt):
        return False
    if not isinstance(limits, tuple) or len(limits) != 2:
        return False
    _apply_limits(int(limits[0]), int(limits[1]))
    return True


def _serve(inbound: Connection, outbound: Connection) -> None:
    while True:
        try:
            task = inbound.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if task is None:
            _leave()
        if not _answer(outbound, _run_task(task)):
            return


def _leave() -> None:
    """Asked to stop, with every answer sent and every file written (atomically): exit now,
    without the interpreter's teardown of the parsers' modules, which the parent waited out
    at the end of every run (about 60 ms)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    logging.shutdown()
    os._exit(0)


def _answer(outbound: Connection, message: object) -> bool:
    """Send to the parent; False when it is gone (killed, or exited after Ctrl-C while this
    child was starting or working): nobody is left to tell, so the child ends quietly."""
    try:
        outbound.send(message)
    except (BrokenPipeError, ConnectionResetError):
        return False
    return True


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class IsolatedWorker:
    """One child process, used by one thread at a time."""

    def __init__(
        self,
        *,
        memory_limit_mb: int,
        max_items: int,
        max_rss_mb: int,
        niceness: int = DEFAULT_NICENESS,
    ) -> None:
        self.memory_limit_mb = memory_limit_mb
        self.niceness = niceness
        self.max_items = max_items
        self.max_rss_mb = max_rss_mb
        self._proc: subprocess.Popen[bytes] | None = None
        self._io: tuple[Connection, Connection] | None = None
        self._done = 0
        self._rss_checked = float("-inf")
        self._ready = False
        # How many of the job's first items the child parsed ahead (its "ready" says it).
        self._ahead = 0
        # Whether the child was the early one (``start_early``), adopted rather than launched.
        self.adopted_early = False
        self._queue: deque[tuple[Task, str]] = deque()  # (task, HANDED | REFUSED | DROPPED)

    def _ensure(self) -> tuple[Connection, Connection]:
        if self._proc is None or self._proc.poll() is not None or self._io is None:
            self.close()
            early = _adopt_early(self.memory_limit_mb, self.niceness)
            self.adopted_early = early is not None
            self._proc, self._io = early or _launch(self.memory_limit_mb, self.niceness)
            self._done = 0
            # Not waited for here: the child starts up while the engine records the previous
            # item, and collect() waits for "ready" before the task's timeout starts.
            self._ready = False
        return self._io

    def warm(self) -> None:
        """Start the child now (it boots in the background) rather than at the first item."""
        try:
            self._ensure()
        except OSError:  # the first submit tries again and reports it as an item outcome
            self.close(kill=True)

    def run(self, task: Task) -> ProcessorOutput:
        """Run a task; raises ProcessorError: ``timeout``, ``worker_crashed`` or the processor's."""
        self.submit(task)
        return self.collect()

    def ahead(self) -> int:
        """Wait for the child to be ready; how many of the job's first items it parsed ahead
        (``engine.prefetch``: an adopted early child's), 0 for any other child or if it failed
        to start (the first task then says so)."""
        if self._io is None:
            return 0
        if not self._ready:
            try:
                self._await_ready(self._io[1])
            except ProcessorError:
                return 0
        return self._ahead

    def _await_ready(self, inbound: Connection) -> None:
        try:
            if inbound.poll(STARTUP_TIMEOUT_S):
                kind, ahead = inbound.recv()
                if kind == "ready":
                    self._ready = True
                    self._ahead = ahead if isinstance(ahead, int) else 0
                    return
        except (EOFError, OSError, TypeError, ValueError):  # gone, or not a child's answer
            pass
        self.close(kill=True)
        raise ProcessorError(
            "worker_crashed", "A worker process could not be started.", retryable=True
        )

    def submit(self, task: Task) -> None:
        """Hand a task to the child; it starts as soon as the previous one is collected.

        Never raises: a child that cannot take the task shows up as ``worker_crashed`` when
        the task is collected, so callers have one place to handle outcomes.
        """
        handed = self._hand_over(task)  # may replace the child (and the queue) first
        self._queue.append((task, HANDED if handed else REFUSED))

    def _hand_over(self, task: Task) -> bool:
        try:
            outbound, _ = self._ensure()
            outbound.send(task)
        except (OSError, ProcessorError):
            self.close(kill=True)
            return False
        return True

    def collect(self) -> ProcessorOutput:
        """The oldest submitted task's output (its timeout counts from now)."""
        task, state = self._queue.popleft()
        if state == DROPPED:  # queued behind an item that took its child down: never begun
            raise ProcessorError(
                NOT_STARTED, "The worker process stopped before this item began.", retryable=True
            )
        if state == REFUSED or self._io is None:
            raise ProcessorError(
                "worker_crashed", "The worker process stopped before this item.", retryable=True
            )
        inbound = self._io[1]
        if not self._ready:
            self._await_ready(inbound)
        if not inbound.poll(task.timeout_s):
            self.close(kill=True)
            raise ProcessorError(
                "timeout", f"Processing took longer than the {task.timeout_s:g} s allowed."
            )
        try:
            status, payload = inbound.recv()
        except (EOFError, OSError):
            self.close(kill=True)
            raise ProcessorError(
                "worker_crashed", "The worker process crashed on this document.", retryable=True
            ) from None
        self._after_item()
        if status == "error":
            code, message, retryable = payload
            raise ProcessorError(code, message, retryable=retryable)
        if not isinstance(payload, ProcessorOutput):  # a protocol slip, not the document's fault
            raise ProcessorError("processing_error", "The worker answered something unexpected.")
        if payload.duration_s > task.timeout_s:
            # Its answer was waiting (this process was busy, or it sat in the child's queue
            # behind others): the child's own clock says it took too long all the same.
            raise ProcessorError(
                "timeout", f"Processing took longer than the {task.timeout_s:g} s allowed."
            )
        return payload

    def answered(self, wait_s: float) -> bool:
        """Whether :meth:`collect` would return without waiting for the child: the oldest
        task's answer arrives within ``wait_s`` (or collect fails at once: no child, a task
        refused or dropped). False while the child is still booting."""
        if not self._queue or self._queue[0][1] != HANDED or self._io is None:
            return True
        if not self._ready:
            return False
        try:
            return self._io[1].poll(wait_s)
        except (EOFError, OSError):  # gone: collect says so at once
            return True

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    @property
    def room(self) -> int:
        """How many tasks this child may hold at once before it is recycled (after
        ``max_items``): a task queued behind its last one would be dropped with it. At least
        one (the next child takes it)."""
        if self._proc is None:
            return 1
        return max(1, self.max_items - self._done)

    def _after_item(self) -> None:
        self._done += 1
        if self._done >= self.max_items:
            self.close()
            return
        # The child's RSS (a read of /proc) after every slow item, and at most every
        # RSS_CHECK_S among fast ones: a few small documents cannot grow it by much.
        now = time.monotonic()
        if now - self._rss_checked < RSS_CHECK_S and self._queue:
            return
        self._rss_checked = now
        pid = self._proc.pid if self._proc is not None else 0
        if _rss_mb(pid) > self.max_rss_mb:
            self.close()

    def close(self, *, kill: bool = False) -> None:
        proc, io = self._proc, self._io
        self._proc = self._io = None
        # Tasks queued behind this child are lost with it, never begun: NOT_STARTED (their
        # driver gives them back without counting an attempt).
        self._queue = deque(
            (task, DROPPED if state == HANDED else state) for task, state in self._queue
        )
        if proc is None:
            return
        # A child still starting up was never given work: nothing to wait for.
        kill = kill or not self._ready
        if not kill and io is not None and proc.poll() is None:
            try:
                io[0].send(None)
                proc.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        if io is not None:
            io[0].close()
            io[1].close()


Child = tuple[subprocess.Popen[bytes], tuple[Connection, Connection]]
# Per thread: whether ``yield_to_children`` put it under SCHED_BATCH (so that children it
# launches are put back under the normal policy).
_batched = threading.local()
# The early child (``start_early``), until a worker adopts it; guarded by ``_early_lock``.
_early: list[Child] = []
_early_prefetch = False  # whether the early child was given a folder to parse ahead
_early_lock = threading.Lock()


def start_early(prefetch: tuple[str, str] | None = None) -> None:
    """Start a worker child now, before this process has imported what its engine needs.

    ``reams run`` calls it first thing: the child's interpreter start-up and the processors'
    imports (a few tenths of a second) overlap the command's own imports and the folder's
    scan, instead of following them. The first worker to start a child adopts this one and
    sends it its limits (memory cap, niceness); one never adopted is stopped at exit.
    ``prefetch``: the folder of a plain ``reams run DIR`` and its OUT, whose first files the
    child parses while it waits (``engine.prefetch``).
    """
    global _early_prefetch
    with _early_lock:
        if _early:
            return
        try:
            _early.append(_launch(EARLY, 0, extra=prefetch or ()))
            _early_prefetch = prefetch is not None
        except OSError:  # the engine's workers start their own, and say why if they cannot
            return
    atexit.register(discard_early)


def early_prefetching() -> bool:
    """Whether an early child that parses ahead (``start_early`` with a folder) waits to be
    adopted."""
    with _early_lock:
        return bool(_early) and _early_prefetch


def _adopt_early(memory_limit_mb: int, niceness: int) -> Child | None:
    """The early child, given its limits, if there is one still running."""
    with _early_lock:
        child = _early.pop() if _early else None
    if child is None:
        return None
    proc, io = child
    try:
        if proc.poll() is not None:
            raise OSError("the early child exited")
        io[0].send((memory_limit_mb, niceness))
    except OSError:
        _stop(proc, io)
        return None
    return child


def discard_early() -> None:
    """Stop the early child if no worker adopted it (its CPU time is this process's
    children's: it is waited for, not left behind)."""
    with _early_lock:
        child = _early.pop() if _early else None
    if child is not None:
        _stop(*child)


def _stop(proc: subprocess.Popen[bytes], io: tuple[Connection, Connection]) -> None:
    """Kill and reap an early child nobody took: it has done nothing, and a command that
    ended before the child finished booting (nothing to run) must not wait for its imports."""
    proc.kill()
    proc.wait(5)
    io[0].close()
    io[1].close()


def _launch(memory_limit_mb: int | str, niceness: int, extra: tuple[str, ...] = ()) -> Child:
    """Start a child interpreter that serves tasks over two pipes.

    A fresh interpreter (not fork) because the engine is multi-threaded, and not
    multiprocessing's spawn because that re-imports the caller's ``__main__``.
    """
    task_r, task_w = os.pipe()
    result_r, result_w = os.pipe()
    _widen(result_w, ANSWER_PIPE_BYTES)
    cmd = [
        sys.executable,
        "-m",
        "reams.engine.child",
        str(task_r),
        str(result_w),
        str(memory_limit_mb),
        str(niceness),
        *extra,
    ]
    # One BLAS thread per child (unless set otherwise): workers already run one per core, and
    # numpy's and OpenCV's OpenBLAS each start a thread per core at import, whose buffers take
    # ~180 MB of the address-space cap at moments the scheduler picks. Near the cap that made
    # the outcome a race: a clean "needs more memory" on the main thread, or a BLAS thread's
    # failed allocation aborting the child (worker_crashed).
    env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    with _normal_policy():
        proc = subprocess.Popen(cmd, pass_fds=(task_r, result_w), stdin=subprocess.DEVNULL, env=env)
    os.close(task_r)
    os.close(result_w)
    return proc, (Connection(task_w, readable=False), Connection(result_r, writable=False))


def _widen(fd: int, size: int) -> None:
    """Ask for a pipe of ``size`` bytes; a system that refuses (a per-user cap on pipe memory,
    or no such call) keeps its default, which only slows the answers down."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setting is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, setting, size)


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity; a container's cpuset shows here)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def yield_to_children() -> None:
    """Put the calling thread (an engine's bookkeeping: a driver, housekeeping) under
    SCHED_BATCH when it runs under the normal policy: woken by a child's answer, it no longer
    preempts a child that is parsing the next document on a busy machine, it takes its turn
    (on an idle core nothing changes). On 2 cores under load the child lost about a third of a
    second per 1,000 small documents handing its answers over, mostly while this thread ran
    in its place. The children themselves start under the normal policy (``_launch``)."""
    batch = getattr(os, "SCHED_BATCH", None)
    if batch is None:
        return
    try:
        if os.sched_getscheduler(0) == os.SCHED_OTHER:
            os.sched_setscheduler(0, batch, os.sched_param(0))
            _batched.on = True
    except OSError:  # not allowed here: the default policy only costs some preemption
        return


@contextlib.contextmanager
def _normal_policy() -> Iterator[None]:
    """Launch from a thread that ``yield_to_children`` batched: the child (which does the work)
    starts under the normal policy, as it would from any other thread."""
    if not getattr(_batched, "on", False):
        yield
        return
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    try:
        yield
    finally:
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
