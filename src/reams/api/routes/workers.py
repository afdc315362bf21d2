"""`GET /api/v1/beta/workers` (reams extension): the `reams worker` processes on record, as
`reams workers` lists them. Deployment-wide (workers serve every project); any caller with a
valid key may read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from reams.api.deps import ProjectId, ServicesDep
from reams.service.workers import WorkerView
from reams.wire.workers import Worker

router = APIRouter(prefix="/api/v1/beta/workers", tags=["workers"])


def _model(view: WorkerView) -> Worker:
    w = view.worker
    return Worker(
        id=w.id,
        hostname=w.hostname,
        pid=w.pid,
        task_queue=w.task_queue,
        namespace=w.namespace,
        slots=w.slots,
        items_done=w.items_done,
        heartbeat_s=w.heartbeat_s,
        started_at=w.started_at,
        last_seen_at=w.last_seen_at,
        stopped_at=w.stopped_at,
        state=view.state.value,
    )


@router.get(
    "",
    response_model=list[Worker],
    summary="The reams worker processes and their heartbeats — reams extension",
)
def list_workers(
    services: ServicesDep,
    _caller: ProjectId,
    task_queue: Annotated[str | None, Query(description="Only workers of this queue.")] = None,
) -> list[Worker]:
    """Every worker on record (rows of workers stopped or unseen for a day are swept), the
    most recently seen first. Empty under the local engine, whose workers are threads of the
    server."""
    return [_model(v) for v in services.workers.list(task_queue=task_queue)]
