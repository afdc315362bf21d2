"""The cross-process semaphore: N lock files, exclusive flocks, freed when a holder dies; the
engine's workers hold one around each LLM request of a classify or extract item."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from llm_server import FakeLLM, fast_config
from reams.domain.jobconfig import resolve
from reams.engine.isolation import Task, _run_task
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


def test_a_killed_holder_frees_its_slot(tmp_path: Path) -> None:
    code = (
        "import sys, time\n"
        "from reams.engine.llm_slots import hold_slot\n"
        "with hold_slot(sys.argv[1], 1, 5):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(SlotTimeout), hold_slot(str(tmp_path), 1, timeout_s=0.1):
            pass
    finally:
        child.kill()
        child.wait()
    with hold_slot(str(tmp_path), 1, timeout_s=2):
        pass


def test_an_unusable_slots_dir_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    unusable = str(blocker / "slots")
    with pytest.raises(SlotError, match="cannot use"), hold_slot(unusable, 1, timeout_s=0.1):
        pass


def test_the_worker_holds_a_slot_around_each_llm_request(llm: FakeLLM, tmp_path: Path) -> None:
    config = fast_config(llm, slots_dir=str(tmp_path / "slots"), max_concurrency=1, timeout_s=0.2)
    document = tmp_path / "bill.txt"
    document.write_bytes(b"INVOICE\n\nTotal due: 12.00 EUR\n")
    rules = [{"type": "invoice", "description": "a bill with a total due"}]
    parameters = resolve({"rules": rules}).parameters
    task = Task("classify", str(document), "bill.txt", parameters, 30.0, config.to_dict())
    with hold_slot(config.resolved_slots_dir(), 1, timeout_s=1):
        status, (code, message, retryable) = _run_task(task)
    assert (status, code, retryable) == ("error", "llm_unavailable", True)
    assert message.startswith("No LLM concurrency slot for ")
    assert llm.chat_requests == []
