"""Operating endpoints: ``/healthz`` (liveness), ``/readyz`` (readiness), ``/metrics``.

No auth: load balancers, orchestrators and Prometheus call them. They reveal no job data,
only counts and the reason a check fails.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from reams.service.health import Health
from reams.service.metrics import CONTENT_TYPE, Metrics

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: 200 while the process serves")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the store answers and is migrated, and the engine runs",
    description="`checks` maps each check to `ok` or why it failed; `failing` lists the failed "
    "ones (503). Under the Temporal engine, `workers` says whether any `reams worker` sent a "
    "heartbeat recently: a warning (listed in `warnings`), not a failure, so the API keeps "
    "serving while no worker runs.",
    responses={503: {"description": "A check failed; the body names it and why"}},
)
def readyz(request: Request) -> JSONResponse:
    health: Health = request.app.state.health
    readiness = health.readiness()
    body: dict[str, Any] = {
        "status": "ok" if readiness.ready else "unavailable",
        "checks": {c.name: "ok" if c.ok else c.error for c in readiness.checks},
    }
    if not readiness.ready:
        body["failing"] = [c.name for c in readiness.failing()]
    if readiness.warnings():  # reported, but the process still serves (see service.health)
        body["warnings"] = [c.name for c in readiness.warnings()]
    return JSONResponse(body, status_code=200 if readiness.ready else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics (text exposition format)",
    response_class=Response,
    responses={200: {"description": "The metrics.", "content": {"text/plain": {}}}},
)
def metrics(request: Request) -> Response:
    registry: Metrics = request.app.state.metrics
    return Response(registry.render(), media_type=CONTENT_TYPE)
