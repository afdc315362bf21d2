"""Saved product configurations and webhook configurations: the use cases behind
`/api/v1/beta/configurations` and `/api/v1/beta/webhook-configs`.

Parameters are checked against the typed schema of their ``product_type`` before anything is
stored (a bad key is an ``InvalidField`` naming it); webhook URLs must be http(s) and pass the
private-address guard (:mod:`reams.service.webhooks`), event names must be the spec's, and an
empty event list is refused. Jobs copy a saved config's endpoint when they are created.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Engine

from reams.domain import names, webhooks
from reams.domain.configurations import Configuration, WebhookConfig
from reams.domain.errors import InvalidField
from reams.service.webhooks import Guard
from reams.store.configurations import ConfigurationStore
from reams.wire.configurations import validate_parameters

# API field name -> stored column, for webhook config updates.
WEBHOOK_UPDATABLE: Final = {
    "webhook_url": "webhook_url",
    "webhook_events": "webhook_events",
    "webhook_headers": "webhook_headers",
    "webhook_output_format": "webhook_output_format",
    "webhook_signing_secret": "signing_secret",
}


def _check_events(events: Sequence[str] | None) -> list[str] | None:
    try:
        checked = webhooks.check_events(events)
    except ValueError as exc:
        raise InvalidField(str(exc)) from exc
    return None if checked is None else list(checked)


class Configurations:
    """Configurations and webhook configs of one database, scoped by project."""

    def __init__(self, store: ConfigurationStore, *, guard: Guard | None = None) -> None:
        self.store = store
        self.guard = guard or Guard()

    @classmethod
    def on(cls, engine: Engine, *, guard: Guard | None = None) -> Configurations:
        """The service over the database of ``engine`` (the services' store engine)."""
        return cls(ConfigurationStore(engine), guard=guard)

    @property
    def engine(self) -> Engine:
        return self.store.engine

    # -- product configurations --------------------------------------------------------------
    def create(self, *, project_id: str, name: str, parameters: object) -> Configuration:
        """Create, or update the one with the same name and product type (an upsert)."""
        checked = validate_parameters(parameters)
        return self.store.upsert_configuration(
            project_id=project_id,
            name=names.label("name", name, limit=names.CONFIGURATION_NAME_MAX),
            product_type=checked["product_type"],
            parameters=checked,
        )

    def get(self, config_id: str, *, project_id: str) -> Configuration:
        """A saved configuration of the project, or a built-in preset."""
        return self.store.get_configuration(config_id, project_id=project_id)

    def resolve(self, config_id: str, *, project_id: str, product_type: str) -> dict[str, Any]:
        """The parameters of ``config_id`` for a ``product_type`` job (for creates that take a
        ``configuration_id``); another product type's configuration is an ``InvalidField``."""
        config = self.get(config_id, project_id=project_id)
        if config.product_type != product_type:
            raise InvalidField(
                f"configuration_id {config_id!r} is a {config.product_type} configuration, "
                f"not {product_type}"
            )
        return dict(config.parameters)

    def list_configs(
        self,
        *,
        project_id: str,
        page_size: int,
        page_token: str | None,
        name: str | None = None,
        product_types: Sequence[str] | None = None,
        latest_only: bool = False,
    ) -> tuple[list[Configuration], str | None]:
        return self.store.list_configurations(
            project_id=project_id,
            page_size=page_size,
            page_token=page_token,
            name=names.lookup("name", name),
            product_types=product_types,
            latest_only=latest_only,
        )

    def update(
        self,
        config_id: str,
        *,
        project_id: str,
        name: str | None = None,
        parameters: object | None = None,
    ) -> Configuration:
        """None leaves a field as it is; the product type cannot change."""
        checked = None if parameters is None else validate_parameters(parameters)
        name = names.optional_label("name", name, limit=names.CONFIGURATION_NAME_MAX)
        return self.store.update_configuration(
            config_id, project_id=project_id, name=name, parameters=checked
        )

    def delete(self, config_id: str, *, project_id: str) -> None:
        self.store.delete_configuration(config_id, project_id=project_id)

    # -- webhook configurations --------------------------------------------------------------
    def create_webhook(
        self,
        *,
        project_id: str,
        webhook_url: str,
        webhook_events: Sequence[str] | None = None,
        webhook_headers: Mapping[str, str] | None = None,
        webhook_output_format: str | None = None,
        webhook_signing_secret: str | None = None,
    ) -> WebhookConfig:
        return self.store.create_webhook_config(
            project_id=project_id,
            webhook_url=self.guard.check_url(webhook_url),
            webhook_events=_check_events(webhook_events),
            webhook_headers=None if webhook_headers is None else dict(webhook_headers),
            webhook_output_format=webhook_output_format,
            signing_secret=webhook_signing_secret,
        )

    def get_webhook(self, config_id: str, *, project_id: str) -> WebhookConfig:
        return self.store.get_webhook_config(config_id, project_id=project_id)

    def list_webhooks(
        self, *, project_id: str, page_size: int | None = None, page_token: str | None = None
    ) -> tuple[list[WebhookConfig], str | None]:
        """Newest first; all of them when ``page_size`` is None."""
        return self.store.list_webhook_configs(
            project_id=project_id, page_size=page_size, page_token=page_token
        )

    def count_webhooks(self, *, project_id: str) -> int:
        return self.store.count_webhook_configs(project_id=project_id)

    def update_webhook(
        self, config_id: str, *, project_id: str, changes: Mapping[str, Any]
    ) -> WebhookConfig:
        """Apply ``changes`` (API field names; only those present change). A null
        ``webhook_events`` subscribes to every event, a null secret removes it."""
        unknown = sorted(set(changes) - set(WEBHOOK_UPDATABLE))
        if unknown:
            raise InvalidField(f"webhook config fields {unknown} cannot be updated")
        columns = {WEBHOOK_UPDATABLE[k]: v for k, v in changes.items()}
        if "webhook_url" in columns:
            columns["webhook_url"] = self.guard.check_url(columns["webhook_url"])
        if "webhook_events" in columns:
            columns["webhook_events"] = _check_events(columns["webhook_events"])
        return self.store.update_webhook_config(config_id, project_id=project_id, changes=columns)

    def delete_webhook(self, config_id: str, *, project_id: str) -> None:
        self.store.delete_webhook_config(config_id, project_id=project_id)
