"""Chunking long documents for the LLM and merging the chunks' answers (no server)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from reams.processors.llm.chunks import (
    IMAGE_CHARS,
    budget_chars,
    chunk_pages,
    split_text,
)
from reams.processors.llm.merge import join_rows, merge_values, same_row
from reams.processors.llm.prompts import Page


def words(text: str) -> list[str]:
    return text.split()


# -- splitting ----------------------------------------------------------------------------------


def test_split_prefers_headings_then_paragraphs_then_lines() -> None:
    sections = [f"# Part {i}\n\n" + "word " * 40 for i in range(4)]
    text = "\n".join(sections)
    parts = split_text(text, 500)
    assert all(len(p) <= 500 for p in parts)
    assert all(p.startswith("# Part") for p in parts)  # cut before headings only
    assert words(" ".join(parts)) == words(text)

    paragraphs = "\n\n".join("sentence " * 20 for _ in range(6))
    parts = split_text(paragraphs, 400)
    assert len(parts) > 1 and all(len(p) <= 400 for p in parts)
    assert all(not p.startswith("\n") and not p.endswith("sent") for p in parts)

    one_line = "x" * 1_000
    assert split_text(one_line, 300) == ["x" * 300] * 3 + ["x" * 100]


def test_pages_that_fit_are_kept_whole() -> None:
    pages = [Page(n, f"Page {n} " + "text " * 50, "") for n in range(1, 7)]
    chunks = chunk_pages(pages, 700)
    assert len(chunks) == 3
    for chunk in chunks:
        assert all(p.text == pages[p.page - 1].body for p in chunk.pieces if not p.overlap)
    assert [c.pages[-1] for c in chunks] == [2, 4, 6]


def test_chunks_stay_within_the_budget_and_overlap_at_seams() -> None:
    lines = [f"Line {i}: " + "filler " * 8 for i in range(200)]
    lines = [line.strip() for line in lines]
    chunks = chunk_pages([Page(1, "\n".join(lines), "")], 2_000)
    assert len(chunks) > 4
    for before, chunk in itertools.pairwise(chunks):
        assert sum(len(p.text) for p in chunk.pieces) <= 2_000
        overlap = chunk.overlap
        assert overlap is not None and overlap[0] == 1
        assert before.pieces[-1].text.rstrip().endswith(overlap[1])  # the end of the one before
        assert 0 < len(overlap[1]) <= 100
    assert chunks[0].overlap is None
    sent = [line for c in chunks for p in c.pieces if not p.overlap for line in p.text.split("\n")]
    assert sent == lines  # every line once, in order, outside the overlaps


def test_a_table_cut_by_a_chunk_repeats_its_header() -> None:
    rows = [f"| Item {i} | {i} |" for i in range(100)]
    body = "Intro line\n\n| Name | Qty |\n|---|---|\n" + "\n".join(rows)
    chunks = chunk_pages([Page(1, body, "")], 600)
    assert len(chunks) > 3
    for chunk in chunks[1:]:
        ((_, block),) = chunk.blocks()
        assert block.split("\n")[1:3] == ["| Name | Qty |", "|---|---|"]
        assert block.count("| Name | Qty |") == 1  # once, though overlap and rows both carry it


def test_vision_pages_cost_an_image_and_keep_pages_without_text() -> None:
    pages = [Page(1, "Some text", ""), Page(2, "", ""), Page(3, "", ""), Page(4, "More", "")]
    assert [c.pages for c in chunk_pages(pages, 10_000)] == [[1, 4]]  # text only: no page 2, 3
    chunks = chunk_pages(pages, 10_000, images=True, max_images=3)
    assert [c.images for c in chunks] == [[1, 2], [3, 4]]  # 2 images of 4,000 chars fit 10,000
    chunks = chunk_pages(pages, 100_000, images=True, max_images=3)
    assert [c.images for c in chunks] == [[1, 2, 3], [4]]
    assert IMAGE_CHARS > 1_000


def test_the_budget_follows_the_context_and_the_instructions() -> None:
    assert budget_chars(128_000, 5_000, 60_000) == 60_000
    small = budget_chars(8_192, 5_000, 60_000)
    assert small < budget_chars(8_192, 1_000, 60_000) < 60_000
    assert small < budget_chars(16_384, 5_000, 60_000)
    assert budget_chars(2_048, 50_000, 60_000) == 1_000  # never nothing


# -- merging ------------------------------------------------------------------------------------


def meta(confidence: float) -> dict[str, Any]:
    return {"citation": [], "confidence": confidence, "reasoning": "llm"}


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "total": {"type": "number"},
        "vendor": {"$ref": "#/$defs/party"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}},
    },
    "$defs": {
        "party": {"type": "object", "properties": {"name": {"type": "string"}}},
        "line": {"type": "object", "properties": {"name": {"type": "string"}}},
    },
}


def test_a_scalar_takes_the_best_supported_value() -> None:
    parts = [
        ({"total": 99}, {"total": meta(0.3)}),  # an unverified quote
        ({"total": "1,250.00"}, {"total": meta(0.95)}),
        ({"total": None}, {}),
    ]
    data, info = merge_values(parts, SCHEMA, SCHEMA)
    assert data["total"] == "1,250.00" and info["total"]["confidence"] == 0.95
    votes = [({"total": 5}, {"total": meta(0.9)}), ({"total": 7.0}, {"total": meta(0.9)})]
    votes.append(({"total": 7}, {"total": meta(0.5)}))
    assert merge_values(votes, SCHEMA, SCHEMA)[0]["total"] == 7.0  # two chunks against one


def test_evidence_outweighs_votes() -> None:
    schema = {"type": "object", "properties": {"non_compete": {"type": "boolean"}}}
    parts = [({"non_compete": False}, {"non_compete": meta(0.5)}) for _ in range(5)]
    parts.insert(3, ({"non_compete": True}, {"non_compete": meta(0.95)}))
    assert merge_values(parts, schema, schema)[0] == {"non_compete": True}
    unproven = [({"non_compete": False}, {"non_compete": meta(0.5)}) for _ in range(3)]
    unproven.append(({"non_compete": True}, {"non_compete": meta(0.3)}))  # a quote not found
    assert merge_values(unproven, schema, schema)[0] == {"non_compete": False}


def test_equal_support_keeps_the_first_value_and_null_loses() -> None:
    parts = [({"total": None}, {}), ({"total": 1}, {"total": meta(0.9)})]
    parts.append(({"total": 2}, {"total": meta(0.9)}))
    data, info = merge_values(parts, SCHEMA, SCHEMA)
    assert data == {"total": 1, "vendor": None, "tags": None, "lines": None}
    assert info == {"total": meta(0.9)}


def test_objects_merge_by_property_and_lists_unite() -> None:
    parts = [
        ({"vendor": {"name": "ACME"}, "tags": ["a", "B"]}, {"tags": [meta(0.7), meta(0.7)]}),
        ({"vendor": {"name": "acme "}, "tags": ["b", "c"]}, {"tags": [meta(0.6), meta(0.6)]}),
    ]
    data, info = merge_values(parts, SCHEMA, SCHEMA)
    assert data["vendor"] == {"name": "ACME"}
    assert data["tags"] == ["a", "B", "c"] and len(info["tags"]) == 3


def test_arrays_of_objects_join_at_seams() -> None:
    first = {"lines": [{"name": "x"}, {"name": "y"}]}
    second = {"lines": [{"name": "y"}, {"name": "z"}]}
    data, info = merge_values([(first, {}), (second, {})], SCHEMA, SCHEMA)
    assert data["lines"] == [{"name": "x"}, {"name": "y"}, {"name": "z"}]
    assert info == {"lines": [None, None, None]}


def test_arrays_of_objects_join_only_rows_read_from_the_overlap() -> None:
    first = {"lines": [{"name": "x"}, {"name": "fee"}]}
    second = {"lines": [{"name": "fee"}, {"name": "z"}]}
    parts = [(first, {}), (None, None), (second, {})]  # a chunk without an answer keeps its place
    seen: list[int] = []

    def never(index: int, meta: Any) -> bool:
        seen.append(index)
        return False

    data, _ = merge_values(parts, SCHEMA, SCHEMA, in_overlap=never)
    assert [r["name"] for r in data["lines"]] == ["x", "fee", "fee", "z"]
    assert 2 in seen and 1 not in seen  # asked about the third chunk's rows by its index
    data, _ = merge_values(parts, SCHEMA, SCHEMA, in_overlap=lambda i, m: True)
    assert len(data["lines"]) == 4  # the third chunk's overlap repeats the second's end, not
    data, _ = merge_values([parts[0], parts[2]], SCHEMA, SCHEMA, in_overlap=lambda i, m: True)
    assert [r["name"] for r in data["lines"]] == ["x", "fee", "z"]


def test_rows_repeated_at_a_seam_are_dropped_and_the_fuller_kept() -> None:
    a = [({"n": 1, "v": "a"}, "m1"), ({"n": 2, "v": "b"}, "m2"), ({"n": 3, "v": None}, "m3")]
    b = [({"n": 3, "v": "c"}, "m3b"), ({"n": 4, "v": "d"}, "m4")]
    c = [({"n": 4, "v": "d"}, "m4c"), ({"n": 4, "v": "d"}, "m4d")]
    rows = join_rows([a, b, c])
    assert [r for r, _ in rows] == [
        {"n": 1, "v": "a"},
        {"n": 2, "v": "b"},
        {"n": 3, "v": "c"},  # the row cut at the seam, whole in the next chunk
        {"n": 4, "v": "d"},
        {"n": 4, "v": "d"},  # a second equal row after the repeat is a row
    ]
    assert [m for _, m in rows] == ["m1", "m2", "m3b", "m4", "m4d"]


def test_only_rows_read_from_the_overlap_can_repeat() -> None:
    a = [({"n": 1}, "first")]
    b = [({"n": 1}, "second")]
    assert len(join_rows([a, b], in_overlap=lambda i, m: False)) == 2
    assert len(join_rows([a, b], in_overlap=lambda i, m: True)) == 1
    assert len(join_rows([a, b])) == 1


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"x": "A  b"}, {"x": "a b"}, True),
        ({"x": 1, "y": None}, {"x": 1.0, "y": 2}, True),
        ({"x": 1, "y": 3}, {"x": 1, "y": 2}, False),
        ({"x": 1, "y": None}, {"x": None, "y": 2}, False),
        ({"x": None}, {"x": None}, False),
        ("a", "A", True),
    ],
)
def test_same_row(a: Any, b: Any, same: bool) -> None:
    assert same_row(a, b) is same
