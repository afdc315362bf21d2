"""A small OpenAI-compatible chat server for tests: real HTTP on 127.0.0.1, computed replies.

Usage::

    from llm_server import Fault, fake_llm_server

    with fake_llm_server(delay_s=0.0, api_key=None) as llm:
        config = LlmConfig(base_url=llm.base_url, model="fake-model")  # base_url ends in /v1
        llm.script(Fault.rate_limit(retry_after=1), Fault.status(503, times=2))
        ...                                   # code under test calls llm.base_url
        assert len(llm.chat_requests) == 4
        assert llm.max_in_flight <= 2
        assert llm.requests[0].headers["authorization"] == "Bearer ..."

Endpoints: ``POST /v1/chat/completions`` and ``GET /v1/models``. Every successful completion
carries ``usage`` (about one token per 4 characters). Replies are computed from the request:

* **classify** (the ``response_format`` schema has ``type`` + ``confidence`` properties): the
  type of ``properties.type.enum`` whose word occurs most often (case-insensitive, ``_``/``-`` as
  spaces) in the first user message wins; no occurrence gives ``{"type": null}``.
* **extract** (the schema has ``data`` + ``evidence``): walks ``properties.data``; a scalar field
  ``invoice_number`` is filled from a line ``Invoice number: X`` (Markdown marks ignored;
  numbers/integers/booleans converted), a nested object recursively, an array of objects from a
  Markdown table whose header names the item properties, an array of scalars from ``Tags: a, b``;
  not found gives null. Each found value gets evidence ``{"field": path, "page": n, "quote":
  <the whole source line>}``; pages come from ``<page number="N">`` blocks in the user message.
* anything else: an object with every top-level property null.

With ``response_format: {"type": "json_object"}`` the schema is read from the last ```` ```json ````
block of the system messages. ``responder=callable(body) -> dict | str`` overrides the content.

Options of :func:`fake_llm_server`: ``delay_s`` (sleep before every completion, for concurrency
tests), ``api_key`` (when set, requests without ``Authorization: Bearer <api_key>`` get 401),
``reject_json_schema`` (answer 400 to ``response_format`` json_schema, like older servers),
``vision`` (False: answer 400 to requests with ``image_url`` content parts, as text-only models
do), ``model``, ``responder``.

Messages may carry OpenAI content parts: their text parts are read as the message's text, and
every image costs :data:`IMAGE_TOKENS` prompt tokens; :attr:`RecordedRequest.images` lists a
request's image URLs.

Scripted faults (:meth:`FakeLLM.script`) apply to the next chat requests, in order, one request
per ``times``: :meth:`Fault.status` (any HTTP error, optional ``retry_after`` header),
:meth:`Fault.rate_limit` (429 + ``Retry-After``), :meth:`Fault.unauthorized` (401),
:meth:`Fault.hang` (sleep ``seconds`` before answering: longer than the client timeout),
:meth:`Fault.malformed` (200 whose content is not JSON) and :meth:`Fault.reply` (200 with the
given content); ``Fault.status(..., usage={...})`` puts a ``usage`` object in the error body (as
endpoints that bill failed generations do). Recorded: :attr:`FakeLLM.requests` (method, path,
lower-cased headers, parsed body, the fault applied, the ``usage`` answered),
:attr:`FakeLLM.max_in_flight` (most chat requests being handled at once; the delay counts, the
final write does not).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["IMAGE_TOKENS", "FakeLLM", "Fault", "RecordedRequest", "fake_llm_server", "fast_config"]

IMAGE_TOKENS = 255  # prompt tokens one image costs on the fake server
NO_VISION = "Invalid content type. image_url is only supported by certain models."

Responder = Callable[[dict[str, Any]], "dict[str, Any] | str"]


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, applied to ``times`` consecutive chat requests."""

    kind: str  # "status" | "hang" | "content"
    code: int = 200
    retry_after: float | None = None
    seconds: float = 0.0
    content: str | None = None
    message: str = ""
    times: int = 1
    usage: Mapping[str, int] | None = None

    @classmethod
    def status(
        cls,
        status: int,
        *,
        retry_after: float | None = None,
        times: int = 1,
        message: str = "",
        usage: Mapping[str, int] | None = None,
    ) -> Fault:
        text = message or f"fake server error {status}"
        return cls(
            "status", code=status, retry_after=retry_after, times=times, message=text, usage=usage
        )

    @classmethod
    def rate_limit(cls, retry_after: float | None = 1, *, times: int = 1) -> Fault:
        return cls.status(429, retry_after=retry_after, times=times, message="Rate limit reached")

    @classmethod
    def unauthorized(cls, *, times: int = 1) -> Fault:
        return cls.status(401, times=times, message="Incorrect API key provided")

    @classmethod
    def hang(cls, seconds: float = 5.0, *, times: int = 1) -> Fault:
        return cls("hang", seconds=seconds, times=times)

    @classmethod
    def malformed(cls, *, times: int = 1) -> Fault:
        return cls("content", content='Sure! Here is the result: {"type": oops', times=times)

    @classmethod
    def reply(cls, content: str | Mapping[str, Any], *, times: int = 1) -> Fault:
        text = content if isinstance(content, str) else json.dumps(content)
        return cls("content", content=text, times=times)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    fault: Fault | None = None
    received_at: float = field(default_factory=time.monotonic)
    reply_usage: dict[str, int] | None = None  # the ``usage`` the fake answered with, if any

    @property
    def images(self) -> list[str]:
        """The URLs of the request's ``image_url`` content parts, in order."""
        messages = self.body.get("messages") if isinstance(self.body, dict) else None
        return [
            str((part.get("image_url") or {}).get("url"))
            for message in messages or []
            if isinstance(message, dict) and isinstance(message.get("content"), list)
            for part in message["content"]
            if isinstance(part, dict) and part.get("type") == "image_url"
        ]


