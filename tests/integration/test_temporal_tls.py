"""reams connects to Temporal over TLS, mutual TLS and with an API key, for real.

`temporal server start-dev` has no TLS, so a TLS-terminating proxy (``tests/tls_proxy.py``)
stands in front of the session's dev server with certificates from a CA made at test time.
Each connection goes through ``reams.engine.temporal.connect.connect`` (what the API side and
``reams worker`` use); the last test runs a whole batch job through the Temporal engine over
mutual TLS with an API key. ``tests/unit/test_temporal_connect.py`` checks the options alone.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, GetSystemInfoRequest

from docgen import make_corpus
from reams.bootstrap import build
from reams.domain.jobconfig import resolve
from reams.engine.temporal.config import TemporalConfig
from reams.engine.temporal.connect import connect
from reams.service.folders import mirror_folder
from reams.settings import Settings
from temporal_servers import InProcessWorker, TemporalServer
from tls_proxy import SERVER_NAME, HpackDecoder, Pki, TlsProxy, huffman_decode, make_pki

SYSTEM_INFO = "/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo"
MakeProxy = Callable[..., TlsProxy]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def make_proxy(temporal_server: TemporalServer, pki: Pki) -> Iterator[MakeProxy]:
    """Starts TLS proxies in front of the dev server; stops them after the test."""
    started: list[TlsProxy] = []

    def make(*, require_client_cert: bool = False) -> TlsProxy:
        proxy = TlsProxy(temporal_server.address, pki, require_client_cert=require_client_cert)
        started.append(proxy.start())
        return proxy

    yield make
    for proxy in started:
        proxy.stop()
        assert proxy.errors == []


def system_info(config: TemporalConfig) -> str:
    """Connect as reams does and make two calls; the server's version."""

    async def main() -> str:
        client = await connect(config)
        described = await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace="default")
        )
        assert described.namespace_info.name == "default"
        info = await client.workflow_service.get_system_info(GetSystemInfoRequest())
        return str(info.server_version)

    return asyncio.run(main())


def connect_fails(config: TemporalConfig) -> str:
    """The error of connecting with ``config``, which must fail."""
    with pytest.raises(RuntimeError, match="Failed client connect") as failure:
        system_info(config)
    return str(failure.value)


