"""The cross-process semaphore within one process: N lock files, exclusive flocks, a timeout
for waiters (a holder that dies, and the workers' use of it, are in
``tests/integration/test_llm_slots.py``)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reams.engine.llm_slots import SlotError, SlotTimeout, hold_slot


def test_at_most_count_holders_at_once(tmp_path: Path) -> None:
    lock = threading.Lock()
    current = 0
    peak = 0

    def work() -> None:
        nonlocal current, peak
        with hold_slot(str(tmp_path), 2, timeout_s=10):
            with lock:
                current += 1
                peak = max(peak, current)
            time.sleep(0.05)
            with lock:
                current -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slot-0.lock", "slot-1.lock"]


def test_waiting_honours_the_timeout(tmp_path: Path) -> None:
    with hold_slot(str(tmp_path), 1, timeout_s=1):
        started = time.monotonic()
        with pytest.raises(SlotTimeout, match="busy"), hold_slot(str(tmp_path), 1, timeout_s=0.2):
            pass
        assert 0.15 < time.monotonic() - started < 2
    with hold_slot(str(tmp_path), 1, timeout_s=0.2):  # released: free again
        pass


def test_an_unusable_slots_dir_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    unusable = str(blocker / "slots")
    with pytest.raises(SlotError, match="cannot use"), hold_slot(unusable, 1, timeout_s=0.1):
        pass
