"""The project's own client (``reams.Client``) against a real server: every resource method,
auto-pagination over several pages, ``wait()`` with progress, and error mapping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reams import Client
from reams.client import (
    AuthenticationError,
    BatchStatus,
    ConflictError,
    NotFoundError,
    UnprocessableEntityError,
)
from servers import RunningServer, create_api_key, start_server


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[Client]:
    with Client(server.base_url, "test", max_retries=0) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Forty small real documents (PDF, DOCX, HTML, Markdown, CSV, text)."""
    import docgen  # type: ignore[import-not-found]

    return list(docgen.make_corpus(tmp_path_factory.mktemp("corpus"), 40))


def make_directory(client: Client, name: str, paths: list[Path]) -> str:
    directory = client.beta.directories.create(name=name)
    for path in paths:
        client.beta.directories.files.upload(directory.id, upload_file=path)
    return directory.id


def test_files_create_retrieve_list_content_delete(
    client: Client, sample_docs: dict[str, Path]
) -> None:
    made = [client.files.create(file=p, purpose="parse") for p in sample_docs.values()]
    assert {f.name for f in made} == set(sample_docs)
    first = made[0]
    assert client.files.retrieve(first.id).name == first.name
    # page_size=1 forces one request per file: the iterator must follow next_page_token.
    listed = {f.id for f in client.files.list(page_size=1)}
    assert {f.id for f in made} <= listed
    signed = client.files.content(first.id)
    assert httpx.get(signed.url).content == sample_docs[first.name].read_bytes()
    client.files.delete(first.id)
    with pytest.raises(NotFoundError):
        client.files.retrieve(first.id)


def test_directories_create_get_update_list_delete(client: Client) -> None:
    made = [client.beta.directories.create(name=f"dir-{n}", description="d") for n in range(3)]
    assert client.beta.directories.get(made[0].id).name == "dir-0"
    renamed = client.beta.directories.update(made[0].id, name="renamed", description=None)
    assert (renamed.name, renamed.description) == ("renamed", None)
    listed = [d.id for d in client.beta.directories.list(page_size=1)]
    assert {d.id for d in made} <= set(listed)
    assert len(listed) == len(set(listed)), "pagination repeated a directory"
    client.beta.directories.delete(made[1].id)
    with pytest.raises(NotFoundError):
        client.beta.directories.get(made[1].id)


def test_directory_files_upload_add_list_get_update_delete(
    client: Client, sample_docs: dict[str, Path]
) -> None:
    directory = client.beta.directories.create(name="entries")
    files = client.beta.directories.files
    report = sample_docs["report.md"]
    uploaded = files.upload(
        directory.id, upload_file=("report.md", report.read_bytes()), metadata={"team": "a"}
    )
    assert uploaded.display_name == "report.md" and uploaded.file_id
    stored = client.files.create(file=sample_docs["sales.csv"], purpose="parse")
    added = files.add(directory.id, file_id=stored.id, unique_id="sales")
    assert added.unique_id == "sales"
    listed = [f.id for f in files.list(directory.id, page_size=1)]
    assert sorted(listed) == sorted([uploaded.id, added.id])
    assert files.get(added.id, directory_id=directory.id).file_id == stored.id
    updated = files.update(added.id, directory_id=directory.id, display_name="Sales Q1")
    assert updated.display_name == "Sales Q1"
    files.delete(uploaded.id, directory_id=directory.id)
    with pytest.raises(NotFoundError):
        files.get(uploaded.id, directory_id=directory.id)


def test_batch_wait_reports_increasing_progress_until_completed(
    client: Client, corpus: list[Path]
) -> None:
    directory_id = make_directory(client, "corpus", corpus)
    job = client.beta.batch.create(job_config={}, directory_id=directory_id)
    seen: list[BatchStatus] = []
    final = client.beta.batch.wait(job.id, on_progress=seen.append, poll_interval=0.02, timeout=120)
    progress = [s.progress_percentage for s in seen]
    assert final.job.status == "completed"
    assert progress == sorted(progress), progress
    assert progress[-1] == 100.0 and len(set(progress)) >= 2, progress
    assert seen[-1] == final
    done = final.job
    assert (done.processed_items or 0) + (done.failed_items or 0) == len(corpus)


