"""The engine contract: every engine over every store ends each item exactly once.

Real processors, real worker processes, real documents (made by tests/docgen.py). The
Temporal variant runs against a real dev server, with the API side of the engine and a
worker (the code `reams worker` runs) in this process.
"""

from __future__ import annotations

import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from docgen import make_corpus, make_pdf
from reams.bootstrap import Services, build
from reams.domain.records import Job
from reams.engine.drive import CLAIM_BATCH
from reams.engine.steps import STATUS_CHECK_ITEMS
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest, Jobs
from reams.settings import Settings
from reams.store import tables as t
from reams.store.db import aware, utcnow
from temporal_servers import EngineWithWorker

TERMINAL = ("completed", "failed", "cancelled")


MakeServices = Callable[..., Services]


@pytest.fixture(params=["local", "temporal"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_services(
    database_url: str, tmp_path: Path, engine_name: str, request: pytest.FixtureRequest
) -> Iterator[MakeServices]:
    """Builds services on this test's store (again, for restarts); closes them all after."""
    base: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "workers": 2,
        "lease_s": 3,
        "poll_interval_s": 0.05,
        "retry_backoff_s": 0.05,
        "item_timeout_per_page_s": 0,  # timeouts here are exactly what a job asks for
        "engine": engine_name,
    }
    if engine_name == "temporal":
        server = request.getfixturevalue("temporal_server")
        base |= {
            "temporal_address": server.address,
            "temporal_task_queue": f"contract-{uuid.uuid4().hex[:12]}",
            "temporal_heartbeat_timeout_s": 5,
            "temporal_slice_size": 10,
            "temporal_fan_out": 4,
        }
    built: list[Services] = []

    def make(**overrides: Any) -> Services:
        services = build(Settings(**{**base, **overrides}))
        if engine_name == "temporal":
            services.engine = EngineWithWorker(services.engine, services.settings)
            services.jobs = Jobs(
                catalog=services.store, engine=services.engine, guard=services.guard
            )
        built.append(services)
        return services

    yield make
    for services in reversed(built):
        services.close()


@pytest.fixture
def services(make_services: MakeServices) -> Services:
    return make_services()


def submit(services: Services, folder: Path, parameters: dict[str, Any] | None = None) -> Job:
    config = {
        "job_name": "parse_raw_file_job",
        "parameters": {"type": "parse", **(parameters or {})},
    }
    return submit_config(services, folder, config)


def submit_config(services: Services, folder: Path, config: dict[str, Any]) -> Job:
    project = services.catalog.ensure_project("default")
    directory_id = mirror_folder(
        services.catalog, services.blobs, project_id=project.id, root=folder
    )
    services.start()
    return services.jobs.submit(
        JobRequest(project_id=project.id, job_config=config, directory_id=directory_id)
    )


def wait(services: Services, job_id: str, *, timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = services.store.get_job(job_id, project_id=None)
        if job.status in TERMINAL:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def items_by_name(services: Services, job_id: str) -> dict[str, Any]:
    items, total = services.store.list_items(job_id, project_id=None, limit=10_000, offset=0)
    assert total == len(items)
    return {i.item_name: i for i in items}


def assert_consistent(services: Services, job: Job) -> None:
    items = items_by_name(services, job.id)
    assert job.counts.total == job.total_items == len(items)
    for status in ("pending", "processing", "completed", "failed", "skipped", "cancelled"):
        assert getattr(job.counts, status) == sum(i.status == status for i in items.values())
    with services.store.read() as conn:
        per_item = conn.execute(
            select(t.results.c.item_row_id, func.count())
            .where(t.results.c.job_id == job.id)
            .group_by(t.results.c.item_row_id)
        ).all()
    assert all(n == 1 for _, n in per_item), "an item has more than one result"
    assert len(per_item) == job.counts.completed


def test_mixed_folder_bad_files_fail_alone(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    make_corpus(folder, 12)
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"")
    with zipfile.ZipFile(folder / "sheet.xlsx", "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    with zipfile.ZipFile(folder / "book.epub", "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")  # an e-book without its package
    (folder / "archive.7z").write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(200))
    make_pdf(folder / "locked.pdf", ["secret text"], password="pw")
    job = wait(services, submit(services, folder).id)
    assert job.status == "completed"
    assert_consistent(services, job)
    items = items_by_name(services, job.id)
    codes = {name: items[name].error_code for name in items if items[name].status == "failed"}
    assert codes == {
        "sheet.xlsx": "corrupt_document",  # a workbook without its parts
        "book.epub": "corrupt_document",
        "archive.7z": "unsupported_format",
        "corrupt.pdf": "corrupt_document",
        "empty.txt": "empty_document",
        "locked.pdf": "encrypted_document",
    }
    assert all(items[n].error_message for n in codes)
    assert job.counts.completed == 12


def test_result_is_real_parse_output(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "report.pdf", ["Alpha bravo charlie", "Delta echo foxtrot"])
    job = wait(services, submit(services, folder).id)
    item = items_by_name(services, job.id)["report.pdf"]
    assert item.status == "completed" and item.result_id.startswith("pjb-")
    result = services.store.get_result(item.result_id, project_id=None)
    import json

    output = json.loads(services.blobs.get(result.output_sha256))
    assert [p["page_number"] for p in output["pages"]] == [1, 2]
    assert "Delta echo foxtrot" in output["pages"][1]["text"]


def test_rerun_skips_already_processed_and_force_reprocesses(
    services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    make_corpus(folder, 6)
    first = wait(services, submit(services, folder).id)
    second = wait(services, submit(services, folder).id)
    assert second.counts.skipped == 6 and second.counts.completed == 0
    first_items = items_by_name(services, first.id)
    for name, item in items_by_name(services, second.id).items():
        assert item.skip_reason == "already_processed"
        assert item.result_id == first_items[name].result_id  # lineage to the earlier result
    forced = wait(services, submit(services, folder, {"invalidate_cache": True}).id)
    assert forced.counts.completed == 6
    other = wait(services, submit(services, folder, {"max_pages": 1}).id)
    assert other.counts.completed == 6  # other output-affecting parameters: no dedup
    assert_consistent(services, forced)


def test_size_limit_skips(make_services: MakeServices, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "small.md").write_text("# small\n\ntext")
    (folder / "big.md").write_text("# big\n\n" + "word " * 5000)
    services = make_services(max_file_bytes=1000)
    job = wait(services, submit(services, folder).id)
    items = items_by_name(services, job.id)
    assert (items["big.md"].status, items["big.md"].skip_reason) == (
        "skipped",
        "size_limit_exceeded",
    )
    assert items["small.md"].status == "completed"


def test_timeout_stops_a_slow_item_and_the_engine_carries_on(
    services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    make_corpus(folder, 4, kinds=("md",))
    make_pdf(folder / "long.pdf", [f"Page {n} " + "lorem ipsum " * 300 for n in range(400)])
    budget = {"job_timeout_in_seconds": 0.2, "job_timeout_extra_time_per_page_in_seconds": 1e-4}
    job = wait(services, submit(services, folder, budget).id)
    items = items_by_name(services, job.id)
    assert items["long.pdf"].status == "failed"
    assert items["long.pdf"].error_code == "timeout"
    assert job.counts.completed == 4
    assert_consistent(services, job)


def test_items_queued_behind_a_timeout_spend_no_attempt(services: Services, tmp_path: Path) -> None:
    """Fast items wait in the worker child's queue; when the item ahead of them times out
    (the child is killed), they were never begun: they run again, on their first attempt."""
    folder = tmp_path / "docs"
    for n in range(12):
        (folder / f"{'a' if n < 6 else 'c'}{n:02}.md").parent.mkdir(exist_ok=True)
        (folder / f"{'a' if n < 6 else 'c'}{n:02}.md").write_text(f"# Note {n}\n\nshort\n")
    make_pdf(folder / "b.pdf", [f"Page {n} " + "lorem ipsum " * 300 for n in range(400)])
    budget = {"job_timeout_in_seconds": 0.2, "job_timeout_extra_time_per_page_in_seconds": 1e-4}
    job = wait(services, submit(services, folder, budget).id)
    items = items_by_name(services, job.id)
    assert items["b.pdf"].error_code == "timeout"
    notes = [item for name, item in items.items() if name.endswith(".md")]
    assert [item.status for item in notes] == ["completed"] * 12
    assert [item.attempts for item in notes] == [1] * 12
    assert_consistent(services, job)


def test_cancel_cancels_pending_items_at_once(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    make_corpus(folder, 60, kinds=("pdf", "docx"))
    job = submit(services, folder)
    while services.store.get_job(job.id, project_id=None).counts.terminal < 2:
        time.sleep(0.02)
    cancelled = services.engine.cancel(job.id, reason="test")
    assert cancelled.status == "cancelled"
    assert cancelled.counts.pending == 0 and cancelled.counts.cancelled > 0
    deadline = time.monotonic() + 30
    while services.store.get_job(job.id, project_id=None).counts.processing:
        assert time.monotonic() < deadline, "in-flight items never finished"
        time.sleep(0.05)
    final = services.store.get_job(job.id, project_id=None)
    assert final.status == "cancelled"
    assert_consistent(services, final)


def test_cancel_lets_only_running_items_finish(services: Services, tmp_path: Path) -> None:
    """Small items are claimed several at a time and queued in the worker's child; those not
    yet run when the job is cancelled end cancelled. What may still complete after the cancel
    is derived from how a driver learns of it (``RunContext.job_ended``): before recording an
    item it trusts the store's last answer for at most ``STATUS_CHECK_ITEMS`` items (and
    ``STATUS_CHECK_S``), then, once it knows, records the one item the child may have been
    running (``ItemDriver._overtaken``). The local engine is also told at once, which only
    shortens that. Drivers: the local engine's workers; Temporal's slices run in the worker's
    activity slots (``workers``), at most ``temporal_fan_out`` of them for one job. Items that
    had finished before the cancel may be written just after it (outcomes of fast items are
    written in batches): their ``completed_at`` says when they finished, so items finished
    after the cancel returned are counted by it."""
    folder = tmp_path / "docs"
    make_corpus(folder, 80, kinds=("md", "txt", "csv", "html"))
    job = submit(services, folder)
    while services.store.get_job(job.id, project_id=None).counts.terminal < 3:
        time.sleep(0.005)
    services.jobs.cancel(job.id, project_id=None, reason="test")
    cancelled_at = utcnow()  # committed, and the engine told
    final = wait_settled(services, job.id)
    assert final.status == "cancelled"
    assert_consistent(services, final)
    settings = services.settings
    drivers = settings.workers
    if settings.engine == "temporal":
        drivers = min(drivers, settings.temporal_fan_out)
    running_at_most = drivers * (STATUS_CHECK_ITEMS + 1)
    c = t.items.c
    with services.store.engine.connect() as conn:
        finished = conn.execute(
            select(c.completed_at).where(c.job_id == job.id, c.status == "completed")
        ).scalars()
        finished_after = sum(aware(at) >= cancelled_at for at in finished)
    assert finished_after <= running_at_most, (finished_after, final.counts)
    assert final.counts.cancelled + final.counts.completed == 80


def wait_settled(services: Services, job_id: str, *, timeout: float = 30) -> Job:
    deadline = time.monotonic() + timeout
    while (job := services.store.get_job(job_id, project_id=None)).counts.processing:
        assert time.monotonic() < deadline, "in-flight items never finished"
        time.sleep(0.05)
    return job


def test_restarted_engine_resumes_the_job(
    services: Services, make_services: MakeServices, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    # Enough items that the stop cannot let the job finish: each driver may hold a claim's
    # worth of fast items in its child's queue (at most CLAIM_BATCH), which a graceful stop
    # lets run; with 40 small files two drivers could hold every item left.
    total = 5 + 2 * (CLAIM_BATCH + 1) + 40
    make_corpus(folder, total, kinds=("pdf", "docx", "html"))
    job = submit(services, folder)
    while services.store.get_job(job.id, project_id=None).counts.terminal < 5:
        time.sleep(0.02)
    services.engine.stop(grace_s=10)
    paused = services.store.get_job(job.id, project_id=None)
    assert paused.counts.processing == 0  # in-flight items finished or were given back
    assert paused.status == "running"
    again = make_services()
    again.engine.start()
    final = wait(again, job.id)
    assert final.status == "completed" and final.counts.completed == total
    assert_consistent(services, final)


def test_estimated_completion_appears_while_running(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    make_corpus(folder, 80, kinds=("pdf", "docx"))
    job = submit(services, folder)
    deadline = time.monotonic() + 60
    while (running := services.store.get_job(job.id, project_id=None)).counts.terminal < 3:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert running.status == "running"  # 80 documents take far longer than 3
    assert running.estimated_completion_at is not None
    assert running.estimated_completion_at >= running.updated_at
    final = wait(services, job.id)
    assert final.status == "completed" and final.estimated_completion_at is None


ANALYSIS_RULES = [
    {"type": "invoice", "description": "a bill listing amounts and a total due"},
    {"type": "minutes", "description": "notes of a meeting: attendees, decisions, next steps"},
]
ANALYSIS_SCHEMA = {
    "type": "object",
    "properties": {"invoice_number": {"type": "string"}, "total": {"type": "number"}},
}


def _output(services: Services, item: Any) -> dict[str, Any]:
    import json

    result = services.store.get_result(item.result_id, project_id=None)
    output: dict[str, Any] = json.loads(services.blobs.get(result.output_sha256))
    return output


def test_classify_and_extract_jobs_run_on_every_engine(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bill.txt").write_text("INVOICE\nInvoice number: A-17\nTotal due: 42.50 EUR\n")
    make_pdf(folder / "minutes.pdf", ["Meeting minutes\n\nAttendees: Ann, Bo. Decisions: none."])
    classify = wait(services, submit_config(services, folder, {"rules": ANALYSIS_RULES}).id)
    assert classify.status == "completed" and classify.job_type == "classify"
    assert_consistent(services, classify)
    labels = {
        name: _output(services, item)["result"]["type"]
        for name, item in items_by_name(services, classify.id).items()
    }
    assert labels == {"bill.txt": "invoice", "minutes.pdf": "minutes"}

    extract = wait(services, submit_config(services, folder, {"data_schema": ANALYSIS_SCHEMA}).id)
    assert extract.status == "completed" and extract.job_type == "extract"
    bill = items_by_name(services, extract.id)["bill.txt"]
    assert bill.result_id.startswith("ejb-")
    assert _output(services, bill)["extract_result"] == {"invoice_number": "A-17", "total": 42.5}


def test_workers_use_the_configured_llm(make_services: MakeServices, tmp_path: Path) -> None:
    """The LLM endpoint reaches the processes that run items (local children, Temporal
    activity workers alike), and each item records the tokens it used."""
    from llm_server import fake_llm_server

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bill.txt").write_text("INVOICE\nInvoice number: A-17\nTotal due: 42.50 EUR\n")
    with fake_llm_server() as llm:
        services = make_services(llm_base_url=llm.base_url, llm_model="fake-model")
        job = wait(services, submit_config(services, folder, {"rules": ANALYSIS_RULES}).id)
        assert job.status == "completed"
        item = items_by_name(services, job.id)["bill.txt"]
        output = _output(services, item)
        assert output["engine"] == {"name": "llm", "model": "fake-model"}
        assert output["result"]["type"] == "invoice"
        assert output["usage"]["requests"] == len(llm.chat_requests) == 1
        result = services.store.get_result(item.result_id, project_id=None)
        assert result.output_metadata is not None
        assert result.output_metadata["usage"]["total_tokens"] > 0
