"""Saved product configurations, built-in presets and saved webhook configurations.

A configuration is unique per (project, name, product type); its ``version`` is the datetime
string of its last write. Built-in presets (`cfg-PARSE_AGENTIC`, the one the SDK documents)
belong to every project (``project_id`` None) and cannot be changed or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from reams.domain import ids


@dataclass(frozen=True)
class Configuration:
    """A saved product configuration, or a built-in preset (``project_id`` None)."""

    id: str
    name: str
    product_type: str
    parameters: dict[str, Any]
    version: str
    project_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def builtin(self) -> bool:
        return self.project_id is None


@dataclass(frozen=True)
class WebhookConfig:
    """A saved webhook endpoint; ``signing_secret`` never leaves the server."""

    id: str
    project_id: str
    webhook_url: str
    webhook_events: list[str] | None = None
    webhook_headers: dict[str, str] | None = None
    webhook_output_format: str | None = None
    signing_secret: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


PRESETS_VERSION: Final = "2026-01-01T00:00:00+00:00"

# The presets the SDK documents (its examples use `cfg-PARSE_AGENTIC` as a v2 batch's
# `configuration_id`), with the parameters they stand for.
PRESETS: Final[tuple[Configuration, ...]] = (
    Configuration(
        id=f"{ids.CONFIGURATION}-PARSE_AGENTIC",
        name="PARSE_AGENTIC",
        product_type="parse_v2",
        parameters={"product_type": "parse_v2", "tier": "agentic", "version": "latest"},
        version=PRESETS_VERSION,
    ),
)
_PRESET_BY_ID: Final = {p.id: p for p in PRESETS}


def preset(config_id: str) -> Configuration | None:
    """The built-in preset with this id, if it is one."""
    return _PRESET_BY_ID.get(config_id)
