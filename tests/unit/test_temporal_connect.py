"""The Temporal connect options built from the settings (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.service import TLSConfig

from reams.bootstrap import temporal_config
from reams.engine.temporal.connect import connect_options
from reams.settings import Settings


def test_plain_by_default() -> None:
    options = connect_options(temporal_config(Settings()))
    assert (options.target_host, options.namespace) == ("127.0.0.1:7233", "default")
    assert options.tls is False
    assert options.api_key is None


def test_namespace_override() -> None:
    options = connect_options(temporal_config(Settings()), namespace="tenant-a")
    assert options.namespace == "tenant-a"


def test_tls_with_system_roots() -> None:
    options = connect_options(temporal_config(Settings(temporal_tls=True)))
    assert options.tls is True


def test_private_ca_and_mutual_tls(tmp_path: Path) -> None:
    for name in ("ca.pem", "client.pem", "client.key"):
        (tmp_path / name).write_bytes(f"--{name}--".encode())
    settings = Settings(
        temporal_address="temporal.internal:7233",
        temporal_tls_ca_path=tmp_path / "ca.pem",
        temporal_tls_cert_path=tmp_path / "client.pem",
        temporal_tls_key_path=tmp_path / "client.key",
        temporal_tls_server_name="temporal.example",
    )
    options = connect_options(temporal_config(settings))
    assert options.tls == TLSConfig(
        server_root_ca_cert=b"--ca.pem--",
        client_cert=b"--client.pem--",
        client_private_key=b"--client.key--",
        domain="temporal.example",
    )


def test_temporal_cloud_api_key_implies_tls() -> None:
    settings = Settings(
        temporal_address="us-east-1.aws.api.temporal.io:7233",
        temporal_namespace="reams-prod.a1b2c",
        temporal_api_key="secret-key",
    )
    config = temporal_config(settings)
    assert "secret-key" not in repr(config)
    options = connect_options(config)
    assert options.tls is True
    assert options.api_key == "secret-key"
    assert options.namespace == "reams-prod.a1b2c"


def test_half_a_client_pair_or_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="both a client certificate and its key"):
        connect_options(temporal_config(Settings(temporal_tls_cert_path=tmp_path / "c.pem")))
    with pytest.raises(ValueError, match="cannot read the Temporal CA certificate"):
        connect_options(temporal_config(Settings(temporal_tls_ca_path=tmp_path / "none.pem")))
