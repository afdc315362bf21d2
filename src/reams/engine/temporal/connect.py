"""How reams connects to Temporal: the one place ``Client.connect`` is called.

The API side (``TemporalEngine``) and ``reams worker`` (``WorkerHost``) connect with the same
options, built from ``TemporalConfig``: plain TCP to a dev server, TLS with a private CA,
mutual TLS (a self-hosted cluster or Temporal Cloud with certificates), or an API key
(Temporal Cloud), which implies TLS.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from temporalio.client import Client
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)
from temporalio.service import TLSConfig

from reams.engine.temporal.config import TemporalConfig


@dataclass(frozen=True)
class ConnectOptions:
    """The arguments of ``Client.connect`` that reams sets (files already read)."""

    target_host: str
    namespace: str
    tls: bool | TLSConfig
    api_key: str | None


def _read(path: Path | None, what: str) -> bytes | None:
    if path is None:
        return None
    try:
        return path.expanduser().read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read the Temporal {what} {str(path)!r}: {exc}") from exc


def connect_options(config: TemporalConfig, *, namespace: str | None = None) -> ConnectOptions:
    """The connect options for ``config`` (in ``namespace``, default the configured one).

    TLS is on when asked for, when any TLS file or the server name is set, or with an API key
    (Temporal Cloud accepts keys over TLS only). A CA, a client certificate and key, or a
    server name give a ``TLSConfig``; otherwise ``True`` (the system roots verify the server).
    """
    if (config.tls_cert_path is None) != (config.tls_key_path is None):
        raise ValueError("Temporal mutual TLS needs both a client certificate and its key")
    api_key = config.api_key.get_secret_value() if config.api_key is not None else None
    custom = any(
        v is not None
        for v in (
            config.tls_ca_path,
            config.tls_cert_path,
            config.tls_key_path,
            config.tls_server_name,
        )
    )
    tls: bool | TLSConfig = config.tls or custom or api_key is not None
    if custom:
        tls = TLSConfig(
            server_root_ca_cert=_read(config.tls_ca_path, "CA certificate"),
            client_cert=_read(config.tls_cert_path, "client certificate"),
            client_private_key=_read(config.tls_key_path, "client key"),
            domain=config.tls_server_name,
        )
    return ConnectOptions(
        target_host=config.address,
        namespace=namespace or config.namespace,
        tls=tls,
        api_key=api_key or None,
    )


_runtime: Runtime | None = None


def runtime(metrics_address: str | None = None) -> Runtime:
    """This process's Temporal runtime (made once): the SDK core's own logs forwarded to
    Python logging (``temporalio.core``: the process's format, no colour codes), and, when
    ``metrics_address`` is set (workers: ``REAMS_TEMPORAL_METRICS_ADDRESS``), the SDK's
    Prometheus metrics served there."""
    global _runtime
    if _runtime is None:
        metrics = PrometheusConfig(bind_address=metrics_address) if metrics_address else None
        _runtime = Runtime(
            telemetry=TelemetryConfig(
                logging=LoggingConfig(
                    filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
                    forwarding=LogForwardingConfig(logger=logging.getLogger("temporalio.core")),
                ),
                metrics=metrics,
            )
        )
    return _runtime


async def connect(
    config: TemporalConfig, *, namespace: str | None = None, serve_metrics: bool = False
) -> Client:
    """A client connected with ``connect_options(config, namespace=namespace)``;
    ``serve_metrics``: this process serves the SDK's metrics (a worker does, the API not)."""
    options = connect_options(config, namespace=namespace)
    return await Client.connect(
        options.target_host,
        namespace=options.namespace,
        tls=options.tls,
        api_key=options.api_key,
        runtime=runtime(config.metrics_address if serve_metrics else None),
    )
