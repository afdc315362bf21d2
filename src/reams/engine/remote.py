"""The local engine in a process of its own (``reams serve``), and the API's link to it.

``reams serve`` runs the API and the engine in separate processes, so the engine's bookkeeping
(claims, outcomes, leases, its children's pipes) never holds the API's GIL, and the engine can
run at a lower CPU priority than the API. The store stays the one truth: the API creates and
cancels jobs in it exactly as before (the engine checks a job's status before it begins each
item, and polls for work), and the engine process resumes every unfinished job when it starts.
The link carries only what the store does not: a wake-up after a submit (the first item starts
at once, not at the next poll), the engine's health (``/readyz``) and the metrics the engine
observes (``/metrics``).

Wire: a Unix socket in a private directory; one connection per request, one JSON line each
way: ``{"op": "wake" | "health" | "metrics"}`` → ``{"ok": true, ...}``.
"""

from __future__ import annotations

import json
import logging
import socket
import socketserver
from collections.abc import Callable
from typing import Any, Protocol

from reams.domain.records import Job
from reams.engine.dispatch import prepare_job
from reams.store.transitions import Store

log = logging.getLogger(__name__)

LINK_TIMEOUT_S = 2.0  # a health probe is bounded in time; so is every other request
MAX_LINE = 1 << 20


class HostedEngine(Protocol):
    """What the host needs of the engine it serves (the local engine)."""

    def wake(self) -> None: ...

    def health(self) -> str | None: ...


class EngineHost:
    """Serves the link to an engine started in this process, on a Unix socket."""

    def __init__(self, engine: HostedEngine, *, address: str, metrics: Callable[[], bytes]) -> None:
        self.engine = engine
        self.metrics = metrics
        host = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = LINK_TIMEOUT_S

            def handle(self) -> None:
                try:
                    request = json.loads(self.rfile.readline(MAX_LINE))
                    reply = host.answer(str(request.get("op")))
                except Exception as exc:  # a bad request or a failed answer: say so, go on
                    reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
                self.wfile.write(json.dumps(reply).encode() + b"\n")

        self.server = socketserver.ThreadingUnixStreamServer(address, Handler)
        self.server.daemon_threads = True

    def answer(self, op: str) -> dict[str, Any]:
        if op == "wake":
            self.engine.wake()
            return {"ok": True}
        if op == "health":
            return {"ok": True, "error": self.engine.health()}
        if op == "metrics":
            return {"ok": True, "text": self.metrics().decode()}
        return {"ok": False, "error": f"unknown op {op!r}"}

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop serving (from another thread than :meth:`serve_forever`'s) and close."""
        self.server.shutdown()
        self.server.server_close()


class EngineUnreachable(Exception):
    """The engine process did not answer (not started yet, restarting, or gone)."""


def ask(address: str, op: str, *, timeout_s: float = LINK_TIMEOUT_S) -> dict[str, Any]:
    """One request over the link; raises :class:`EngineUnreachable` when there is no answer."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout_s)
            sock.connect(address)
            sock.sendall(json.dumps({"op": op}).encode() + b"\n")
            with sock.makefile("rb") as stream:
                line = stream.readline(MAX_LINE)
    except OSError as exc:
        raise EngineUnreachable(f"{type(exc).__name__}: {exc}") from None
    if not line:
        raise EngineUnreachable("the connection closed without an answer")
    reply: dict[str, Any] = json.loads(line)
    if not reply.get("ok"):
        raise EngineUnreachable(str(reply.get("error")))
    return reply


class RemoteEngine:
    """The engine seam in a process whose engine runs in another (an :class:`EngineHost`).

    ``submit`` dispatches the job in the store, as the local engine would, then wakes the
    engine; ``cancel`` is the store's cancel (the engine sees it before it begins another item
    of the job). Neither needs the engine process to be up: a job submitted while it is away
    is resumed when it starts again.
    """

    def __init__(self, *, store: Store, address: str, max_file_bytes: int) -> None:
        self.store = store
        self.address = address
        self.max_file_bytes = max_file_bytes

    def start(self) -> None:
        """Nothing to start here: the engine process resumes unfinished jobs itself."""

    def submit(self, job_id: str) -> None:
        prepare_job(self.store, job_id, max_file_bytes=self.max_file_bytes)
        try:
            ask(self.address, "wake")
        except EngineUnreachable as exc:  # it polls, and resumes every job when it starts
            log.warning("could not wake the engine process for job %s: %s", job_id, exc)

    def cancel(self, job_id: str, *, reason: str | None) -> Job:
        return self.store.cancel_job(job_id, reason=reason)

    def stop(self, *, grace_s: float = 30.0) -> None:
        """Nothing to stop here: the engine process has its own lifetime."""

    def health(self) -> str | None:
        try:
            error = ask(self.address, "health").get("error")
        except EngineUnreachable as exc:
            return f"the engine process does not answer: {exc}"
        return None if error is None else str(error)

    def metrics_text(self) -> bytes:
        """The engine process's own metrics, in the text exposition format."""
        return str(ask(self.address, "metrics")["text"]).encode()
