"""The engine's side of the store: compare-and-set item transitions with counters.

The primitive is in :mod:`.moves`; claims, outcomes, the job lifecycle (incl. recovery) and
retrying failed items are one module each, combined here into :class:`Store`.
"""

from __future__ import annotations

from reams.store.claims import ClaimStore
from reams.store.idempotency import IdempotencyStore
from reams.store.lifecycle import LifecycleStore
from reams.store.moves import Completion, Settlement
from reams.store.outcomes import OutcomeStore
from reams.store.retries import RetryStore
from reams.store.webhooks import WebhookStore
from reams.store.workers import WorkerStore

__all__ = ["Completion", "Settlement", "Store"]


class Store(
    LifecycleStore,
    ClaimStore,
    OutcomeStore,
    RetryStore,
    IdempotencyStore,
    WebhookStore,
    WorkerStore,
):
    """The whole store: catalog, jobs, transitions. One instance per process.

    It implements the seams of :mod:`reams.store.protocols`: the application layer holds it
    as a ``Catalog``, the engines as ``Work``, ``reams worker`` also as ``Heartbeats``.
    """
