"""Near its job's end ``reams run`` reads the job again as items are recorded, but not once per
item: a run of quick outcomes (skips, flushes) leaves at least ``SETTLED_GAP_S`` between reads."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

from reams.cli.run import POLL_S, SETTLED_GAP_S, LocalRun


class AlwaysSettling:
    """An engine on which some item has always just been recorded."""

    def __init__(self) -> None:
        self.waits = 0

    def wait_settled(self, timeout_s: float) -> bool:
        self.waits += 1
        return True


def test_reads_near_the_end_are_spaced_however_often_items_settle(tmp_path: Path) -> None:
    engine = AlwaysSettling()
    services = SimpleNamespace(engine=engine)
    session = LocalRun(services=services, root=tmp_path, out=tmp_path / "out")  # type: ignore[arg-type]
    started = time.monotonic()
    for _ in range(5):
        session.pause(POLL_S)
    assert engine.waits == 5  # each pause did wait on the engine, not sleep its POLL_S out
    assert time.monotonic() - started >= 5 * SETTLED_GAP_S
