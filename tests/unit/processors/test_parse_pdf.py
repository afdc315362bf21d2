"""PDF parsing on real reportlab-made PDFs: pages, structure, options and error codes."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen import PDF_PAGE_HEIGHT, PDF_PAGE_WIDTH, make_pdf
from reams.domain.errors import ProcessorError
from reams.processors import run

CorpusDir = Callable[[str], Path]

REPORT = [
    "# Quarterly Report\n\nRevenue grew twelve percent in the third quarter.\n\n"
    "- Online orders grew\n- Costs were flat",
    "# Regions\n\nEurope grew fastest this quarter.",
    "# Outlook\n\nWe expect steady growth next quarter.",
]


@pytest.fixture
def report_pdf(tmp_path: Path) -> bytes:
    return make_pdf(tmp_path / "report.pdf", REPORT, title="Q3 Report").read_bytes()


def _error(data: bytes, name: str = "doc.pdf", **parameters: object) -> ProcessorError:
    with pytest.raises(ProcessorError) as caught:
        run("parse", data, name, parameters)
    return caught.value


def test_every_pdf_page_becomes_a_page_with_its_text_and_size(report_pdf: bytes) -> None:
    result = run("parse", report_pdf, "report.pdf", {})
    document = result["document"]
    pages = result["pages"]
    assert isinstance(document, dict) and isinstance(pages, list)
    assert document["detected_type"] == "pdf"
    assert document["page_count"] == 3
    assert document["metadata"]["title"] == "Q3 Report"
    assert [page["page_number"] for page in pages] == [1, 2, 3]
    assert all(page["success"] and page["error"] is None and not page["ocr"] for page in pages)
    assert (pages[0]["width"], pages[0]["height"]) == (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT)
    assert "Europe grew fastest this quarter." in pages[1]["text"]


def test_markdown_has_headings_paragraphs_and_list_items(report_pdf: bytes) -> None:
    markdown = run("parse", report_pdf, "report.pdf", {})["pages"][0]["markdown"]
    assert markdown.startswith("## Quarterly Report\n\n")
    assert "\n\nRevenue grew twelve percent in the third quarter.\n\n" in markdown
    assert markdown.endswith("- Online orders grew\n- Costs were flat")


def test_full_outputs_join_pages_with_the_default_separator(report_pdf: bytes) -> None:
    result = run("parse", report_pdf, "report.pdf", {})
    pages = result["pages"]
    assert result["markdown_full"] == "\n\n---\n\n".join(page["markdown"] for page in pages)
    assert result["text_full"] == "\n\n---\n\n".join(page["text"] for page in pages)


def test_target_pages_and_max_pages_choose_pages(report_pdf: bytes) -> None:
    targeted = run("parse", report_pdf, "r.pdf", {"target_pages": "0,2"})
    assert [page["page_number"] for page in targeted["pages"]] == [1, 3]
    assert targeted["document"]["page_count"] == 3
    limited = run("parse", report_pdf, "r.pdf", {"max_pages": 2})
    assert [page["page_number"] for page in limited["pages"]] == [1, 2]


def test_target_pages_past_the_end_are_skipped_with_a_warning(report_pdf: bytes) -> None:
    result = run("parse", report_pdf, "r.pdf", {"target_pages": "1,5-9"})
    assert [page["page_number"] for page in result["pages"]] == [2]
    assert any("beyond the last page" in warning for warning in result["document"]["warnings"])


def test_separator_prefix_and_suffix_carry_page_numbers(report_pdf: bytes) -> None:
    result = run(
        "parse",
        report_pdf,
        "r.pdf",
        {
            "page_separator": "\n<<{pageNumber}>>\n",
            "page_prefix": "[p{pageNumber}]",
            "page_suffix": ".",
        },
    )
    markdown = result["markdown_full"]
    assert markdown.startswith("[p1]## Quarterly Report")
    assert "Costs were flat.\n<<2>>\n[p2]## Regions" in markdown
    assert "\n<<3>>\n[p3]## Outlook" in markdown
    assert markdown.endswith("steady growth next quarter..")


def test_ignored_options_are_reported(report_pdf: bytes) -> None:
    result = run("parse", report_pdf, "r.pdf", {"premium_mode": True, "lang": "en"})
    assert result["document"]["ignored_options"] == ["premium_mode"]


def test_a_pdf_without_text_keeps_its_pages_and_warns(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "scan.pdf", ["", ""]).read_bytes()
    result = run("parse", data, "scan.pdf", {})
    assert [page["success"] for page in result["pages"]] == [True, True]
    assert result["document"]["warnings"] == ["no text found"]


def test_some_blank_pages_are_named_in_the_warning(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "mixed.pdf", ["Some text", ""]).read_bytes()
    warnings = run("parse", data, "mixed.pdf", {})["document"]["warnings"]
    assert warnings == ["page 2: no text found"]


def test_password_protected_pdf_is_encrypted_document(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "secret.pdf", ["Top secret"], password="s3cret").read_bytes()
    error = _error(data)
    assert error.code == "encrypted_document"
    assert "password" in error.message


def test_corpus_encrypted_pdfs_are_encrypted_document(corpus_dir: CorpusDir) -> None:
    folder = corpus_dir("bad-inputs/pdf-encrypted")
    for name in ("pypdf-r2-user-password.pdf", "pypdf-r6-user-password.pdf"):
        assert _error((folder / name).read_bytes(), name).code == "encrypted_document"
    opened = run("parse", (folder / "pypdf-r6-owner-password.pdf").read_bytes(), "x.pdf", {})
    assert opened["pages"][0]["text"].strip()


def test_truncated_pdf_is_corrupt_document(report_pdf: bytes) -> None:
    error = _error(report_pdf[: len(report_pdf) // 2])
    assert error.code == "corrupt_document"
    assert "/" not in error.message and "Traceback" not in error.message


def test_bit_flipped_pdfs_parse_or_fail_cleanly(report_pdf: bytes) -> None:
    rng = random.Random(1234)
    for _ in range(40):
        damaged = bytearray(report_pdf)
        for _ in range(20):
            damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        try:
            result = run("parse", bytes(damaged), "flipped.pdf", {})
        except ProcessorError as error:
            assert error.code in {"corrupt_document", "empty_document", "encrypted_document"}
        else:
            assert result["type"] == "parse"


def test_text_with_a_pdf_name_but_no_pdf_inside_is_corrupt() -> None:
    assert _error(b"this is not a pdf at all", "report.pdf").code == "corrupt_document"
