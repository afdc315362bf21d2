"""Creating and controlling jobs: the only place that runs "resolve → check → store → engine".

Every way in — the v1 batch API, the v2 product creates, ``reams run`` — builds a
:class:`JobRequest` and calls :meth:`Jobs.submit`; new ways in (v2 batches, retrying failed
items, idempotent creates) belong here as methods of :class:`Jobs`, never in a route or a
command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reams import processors
from reams.domain import jobconfig
from reams.domain.configurations import WebhookConfig
from reams.domain.errors import Conflict, InvalidField
from reams.domain.fairness import DEFAULT_PRIORITY, check_priority
from reams.domain.jobconfig import JobSettings
from reams.domain.records import Job, JobOrigin
from reams.domain.states import JobStatus
from reams.domain.webhooks import WebhookTarget
from reams.engine.base import Engine
from reams.service.webhooks import Guard, resolve_targets
from reams.store.protocols import Catalog


class WebhookConfigs(Protocol):
    """Where saved webhook configs are read (NotFound for unknown ids)."""

    def get_webhook_config(self, config_id: str, *, project_id: str) -> WebhookConfig: ...


# A cancel that finds the job already in one of these states is a conflict.
FINISHED = frozenset({JobStatus.COMPLETED, JobStatus.FAILED})


@dataclass(frozen=True, kw_only=True)
class JobRequest:
    """What a caller asks for: a job config over a directory or a list of directory files.

    ``namespace``, ``page_size`` and ``continue_as_new_threshold`` tune the Temporal engine
    and are recorded on the job either way.
    """

    project_id: str
    job_config: Mapping[str, Any]
    directory_id: str | None = None
    item_ids: Sequence[str] | None = None
    namespace: str | None = None
    page_size: int | None = None
    continue_as_new_threshold: int | None = None
    origin: JobOrigin | None = None
    # Inline ``webhook_configurations`` of a v2 create (v1 batches carry theirs in the job
    # config's parameters); saved ones are named by ``origin.webhook_configuration_ids``.
    webhooks: Sequence[object] = ()
    # Orders the job among its project's jobs, higher first (reams extension; checked in
    # ``submit``: an integer in domain.fairness's bounds).
    priority: int = DEFAULT_PRIORITY


def check_config(job_config: Mapping[str, Any]) -> JobSettings:
    """Resolve a job config and let its processor check it; raises InvalidField.

    Pure (no store, no engine), so the CLI checks a config before it opens anything.
    """
    settings = jobconfig.resolve(job_config)
    processors.check(settings.job_type.value, settings.parameters)
    return settings


class Jobs:
    """Job use cases over one store and one engine."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        engine: Engine,
        webhook_configs: WebhookConfigs | None = None,
        guard: Guard | None = None,
    ) -> None:
        self._catalog = catalog
        self._engine = engine
        self._webhook_configs = webhook_configs
        self._guard = guard or Guard()

    def submit(self, request: JobRequest) -> Job:
        """Check the config, write the job with every item pending, hand it to the engine.

        Nothing is stored when the config is invalid. The engine's ``submit`` is
        self-healing: a job written but not handed over is resumed when an engine starts.
        """
        settings = check_config(request.job_config)
        priority = check_priority(request.priority)
        targets = self.webhook_targets(request)
        job = self._catalog.create_job(
            project_id=request.project_id,
            settings=settings,
            job_config=dict(request.job_config),
            directory_id=request.directory_id,
            item_ids=request.item_ids,
            namespace=request.namespace,
            page_size=request.page_size,
            continue_as_new_threshold=request.continue_as_new_threshold,
            origin=request.origin,
            webhooks=targets,
            priority=priority,
        )
        self._engine.submit(job.id)
        return job

    def webhook_targets(self, request: JobRequest) -> list[WebhookTarget]:
        """The endpoints a request names (inline, in its v1 job config, saved), checked."""
        saved_ids = request.origin.webhook_configuration_ids if request.origin else ()
        saved = []
        for config_id in dict.fromkeys(saved_ids):
            if self._webhook_configs is None:
                raise InvalidField("webhook_configuration_ids: no saved webhook configs here")
            saved.append(
                self._webhook_configs.get_webhook_config(config_id, project_id=request.project_id)
            )
        inline, name = list(request.webhooks), "webhook_configurations"
        config = request.job_config
        raw = config.get("parameters")
        params: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        for source, prefix in ((params, "job_config.parameters"), (config, "job_config")):
            if source.get("webhook_configurations"):
                inline, name = source["webhook_configurations"], f"{prefix}.webhook_configurations"
            if source.get("webhook_url"):  # v1 parse: "called when parsing finishes"
                inline = [*inline, {"webhook_url": source["webhook_url"]}]
        return resolve_targets(inline, saved, guard=self._guard, field_name=name)

    def cancel(self, job_id: str, *, project_id: str | None, reason: str | None) -> Job:
        """Cancel pending items at once; items in flight finish and are recorded.

        Unknown ids and other projects' ids are NotFound; a job that already completed or
        failed is a Conflict. Cancelling a cancelled job again answers it as it is.
        """
        self._catalog.get_job(job_id, project_id=project_id)
        job = self._engine.cancel(job_id, reason=reason)
        if job.status in FINISHED:
            raise Conflict(f"batch job {job_id!r} already {job.status}; it cannot be cancelled")
        return job

    def retry_failed(
        self,
        job_id: str,
        *,
        project_id: str | None,
        error_codes: Sequence[str] = (),
        item_ids: Sequence[str] = (),
    ) -> tuple[Job, int]:
        """Send a job's failed items round again; returns the job after and how many moved.

        ``error_codes`` / ``item_ids`` narrow the retry (empty: every failed item). The items
        go back to ``pending`` (their last error kept until the new attempt settles, their
        attempt count reset), a completed job becomes ``running``, the counters move in the
        same transaction; then the engine is handed the job again (for Temporal a new
        workflow run starts, or the running one claims the items). A running job retries what
        has failed so far. Unknown ids are NotFound; a cancelled or failed job, or one with
        no matching failed item, is a Conflict.
        """
        job, moved = self._catalog.retry_failed(
            job_id, project_id=project_id, error_codes=error_codes, item_ids=item_ids
        )
        self._engine.submit(job.id)
        return self._catalog.get_job(job.id, project_id=project_id), moved
