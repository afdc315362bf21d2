"""Document converters run in isolated worker processes, with a per-file timeout.

The parse benchmarks compare three converters on the same bytes:

* ``reams``: ``reams.processors.run("parse", data, filename, {"type": "parse"})["markdown_full"]``;
* ``markitdown``: ``MarkItDown().convert_stream(BytesIO(data), stream_info=...)`` given the same
  file name and extension, nothing else (no URL hint);
* ``pdfium``: the bare pypdfium2 text loop (``PdfDocument(data)``, then every page's
  ``get_textpage().get_text_range()``), the floor a PDF parser builds on.

:class:`IsolatedConverter` keeps one worker process per converter (spawned, so nothing leaks in
from the parent), sends it one file at a time and waits at most ``timeout_s``: a hang is killed
and counted as a failure (``timeout``), a crash likewise (``crash``), and the next file gets a
fresh worker. The worker imports its converter at start-up and times only the conversion call
(the file is read first), so the reported seconds exclude start-up and the pipe. It also reports
its peak RSS (``VmHWM``: what ``ru_maxrss`` measures, minus what Linux carries over from the
launching process), which :func:`convert_fresh` uses for the one-file-per-process memory
figures.

``python bench/convert.py [--converter reams|markitdown|pdfium] FILE...`` prints what a converter
makes of some files, through the same worker (handy when a score looks wrong).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import resource
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

CONVERTERS = ("reams", "markitdown", "pdfium")
STARTUP_TIMEOUT_S = 180.0
ERROR_CHARS = 200

Convert = Callable[[bytes, str], str]


@dataclass(frozen=True)
class Outcome:
    """One conversion: the Markdown (None when the converter failed) and what it cost."""

    markdown: str | None
    error: str = ""  # "" on success, else "timeout", "crash ..." or "<code or exception>: ..."
    seconds: float = 0.0  # the conversion call alone, measured inside the worker
    peak_rss: int = 0  # the worker's peak RSS so far, in bytes
    baseline_rss: int = 0  # the worker's peak RSS after its imports, before any conversion

    @property
    def ok(self) -> bool:
        return self.markdown is not None


# ---------------------------------------------------------------------------- worker side


def _reams() -> Convert:
    from reams import processors
    from reams.domain.errors import ProcessorError
    from reams.processors.parse import parse_document  # noqa: F401  (pay the imports up front)

    def convert(data: bytes, filename: str) -> str:
        try:
            result = processors.run("parse", data, filename, {"type": "parse"})
        except ProcessorError as exc:
            raise RuntimeError(f"{exc.code}: {exc.message}") from None
        return str(result["markdown_full"])

    return convert


def _markitdown() -> Convert:
    from markitdown import MarkItDown, StreamInfo

    converter = MarkItDown()

    def convert(data: bytes, filename: str) -> str:
        info = StreamInfo(filename=filename, extension=Path(filename).suffix or None)
        return str(converter.convert_stream(io.BytesIO(data), stream_info=info).markdown)

    return convert


def _pdfium() -> Convert:
    import pypdfium2

    def convert(data: bytes, _filename: str) -> str:
        pdf = pypdfium2.PdfDocument(data)
        try:
            return "\n".join(page.get_textpage().get_text_range() for page in pdf)
        finally:
            pdf.close()

    return convert


_FACTORIES: dict[str, Callable[[], Convert]] = {
    "reams": _reams,
    "markitdown": _markitdown,
    "pdfium": _pdfium,
}


def _maxrss() -> int:
    """Peak RSS of this process image, in bytes: ``VmHWM`` from ``/proc/self/status``.

    Not ``ru_maxrss``: Linux carries that across ``execve`` from the process that forked us, so
    a worker started by a 170 MB benchmark process would report at least 170 MB.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _quiet() -> None:
    """Keep converter chatter (warnings, pdfminer logging) out of the benchmark output."""
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if not isinstance(exc, RuntimeError) else str(exc)
    return " ".join(text.split())[:ERROR_CHARS]


def _serve(requests: Connection, replies: Connection, name: str) -> None:
    """Worker loop: receive a path, convert it, send back (markdown, error, seconds, peak)."""
    _quiet()
    try:
        convert = _FACTORIES[name]()
    except BaseException as exc:
        replies.send(("failed", _describe(exc), _maxrss()))
        return
    replies.send(("ready", "", _maxrss()))
    while (path := requests.recv()) is not None:
        started = time.perf_counter()
        try:
            data = Path(path).read_bytes()
            started = time.perf_counter()
            markdown: str | None = convert(data, Path(path).name)
            error = ""
        except Exception as exc:
            markdown, error = None, _describe(exc)
        replies.send((markdown, error, time.perf_counter() - started, _maxrss()))