class FakeLLM:
    """The running server: its address, the recorded requests and the fault script."""

    def __init__(
        self,
        *,
        delay_s: float = 0.0,
        api_key: str | None = None,
        reject_json_schema: bool = False,
        model: str = "fake-model",
        responder: Responder | None = None,
        vision: bool = True,
    ) -> None:
        self.delay_s = delay_s
        self.vision = vision
        self.api_key = api_key
        self.reject_json_schema = reject_json_schema
        self.model = model
        self.responder = responder
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._faults: list[Fault] = []
        self._requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def script(self, *faults: Fault) -> None:
        """Queue faults for the next chat requests (after any already queued)."""
        with self._lock:
            for fault in faults:
                self._faults.extend([fault] * fault.times)

    def reset(self) -> None:
        """Forget recorded requests, pending faults and the in-flight maximum."""
        with self._lock:
            self._faults.clear()
            self._requests.clear()
            self.max_in_flight = self.in_flight

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()  # wakes hanging handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    # -- used by the handler ---------------------------------------------------------------

    def _record(self, request: RecordedRequest, *, chat: bool) -> None:
        with self._lock:
            if chat:
                request.fault = self._faults.pop(0) if self._faults else None
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._requests.append(request)

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)


@contextmanager
def fake_llm_server(**options: Any) -> Iterator[FakeLLM]:
    """Start a :class:`FakeLLM` on a free loopback port; stop it on exit."""
    fake = FakeLLM(**options)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeLLM/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    @property
    def fake(self) -> FakeLLM:
        return self.server.fake  # type: ignore[attr-defined,no-any-return]

    def do_GET(self) -> None:
        self.fake._record(self._recorded(None), chat=False)
        if self.path.rstrip("/") == "/v1/models":
            model = {"id": self.fake.model, "object": "model", "owned_by": "reams-tests"}
            self._send(200, {"object": "list", "data": [model]})
        else:
            self._send(404, _error(f"no route {self.path}", "not_found"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        chat = self.path.rstrip("/") == "/v1/chat/completions"
        request = self._recorded(body)
        self.fake._record(request, chat=chat)
        if not chat:
            self._send(404, _error(f"no route {self.path}", "not_found"))
            return
        try:
            status, payload, headers = self._complete(request)
            usage = payload.get("usage") if isinstance(payload, dict) else None
            request.reply_usage = dict(usage) if isinstance(usage, dict) else None
        finally:
            self.fake._done()
        self._send(status, payload, headers)

    def _recorded(self, body: Any) -> RecordedRequest:
        headers = {k.lower(): v for k, v in self.headers.items()}
        return RecordedRequest(method=self.command, path=self.path, headers=headers, body=body)

    def _complete(self, request: RecordedRequest) -> tuple[int, Any, dict[str, str]]:
        fake, fault, body = self.fake, request.fault, request.body
        if fake.delay_s:
            fake._sleep(fake.delay_s)
        if fault is not None and fault.kind == "hang":
            fake._sleep(fault.seconds)
        if fake.api_key and request.headers.get("authorization") != f"Bearer {fake.api_key}":
            return 401, _error("Incorrect API key provided", "invalid_api_key"), {}
        if fault is not None and fault.kind == "status":
            headers = {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"}
            error = _error(fault.message, f"http_{fault.code}")
            if fault.usage is not None:
                error["usage"] = dict(fault.usage)
            return fault.code, error, headers
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return 400, _error("body must be a JSON object with messages", "invalid_request"), {}
        if not fake.vision and request.images:
            return 400, _error(NO_VISION, "invalid_request"), {}
        response_format = body.get("response_format") or {}
        if fake.reject_json_schema and response_format.get("type") == "json_schema":
            message = "response_format type json_schema is not supported"
            return 400, _error(message, "invalid_request"), {}
        if fault is not None and fault.kind == "content":
            content = fault.content or ""
        else:
            content = _content(body, fake.responder)
        return 200, _completion(body, content, fake.model), {}

    def _send(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "fake_error", "code": code}}


def _text(content: Any) -> str:
    """A message's text: the string, or its content parts' text joined."""
    if isinstance(content, list):
        return "\n\n".join(
            str(p.get("text", ""))
            for p in content
            if isinstance(p, dict) and p.get("type") == "text"
        )
    return str(content if content is not None else "")


def _images(content: Any) -> int:
    if not isinstance(content, list):
        return 0
    return sum(1 for p in content if isinstance(p, dict) and p.get("type") == "image_url")


def _completion(body: Mapping[str, Any], content: str, model: str) -> dict[str, Any]:
    messages = [m for m in body["messages"] if isinstance(m, dict)]
    prompt = sum(len(_text(m.get("content", ""))) for m in messages)
    images = sum(_images(m.get("content")) for m in messages)
    prompt_tokens = prompt // 4 + 1 + images * IMAGE_TOKENS
    completion_tokens = len(content) // 4 + 1
    return {
        "id": f"chatcmpl-fake-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model") or model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


# -- computed replies ---------------------------------------------------------------------------

_JSON_BLOCK = re.compile(r"```json\s*\n(.*?)\n```", re.DOTALL)
_PAGE = re.compile(r'<page number="(\d+)">\n?(.*?)\n?</page>', re.DOTALL)
_MARKS = re.compile(r"[*`#>]+")


def _content(body: Mapping[str, Any], responder: Responder | None) -> str:
    if responder is not None:
        answer = responder(dict(body))
        return answer if isinstance(answer, str) else json.dumps(answer)
    schema = _request_schema(body)
    messages = [m for m in body["messages"] if isinstance(m, dict)]
    users = [_text(m.get("content", "")) for m in messages if m.get("role") == "user"]
    document = users[0] if users else ""
    props = schema.get("properties") or {}
    if "type" in props and "confidence" in props:
        return json.dumps(_classify(props["type"], document))
    if "data" in props and "evidence" in props:
        return json.dumps(_extract(schema, props["data"], document))
    return json.dumps({key: None for key in props})


def _request_schema(body: Mapping[str, Any]) -> dict[str, Any]:
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
        return schema if isinstance(schema, dict) else {}
    for message in reversed(body["messages"]):
        if isinstance(message, dict) and message.get("role") == "system":
            blocks = _JSON_BLOCK.findall(str(message.get("content", "")))
            if blocks:
                parsed = json.loads(blocks[-1])
                return parsed if isinstance(parsed, dict) else {}
    return {}


def _classify(type_schema: Mapping[str, Any], document: str) -> dict[str, Any]:
    types = [t for t in type_schema.get("enum") or [] if isinstance(t, str)]
    text = document.lower()
    counts = {}
    for name in types:
        word = re.escape(re.sub(r"[_-]+", " ", name.lower())).replace(r"\ ", r"[\s_-]+")
        counts[name] = len(re.findall(rf"\b{word}\b", text))
    total = sum(counts.values())
    if not total:
        return {"type": None, "confidence": 0.2, "reasoning": "No rule type is mentioned."}
    best = max(types, key=lambda t: counts[t])
    confidence = round(0.6 + 0.39 * counts[best] / total, 2)
    reasoning = f"The word {best!r} appears {counts[best]} times."
    return {"type": best, "confidence": confidence, "reasoning": reasoning}


def _pages(document: str) -> list[tuple[int, str]]:
    found = [(int(n), text) for n, text in _PAGE.findall(document)]
    return found or [(1, document)]


class _Filler:
    """Walks a (nullable) schema and fills it from labelled lines and Markdown tables."""

    def __init__(self, root: Mapping[str, Any], document: str) -> None:
        self.root = root
        self.pages = _pages(document)
        self.evidence: list[dict[str, Any]] = []

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            node: Any = self.root
            for part in ref[2:].split("/"):
                node = node.get(part, {}) if isinstance(node, Mapping) else {}
            return self.resolve(node)
        for option in schema.get("anyOf") or schema.get("oneOf") or []:
            if isinstance(option, Mapping) and option.get("type") != "null":
                return self.resolve(option)
        return schema

    def kind(self, schema: Mapping[str, Any]) -> str:
        kind = self.resolve(schema).get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        return str(kind or "string")

    def fill(self, schema: Mapping[str, Any], path: str, name: str) -> Any:
        schema = self.resolve(schema)
        kind = self.kind(schema)
        if kind == "object":
            props = schema.get("properties") or {}
            return {key: self.fill(sub, _join(path, key), key) for key, sub in props.items()}
        if kind == "array":
            return self.array(schema.get("items") or {}, path, name)
        return self.scalar(kind, path, name)

    def scalar(self, kind: str, path: str, name: str) -> Any:
        for number, text in self.pages:
            for line in text.splitlines():
                raw = _labelled(line, name)
                if raw is None:
                    continue
                value = _convert(raw, kind)
                if value is not None:
                    self.evidence.append({"field": path, "page": number, "quote": line.strip()})
                    return value
        return None

    def array(self, items: Mapping[str, Any], path: str, name: str) -> Any:
        items = self.resolve(items)
        if self.kind(items) == "object":
            return self.rows(items, path)
        for number, text in self.pages:
            for line in text.splitlines():
                raw = _labelled(line, name)
                if raw is not None:
                    self.evidence.append({"field": path, "page": number, "quote": line.strip()})
                    return [_convert(p.strip(), self.kind(items)) for p in raw.split(",")]
        return None

    def rows(self, items: Mapping[str, Any], path: str) -> list[Any] | None:
        props = items.get("properties") or {}
        wanted = {_key(name): name for name in props}
        out: list[Any] = []
        for number, text in self.pages:
            for header, row, line in _table_rows(text):
                columns = {wanted[_key(h)]: i for i, h in enumerate(header) if _key(h) in wanted}
                if not columns:
                    continue
                item: dict[str, Any] = dict.fromkeys(props)
                for prop, col in columns.items():
                    value = _convert(row[col], self.kind(props[prop])) if col < len(row) else None
                    item[prop] = value
                    if value is not None:
                        field_path = (
                            f"{path}[{len(out)}].{prop}" if path else f"[{len(out)}].{prop}"
                        )
                        self.evidence.append({"field": field_path, "page": number, "quote": line})
                out.append(item)
        return out or None


def _extract(
    root: Mapping[str, Any], data_schema: Mapping[str, Any], document: str
) -> dict[str, Any]:
    filler = _Filler(root, document)
    data = filler.fill(data_schema, "", "data")
    if filler.kind(data_schema) == "array" and data is None:
        data = []
    return {"data": data, "evidence": filler.evidence}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _key(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.strip())
    return re.sub(r"[\s_-]+", "_", _MARKS.sub("", spaced)).lower()


def _labelled(line: str, name: str) -> str | None:
    """The value of ``Name: value`` on ``line`` (``name`` as snake/camel case), else None."""
    clean = _MARKS.sub("", line).strip().lstrip("-").strip()
    label, sep, value = clean.partition(":")
    if not sep or _key(label) != _key(name):
        return None
    return value.strip() or None


def _table_rows(text: str) -> Iterator[tuple[list[str], list[str], str]]:
    header: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if header is None:
            header = cells
        elif not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            yield header, cells, stripped


def _convert(raw: str, kind: str) -> Any:
    raw = raw.strip()
    if not raw:
        return None
    if kind in ("number", "integer"):
        match = re.search(r"-?\d[\d,]*(?:\.\d+)?", raw)
        if not match:
            return None
        number = float(match.group().replace(",", ""))
        return int(number) if kind == "integer" or number.is_integer() else number
    if kind == "boolean":
        return {"yes": True, "true": True, "y": True, "no": False, "false": False, "n": False}.get(
            raw.lower()
        )
    return raw


def fast_config(server: FakeLLM, **changes: Any) -> Any:
    """An ``LlmConfig`` for ``server`` with test-sized timeouts and backoff (changes override;
    give ``slots_dir`` a folder of the test's own)."""
    from reams.processors.llm import LlmConfig

    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "fake-model",
        "timeout_s": 5.0,
        "max_retries": 2,
        "backoff_s": 0.01,
        "max_backoff_s": 0.05,
    }
    return LlmConfig.from_dict({**values, **changes})
