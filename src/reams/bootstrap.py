"""The composition root: settings → store, blobs, engine."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from reams.engine.base import Engine, EngineConfig
from reams.engine.local import LocalEngine
from reams.settings import Settings
from reams.store.blobs import LocalBlobStore
from reams.store.db import make_engine, migrate
from reams.store.transitions import Store

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a reams process runs on; built once per process and passed down."""

    settings: Settings
    store: Store
    blobs: LocalBlobStore
    engine: Engine

    def close(self) -> None:
        self.engine.stop()
        self.store.engine.dispose()


def engine_config(settings: Settings) -> EngineConfig:
    return EngineConfig(
        workers=settings.workers,
        max_file_bytes=settings.max_file_bytes,
        item_timeout_s=settings.item_timeout_s,
        item_timeout_per_page_s=settings.item_timeout_per_page_s,
        max_attempts=settings.max_attempts,
        retry_backoff_s=settings.retry_backoff_s,
        lease_s=settings.lease_s,
        worker_max_items=settings.worker_max_items,
        worker_max_rss_mb=settings.worker_max_rss_mb,
        worker_memory_limit_mb=settings.worker_memory_limit_mb,
        poll_interval_s=settings.poll_interval_s,
    )


def build(settings: Settings) -> Services:
    """Open (and migrate) the database and blob store, and create the engine (not started)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = make_engine(settings.resolved_database_url())
    migrate(db)
    store = Store(db)
    blobs = LocalBlobStore(settings.data_dir / "blobs")
    engine = LocalEngine(store=store, blobs=blobs, config=engine_config(settings))
    return Services(settings=settings, store=store, blobs=blobs, engine=engine)
