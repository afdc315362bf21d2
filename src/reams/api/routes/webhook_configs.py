"""Saved webhook configurations: `/api/v1/beta/webhook-configs` (create, list as a plain
array, get, update, delete) and `/api/v2/webhook-configs` (the cursor-paginated list).

They are stored for batches and product jobs to reference; reams does not deliver webhooks
yet. The signing secret is write-only: responses carry `has_secret` instead.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Response

from reams.api.deps import ConfigurationsDep, CursorDep, ProjectId
from reams.domain.configurations import WebhookConfig
from reams.wire import configurations as wc
from reams.wire.common import CursorPage

router = APIRouter(tags=["webhook configs"])

V1: Final = "/api/v1/beta/webhook-configs"
UPDATABLE: Final = (
    "webhook_url",
    "webhook_events",
    "webhook_headers",
    "webhook_output_format",
    "webhook_signing_secret",
)


def _model(rec: WebhookConfig) -> wc.WebhookConfigResponse:
    return wc.WebhookConfigResponse.model_validate(
        {
            "id": rec.id,
            "has_secret": bool(rec.signing_secret),
            "tenant_id": rec.project_id,
            "tenant_type": "project",
            "webhook_url": rec.webhook_url,
            "created_at": rec.created_at,
            "updated_at": rec.updated_at,
            "webhook_events": rec.webhook_events,
            "webhook_headers": rec.webhook_headers,
            "webhook_output_format": rec.webhook_output_format,
        }
    )


@router.post(
    V1,
    response_model=wc.WebhookConfigResponse,
    response_model_exclude_none=True,
    summary="Create a webhook configuration",
)
def create_webhook_config(
    body: wc.WebhookConfigCreate, configs: ConfigurationsDep, project_id: ProjectId
) -> wc.WebhookConfigResponse:
    rec = configs.create_webhook(
        project_id=project_id,
        webhook_url=body.webhook_url,
        webhook_events=body.webhook_events,
        webhook_headers=body.webhook_headers,
        webhook_output_format=body.webhook_output_format,
        webhook_signing_secret=body.webhook_signing_secret,
    )
    return _model(rec)


@router.get(
    V1,
    response_model=list[wc.WebhookConfigResponse],
    response_model_exclude_none=True,
    summary="Every webhook configuration of the project, newest first (not paginated)",
)
def list_webhook_configs(
    configs: ConfigurationsDep, project_id: ProjectId
) -> list[wc.WebhookConfigResponse]:
    rows, _ = configs.list_webhooks(project_id=project_id)
    return [_model(r) for r in rows]


@router.get(
    "/api/v2/webhook-configs",
    response_model=CursorPage[wc.WebhookConfigResponse],
    response_model_exclude_none=True,
    summary="Webhook configurations, newest first (cursor pages)",
)
def list_webhook_configs_paginated(
    configs: ConfigurationsDep,
    project_id: ProjectId,
    cursor: CursorDep,
    include_total: Annotated[
        bool, Query(description="Also count every matching row into `total_size`.")
    ] = False,
) -> CursorPage[wc.WebhookConfigResponse]:
    rows, token = configs.list_webhooks(
        project_id=project_id, page_size=cursor.page_size, page_token=cursor.page_token
    )
    total = configs.count_webhooks(project_id=project_id) if include_total else None
    return CursorPage[wc.WebhookConfigResponse](
        items=[_model(r) for r in rows], next_page_token=token, total_size=total
    )


@router.get(
    V1 + "/{config_id}",
    response_model=wc.WebhookConfigResponse,
    response_model_exclude_none=True,
    summary="Get a webhook configuration",
)
def get_webhook_config(
    config_id: str, configs: ConfigurationsDep, project_id: ProjectId
) -> wc.WebhookConfigResponse:
    return _model(configs.get_webhook(config_id, project_id=project_id))


@router.put(
    V1 + "/{config_id}",
    response_model=wc.WebhookConfigResponse,
    response_model_exclude_none=True,
    summary="Update a webhook configuration (only the fields present change)",
)
def update_webhook_config(
    config_id: str,
    body: wc.WebhookConfigUpdate,
    configs: ConfigurationsDep,
    project_id: ProjectId,
) -> wc.WebhookConfigResponse:
    """`webhook_events: null` subscribes to every event; `webhook_signing_secret: null`
    removes the secret."""
    changes: dict[str, Any] = {
        field: getattr(body, field) for field in UPDATABLE if field in body.model_fields_set
    }
    rec = configs.update_webhook(config_id, project_id=project_id, changes=changes)
    return _model(rec)


@router.delete(
    V1 + "/{config_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a webhook configuration",
)
def delete_webhook_config(
    config_id: str, configs: ConfigurationsDep, project_id: ProjectId
) -> None:
    configs.delete_webhook(config_id, project_id=project_id)
