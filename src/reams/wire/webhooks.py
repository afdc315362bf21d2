"""The webhook delivery log (reams extension): one entry per event sent to one endpoint."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, RootModel

from reams.wire.common import WireModel


class WebhookDelivery(WireModel):
    id: str = Field(description="Delivery id; also the `webhook-id` header of every attempt.")
    job_id: str
    event: str = Field(description="e.g. `parse.success`, `batch.running`.")
    url: str = Field(description="The endpoint.")
    status: Literal["pending", "sending", "delivered", "stopped", "failed"] = Field(
        description="`pending` (waiting for its next attempt), `sending`, `delivered` (2xx), "
        "`stopped` (the endpoint answered 410 Gone), `failed` (gave up after the retry window)."
    )
    attempts: int
    last_status_code: int | None = Field(description="HTTP status of the last attempt.")
    last_error: str | None = Field(description="Why the last attempt did not deliver.")
    next_attempt_at: datetime | None = Field(description="When it is tried next (open only).")
    created_at: datetime = Field(description="When the event happened.")
    delivered_at: datetime | None = None


class WebhookDeliveries(RootModel[list[WebhookDelivery]]):
    """The delivery log: a plain JSON array."""
