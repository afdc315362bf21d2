"""How ``reams serve`` runs the local engine: in a process of its own, watched and restarted.

The API process serves HTTP; the engine process (started here, at a lower CPU priority) runs
the local engine, the webhook sender and the metrics of what it observes, and answers the
API's link (:mod:`reams.engine.remote`). When the engine process dies, the supervisor starts
another: it reclaims the dead run's leases at once and resumes every unfinished job, while
``/readyz`` reports the engine as not answering until it is back.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from reams.bootstrap import build
from reams.engine.local import LocalEngine
from reams.engine.remote import EngineHost, EngineUnreachable, ask
from reams.logs import configure as configure_logs
from reams.service.metrics import ItemMetrics
from reams.settings import Settings

log = logging.getLogger(__name__)

START_TIMEOUT_S = 120.0  # migrations run in the engine process first, before the API's start
STOP_TIMEOUT_S = 45.0  # the engine lets in-flight items finish (30 s grace), then releases
WATCH_S = 0.5
MAX_BACKOFF_S = 30.0
STABLE_S = 60.0
API_ONLY_ENV = frozenset({"REAMS_ENGINE_ADDRESS", "PROMETHEUS_MULTIPROC_DIR"})


def serve_engine(address: str) -> None:
    """The engine process's main: run until SIGTERM / SIGINT, or until the parent is gone."""
    settings = Settings()  # the parent's environment, as its API process reads it
    configure_logs(level=settings.log_level, fmt=settings.log_format)
    os.nice(settings.engine_nice)  # its worker children inherit it
    parent = os.getppid()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    services = build(settings)
    try:
        engine = services.engine
        assert isinstance(engine, LocalEngine), "the engine process runs the local engine"
        observer = ItemMetrics.on(services.store)
        engine.on_item_done = observer.item_settled
        services.start()
        services.start_webhooks()
        if services.webhooks is not None:
            services.webhooks.on_attempt = observer.webhook_attempt
        host = EngineHost(engine, address=address, metrics=observer.render)
        threading.Thread(target=host.serve_forever, name="reams-engine-link", daemon=True).start()
        while not stop.wait(WATCH_S) and os.getppid() == parent:
            pass
        host.shutdown()
    finally:
        services.close()


class EngineProcess:
    """The engine process of one ``reams serve``: started, watched, restarted, stopped."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="reams-engine-"))  # 0700: the link is private
        self.address = str(self._dir / "engine.sock")
        self._process: subprocess.Popen[bytes] | None = None
        self._spawned_at = 0.0
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="reams-engine-watch", daemon=True)
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the engine process and wait until it answers; raises if it cannot start."""
        self._spawn()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            process = self._process
            if process is not None and process.poll() is not None:
                self._cleanup()
                raise RuntimeError(f"the engine process exited with {process.returncode}")
            try:
                ask(self.address, "health")
            except EngineUnreachable:
                time.sleep(0.1)
                continue
            self._watcher.start()
            return
        self.stop()
        raise RuntimeError(f"the engine process did not answer within {START_TIMEOUT_S:g} s")

    def _spawn(self) -> None:
        Path(self.address).unlink(missing_ok=True)  # a dead run's socket file
        code = "import sys; from reams.serving import serve_engine; serve_engine(sys.argv[1])"
        # Not what the API processes are given: this process is the engine, not a client of
        # one, and its metrics are its own (not in the API workers' shared files).
        env = {k: v for k, v in os.environ.items() if k not in API_ONLY_ENV}
        self._process = subprocess.Popen(
            [sys.executable, "-c", code, self.address], stdin=subprocess.DEVNULL, env=env
        )
        self._spawned_at = time.monotonic()

    def _watch(self) -> None:
        backoff = 1.0
        while not self._stopping.wait(WATCH_S):
            process = self._process
            if process is None or process.poll() is None:
                continue
            log.warning(
                "the engine process exited with %s; starting another in %.0f s",
                process.returncode,
                backoff,
            )
            if time.monotonic() - self._spawned_at > STABLE_S:
                backoff = 1.0  # it had run well: this is a new failure, not a crash loop
            if self._stopping.wait(backoff):
                return
            self._spawn()
            self.restarts += 1
            backoff = min(MAX_BACKOFF_S, backoff * 2)

    def stop(self) -> None:
        """SIGTERM (in-flight items finish), SIGKILL past :data:`STOP_TIMEOUT_S`."""
        self._stopping.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> EngineProcess:
        self.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop()
