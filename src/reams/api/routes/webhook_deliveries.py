"""The webhook delivery log of a job and re-sending (reams extension):
`GET /api/v1/beta/batch-processing/{job_id}/webhook-deliveries` and
`POST .../webhook-deliveries/{delivery_id}/resend`."""

from __future__ import annotations

from fastapi import APIRouter

from reams.api.deps import ProjectId, ServicesDep
from reams.domain.webhooks import Delivery
from reams.wire.webhooks import WebhookDelivery

router = APIRouter(prefix="/api/v1/beta/batch-processing", tags=["webhooks"])


def _model(d: Delivery) -> WebhookDelivery:
    return WebhookDelivery(
        id=d.id,
        job_id=d.job_id,
        event=d.event,
        url=d.url,
        status=d.status.value,
        attempts=d.attempts,
        last_status_code=d.last_status_code,
        last_error=d.last_error,
        next_attempt_at=d.next_attempt_at,
        created_at=d.created_at,
        delivered_at=d.delivered_at,
    )


@router.get(
    "/{job_id}/webhook-deliveries",
    response_model=list[WebhookDelivery],
    summary="A job's webhook deliveries, oldest first — reams extension",
    responses={404: {"description": "No such job in this project."}},
)
def list_webhook_deliveries(
    job_id: str, services: ServicesDep, project_id: ProjectId
) -> list[WebhookDelivery]:
    """Every event of the job to every endpoint it notifies: status, attempts, the last HTTP
    status and error, and when an open delivery is tried next."""
    return [_model(d) for d in services.catalog.list_deliveries(job_id, project_id=project_id)]


@router.post(
    "/{job_id}/webhook-deliveries/{delivery_id}/resend",
    response_model=WebhookDelivery,
    summary="Send a settled webhook delivery again — reams extension",
    responses={
        404: {"description": "No such job or delivery in this project."},
        409: {"description": "The delivery is still pending or being sent."},
    },
)
def resend_webhook_delivery(
    job_id: str, delivery_id: str, services: ServicesDep, project_id: ProjectId
) -> WebhookDelivery:
    """A delivered, failed or stopped delivery goes out again now (same id and body, a fresh
    signature); if that attempt fails it is retried while its retry window lasts."""
    return _model(services.catalog.resend_delivery(job_id, delivery_id, project_id=project_id))
