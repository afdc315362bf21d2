"""Prometheus metrics (``/metrics``), one registry per app (tests run several in a process).

Counts come from the jobs' maintained counters with one aggregate query per scrape (a custom
collector): ``reams_jobs``, ``reams_items``, ``reams_queue_depth``, the webhook outbox
(``reams_webhook_outbox``), and ``reams_workers`` from the workers' heartbeat rows. Item
durations and failures are observed where items settle in this process (the local engine),
with the LLM requests and tokens their results record (``reams_llm_requests_total``,
``reams_llm_tokens_total``); webhook attempts by the sender of this process
(``reams_webhook_deliveries_total``); HTTP request durations by the API's middleware
(``observe_request``). Under ``reams serve`` the engine runs in a process of its own: it
observes the items and the webhook attempts in a registry of its own (:class:`ItemMetrics`),
which the API's ``/metrics`` appends to its own.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from reams.domain.records import Item
from reams.domain.states import JobStatus, Outcome
from reams.engine.local import LocalEngine
from reams.engine.remote import EngineUnreachable, RemoteEngine
from reams.store.db import utcnow
from reams.store.stats import Stats, queue_depth

if TYPE_CHECKING:
    from reams.engine.base import Engine
    from reams.store.transitions import Store

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
ITEM_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_JOB_TYPES_KEPT = 10_000  # job id → job type cache for observations; cleared when full


class StoreCollector(Collector):
    """Jobs and items by state from the store's counters: one aggregate query per scrape."""

    def __init__(self, stats: Stats) -> None:
        self.stats = stats

    def collect(self) -> Iterator[Metric]:
        try:
            groups = self.stats.job_groups()
        except Exception:  # the database is away: /readyz says so; /metrics still answers
            log.warning("could not read the job counters for /metrics", exc_info=True)
            return
        jobs = GaugeMetricFamily("reams_jobs", "Jobs by status.", labels=["status"])
        by_status = dict.fromkeys((str(s) for s in JobStatus), 0)
        for group in groups:
            by_status[group.status] = by_status.get(group.status, 0) + group.jobs
        for status, n in sorted(by_status.items()):
            jobs.add_metric([status], n)
        yield jobs
        items = GaugeMetricFamily(
            "reams_items", "Items by status and job type.", labels=["status", "job_type"]
        )
        totals: dict[tuple[str, str], int] = {}
        for group in groups:
            for status, n in group.items.items():
                key = (status, group.job_type)
                totals[key] = totals.get(key, 0) + n
        for (status, job_type), n in sorted(totals.items()):
            items.add_metric([status, job_type], n)
        yield items
        yield GaugeMetricFamily(
            "reams_queue_depth", "Pending items of active jobs.", value=queue_depth(groups)
        )
        try:
            outbox = self.stats.open_deliveries()
        except Exception:
            log.warning("could not read the webhook outbox for /metrics", exc_info=True)
            return
        queue = GaugeMetricFamily(
            "reams_webhook_outbox", "Webhook deliveries not settled yet.", labels=["status"]
        )
        for status, n in sorted(outbox.items()):
            queue.add_metric([status], n)
        yield queue


