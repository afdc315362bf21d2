"""Huge PDFs in page parts on the local engine, over SQLite and PostgreSQL (docs/slices.md).

Real worker processes and real generated PDFs: a document over ``slice_pages`` is parsed in
parts by several workers and merged into exactly the unsliced result; page progress shows on
the job; cancel and a failing part end the item cleanly with the counters adding up.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from docgen import make_text
from docgen_pdf import make_running_heads_pdf
from reams import processors
from reams.bootstrap import Services, build
from reams.domain.records import Job
from reams.engine.steps import part_pages
from reams.service.folders import mirror_folder
from reams.service.jobs import JobRequest
from reams.settings import Settings
from reams.store import tables as t

WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india")


def _pages(n: int, words: int = 60) -> list[str]:
    rng = random.Random(n)
    return [" ".join(rng.choice(WORDS) for _ in range(words)) for _ in range(n)]


@pytest.fixture
def make(database_url: str, tmp_path: Path) -> Iterator[Any]:
    built: list[Services] = []

    def build_services(**overrides: Any) -> Services:
        settings = {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "workers": 2,
            "lease_s": 3,
            "poll_interval_s": 0.05,
            "retry_backoff_s": 0.05,
            "item_timeout_per_page_s": 0,
            "engine": "local",
        }
        services = build(Settings(**(settings | overrides)))
        built.append(services)
        return services

    yield build_services
    for services in reversed(built):
        services.close()


def _submit(services: Services, folder: Path, parameters: dict[str, Any] | None = None) -> Job:
    project = services.catalog.ensure_project("default")
    directory_id = mirror_folder(
        services.catalog, services.blobs, project_id=project.id, root=folder
    )
    services.start()
    config = {
        "job_name": "parse_raw_file_job",
        "parameters": {"type": "parse", **(parameters or {})},
    }
    return services.jobs.submit(
        JobRequest(project_id=project.id, job_config=config, directory_id=directory_id)
    )


def _wait(services: Services, job_id: str, timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = services.store.get_job(job_id, project_id=None)
        if job.status in ("completed", "failed", "cancelled") and not job.counts.processing:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def _items(services: Services, job: Job) -> dict[str, Any]:
    items, total = services.store.list_items(job.id, project_id=None, limit=1000, offset=0)
    assert total == len(items) == job.total_items == job.counts.total
    for status in ("pending", "processing", "completed", "failed", "skipped", "cancelled"):
        assert getattr(job.counts, status) == sum(i.status == status for i in items)
    return {i.item_name: i for i in items}


def _output(services: Services, result_id: str) -> dict[str, Any]:
    result = services.store.get_result(result_id, project_id=None)
    return dict(orjson.loads(services.blobs.get(result.output_sha256)))


def _parts(services: Services, job: Job) -> list[Any]:
    with services.store.read() as conn:
        return list(conn.execute(select(t.item_parts).where(t.item_parts.c.job_id == job.id)).all())


def test_a_huge_pdf_in_parts_equals_its_unsliced_parse(make: Any, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    big = make_running_heads_pdf(folder / "big.pdf", _pages(95))
    make_running_heads_pdf(folder / "small.pdf", _pages(9))  # under the threshold: whole
    make_text(folder / "note.txt", "a note")
    parameters = {"page_separator": "\n\n<!-- page {pageNumber} -->\n\n"}
    services = make(slice_pages=10, slice_part_pages=10)
    job = _wait(services, _submit(services, folder, parameters).id)
    assert job.status == "completed" and job.counts.completed == 3
    items = _items(services, job)
    assert (job.pages_total, job.pages_done) == (95, 95)
    merged = _output(services, items["big.pdf"].result_id)
    unsliced = processors.run("parse", big.read_bytes(), "big.pdf", parameters)
    assert merged == unsliced
    assert merged["markdown_full"].count("<!-- page ") == 94
    parts = _parts(services, job)
    assert (
        sorted((p.kind, p.status) for p in parts)
        == [("merge", "completed")] + [("pages", "completed")] * 10
    )
    assert {p.item_row_id for p in parts} == {items["big.pdf"].id}
    with services.store.read() as conn:
        n_results = conn.execute(select(func.count()).where(t.results.c.job_id == job.id)).scalar()
    assert n_results == 3
    # The same file again: already processed, like any item (one result, reused).
    again = _wait(services, _submit(services, folder, parameters).id)
    assert again.counts.skipped == 3 and again.pages_total == 0


def test_cancel_while_parts_run_cancels_the_item(make: Any, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_running_heads_pdf(folder / "big.pdf", _pages(600, words=120))
    services = make(slice_pages=10, slice_part_pages=10, workers=1)
    job = _submit(services, folder)
    deadline = time.monotonic() + 60
    while services.store.get_job(job.id, project_id=None).pages_total == 0:
        assert time.monotonic() < deadline, "the PDF was never split"
        time.sleep(0.01)
    cancelled = services.engine.cancel(job.id, reason="test")
    assert cancelled.status == "cancelled"
    final = _wait(services, job.id)
    assert final.status == "cancelled"
    item = _items(services, final)["big.pdf"]
    assert item.status == "cancelled" and item.result_id is None
    assert final.pages_done < 600
    assert _parts(services, final) == []


def test_a_part_that_fails_fails_the_item_with_its_pages(make: Any, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_running_heads_pdf(folder / "big.pdf", _pages(900, words=400))
    make_text(folder / "note.txt", "a note")
    services = make(slice_pages=450)
    # A part of 450 dense pages takes ~0.5 s (at 150 words a page it took 0.27 s, and on a
    # faster machine it finished inside a 0.25 s timeout); deciding to split takes ~20 ms in a
    # warm child. The timeout sits with a wide margin on both sides.
    job = _wait(services, _submit(services, folder, {"job_timeout_in_seconds": 0.15}).id)
    assert job.status == "completed"
    items = _items(services, job)
    big = items["big.pdf"]
    assert big.status == "failed" and big.error_code == "timeout"
    assert big.error_message.startswith("Pages ")
    assert items["note.txt"].status == "completed"
    assert job.counts.failed == 1 and job.counts.completed == 1


@pytest.mark.parametrize(
    ("pages", "wanted", "size"),
    [(5000, 250, 250), (1001, 250, 250), (301, 250, 151), (2, 250, 1), (95, 10, 10), (11, 10, 6)],
)
def test_parts_are_about_the_wanted_size_and_at_least_two(
    pages: int, wanted: int, size: int
) -> None:
    assert part_pages(pages, wanted) == size
    assert -(-pages // size) >= 2
