"""Running headers and footers of PDFs: found, reported, kept or hidden, page numbers read."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen_pdf import make_running_heads_pdf
from reams.processors import run

HEADER = "Northwind Traders - Annual Report 2024"
BODIES = [
    "First page body text about widgets and their many uses in the home.",
    "Second page body text about gadgets and the people who build them.",
    "Third page body text about gizmos, and why nobody can live without one.",
]


@pytest.fixture
def report(tmp_path: Path) -> bytes:
    return make_running_heads_pdf(tmp_path / "report.pdf", BODIES).read_bytes()


def test_headers_and_footers_are_reported_per_page(report: bytes) -> None:
    pages = run("parse", report, "report.pdf", {})["pages"]
    assert [page["header"] for page in pages] == [HEADER] * 3  # type: ignore[index]
    assert [page["footer"] for page in pages] == [f"Page {n} of 3" for n in (1, 2, 3)]  # type: ignore[index]
    assert [page["printed_page_number"] for page in pages] == ["1", "2", "3"]  # type: ignore[index]


def test_by_default_they_stay_in_markdown_text_and_items(report: bytes) -> None:
    page = run("parse", report, "report.pdf", {})["pages"][1]  # type: ignore[index]
    assert page["markdown"] == f"{HEADER}\n\n{BODIES[1]}\n\nPage 2 of 3"
    assert page["text"] == f"{HEADER}\n{BODIES[1]}\nPage 2 of 3"
    kinds = [item["type"] for item in page["items"]]
    assert kinds == ["header", "text", "footer"]
    assert page["items"][0]["items"] == [{"type": "text", "md": HEADER, "value": HEADER}]


def test_hide_headers_and_footers_leave_only_the_body(report: bytes) -> None:
    parameters = {"hide_headers": True, "hide_footers": True}
    result = run("parse", report, "report.pdf", parameters)
    page = result["pages"][2]  # type: ignore[index]
    assert page["markdown"] == BODIES[2]
    assert page["text"] == BODIES[2]
    assert [item["type"] for item in page["items"]] == ["text"]
    assert (page["header"], page["footer"]) == (HEADER, "Page 3 of 3")
    assert HEADER not in str(result["markdown_full"])
    assert result["document"]["ignored_options"] == []  # type: ignore[index]


def test_hiding_only_the_footer_keeps_the_header(report: bytes) -> None:
    page = run("parse", report, "report.pdf", {"hide_footers": True})["pages"][0]  # type: ignore[index]
    assert page["markdown"] == f"{HEADER}\n\n{BODIES[0]}"


def test_a_single_page_has_no_running_heads_but_its_page_label_is_a_footer(
    tmp_path: Path,
) -> None:
    data = make_running_heads_pdf(tmp_path / "one.pdf", BODIES[:1]).read_bytes()
    page = run("parse", data, "one.pdf", {"hide_headers": True})["pages"][0]  # type: ignore[index]
    # Nothing repeats on one page; a label that says it is the page number is one anyway.
    assert page["header"] is None and page["footer"] == "Page 1 of 1"
    assert page["printed_page_number"] == "1"
    assert HEADER in page["markdown"]


def test_footer_variants_with_changing_numbers_still_match(tmp_path: Path) -> None:
    words = "apples pears plums figs limes kiwis dates grapes melons lemons cherries mangos"
    pages = [f"This page is about {word}, and about nothing else." for word in words.split()]
    data = make_running_heads_pdf(
        tmp_path / "long.pdf", pages, header="Chapter {n}", footer="- {n} -"
    ).read_bytes()
    result = run("parse", data, "long.pdf", {"target_pages": "9-11"})
    assert [page["printed_page_number"] for page in result["pages"]] == ["10", "11", "12"]  # type: ignore[index]
    assert [page["header"] for page in result["pages"]] == [
        "Chapter 10",
        "Chapter 11",
        "Chapter 12",
    ]  # type: ignore[index]