def test_the_hpack_decoder_reads_the_rfc_examples() -> None:
    """RFC 7541 C.4: Huffman-coded requests sharing one dynamic table (the proxy reads what
    reams sends with this decoder, so it must be right)."""
    assert huffman_decode(bytes.fromhex("f1e3c2e5f23a6ba0ab90f4ff")) == b"www.example.com"
    decoder = HpackDecoder()
    first = decoder.decode(bytes.fromhex("828684418cf1e3c2e5f23a6ba0ab90f4ff"))
    assert first == [
        (":method", "GET"),
        (":scheme", "http"),
        (":path", "/"),
        (":authority", "www.example.com"),
    ]
    second = decoder.decode(bytes.fromhex("828684be5886a8eb10649cbf"))
    assert second == [*first, ("cache-control", "no-cache")]
    third = decoder.decode(bytes.fromhex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"))
    assert third[-1] == ("custom-key", "custom-value")
    assert third[1:3] == [(":scheme", "https"), (":path", "/index.html")]


def test_tls_with_a_private_ca(make_proxy: MakeProxy, pki: Pki) -> None:
    proxy = make_proxy()
    by_name = TemporalConfig(address=proxy.address, tls_ca_path=pki.ca, tls_server_name=SERVER_NAME)
    assert system_info(by_name)
    assert system_info(TemporalConfig(address=proxy.address, tls_ca_path=pki.ca))  # IP SAN
    assert [h.alpn for h in proxy.handshakes] == ["h2", "h2"]
    assert SYSTEM_INFO in {r[":path"] for r in proxy.requests}
    assert {r[":authority"] for r in proxy.requests} == {SERVER_NAME, proxy.address}
    assert proxy.refused == []

    # The system roots do not know the test CA; nor does another CA; the name must match.
    assert "UnknownIssuer" in connect_fails(TemporalConfig(address=proxy.address, tls=True))
    assert "UnknownIssuer" in connect_fails(
        TemporalConfig(address=proxy.address, tls_ca_path=pki.other_ca)
    )
    assert "NotValidForName" in connect_fails(
        TemporalConfig(address=proxy.address, tls_ca_path=pki.ca, tls_server_name="other.test")
    )
    connect_fails(TemporalConfig(address=proxy.address))  # plaintext to a TLS port
    assert all(reason.startswith("SSLError") for reason in proxy.wait_refused(4))
    assert len(proxy.handshakes) == 2


def test_mutual_tls(make_proxy: MakeProxy, pki: Pki) -> None:
    proxy = make_proxy(require_client_cert=True)
    with_cert = TemporalConfig(
        address=proxy.address,
        tls_ca_path=pki.ca,
        tls_cert_path=pki.client_cert,
        tls_key_path=pki.client_key,
        tls_server_name=SERVER_NAME,
    )
    assert system_info(with_cert)
    assert [h.client_subject for h in proxy.handshakes] == ["reams-worker"]
    assert proxy.refused == []

    # Under TLS 1.3 the client learns of a refused certificate on its first call, so the
    # proxy's side says why.
    connect_fails(TemporalConfig(address=proxy.address, tls_ca_path=pki.ca))
    proxy.wait_refused(reason="PEER_DID_NOT_RETURN_A_CERTIFICATE")
    stranger = TemporalConfig(
        address=proxy.address,
        tls_ca_path=pki.ca,
        tls_cert_path=pki.stranger_cert,
        tls_key_path=pki.stranger_key,
    )
    connect_fails(stranger)
    proxy.wait_refused(reason="CERTIFICATE_VERIFY_FAILED")
    assert len(proxy.handshakes) == 1


def test_an_api_key_is_sent_as_bearer_metadata_over_tls(make_proxy: MakeProxy, pki: Pki) -> None:
    proxy = make_proxy()
    key = SecretStr(f"reams-test-{uuid.uuid4().hex}")
    assert system_info(TemporalConfig(address=proxy.address, tls_ca_path=pki.ca, api_key=key))
    assert len(proxy.requests) >= 3  # connect's own GetSystemInfo, then two calls
    assert set(proxy.authorizations()) == {f"Bearer {key.get_secret_value()}"}

    proxy.requests.clear()
    assert system_info(TemporalConfig(address=proxy.address, tls_ca_path=pki.ca))
    assert proxy.requests and set(proxy.authorizations()) == {None}


def wait_until_done(services: Any, job_id: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while (job := services.store.get_job(job_id, project_id=None)).status not in (
        "completed",
        "failed",
        "cancelled",
    ):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    return job


def test_a_batch_job_runs_over_mutual_tls_with_an_api_key(
    make_proxy: MakeProxy, pki: Pki, tmp_path: Path
) -> None:
    """The API side (starts the workflow) and a worker (``reams worker``'s code) both reach
    Temporal only through the proxy, with a client certificate and the key on every call."""
    proxy = make_proxy(require_client_cert=True)
    key = f"reams-test-{uuid.uuid4().hex}"
    settings = Settings(
        data_dir=tmp_path / "data",
        engine="temporal",
        workers=2,
        poll_interval_s=0.05,
        temporal_address=proxy.address,
        temporal_task_queue=f"tls-{uuid.uuid4().hex[:12]}",
        temporal_tls_ca_path=pki.ca,
        temporal_tls_cert_path=pki.client_cert,
        temporal_tls_key_path=pki.client_key,
        temporal_tls_server_name=SERVER_NAME,
        temporal_api_key=SecretStr(key),
        temporal_heartbeat_timeout_s=5,
    )
    make_corpus(tmp_path / "docs", 3, kinds=("md",))
    services = build(settings)
    worker = InProcessWorker(settings)
    try:
        services.engine.start()
        worker.start()
        project = services.store.ensure_project("default")
        config = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}
        directory = mirror_folder(
            services.store, services.blobs, project_id=project.id, root=tmp_path / "docs"
        )
        created = services.store.create_job(
            project_id=project.id,
            settings=resolve(config),
            job_config=config,
            directory_id=directory,
            item_ids=None,
        )
        services.engine.submit(created.id)
        job = wait_until_done(services, created.id)
    finally:
        worker.stop()
        services.close()
    assert (job.status, job.counts.total, job.counts.completed) == ("completed", 3, 3)

    paths = {r[":path"].rsplit("/", 1)[-1] for r in proxy.requests}
    assert {"StartWorkflowExecution", "PollWorkflowTaskQueue", "PollActivityTaskQueue"} <= paths
    assert set(proxy.authorizations()) == {f"Bearer {key}"}
    assert {h.client_subject for h in proxy.handshakes} == {"reams-worker"}
    assert proxy.refused == []
