"""A Temporal slice's item budget: ``max_items``, or up to ``grow_to`` while its items are fast
(the driver's lane claims several at a time); slow items stop it at ``max_items``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from reams.engine.drive import Lane
from reams.engine.temporal.slices import SliceLimits, SliceRun


class Store:
    """Hands out as many items as asked for (the job never runs dry here)."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def should_yield(self, job_id: str) -> bool:
        return False

    def claim(self, *, owner: str, lease_s: float, limit: int, job_ids: list[str]) -> list[Any]:
        self.asked.append(limit)
        start = sum(self.asked) - limit
        return [SimpleNamespace(id=f"i{start + n}") for n in range(limit)]


def _run(*, max_items: int, grow_to: int) -> tuple[SliceRun, Store, Lane]:
    store = Store()
    ctx: Any = SimpleNamespace(store=store, owner="t:test", config=SimpleNamespace(lease_s=60))
    run = SliceRun(
        ctx=ctx,
        job_id="bjb-test",
        limits=SliceLimits(max_items, 60.0, 10.0, grow_to),
        interrupted=lambda: False,
        heartbeat=lambda _n: None,
    )
    lane = Lane()
    run._driver = SimpleNamespace(lane=lane)  # type: ignore[assignment]
    return run, store, lane


def _claimed(run: SliceRun, batch: int) -> int:
    total = 0
    while items := run._claim(batch):
        total += len(items)
    return total


def test_slow_items_stop_at_max_items() -> None:
    run, _, lane = _run(max_items=10, grow_to=40)
    assert not lane.fast
    assert _claimed(run, 1) == 10


def test_fast_items_go_on_up_to_grow_to() -> None:
    run, store, lane = _run(max_items=10, grow_to=40)
    lane.batch = 4  # the driver saw fast items: it claims several at a time
    assert lane.fast
    assert _claimed(run, 4) == 40
    assert sum(store.asked) == 40 and max(store.asked) <= 4


def test_without_grow_to_fast_items_stop_at_max_items() -> None:
    run, _, lane = _run(max_items=10, grow_to=0)
    lane.batch = 4
    assert _claimed(run, 4) == 10


def test_items_turning_slow_past_max_items_end_the_slice() -> None:
    run, _, lane = _run(max_items=10, grow_to=40)
    lane.batch = 4
    assert len(run._claim(4)) + len(run._claim(4)) + len(run._claim(4)) == 12
    lane.batch = 1  # the last item was slow
    assert run._claim(1) == []
