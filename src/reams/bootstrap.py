"""The composition root: settings → store, blobs, engine, application services (or a Temporal
worker host)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from reams.domain.webhooks import RetryPolicy
from reams.engine.base import Engine, EngineConfig
from reams.engine.local import LocalEngine
from reams.service.jobs import Jobs
from reams.service.webhooks import Guard
from reams.settings import Settings
from reams.store.blobs import LocalBlobStore
from reams.store.configurations import ConfigurationStore
from reams.store.db import make_engine, migrate
from reams.store.protocols import Catalog
from reams.store.transitions import Store

if TYPE_CHECKING:
    from reams.engine.temporal.config import TemporalConfig
    from reams.engine.temporal.worker import WorkerHost
    from reams.service.batches import Batches
    from reams.service.configurations import Configurations
    from reams.service.webhooks import WebhookLoop
    from reams.service.workers import WorkerDirectory

log = logging.getLogger(__name__)
C = TypeVar("C")


@dataclass
class Services:
    """Everything a reams process runs on; built once per process and passed down.

    The API and the CLI use ``catalog`` (reads and creates), ``blobs`` and ``jobs`` (every job
    is created and cancelled there); ``store`` and ``engine`` are the composition root's own.
    """

    settings: Settings
    store: Store
    blobs: LocalBlobStore
    engine: Engine
    jobs: Jobs
    webhooks: WebhookLoop | None = None

    @property
    def catalog(self) -> Catalog:
        return self.store

    @property
    def inline_reads(self) -> bool:
        """Whether a short read may run on the API's event loop: SQLite in WAL mode, where
        a reader never waits for the writer; a server database is read from the threadpool."""
        return self.store.dialect == "sqlite"

    # Built on first use: they import the v2 wire models, which `reams run` never needs
    # (about 80 ms of start-up).
    @cached_property
    def configurations(self) -> Configurations:
        from reams.service.configurations import Configurations

        return Configurations.on(self.store.engine, guard=self.guard)

    @property
    def guard(self) -> Guard:
        return Guard(allow_private=self.settings.webhook_allow_private)

    @property
    def engine_elsewhere(self) -> bool:
        """Whether the engine runs in another process of this ``reams serve`` (which also
        sends the webhooks and observes the items)."""
        return self.settings.engine_address is not None

    def start_webhooks(self) -> None:
        """Run the webhook sender in this process (the API server does, or its engine
        process; ``reams run`` not)."""
        if self.webhooks is not None or not self.settings.webhook_sender:
            return
        if self.engine_elsewhere:
            return
        from reams.service.webhooks import Sender, WebhookLoop

        s = self.settings
        policy = RetryPolicy(
            base_s=s.webhook_retry_base_s,
            max_delay_s=s.webhook_retry_max_delay_s,
            window_s=s.webhook_retry_window_s,
            timeout_s=s.webhook_timeout_s,
        )
        sender = Sender(server_secret=s.webhook_server_secret(), guard=self.guard, policy=policy)
        self.webhooks = WebhookLoop(
            self.store,
            sender,
            policy=policy,
            poll_s=s.webhook_poll_s,
            concurrency=s.webhook_concurrency,
        )
        self.webhooks.start()

    @property
    def workers(self) -> WorkerDirectory:
        """The heartbeat rows of ``reams worker`` processes (``reams workers``)."""
        from reams.service.workers import WorkerDirectory

        return WorkerDirectory(self.store)

    @cached_property
    def batches(self) -> Batches:
        from reams.service.batches import Batches

        return Batches(catalog=self.store, jobs=self.jobs, configurations=self.configurations)

    def start(self) -> None:
        """Start the engine: resume unfinished jobs, reclaim expired leases."""
        self.engine.start()

    def stop(self, *, grace_s: float | None = None) -> None:
        """Stop the engine; in-flight items get ``grace_s`` (default: the engine's) to finish."""
        if grace_s is None:
            self.engine.stop()
        else:
            self.engine.stop(grace_s=grace_s)

    def close(self) -> None:
        """Stop the engine (idempotent) and the webhook sender, then close the database."""
        try:
            self.stop()
            if self.webhooks is not None:
                self.webhooks.stop()
                self.webhooks = None
        finally:
            self.store.engine.dispose()


def component(cls: type[C], settings: Settings, *, prefix: str = "", **extra: Any) -> C:
    """A component's config filled from the settings of the same name (``prefix`` + field):
    one rule instead of a hand-written copy per field, so a knob added to both cannot be
    forgotten on the way. Fields without a setting keep their defaults; ``extra`` wins."""
    values = {
        f.name: getattr(settings, prefix + f.name)
        for f in fields(cls)  # type: ignore[arg-type]
        if prefix + f.name in Settings.model_fields
    }
    return cls(**(values | extra))


def engine_config(settings: Settings) -> EngineConfig:
    niceness = settings.worker_niceness
    return component(
        EngineConfig,
        settings,
        llm=settings.llm_config(),
        worker_niceness=EngineConfig.worker_niceness if niceness is None else niceness,
    )


def temporal_config(settings: Settings) -> TemporalConfig:
    # Imported here: only Temporal's side needs it (pydantic models, a few hundredths of a
    # second of every command's start-up).
    from reams.engine.temporal.config import TemporalConfig

    return component(TemporalConfig, settings, prefix="temporal_")


def _open(settings: Settings) -> tuple[Store, LocalBlobStore]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = make_engine(settings.resolved_database_url())
    migrate(db)
    return Store(db), LocalBlobStore(settings.data_dir / "blobs")


def _engine(settings: Settings, store: Store, blobs: LocalBlobStore) -> Engine:
    if settings.engine_address is not None:  # `reams serve`: the engine runs in its own process
        from reams.engine.remote import RemoteEngine

        return RemoteEngine(
            store=store, address=settings.engine_address, max_file_bytes=settings.max_file_bytes
        )
    if settings.engine == "temporal":
        # Imported here: temporalio is an optional dependency (the `temporal` extra).
        from reams.engine.temporal.engine import TemporalEngine

        return TemporalEngine(
            store=store, config=engine_config(settings), temporal=temporal_config(settings)
        )
    return LocalEngine(store=store, blobs=blobs, config=engine_config(settings))


def build(settings: Settings) -> Services:
    """Open (and migrate) the database and blob store, and create the engine (not started)."""
    store, blobs = _open(settings)
    engine = _engine(settings, store, blobs)
    return Services(
        settings=settings,
        store=store,
        blobs=blobs,
        engine=engine,
        jobs=Jobs(
            catalog=store,
            engine=engine,
            webhook_configs=ConfigurationStore(store.engine),
            guard=Guard(allow_private=settings.webhook_allow_private),
        ),
    )


@dataclass
class WorkerServices:
    """What ``reams worker`` runs on: the store, the blobs and a Temporal worker host."""

    settings: Settings
    store: Store
    host: WorkerHost

    def serve(self) -> None:
        """Run until SIGTERM or SIGINT; then shut down gracefully."""
        from reams.engine.temporal.worker import serve_until_signalled

        try:
            serve_until_signalled(self.host)
        finally:
            self.store.engine.dispose()


def build_worker(settings: Settings) -> WorkerServices:
    """Open (and migrate) the store and blobs, and create a Temporal worker host."""
    from reams.engine.temporal.worker import WorkerHost

    store, blobs = _open(settings)
    host = WorkerHost(
        store=store,
        blobs=blobs,
        config=engine_config(settings),
        temporal=temporal_config(settings),
    )
    return WorkerServices(settings=settings, store=store, host=host)
