"""Long documents through the LLM engine in chunks, against the fake OpenAI-compatible server.

Each target is checked end to end: the requests really carry parts of the document (no request
holds it all), and the merged answer is what one request over the whole document would give:
``per_doc`` values by support and order, lists united, tables joined; ``per_page`` one result per
page, a long page read in parts; ``per_table_row`` every row once although the seams overlap.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from llm_server import FakeLLM, Fault, fake_llm_server, fast_config
from reams.domain.errors import ProcessorError
from reams.processors.llm import LlmConfig, extract_llm

FILLER = (
    "This paragraph is ordinary prose that carries no labelled value at all; it only makes the "
    "page long enough that the document cannot be read in one request of the test budget. "
)
PAGE = re.compile(r'<page number="(\d+)">')


def config_for(llm: FakeLLM, tmp_path: Path, **changes: Any) -> LlmConfig:
    config: LlmConfig = fast_config(llm, slots_dir=str(tmp_path / "slots"), **changes)
    return config


def doc_of(*pages: str) -> dict[str, Any]:
    return {
        "pages": [
            {"page_number": i, "markdown": text, "text": "", "success": True}
            for i, text in enumerate(pages, start=1)
        ]
    }


def user_text(llm: FakeLLM, index: int) -> str:
    content = llm.chat_requests[index].body["messages"][1]["content"]
    assert isinstance(content, str)
    return content


def pages_sent(llm: FakeLLM) -> list[list[int]]:
    return [
        sorted({int(n) for n in PAGE.findall(user_text(llm, i))})
        for i in range(len(llm.chat_requests))
    ]


INVOICE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "vendor": {"type": "string"},
        "po_number": {"type": "string"},
        "total": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"description": {"type": "string"}, "qty": {"type": "integer"}},
            },
        },
    },
}


def long_invoice() -> dict[str, Any]:
    return doc_of(
        f"Vendor: ACME Trading\nTags: red, blue\n\n{FILLER * 3}",
        f"PO number: PO-1\n\n| Description | Qty |\n|---|---|\n| Bolt | 4 |\n\n{FILLER * 2}",
        f"Total: 120.50\n\n{FILLER * 3}",
        f"{FILLER * 2}\nTotal: 120.50 (as stated above)",
        f"| Description | Qty |\n|---|---|\n| Nut | 9 |\n\n{FILLER * 3}",
        f"PO number: PO-2\nTotal: 999\nTags: blue, green\n\n{FILLER * 2}",
    )


def test_per_doc_is_read_in_chunks_and_merged_by_type(llm: FakeLLM, tmp_path: Path) -> None:
    result, metadata, usage = extract_llm(
        long_invoice(),
        INVOICE_SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path),
        max_chars=1_000,
    )
    sent = pages_sent(llm)
    assert len(sent) >= 3 and all(len(pages) < 6 for pages in sent)
    assert sorted({p for pages in sent for p in pages}) == [1, 2, 3, 4, 5, 6]
    assert usage.requests == len(sent)
    systems = [r.body["messages"][0]["content"] for r in llm.chat_requests]
    assert sum(f"sent in {len(sent)} parts; this is part 2 " in s for s in systems) == 1
    assert result == {
        "vendor": "ACME Trading",  # stated once, in the first chunk
        "po_number": "PO-1",  # two values stated once each: the first one
        "total": 120.5,  # stated on two pages (two chunks) against 999 on one
        "tags": ["red", "blue", "green"],  # union in first-seen order
        "items": [{"description": "Bolt", "qty": 4}, {"description": "Nut", "qty": 9}],
    }
    meta = metadata["document_metadata"]
    assert meta["vendor"]["citation"] == [{"page": 1, "matching_text": "Vendor: ACME Trading"}]
    assert meta["total"]["citation"][0]["page"] in (3, 4)
    assert meta["items"][1]["qty"]["citation"][0]["page"] == 5
    assert len(meta["tags"]) == 3


def test_a_short_document_is_still_one_request(llm: FakeLLM, tmp_path: Path) -> None:
    result, _, usage = extract_llm(
        long_invoice(), INVOICE_SCHEMA, system_prompt=None, config=config_for(llm, tmp_path)
    )
    assert usage.requests == 1 and pages_sent(llm) == [[1, 2, 3, 4, 5, 6]]
    assert "parts" not in llm.chat_requests[0].body["messages"][0]["content"]
    assert result["po_number"] == "PO-1" and result["total"] == 120.5


def test_the_models_context_bounds_the_chunks(llm: FakeLLM, tmp_path: Path) -> None:
    """A small ``context_tokens`` (the minimum) splits what ``max_chars`` alone would not."""
    big = config_for(llm, tmp_path)
    small = config_for(llm, tmp_path, context_tokens=2_048)
    extract_llm(long_invoice(), INVOICE_SCHEMA, system_prompt=None, config=big)
    assert len(llm.chat_requests) == 1
    llm.reset()
    result, _, usage = extract_llm(long_invoice(), INVOICE_SCHEMA, system_prompt=None, config=small)
    assert usage.requests > 1 and result["vendor"] == "ACME Trading"
    for request in llm.chat_requests:  # each request fits in the context (fake: 4 chars/token)
        assert request.reply_usage is not None
        assert request.reply_usage["prompt_tokens"] < 2_048


def test_per_page_reads_a_long_page_in_parts_never_two_pages_at_once(
    llm: FakeLLM, tmp_path: Path
) -> None:
    doc = doc_of(
        "Name: Alice\nCity: Paris",
        f"Name: Bob\n\n{FILLER * 12}\n\nCity: Rome",
        "Name: Carol",
    )
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "city": {"type": "string"}},
    }
    result, metadata, usage = extract_llm(
        doc,
        schema,
        target="per_page",
        system_prompt=None,
        config=config_for(llm, tmp_path),
        max_chars=1_200,
    )
    assert result == [
        {"name": "Alice", "city": "Paris"},
        {"name": "Bob", "city": "Rome"},
        {"name": "Carol", "city": None},
    ]
    sent = pages_sent(llm)
    assert all(len(pages) == 1 for pages in sent)  # a chunk never holds two pages
    assert [pages[0] for pages in sent].count(2) >= 2  # the long page went in parts
    assert usage.requests == len(sent) == 2 + [pages[0] for pages in sent].count(2)
    assert metadata["page_metadata"][1]["city"]["citation"] == [
        {"page": 2, "matching_text": "City: Rome"}
    ]
    assert metadata["page_metadata"][2] == {"name": metadata["page_metadata"][2]["name"]}


ROW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"description": {"type": "string"}, "amount": {"type": "number"}},
}


def table(rows: list[tuple[str, float]]) -> str:
    lines = ["| Description | Amount |", "|---|---|"]
    return "\n".join(lines + [f"| {d} | {a:.2f} |" for d, a in rows])


def test_per_table_row_takes_every_row_once_across_overlapping_chunks(
    llm: FakeLLM, tmp_path: Path
) -> None:
    rows = [(f"Service line {i:03d}", float(i)) for i in range(1, 91)]
    doc = doc_of(table(rows[:60]), table(rows[60:]))
    got, metadata, usage = extract_llm(
        doc,
        ROW_SCHEMA,
        target="per_table_row",
        system_prompt=None,
        config=config_for(llm, tmp_path),
        max_chars=1_200,
    )
    assert [(r["description"], r["amount"]) for r in got] == rows
    assert usage.requests == len(llm.chat_requests) >= 3
    texts = [user_text(llm, i) for i in range(len(llm.chat_requests))]
    repeated = [row for row in rows if sum(f"| {row[0]} |" in t for t in texts) > 1]
    assert repeated, "the chunks overlap, so some rows were sent twice"
    # A chunk that starts inside the table repeats its header, so the rows keep their columns.
    assert all(t.split("\n")[1].startswith("| Description | Amount |") for t in texts)
    assert metadata["row_metadata"][89]["amount"]["citation"][0]["page"] == 2


def test_equal_rows_on_both_sides_of_a_seam_are_both_kept(llm: FakeLLM, tmp_path: Path) -> None:
    """Two identical fee lines, one ending page 1's table and one starting page 2's, are two
    rows: the second was read from page 2, not from the overlap (which holds page 1's last
    line only), so the seam does not drop it."""
    first = [(f"Consulting day {i}", 800.0) for i in range(1, 30)] + [("Travel fee", 50.0)]
    second = [("Travel fee", 50.0)] + [(f"Workshop {i}", 300.0) for i in range(1, 20)]
    subtotal = "Subtotal of the consulting work listed above: 23,250.00"
    doc = doc_of(f"{table(first)}\n\n{subtotal}", table(second))
    got, _, usage = extract_llm(
        doc,
        ROW_SCHEMA,
        target="per_table_row",
        system_prompt=None,
        config=config_for(llm, tmp_path),
        max_chars=1_300,
    )
    assert usage.requests == 2
    later = [user_text(llm, i) for i in range(2) if '<page number="2">' in user_text(llm, i)]
    assert later and later[0].startswith(f'<page number="1">\n{subtotal}\n</page>')
    assert [(r["description"], r["amount"]) for r in got] == first + second


def test_chunks_are_asked_concurrently_within_the_endpoints_bound(tmp_path: Path) -> None:
    rows = [(f"Service line {i:03d}", float(i)) for i in range(1, 121)]
    with fake_llm_server(delay_s=0.2) as llm:
        config = config_for(llm, tmp_path, max_concurrency=4)
        got, _, usage = extract_llm(
            doc_of(table(rows)),
            ROW_SCHEMA,
            target="per_table_row",
            system_prompt=None,
            config=config,
            max_chars=1_000,
        )
        assert usage.requests == len(llm.chat_requests) >= 4
        assert llm.max_in_flight == 2  # half the endpoint's bound: room for other items
    assert [(r["description"], r["amount"]) for r in got] == rows  # still in document order


def test_usage_of_every_chunk_counts_when_one_fails(tmp_path: Path) -> None:
    with fake_llm_server() as llm:
        llm.script(Fault.reply({"data": 5, "evidence": []}, times=2))
        config = config_for(llm, tmp_path, max_concurrency=1)  # one at a time: a known order
        with pytest.raises(ProcessorError) as caught:
            extract_llm(
                long_invoice(), INVOICE_SCHEMA, system_prompt=None, config=config, max_chars=1_000
            )
        answered = sum((r.reply_usage or {}).get("total_tokens", 0) for r in llm.chat_requests)
    assert caught.value.code == "llm_bad_output"
    assert f"This item used {answered:,} tokens in 2 requests." in caught.value.message


def test_concurrent_chunks_add_up_their_usage(tmp_path: Path) -> None:
    error_usage = {"prompt_tokens": 70, "completion_tokens": 7, "total_tokens": 77}
    with fake_llm_server(delay_s=0.05) as llm:
        llm.script(Fault.status(503, usage=error_usage), Fault.malformed())
        config = config_for(llm, tmp_path, max_concurrency=4)
        result, _, usage = extract_llm(
            long_invoice(), INVOICE_SCHEMA, system_prompt=None, config=config, max_chars=1_000
        )
        assert llm.max_in_flight == 2
        answered = [r.reply_usage or {} for r in llm.chat_requests]
    assert result["vendor"] == "ACME Trading" and result["total"] == 120.5
    assert usage.requests == len(answered) and usage.failed_requests == 2
    assert usage.total_tokens == sum(u.get("total_tokens", 0) for u in answered)
    assert any(u == error_usage for u in answered)
