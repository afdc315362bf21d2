"""Saved product configurations and webhook configurations (`/api/v1/beta/configurations`,
`/api/v1/beta/webhook-configs`), project-scoped like the rest of the store.

A configuration is unique per (project, name, product type): `upsert_configuration` with the
same name and product type updates the row in place and moves its ``version`` (a datetime
string) on. Built-in presets (`cfg-PARSE_AGENTIC`, ...) are not rows: they belong to every
project, come first in every list, and cannot be updated or deleted.

Parameters arrive here already validated (see `reams.service.configurations`); the records and
the presets are in `reams.domain.configurations`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, Select, Table, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from reams.domain import ids
from reams.domain.configurations import PRESETS, Configuration, WebhookConfig, preset
from reams.domain.errors import Conflict, InvalidField, InvalidRequest, NotFound
from reams.store import tables as t
from reams.store.base import StoreBase, decode_token, next_token, to_record
from reams.store.db import utcnow

WEBHOOK_FIELDS: Final = (
    "webhook_url",
    "webhook_events",
    "webhook_headers",
    "webhook_output_format",
    "signing_secret",
)


def _presets(name: str | None, product_types: Sequence[str] | None) -> list[Configuration]:
    return [
        p
        for p in PRESETS
        if (name is None or p.name == name)
        and (not product_types or p.product_type in product_types)
    ]


def _version(now: datetime) -> str:
    return now.isoformat()


class ConfigurationStore(StoreBase):
    """Configurations and webhook configs; other projects' ids behave like unknown ids."""

    # -- product configurations --------------------------------------------------------------
    def upsert_configuration(
        self,
        *,
        project_id: str,
        name: str,
        product_type: str,
        parameters: Mapping[str, Any],
        _retry: bool = True,
    ) -> Configuration:
        """Create, or update the one with the same name and product type in this project."""
        c = t.configurations.c
        now = utcnow()
        values = {"parameters": dict(parameters), "version": _version(now), "updated_at": now}
        try:
            with self.tx() as conn:
                row = conn.execute(
                    select(c.id).where(
                        c.project_id == project_id, c.name == name, c.product_type == product_type
                    )
                ).first()
                if row is not None:
                    conn.execute(update(t.configurations).where(c.id == row.id).values(**values))
                    return self._configuration(conn, row.id, project_id)
                config_id = ids.new_id(ids.CONFIGURATION)
                conn.execute(
                    insert(t.configurations).values(
                        id=config_id,
                        project_id=project_id,
                        name=name,
                        product_type=product_type,
                        created_at=now,
                        **values,
                    )
                )
                return self._configuration(conn, config_id, project_id)
        except IntegrityError:  # a concurrent create of the same name won: update that one
            if not _retry:
                raise
            return self.upsert_configuration(
                project_id=project_id,
                name=name,
                product_type=product_type,
                parameters=parameters,
                _retry=False,
            )

    def get_configuration(self, config_id: str, *, project_id: str) -> Configuration:
        """A saved configuration of this project, or a built-in preset."""
        builtin = preset(config_id)
        if builtin is not None:
            return builtin
        with self.read() as conn:
            return self._configuration(conn, config_id, project_id)

    def list_configurations(
        self,
        *,
        project_id: str,
        page_size: int,
        page_token: str | None,
        name: str | None = None,
        product_types: Sequence[str] | None = None,
        latest_only: bool = False,
    ) -> tuple[list[Configuration], str | None]:
        """Presets first, then saved ones newest first. ``latest_only`` keeps, per name, the
        most recently written configuration."""
        offset = decode_token(page_token)
        presets = _presets(name, product_types)
        rows = presets[offset : offset + page_size + 1]
        wanted = page_size + 1 - len(rows)
        if wanted > 0:
            query = self._configurations_query(project_id, name, product_types, latest_only)
            query = query.offset(max(0, offset - len(presets))).limit(wanted)
            with self.read() as conn:
                rows += [to_record(Configuration, r) for r in conn.execute(query).all()]
        return rows[:page_size], next_token(offset, page_size, len(rows))

    def update_configuration(
        self,
        config_id: str,
        *,
        project_id: str,
        name: str | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> Configuration:
        """Change the name and/or the parameters (same product type); None leaves it as is."""
        _refuse_preset(config_id, "updated")
        c = t.configurations.c
        now = utcnow()
        values: dict[str, Any] = {"version": _version(now), "updated_at": now}
        if name is not None:
            values["name"] = name
        with self.tx() as conn:
            current = self._configuration(conn, config_id, project_id)
            if parameters is not None:
                kind = parameters.get("product_type")
                if kind != current.product_type:
                    raise InvalidField(
                        f"parameters.product_type cannot change: configuration {config_id!r} "
                        f"is {current.product_type!r}, got {kind!r}"
                    )
                values["parameters"] = dict(parameters)
            try:
                conn.execute(update(t.configurations).where(c.id == config_id).values(**values))
            except IntegrityError:
                raise Conflict(
                    f"a {current.product_type} configuration named {name!r} already exists"
                ) from None
            return self._configuration(conn, config_id, project_id)

    def delete_configuration(self, config_id: str, *, project_id: str) -> None:
        _refuse_preset(config_id, "deleted")
        self._delete_owned(t.configurations, "configuration", config_id, project_id)

    def _configuration(self, conn: Connection, config_id: str, project_id: str) -> Configuration:
        row = _owned_row(conn, t.configurations, "configuration", config_id, project_id)
        return to_record(Configuration, row)

    def _delete_owned(self, table: Table, kind: str, row_id: str, project_id: str) -> None:
        """Delete the project's row ``row_id`` of ``table``; NotFound when it has none."""
        with self.tx() as conn:
            gone = conn.execute(
                delete(table).where(table.c.id == row_id, table.c.project_id == project_id)
            ).rowcount
        if not gone:
            raise NotFound(kind, row_id)

    @staticmethod
    def _configurations_query(
        project_id: str, name: str | None, product_types: Sequence[str] | None, latest_only: bool
    ) -> Select[Any]:
        c = t.configurations.c
        where = [c.project_id == project_id]
        if name is not None:
            where.append(c.name == name)
        if product_types:
            where.append(c.product_type.in_(list(product_types)))
        query = select(t.configurations).where(*where)
        if latest_only:
            newest = (
                select(c.name, func.max(c.updated_at).label("newest"))
                .where(*where)
                .group_by(c.name)
                .subquery()
            )
            query = query.join(
                newest, and_(c.name == newest.c.name, c.updated_at == newest.c.newest)
            )
        return query.order_by(c.created_at.desc(), c.id.desc())

    # -- webhook configurations --------------------------------------------------------------
    def create_webhook_config(
        self,
        *,
        project_id: str,
        webhook_url: str,
        webhook_events: list[str] | None = None,
        webhook_headers: dict[str, str] | None = None,
        webhook_output_format: str | None = None,
        signing_secret: str | None = None,
    ) -> WebhookConfig:
        now = utcnow()
        values = {
            "id": ids.new_id(ids.WEBHOOK_CONFIG),
            "project_id": project_id,
            "webhook_url": webhook_url,
            "webhook_events": webhook_events,
            "webhook_headers": webhook_headers,
            "webhook_output_format": webhook_output_format,
            "signing_secret": signing_secret,
            "created_at": now,
            "updated_at": now,
        }
        with self.tx() as conn:
            conn.execute(insert(t.webhook_configs).values(**values))
        return to_record(WebhookConfig, values)

    def get_webhook_config(self, config_id: str, *, project_id: str) -> WebhookConfig:
        with self.read() as conn:
            return self._webhook_config(conn, config_id, project_id)

    def list_webhook_configs(
        self, *, project_id: str, page_size: int | None = None, page_token: str | None = None
    ) -> tuple[list[WebhookConfig], str | None]:
        """Newest first; every one of them when ``page_size`` is None."""
        c = t.webhook_configs.c
        query = (
            select(t.webhook_configs)
            .where(c.project_id == project_id)
            .order_by(c.created_at.desc(), c.id.desc())
        )
        offset = decode_token(page_token)
        if page_size is not None:
            query = query.offset(offset).limit(page_size + 1)
        with self.read() as conn:
            rows = [to_record(WebhookConfig, r) for r in conn.execute(query).all()]
        if page_size is None:
            return rows, None
        return rows[:page_size], next_token(offset, page_size, len(rows))

    def count_webhook_configs(self, *, project_id: str) -> int:
        c = t.webhook_configs.c
        query = (
            select(func.count()).select_from(t.webhook_configs).where(c.project_id == project_id)
        )
        with self.read() as conn:
            return int(conn.execute(query).scalar_one())

    def update_webhook_config(
        self, config_id: str, *, project_id: str, changes: Mapping[str, Any]
    ) -> WebhookConfig:
        """Set the given fields (keys of ``WEBHOOK_FIELDS``); the others stay as they are."""
        unknown = set(changes) - set(WEBHOOK_FIELDS)
        if unknown:
            raise InvalidField(f"webhook config fields {sorted(unknown)} cannot be updated")
        c = t.webhook_configs.c
        with self.tx() as conn:
            self._webhook_config(conn, config_id, project_id)
            conn.execute(
                update(t.webhook_configs)
                .where(c.id == config_id)
                .values(**dict(changes), updated_at=utcnow())
            )
            return self._webhook_config(conn, config_id, project_id)

    def delete_webhook_config(self, config_id: str, *, project_id: str) -> None:
        self._delete_owned(t.webhook_configs, "webhook config", config_id, project_id)

    def _webhook_config(self, conn: Connection, config_id: str, project_id: str) -> WebhookConfig:
        row = _owned_row(conn, t.webhook_configs, "webhook config", config_id, project_id)
        return to_record(WebhookConfig, row)


def _refuse_preset(config_id: str, what: str) -> None:
    if preset(config_id) is not None:
        raise InvalidRequest(
            f"configuration {config_id!r} is a built-in preset: it cannot be {what}"
        )


def _owned_row(conn: Connection, table: Table, kind: str, row_id: str, project_id: str) -> Any:
    """The project's row ``row_id`` of ``table``; NotFound for unknown and other projects' ids."""
    row = conn.execute(
        select(table).where(table.c.id == row_id, table.c.project_id == project_id)
    ).first()
    if row is None:
        raise NotFound(kind, row_id)
    return row
