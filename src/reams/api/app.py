"""The FastAPI application factory (`uvicorn --factory reams.api.app:create_app`).

No module-level app or settings: each `create_app` call builds its own, and the lifespan builds
the services (store, blobs, engine) so that importing this module does no I/O.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from reams import bootstrap
from reams.api import errors
from reams.api.openapi import install_openapi
from reams.api.operations import RequestMetrics, docs_off, install_docs
from reams.api.routes import ROUTERS, health
from reams.api.routes.dashboard import install_dashboard
from reams.api.signing import load_secret
from reams.api.upload_guard import UploadGuard
from reams.service.health import Health
from reams.service.metrics import Metrics
from reams.settings import Settings

VERSION = "0.1.0"

DESCRIPTION = """
reams implements LlamaCloud's batch-processing API, so the official `llama-cloud` SDK works
against it unchanged: upload **files**, gather them in **directories**, run a **batch job**
over a directory, then read each item's result with `GET /api/v2/parse/{job_id}`.

**Job status** — `pending` (created, items planned) → `dispatched` (handed to the engine) →
`running` (an item started) → `completed` (every item terminal) | `cancelled` | `failed`.
A job is `failed` only when its orchestration failed, never because some items failed.

**Item status** — `pending` → `processing` → `completed` | `failed`; `pending` → `skipped`
(`skip_reason`: `already_processed`, `size_limit_exceeded`) | `cancelled`.

**Counts** — `processed_items` counts *completed* items; `failed_items`, `skipped_items`,
`pending_items`, `processing_items` and `cancelled_items` count the other states, and they
always add up to `total_items`.
`progress_percentage` = 100 × terminal items (completed, failed, skipped, cancelled) / total
items; an empty job reports 0 until it finishes, then 100.

**Errors** have the shape `{"detail": ...}` (schema `ErrorBody`): a sentence, or a list of
issues when request validation refused the request — a 422 can be either. Unknown ids and
other projects' ids are 404.
A 409 carries `x-should-retry: false`, so the SDK raises at once instead of retrying.

**Auth** — in `open` mode any bearer key (or none) acts in the default project; in `keys`
mode send `Authorization: Bearer <api key>`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app; settings default to the environment (`REAMS_*`)."""
    resolved = settings if settings is not None else Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = bootstrap.build(resolved)
        try:  # close what was built even when a later start step fails
            app.state.services = services
            app.state.signing_secret = load_secret(
                resolved.data_dir,
                resolved.secret_key.get_secret_value() if resolved.secret_key else None,
            )
            project = services.catalog.ensure_project(resolved.default_project)
            app.state.default_project_id = project.id
            app.state.health = Health.on(services.store, services.engine)
            app.state.metrics = Metrics.on(services.store, services.engine)
            services.start()
            services.start_webhooks()  # not here when the engine's process sends them
            if services.webhooks is not None:
                services.webhooks.on_attempt = app.state.metrics.webhook_attempt
            yield
        finally:
            services.close()

    app = FastAPI(
        title="reams", description=DESCRIPTION, version=VERSION, lifespan=lifespan, **docs_off()
    )
    errors.install(app)
    app.add_middleware(UploadGuard)  # auth and size of uploads before their bodies are read
    app.add_middleware(RequestMetrics)
    install_docs(app)
    install_openapi(app)
    app.include_router(health.router)
    for router in ROUTERS:
        app.include_router(router)
    install_dashboard(app)
    return app
