"""How a driver's lane learns whether items are fast (claimed and queued several at a time) or
slow (one at a time, so that an idle worker can take the next)."""

from __future__ import annotations

from reams.domain.errors import ProcessorError
from reams.engine.drive import SMALL_ITEM_S, Lane
from reams.engine.processor_output import ProcessorOutput


def _output(duration_s: float, split_pages: int = 0) -> ProcessorOutput:
    return ProcessorOutput(b"{}", None, duration_s, split_pages=split_pages)


def test_fast_items_make_the_lane_claim_several() -> None:
    lane = Lane()
    for _ in range(5):
        lane.observe(_output(SMALL_ITEM_S / 20))
    assert lane.fast and lane.batch > 2


def test_a_slow_item_or_a_failure_makes_it_one_at_a_time() -> None:
    for ending in (_output(SMALL_ITEM_S * 2), ProcessorError("corrupt_document", "bad")):
        lane = Lane()
        lane.observe(_output(SMALL_ITEM_S / 20))
        lane.observe(ending)
        assert not lane.fast and lane.batch == 1


def test_a_document_split_into_page_parts_is_a_large_one() -> None:
    """Its output ("split into 3 parts") takes a moment: it must not make the lane claim the
    next large documents by the batch, leaving the other workers without work."""
    lane = Lane()
    lane.observe(_output(0.001, split_pages=300))
    assert not lane.fast and lane.batch == 1
    lane.observe(_output(SMALL_ITEM_S / 20))
    lane.observe(_output(0.001, split_pages=300))
    assert lane.batch == 1
