"""A real HTTP server on loopback that receives webhooks: records every request (headers and
raw body) and answers with scripted status codes (per path: a list consumed in order, the
last one repeated), so a test can make an endpoint fail, then succeed, or answer 410."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event(self) -> str:
        return str(self.json()["event"])


@dataclass
class Receiver:
    base_url: str
    requests: list[Received] = field(default_factory=list)
    script: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"{self.base_url}{path}"

    def answer(self, path: str, *codes: int) -> None:
        with self.lock:
            self.script[path] = list(codes)

    def next_code(self, path: str) -> int:
        with self.lock:
            codes = self.script.get(path) or [200]
            return codes.pop(0) if len(codes) > 1 else codes[0]

    def at(self, path: str = "/hook") -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def wait_for(
        self, path: str = "/hook", *, event: str | None = None, n: int = 1, timeout: float = 30
    ) -> list[Received]:
        """Wait until ``n`` requests (of ``event``, if given) reached ``path``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = [r for r in self.at(path) if event is None or r.event == event]
            if len(got) >= n:
                return got
            time.sleep(0.02)
        seen = [r.event for r in self.at(path)]
        raise AssertionError(f"{n} x {event or 'any'} not received at {path}; got {seen}")


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            code = receiver.next_code(self.path)
            self.send_response(code)
            if 300 <= code < 400:
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(base_url=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        httpd.shutdown()
        httpd.server_close()
