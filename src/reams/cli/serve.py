"""``reams serve``: run the API server (with the embedded engine) on this machine."""

from __future__ import annotations

import os
import re
import signal
from contextlib import ExitStack
from tempfile import TemporaryDirectory
from typing import Any

import typer
from rich.markup import escape

from reams.cli.console import out
from reams.logs import configure as configure_logs
from reams.settings import Settings

_PASSWORD = re.compile(r"(?P<head>[a-z0-9+.-]+://[^:/@]*:)(?P<password>[^/]*)(?P<tail>@)", re.I)


def mask_password(url: str) -> str:
    """A database URL safe to print: ``postgresql://u:***@host/db``."""
    return _PASSWORD.sub(r"\g<head>***\g<tail>", url)


def describe_engine(settings: Settings) -> str:
    """The engine, and for Temporal where it is and how the connection is secured."""
    if settings.engine != "temporal":
        return settings.engine
    return f"temporal ({describe_temporal(settings)})"


def describe_temporal(settings: Settings) -> str:
    """Temporal's address, namespace and how the connection is secured (never the key)."""
    tls = settings.temporal_tls or settings.temporal_api_key is not None
    tls = (
        tls or settings.temporal_tls_ca_path is not None or bool(settings.temporal_tls_server_name)
    )
    security = "mutual TLS" if settings.temporal_tls_cert_path is not None else "TLS" if tls else ""
    if settings.temporal_api_key is not None:
        security += " + API key"
    where = f"{settings.temporal_address}, namespace {settings.temporal_namespace}"
    return f"{where}, {security}" if security else where


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
) -> None:
    """Serve the LlamaCloud-compatible batch API (and run its jobs) until Ctrl-C."""
    settings = Settings()
    out.print(f"Data directory: {escape(str(settings.data_dir.resolve()))}")
    out.print(f"Database:       {escape(mask_password(settings.resolved_database_url()))}")
    out.print(f"Auth mode:      {settings.auth_mode}")
    configure_logs(level=settings.log_level, fmt=settings.log_format)
    separate = settings.engine == "local" and settings.engine_process
    if settings.api_workers > 1 and settings.engine == "local" and not separate:
        raise typer.BadParameter(
            "REAMS_API_WORKERS > 1 needs the local engine in its own process "
            "(REAMS_ENGINE_PROCESS=true) or the Temporal engine: one engine, not one per worker"
        )
    with ExitStack() as stack:
        if separate:
            settings = start_engine_process(stack, settings)
        else:
            out.print(f"Engine:         {escape(describe_engine(settings))}")
        out.print(f"Serving on      http://{host}:{port}  (API docs at /docs)")
        # uvicorn hands the signal that stopped it back to the handlers it found (to exit by
        # it): these let the engine process stop in turn, then the command ends (0).
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: None)
        if settings.api_workers == 1:
            import uvicorn

            # Imported here: the API (FastAPI, SQLAlchemy) is only needed by this command.
            from reams.api.app import create_app

            # log_config=None: uvicorn's loggers go through the handler above (no colours).
            uvicorn.run(create_app(settings), host=host, port=port, log_config=None)
            return
        out.print(f"API processes:  {settings.api_workers}")
        # Each worker process builds its app from the environment (worker_app below).
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = stack.enter_context(
            TemporaryDirectory(prefix="reams-metrics-")
        )
        if settings.engine_address is not None:
            os.environ["REAMS_ENGINE_ADDRESS"] = settings.engine_address
        serve_workers(host=host, port=port, workers=settings.api_workers)


def start_engine_process(stack: ExitStack, settings: Settings) -> Settings:
    """Start the engine process (stopped when ``stack`` closes); the API's settings."""
    from reams.serving import EngineProcess  # only this command starts an engine process

    engine = stack.enter_context(EngineProcess())
    out.print(f"Engine:         local, in its own process (pid {engine.pid})")
    return settings.model_copy(update={"engine_address": engine.address})


def serve_workers(*, host: str, port: int, workers: int) -> None:
    """``uvicorn.run`` with workers, but with ``TCP_NODELAY`` on the listening socket (which
    the accepted ones inherit): uvicorn hands its workers a socket that asyncio does not see
    as TCP, so without it small answers wait for delayed ACKs (40 ms per request)."""
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "reams.cli.serve:worker_app", factory=True, workers=workers,
        host=host, port=port, log_config=None,
    )  # fmt: skip
    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


def worker_app() -> Any:
    """The app of one API worker process (``REAMS_API_WORKERS`` > 1), logging as the parent."""
    from reams.api.app import create_app

    settings = Settings()
    configure_logs(level=settings.log_level, fmt=settings.log_format)
    return create_app(settings)