def test_batch_list_items_results_and_parse_output(
    client: Client, sample_docs: dict[str, Path]
) -> None:
    directory_id = make_directory(client, "samples", list(sample_docs.values()))
    # One after the other: dedup is "already processed", so the second job must start after
    # the first has finished to find everything processed.
    jobs = []
    for _ in range(2):
        jobs.append(client.beta.batch.create(job_config={}, directory_id=directory_id))
        client.beta.batch.wait(jobs[-1].id, poll_interval=0.05, timeout=60)
    # limit=1: the iterator must walk the offset pages up to total_size.
    listed = [j.id for j in client.beta.batch.list(directory_id=directory_id, limit=1)]
    assert sorted(listed) == sorted(j.id for j in jobs)
    items = list(client.beta.batch.job_items.list(jobs[0].id, limit=1))
    assert sorted(i.item_name for i in items) == sorted(sample_docs)
    report = next(i for i in items if i.item_name == "report.md")
    assert report.status == "completed" and report.job_id
    history = client.beta.batch.job_items.get_processing_results(report.item_id)
    assert history.item_name == "report.md"
    assert [r.item_id for r in history.processing_results or []] == [report.item_id]
    parsed = client.parsing.get(report.job_id, expand=["markdown_full", "text_full"])
    assert parsed.job.status == "COMPLETED"
    assert "Quarterly report" in (parsed.markdown_full or "")
    skipped = list(client.beta.batch.job_items.list(jobs[1].id, status="skipped"))
    assert len(skipped) == len(sample_docs)
    assert {i.skip_reason for i in skipped} == {"already_processed"}


def test_cancel_and_its_conflict(client: Client, corpus: list[Path]) -> None:
    directory_id = make_directory(client, "to-cancel", corpus)
    job = client.beta.batch.create(
        job_config={"parameters": {"invalidate_cache": True}}, directory_id=directory_id
    )
    answer = client.beta.batch.cancel(job.id, reason="changed my mind")
    assert (answer.job_id, answer.status) == (job.id, "cancelled")
    final = client.beta.batch.wait(job.id, poll_interval=0.05, timeout=60)
    assert final.job.status == answer.status
    done = client.beta.batch.create(job_config={}, directory_id=make_directory(client, "x", []))
    client.beta.batch.wait(done.id, poll_interval=0.05, timeout=30)
    with pytest.raises(ConflictError):  # a finished job cannot be cancelled (409, no retry)
        client.beta.batch.cancel(done.id)


def test_errors_carry_the_servers_detail(client: Client) -> None:
    with pytest.raises(NotFoundError) as missing:
        client.beta.batch.get_status("bjb-does-not-exist")
    assert missing.value.status_code == 404
    assert "bjb-does-not-exist" in str(missing.value.detail)
    assert "bjb-does-not-exist" in str(missing.value)
    with pytest.raises(UnprocessableEntityError) as invalid:
        client.beta.batch.create(job_config={"job_name": "nope"}, directory_id="dir-x")
    assert "job_name" in invalid.value.message


def test_a_wrong_key_is_an_authentication_error(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", env={"REAMS_AUTH_MODE": "keys"})
    try:
        key, _ = create_api_key(running.data_dir, "team")
        wrong = Client(running.base_url, "reams_wrong", max_retries=0)
        with wrong, pytest.raises(AuthenticationError):
            wrong.beta.directories.create(name="x")
        with Client(running.base_url, key, max_retries=0) as right:
            assert right.beta.directories.create(name="x").name == "x"
    finally:
        running.stop()