class WorkersCollector(Collector):
    """``reams_workers``: `reams worker` processes by state (alive, stale) and task queue, from
    their heartbeat rows (stopped ones are not counted)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        try:
            rows = self.store.list_workers(running_only=True)
        except Exception:
            log.warning("could not read the workers for /metrics", exc_info=True)
            return
        now = utcnow()
        counts: dict[tuple[str, str], int] = {}
        for row in rows:
            key = (row.state(now).value, row.task_queue)
            counts[key] = counts.get(key, 0) + 1
        family = GaugeMetricFamily(
            "reams_workers",
            "reams worker processes by state and task queue (from their heartbeats).",
            labels=["state", "task_queue"],
        )
        for (state, queue), n in sorted(counts.items()):
            family.add_metric([state, queue], n)
        yield family


class ItemMetrics:
    """What the engine's process observes: items settling (durations, failures, LLM usage)
    and webhook attempts. In the API's registry when the engine runs in the API process;
    in the engine process's own under ``reams serve`` (the API's ``/metrics`` adds it)."""

    def __init__(self, *, registry: CollectorRegistry, store: Store) -> None:
        self.registry = registry
        self._store = store
        self._job_types: dict[str, str] = {}
        self.item_duration = Histogram(
            "reams_item_duration_seconds",
            "Time from an item's start to its settling (completed or failed), by job type and "
            "format (the detected type of a completed item; a failed one's file extension).",
            ["job_type", "format"],
            buckets=ITEM_BUCKETS,
            registry=registry,
        )
        self.item_failures = Counter(
            "reams_item_failures",
            "Items that failed for good, by error code.",
            ["error_code"],
            registry=registry,
        )
        self.llm_requests = Counter(
            "reams_llm_requests",
            "Requests sent to the LLM endpoint for items completed in this process, by job type.",
            ["job_type"],
            registry=registry,
        )
        self.llm_tokens = Counter(
            "reams_llm_tokens",
            "Tokens the LLM endpoint reported for items completed in this process, by job type "
            "and kind (prompt, completion).",
            ["job_type", "kind"],
            registry=registry,
        )
        self.webhook_deliveries = Counter(
            "reams_webhook_deliveries",
            "Webhook delivery attempts made by this process, by event and outcome (delivered, "
            "retry, stopped by a 410, failed for good).",
            ["event", "outcome"],
            registry=registry,
        )

    @classmethod
    def on(cls, store: Store) -> ItemMetrics:
        """A registry of their own (the engine process's)."""
        return cls(registry=CollectorRegistry(auto_describe=False), store=store)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def webhook_attempt(self, event: str, outcome: str) -> None:
        self.webhook_deliveries.labels(event, outcome).inc()

    def item_settled(self, item: Item, outcome: Outcome) -> None:
        """Observe a settled item (never raises: metrics must not fail an item)."""
        if outcome not in (Outcome.COMPLETED, Outcome.FAILED):
            return
        try:
            self._observe(self._store, item, outcome)
        except Exception:
            log.debug("could not observe item %s", item.id, exc_info=True)

    def _observe(self, store: Store, item: Item, outcome: Outcome) -> None:
        settled = store.get_item(item.id)
        if outcome == Outcome.FAILED:
            self.item_failures.labels(settled.error_code or "unknown").inc()
        job_type = self._job_type(store, item.job_id)
        metadata: dict[str, Any] = {}
        if outcome == Outcome.COMPLETED and settled.result_id:
            metadata = store.get_result(settled.result_id, project_id=None).output_metadata or {}
        if settled.started_at is not None and settled.completed_at is not None:
            duration = (settled.completed_at - settled.started_at).total_seconds()
            fmt = _format(metadata.get("detected_type"), settled.item_name)
            self.item_duration.labels(job_type, fmt).observe(duration)
        self._observe_llm(job_type, metadata)

    def _observe_llm(self, job_type: str, metadata: dict[str, Any]) -> None:
        """The LLM usage the processor recorded with the result (none: offline engine)."""
        usage = metadata.get("usage")
        if not isinstance(usage, dict) or not usage.get("requests"):
            return
        self.llm_requests.labels(job_type).inc(int(usage["requests"]))
        for kind in ("prompt", "completion"):
            tokens = usage.get(f"{kind}_tokens")
            if isinstance(tokens, int) and tokens > 0:
                self.llm_tokens.labels(job_type, kind).inc(tokens)

    def _job_type(self, store: Store, job_id: str) -> str:
        job_type = self._job_types.get(job_id)
        if job_type is None:
            if len(self._job_types) >= _JOB_TYPES_KEPT:
                self._job_types.clear()
            job_type = self._job_types[job_id] = store.get_job(job_id, project_id=None).job_type
        return job_type


class Metrics:
    """The registry of one app: the store's counts, HTTP requests, and the engine's items
    (observed here, or fetched from the engine process under ``reams serve``)."""

    def __init__(
        self,
        *,
        stats: Stats,
        store: Store,
        engine_text: Callable[[], bytes] | None = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(StoreCollector(stats))
        self.registry.register(WorkersCollector(store))
        # Several API processes (`REAMS_API_WORKERS`): each writes its requests to the files
        # of prometheus-client's multiprocess mode, and any of them reads all of them back.
        shared = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if shared:
            MultiProcessCollector(self.registry, path=shared)  # type: ignore[no-untyped-call]
        self.http_duration = Histogram(
            "reams_http_request_duration_seconds",
            "HTTP requests by route template, method and status code.",
            ["route", "method", "status"],
            buckets=HTTP_BUCKETS,
            registry=None if shared else self.registry,
        )
        self._engine_text = engine_text
        # Observed in this process unless another one (the engine's) observes them.
        self.items = None if engine_text else ItemMetrics(registry=self.registry, store=store)

    @classmethod
    def on(cls, store: Store, engine: Engine) -> Metrics:
        """Metrics over ``store``, observing items where ``engine`` settles them (local)."""
        if isinstance(engine, RemoteEngine):
            return cls(stats=Stats(store.engine), store=store, engine_text=engine.metrics_text)
        metrics = cls(stats=Stats(store.engine), store=store)
        if isinstance(engine, LocalEngine) and engine.on_item_done is None and metrics.items:
            engine.on_item_done = metrics.items.item_settled
        return metrics

    def render(self) -> bytes:
        own = generate_latest(self.registry)
        if self._engine_text is None:
            return own
        try:
            return own + self._engine_text()
        except EngineUnreachable:  # /readyz says so; /metrics still answers with the rest
            log.warning("could not read the engine process's metrics", exc_info=True)
            return own

    def observe_request(self, *, route: str, method: str, status: int, seconds: float) -> None:
        self.http_duration.labels(route, method, str(status)).observe(seconds)

    def webhook_attempt(self, event: str, outcome: str) -> None:
        if self.items is not None:
            self.items.webhook_attempt(event, outcome)


def _format(detected: object, name: str) -> str:
    """A bounded label: the detected type, else a short alphanumeric extension, else other."""
    if isinstance(detected, str) and detected.isalnum() and len(detected) <= 12:
        return detected.lower()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ext if ext.isalnum() and len(ext) <= 5 else "other"
