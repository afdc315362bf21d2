"""v2 parse jobs through the llama-cloud 2.19 SDK (`client.parsing`) against a real reams server,
strict response validation on: create from a file, a directory file or an upload, `parse()`,
`wait_for_completion`, list with filters and paging, get with every expand value, cancel,
delete (dedup forgets), versions and saved configurations."""

from __future__ import annotations

import datetime as dt
import uuid

import llama_cloud
import pytest
from llama_cloud import LlamaCloud, PollingError
from product_docs import INVOICE, blocker, directory_file, poll, unique, upload_file

EXPANDS_219 = [
    "text",
    "markdown",
    "items",
    "metadata",
    "job_metadata",
    "forms",
    "usage",
    "text_content_metadata",
    "markdown_content_metadata",
    "items_content_metadata",
    "metadata_content_metadata",
    "xlsx_content_metadata",
    "output_pdf_content_metadata",
    "images_content_metadata",
    "forms_content_metadata",
    "raw_words_content_metadata",
]
PRESET = "cfg-PARSE_AGENTIC"


def _detail(exc: llama_cloud.APIStatusError) -> str:
    body = exc.body
    return str(body.get("detail") if isinstance(body, dict) else body)


def test_parse_helper_uploads_polls_and_reads(client: LlamaCloud) -> None:
    result = client.parsing.parse(
        tier="fast",
        version="latest",
        upload_file=("invoice.md", unique()),
        expand=["markdown", "text_full", "job_metadata"],
        polling_interval=0.1,
    )
    assert result.job.status == "COMPLETED"
    assert result.job.name == "invoice.md" and result.job.tier == "fast"
    assert "INV-2024-0042" in (result.text_full or "")
    assert result.markdown is not None and result.markdown.pages[0].success
    assert result.job_metadata is not None
    assert {"tier", "version"} <= set(result.job_metadata["ignored_options"])  # type: ignore[arg-type]
    # The upload is a file like any other.
    assert client.files.list(file_name="invoice.md").items


def test_create_from_a_file_id_and_a_directory_file(client: LlamaCloud) -> None:
    file_id = upload_file(client, "by-file.md", unique())
    created = client.parsing.create(
        tier="cost_effective", version="latest", file_id=file_id, user_metadata={"k": "v"}
    )
    assert created.status in ("PENDING", "RUNNING", "COMPLETED")
    assert created.user_metadata == {"k": "v"} and created.tier == "cost_effective"
    done = client.parsing.wait_for_completion(created.id, polling_interval=0.1)
    assert done.status == "COMPLETED"
    text = client.parsing.get(created.id, expand=["text"]).text
    assert text is not None and "INV-2024-0042" in text.pages[0].text

    # The file got an entry in the hidden input directory, which directory lists leave out.
    assert "reams:inputs" not in {d.name for d in client.beta.directories.list()}

    dfile = directory_file(client, "by-dfl.md", unique())
    by_dfl = client.parsing.create(tier="fast", version="latest", file_id=dfile)
    assert client.parsing.wait_for_completion(by_dfl.id, polling_interval=0.1).status == "COMPLETED"


def test_every_expand_value_answers(client: LlamaCloud) -> None:
    job = client.parsing.parse(
        tier="fast",
        version="latest",
        upload_file=("expand.md", unique()),
        expand=["text"],
        polling_interval=0.1,
    )
    got = client.parsing.get(job.job.id, expand=[*EXPANDS_219, "text_full", "markdown_full"])
    assert got.text and got.markdown and got.items and got.metadata and got.job_metadata
    assert got.job.usage is not None and got.job.usage.credits is None
    assert got.forms is not None and got.forms.pages == []
    assert got.images_content_metadata is not None
    assert got.images_content_metadata.total_count == 0
    sizes = got.result_content_metadata or {}
    assert sizes["text"].exists and sizes["text"].size_bytes == len(got.text_full.encode())  # type: ignore[union-attr]
    assert sizes["markdown"].size_bytes == len((got.markdown_full or "").encode())
    assert sizes["items"].exists and sizes["items"].size_bytes > 0
    assert not sizes["xlsx"].exists and sizes["xlsx"].size_bytes == 0
    assert set(sizes) == {
        e.removesuffix("_content_metadata") for e in EXPANDS_219 if "_content" in e
    }
    bare = client.parsing.get(job.job.id)
    assert bare.text is None and bare.job.usage is None
    with pytest.raises(llama_cloud.UnprocessableEntityError):
        client.parsing.get(job.job.id, expand=["no-such-view"])


def test_options_are_mapped_or_reported_as_ignored(client: LlamaCloud) -> None:
    job = client.parsing.parse(
        tier="agentic",
        version="2026-10-16",
        upload_file=("opts.md", unique()),
        page_ranges={"max_pages": 1},
        output_options={"markdown": {"annotate_links": True}},
        expand=["job_metadata"],
        polling_interval=0.1,
    )
    meta = job.job_metadata or {}
    parameters = meta["job_config"]["parameters"]  # type: ignore[index]
    assert parameters["max_pages"] == 1
    assert "output_options.markdown.annotate_links" in meta["ignored_options"]  # type: ignore[operator]
    with pytest.raises(llama_cloud.UnprocessableEntityError) as caught:
        client.parsing.create(
            tier="fast", version="latest", file_id=upload_file(client, "t.md", unique()),
            extra_body={"bogus_option": 1},
        )  # fmt: skip
    assert "bogus_option" in _detail(caught.value)
    with pytest.raises(llama_cloud.UnprocessableEntityError) as tier:
        client.parsing.create(tier="ultra", version="latest", upload_file=("refused.md", b"x"))
    assert "tier" in _detail(tier.value)
    assert list(client.files.list(file_name="refused.md")) == [], "nothing stored on a 422"


