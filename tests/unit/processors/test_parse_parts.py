"""A PDF parsed in page parts and merged gives exactly the result of one parse."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from docgen import make_pdf
from docgen_pdf import make_running_heads_pdf
from reams.domain.errors import ProcessorError
from reams.processors import merge, run

WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa")


def _pages(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(80)) for _ in range(n)]


def _in_parts(data: bytes, parameters: dict[str, Any], *, size: int) -> dict[str, Any]:
    split = run("parse", data, "doc.pdf", parameters, split_above=size)
    assert split["type"] == "parse_split"
    total = split["pages"]
    parts = [
        orjson.dumps(run("parse", data, "doc.pdf", parameters, pages=(a, min(a + size, total) - 1)))
        for a in range(0, total, size)
    ]
    blob, document = merge("parse", parts, parameters)
    merged = orjson.loads(blob)
    assert merged["document"] == document
    return dict(merged)


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"page_separator": "\n\n--- {pageNumber} ---\n\n", "page_prefix": "[{pageNumber}]"},
        {"hide_headers": True, "hide_footers": True},
    ],
)
def test_running_heads_pdf_in_parts_equals_one_parse(tmp_path: Path, parameters: dict) -> None:
    data = make_running_heads_pdf(tmp_path / "heads.pdf", _pages(41)).read_bytes()
    whole = run("parse", data, "doc.pdf", parameters)
    merged = _in_parts(data, parameters, size=6)
    assert merged == whole
    assert len(merged["pages"]) == 41
    assert "Northwind Traders" in merged["markdown_full"] or parameters.get("hide_headers")


def test_blank_pages_and_headings_in_parts_equal_one_parse(tmp_path: Path) -> None:
    texts = [f"# Chapter {n}\n\n{p}" if n % 5 else "" for n, p in enumerate(_pages(23), 1)]
    data = make_pdf(tmp_path / "blank.pdf", texts).read_bytes()
    whole = run("parse", data, "doc.pdf", {})
    merged = _in_parts(data, {}, size=4)
    assert merged == whole
    assert any("no text found" in w for w in merged["document"]["warnings"])


def test_small_or_selected_or_other_documents_are_parsed_whole(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "small.pdf", _pages(5)).read_bytes()
    assert run("parse", data, "doc.pdf", {}, split_above=5)["type"] == "parse"
    assert run("parse", data, "doc.pdf", {}, split_above=4)["type"] == "parse_split"
    assert run("parse", data, "doc.pdf", {"target_pages": "0-4"}, split_above=2)["type"] == "parse"
    assert run("parse", data, "doc.pdf", {"max_pages": 3}, split_above=2)["type"] == "parse"
    assert run("parse", b"# not a pdf\n\ntext", "a.md", {}, split_above=1)["type"] == "parse"
    with pytest.raises(ProcessorError) as caught:  # a damaged PDF is parsed whole: it says why
        run("parse", b"%PDF-1.4\n garbage", "bad.pdf", {}, split_above=1)
    assert caught.value.code == "corrupt_document"


def test_merge_refuses_what_is_not_a_part() -> None:
    with pytest.raises(ProcessorError) as caught:
        merge("parse", [orjson.dumps({"type": "parse"})], {})
    with pytest.raises(ProcessorError):
        merge("parse", [orjson.dumps({"type": "parse", "part_pages": []})], {})
    assert caught.value.code == "processing_error"


def _corpus_pdfs() -> list[Path]:
    from corpus import corpus_root

    root = corpus_root()
    found = [
        p for d in ("pdfplumber-pdfs", "tabula-tables") for p in sorted((root / d).rglob("*.pdf"))
    ]
    return [p for p in found if p.stat().st_size < 2_000_000][:40]


@pytest.mark.slow
def test_real_pdfs_in_two_page_parts_equal_one_parse() -> None:
    """Real documents (tables, columns, scans, odd fonts) from the shared corpus: every one
    with more than two pages gives, in parts of two pages, exactly its one-parse result."""
    paths = _corpus_pdfs()
    if not paths:
        pytest.skip("the shared corpus (pdfplumber-pdfs, tabula-tables) is not here")
    compared = 0
    for path in paths:
        data = path.read_bytes()
        try:
            whole = run("parse", data, path.name, {})
        except ProcessorError:
            continue  # a document that fails whole is not split either (tested above)
        if run("parse", data, path.name, {}, split_above=2)["type"] != "parse_split":
            continue
        assert _in_parts(data, {}, size=2) == whole, path.name
        compared += 1
    assert compared >= 5, f"only {compared} multi-page PDFs compared"
