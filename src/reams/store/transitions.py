"""The engine's side of the store: compare-and-set item transitions with counters.

The primitive is in :mod:`.moves`; claims, outcomes and the job lifecycle (incl. recovery) are
one module each, combined here into :class:`Store`.
"""

from __future__ import annotations

from reams.store.claims import ClaimStore
from reams.store.lifecycle import LifecycleStore
from reams.store.moves import Outcome
from reams.store.outcomes import OutcomeStore

__all__ = ["Outcome", "Store"]


class Store(LifecycleStore, ClaimStore, OutcomeStore):
    """The whole store: catalog, jobs, transitions. One instance per process."""