def test_source_url_is_refused_offline(client: LlamaCloud) -> None:
    with pytest.raises(llama_cloud.UnprocessableEntityError) as caught:
        client.parsing.create(tier="fast", version="latest", source_url="https://example.com/a.pdf")
    assert "offline" in _detail(caught.value) and "source_url" in _detail(caught.value)
    with pytest.raises(llama_cloud.NotFoundError):
        client.parsing.create(tier="fast", version="latest", file_id="fil-does-not-exist")


def test_list_filters_and_pages(client: LlamaCloud) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    ids = [
        client.parsing.create(tier="fast", version="latest", upload_file=(f"l{i}.md", unique())).id
        for i in range(3)
    ]
    for job_id in ids:
        client.parsing.wait_for_completion(job_id, polling_interval=0.1)
    first = client.parsing.list(job_ids=ids, page_size=2)
    assert len(first.items) == 2 and first.next_page_token
    every = [j.id for j in client.parsing.list(job_ids=ids, page_size=2)]
    assert every == list(reversed(ids)), "newest first, across pages"
    completed = {j.id for j in client.parsing.list(job_ids=ids, status="COMPLETED")}
    assert completed == set(ids)
    assert list(client.parsing.list(job_ids=ids, status="FAILED")) == []
    after = {j.id for j in client.parsing.list(created_at_on_or_after=before, page_size=100)}
    assert set(ids) <= after
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    assert list(client.parsing.list(job_ids=ids, created_at_on_or_after=later)) == []
    assert len(list(client.parsing.list(job_ids=ids, created_at_on_or_before=later))) == 3


def test_cancel_a_waiting_job(client: LlamaCloud) -> None:
    big = blocker(client)
    waiting = client.parsing.create(tier="fast", version="latest", upload_file=("w.md", unique()))
    cancelled = client.parsing.cancel(waiting.id)
    assert cancelled.status == "CANCELLED" and cancelled.error_message
    with pytest.raises(PollingError):
        client.parsing.wait_for_completion(waiting.id, polling_interval=0.1)
    assert [j.id for j in client.parsing.list(job_ids=[waiting.id], status="CANCELLED")] == [
        waiting.id
    ]
    with pytest.raises(llama_cloud.ConflictError):
        client.parsing.delete(big)  # still running: cancel first
    assert client.parsing.wait_for_completion(big, polling_interval=0.2).status == "COMPLETED"
    with pytest.raises(llama_cloud.ConflictError):
        client.parsing.cancel(big)  # finished


def _producer(client: LlamaCloud, job_id: str) -> str:
    meta = client.parsing.get(job_id, expand=["job_metadata"]).job_metadata or {}
    return str(meta["batch_job_id"])


def test_delete_removes_the_result_and_dedup_forgets_it(client: LlamaCloud) -> None:
    data = unique()
    first = client.parsing.create(tier="fast", version="latest", upload_file=("d.md", data)).id
    client.parsing.wait_for_completion(first, polling_interval=0.1)
    again = client.parsing.create(tier="fast", version="latest", upload_file=("d.md", data)).id
    client.parsing.wait_for_completion(again, polling_interval=0.1)
    assert _producer(client, again) == first, "the same content was answered by dedup"

    deleted = client.parsing.delete(first)
    assert deleted.id == first and deleted.project_id
    with pytest.raises(llama_cloud.NotFoundError):
        client.parsing.get(first)
    with pytest.raises(llama_cloud.NotFoundError):
        client.parsing.delete(first)
    assert _producer(client, again) == first, "a job that reused the result keeps it"

    third = client.parsing.create(tier="fast", version="latest", upload_file=("d.md", data)).id
    client.parsing.wait_for_completion(third, polling_interval=0.1)
    assert _producer(client, third) == third, "processed anew after the delete"


def test_list_versions(client: LlamaCloud) -> None:
    versions = client.parsing.list_versions()
    assert versions.latest.fast in versions.fast
    assert versions.latest.agentic in versions.agentic


def test_saved_configuration_and_preset(client: LlamaCloud) -> None:
    saved = client.configurations.create(
        name=f"parse-one-page-{uuid.uuid4().hex[:8]}",
        parameters={
            "product_type": "parse_v2",
            "tier": "fast",
            "version": "latest",
            "page_ranges": {"max_pages": 1},
        },
    )
    file_id = upload_file(client, "cfg.md", unique())
    job = client.parsing.create(
        tier="configured", version="configured", file_id=file_id, configuration_id=saved.id
    )
    assert job.tier == "fast"
    poll(client.parsing.get, job.id)
    meta = client.parsing.get(job.id, expand=["job_metadata"]).job_metadata or {}
    assert meta["job_config"]["parameters"]["max_pages"] == 1  # type: ignore[index]

    preset = client.parsing.create(
        tier="configured", version="configured", file_id=file_id, configuration_id=PRESET
    )
    assert preset.tier == "agentic"
    assert client.parsing.wait_for_completion(preset.id, polling_interval=0.1).status == "COMPLETED"
    with pytest.raises(llama_cloud.NotFoundError):
        client.parsing.create(
            tier="fast", version="latest", file_id=file_id, configuration_id="cfg-nope"
        )


def test_markdown_of_the_invoice_keeps_its_table(client: LlamaCloud) -> None:
    result = client.parsing.parse(
        tier="fast", version="latest", upload_file=("table.md", INVOICE.encode()),
        expand=["items"], polling_interval=0.1,
    )  # fmt: skip
    assert result.items is not None
    kinds = {item.type for item in result.items.pages[0].items}  # type: ignore[union-attr]
    assert "table" in kinds