# ---------------------------------------------------------------------------- parent side


class IsolatedConverter:
    """One converter in a worker process; :meth:`convert` never hangs longer than the timeout.

    The worker is a plain ``python bench/convert.py --serve NAME`` subprocess (not a
    multiprocessing child, which would re-import the parent's main module and inflate its
    memory), talking over two pipes with pickled messages.
    """

    def __init__(self, name: str, *, timeout_s: float = 120.0) -> None:
        if name not in _FACTORIES:
            raise ValueError(f"unknown converter {name!r}; choose from {CONVERTERS}")
        self.name = name
        self.timeout_s = timeout_s
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None
        self._baseline = 0
        self.startup_error = ""

    def _start(self) -> None:
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        command = [sys.executable, __file__, "--serve", self.name]
        command += [str(request_read), str(reply_write)]
        self._process = subprocess.Popen(
            command,
            pass_fds=(request_read, reply_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        os.close(request_read)
        os.close(reply_write)
        self._requests = Connection(request_write, readable=False)
        self._replies = Connection(reply_read, writable=False)
        self.startup_error = self._await_ready(self._replies)
        if self.startup_error:
            self._stop(kill=True)

    def _await_ready(self, replies: Connection) -> str:
        if not replies.poll(STARTUP_TIMEOUT_S):
            return f"{self.name} worker did not start in {STARTUP_TIMEOUT_S:.0f} s"
        try:
            status, error, self._baseline = replies.recv()
        except EOFError:
            return f"{self.name} worker died at start-up"
        return "" if status == "ready" else f"{self.name} unavailable: {error}"

    def _stop(self, *, kill: bool) -> None:
        process, requests, replies = self._process, self._requests, self._replies
        self._process, self._requests, self._replies = None, None, None
        if requests is not None and not kill:
            try:
                requests.send(None)
            except OSError:
                kill = True
        if process is not None:
            if kill:
                process.kill()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for conn in (requests, replies):
            if conn is not None:
                conn.close()

    def convert(self, path: Path) -> Outcome:
        """Convert one file; a failure, hang or crash is an :class:`Outcome` with an error."""
        if self._process is None and not self.startup_error:
            self._start()
        if self.startup_error or self._requests is None or self._replies is None:
            return Outcome(None, self.startup_error or f"{self.name} worker unavailable")
        try:
            self._requests.send(str(path.resolve()))
        except OSError:
            return self._crashed()
        if not self._replies.poll(self.timeout_s):
            self._stop(kill=True)
            return Outcome(None, "timeout", self.timeout_s)
        try:
            markdown, error, seconds, peak = self._replies.recv()
        except EOFError:
            return self._crashed()
        return Outcome(markdown, error, seconds, peak, self._baseline)

    def _crashed(self) -> Outcome:
        code = None
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self._process.wait(timeout=5)
        self._stop(kill=True)
        return Outcome(None, f"crash (worker exit code {code})")

    def close(self) -> None:
        self._stop(kill=False)

    def __enter__(self) -> IsolatedConverter:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()


def convert_fresh(name: str, path: Path, *, timeout_s: float = 600.0) -> Outcome:
    """Convert ``path`` in a brand-new worker process (for time and peak-memory figures)."""
    with IsolatedConverter(name, timeout_s=timeout_s) as converter:
        return converter.convert(path)


def main() -> None:
    """``convert.py --serve NAME REQUEST_FD REPLY_FD`` (the worker side), or convert files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", nargs=3, metavar=("NAME", "REQUEST_FD", "REPLY_FD"))
    parser.add_argument("--converter", choices=CONVERTERS, default="reams")
    parser.add_argument("files", nargs="*", type=Path, help="print these files' Markdown")
    args = parser.parse_args()
    if args.serve:
        name, request_fd, reply_fd = args.serve
        requests = Connection(int(request_fd), writable=False)
        _serve(requests, Connection(int(reply_fd), readable=False), name)
        return
    with IsolatedConverter(args.converter) as converter:
        for path in args.files:
            outcome = converter.convert(path)
            print(f"==> {path} ({outcome.seconds * 1000:.0f} ms) {outcome.error}")
            print(outcome.markdown or "")


if __name__ == "__main__":
    main()
