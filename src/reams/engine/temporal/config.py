"""The Temporal engine's knobs, filled from Settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr


@dataclass(frozen=True)
class TemporalConfig:
    """Where Temporal is and how batch workflows schedule work (see ``Settings``)."""

    address: str = "127.0.0.1:7233"
    namespace: str = "default"
    task_queue: str = "reams"
    # How to connect (see ``connect.connect_options``): TLS, mutual TLS, an API key.
    tls: bool = False
    tls_ca_path: Path | None = None
    tls_cert_path: Path | None = None
    tls_key_path: Path | None = None
    tls_server_name: str | None = None
    api_key: SecretStr | None = None
    metrics_address: str | None = None  # host:port where a worker serves the SDK's metrics
    slice_size: int = 50
    # Slices of fast items grow up to this many times slice_size (workflow.batch.Sizes);
    # a job's own page size is never exceeded.
    slice_growth: int = 8
    slice_max_s: float = 60.0
    fan_out: int = 8
    continue_as_new_threshold: int = 5000
    heartbeat_timeout_s: float = 30.0
    retry_initial_s: float = 1.0
    retry_max_interval_s: float = 60.0
    retry_max_attempts: int = 10
    resubmit_interval_s: float = 60.0
    rpc_timeout_s: float = 15.0
    shutdown_grace_s: float = 30.0
    # How often ``reams worker`` writes its heartbeat row (``reams workers``, ``/readyz``).
    worker_heartbeat_s: float = 5.0
