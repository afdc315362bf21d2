"""The cross-process semaphore across processes: a slot is freed when its holder dies; the
engine's workers hold one around each LLM request of a classify or extract item (against the
fake LLM server). Slots within one process: ``tests/unit/processors/llm/test_llm_slot_locks.py``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from llm_server import FakeLLM, fast_config
from reams.domain.jobconfig import resolve
from reams.engine.isolation import Task, _run_task
from reams.engine.llm_slots import SlotTimeout, hold_slot


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


def test_the_worker_holds_a_slot_around_each_llm_request(llm: FakeLLM, tmp_path: Path) -> None:
    config = fast_config(llm, slots_dir=str(tmp_path / "slots"), max_concurrency=1, timeout_s=0.2)
    document = tmp_path / "bill.txt"
    document.write_bytes(b"INVOICE\n\nTotal due: 12.00 EUR\n")
    rules = [{"type": "invoice", "description": "a bill with a total due"}]
    parameters = resolve({"rules": rules}).parameters
    task = Task("classify", str(document), "bill.txt", parameters, 30.0, config)
    with hold_slot(config.resolved_slots_dir(), 1, timeout_s=1):
        status, (code, message, retryable) = _run_task(task)
    assert (status, code, retryable) == ("error", "llm_unavailable", True)
    assert message.startswith("No LLM concurrency slot for ")
    assert llm.chat_requests == []
