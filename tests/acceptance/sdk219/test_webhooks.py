"""Webhooks through the 2.19 SDK: inline endpoints on a parse job and a saved configuration
on a v2 batch, delivered to a real receiver on loopback and verified as docs/webhooks.md
says (the server is started with private targets allowed, as only a test rig should)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import llama_cloud
import pytest

from conftest import reams_server

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


class Inbox:
    def __init__(self) -> None:
        self.got: list[tuple[str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()

    def wait(self, path: str, event: str, timeout: float = 60) -> tuple[dict[str, str], bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for p, headers, body in self.got:
                    if p == path and json.loads(body)["event"] == event:
                        return headers, body
            time.sleep(0.05)
        raise AssertionError(f"{event} never reached {path}: {[g[0] for g in self.got]}")


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, str]]:
    box = Inbox()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with box.lock:
                box.got.append((self.path, dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield box, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[llama_cloud.LlamaCloud]:
    env = {"REAMS_WEBHOOK_ALLOW_PRIVATE": "1", "REAMS_WEBHOOK_SECRET": SECRET,
           "REAMS_WEBHOOK_POLL_S": "0.05"}  # fmt: skip
    with reams_server(tmp_path_factory.mktemp("reams-hooks"), env) as url:
        yield llama_cloud.LlamaCloud(
            api_key="x", base_url=url, _strict_response_validation=True, max_retries=0
        )


def _verify(headers: dict[str, str], body: bytes) -> bool:
    """The verifier of docs/webhooks.md."""
    msg_id, ts = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(ts)) > 300:
        return False
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(mac).decode()
    return any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split())


def test_parse_job_webhook_inline(
    sdk: llama_cloud.LlamaCloud, inbox: tuple[Inbox, str], tmp_path: Path
) -> None:
    box, base = inbox
    doc = tmp_path / "memo.md"
    doc.write_text("# Memo\n\nShip it.\n")
    file = sdk.files.create(file=doc, purpose="parse")
    job = sdk.parsing.create(
        file_id=file.id,
        tier="fast",
        version="latest",
        webhook_configurations=[
            {
                "webhook_url": f"{base}/parse",
                "webhook_events": ["parse.success"],
                "webhook_output_format": "json",
                "webhook_signing_secret": "per-endpoint",
            }
        ],
    )
    headers, body = box.wait("/parse", "parse.success")
    assert _verify(headers, body)
    assert (
        headers["LC-Signature"] == "sha256=" + hmac.new(b"per-endpoint", body, "sha256").hexdigest()
    )
    event: dict[str, Any] = json.loads(body)
    assert event["job_id"] == job.id and event["data"]["status"] == "COMPLETED"


def test_batch_webhook_by_saved_configuration(
    sdk: llama_cloud.LlamaCloud, inbox: tuple[Inbox, str], tmp_path: Path
) -> None:
    box, base = inbox
    hook = sdk.webhook_configs.create(
        webhook_url=f"{base}/batch", webhook_events=["batch.pending", "batch.success"]
    )
    directory = sdk.beta.directories.create(name="hooked")
    doc = tmp_path / "a.md"
    doc.write_text("# A\n")
    sdk.beta.directories.files.upload(directory.id, upload_file=doc)
    batch = sdk.batches.create(
        source_directory_id=directory.id,
        config={"job": {"type": "parse_v2", "configuration_id": "cfg-PARSE_AGENTIC"}},
        webhook_configuration_ids=[hook.id],
    )
    _, pending = box.wait("/batch", "batch.pending")
    headers, body = box.wait("/batch", "batch.success")
    assert _verify(headers, body)
    data = json.loads(json.loads(body)["data"])  # the default "string" output format
    assert json.loads(pending)["job_id"] == batch.id
    assert (data["status"], data["completed_items"]) == ("COMPLETED", 1)
