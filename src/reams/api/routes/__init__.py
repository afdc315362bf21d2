"""One router per resource; `ROUTERS` is the order the app includes them in."""

from __future__ import annotations

from fastapi import APIRouter

from reams.api.routes import (
    batch,
    batches_v2,
    classifier,
    classify,
    configurations,
    directories,
    directory_files,
    downloads,
    export,
    extract,
    files,
    parse,
    projects,
    webhook_configs,
    webhook_deliveries,
    workers,
)

ROUTERS: tuple[APIRouter, ...] = (
    files.router,
    downloads.router,
    directories.router,
    directory_files.router,
    batch.router,
    export.router,
    webhook_deliveries.router,
    batches_v2.router,
    parse.router,
    classify.router,
    classifier.router,
    extract.router,
    configurations.router,
    webhook_configs.router,
    projects.router,
    workers.router,
)
