"""OCR of scanned PDF pages: only pages without a usable text layer are read by OCR, never with
``disable_ocr``; the corpus's scans (upright and turned) read as their expected Markdown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ocr_fixtures import WORDS, normalised, scanned_pdf, text_image
from reams.processors import run

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")

SCANS = ("ocr_test", "ocr_test_rotated_90", "ocr_test_rotated_180", "ocr_test_rotated_270")


@pytest.fixture(scope="module")
def mixed_pdf() -> bytes:
    """Page 1 has a text layer; page 2 is a scan."""
    return scanned_pdf(["Typed page with a text layer", text_image()])


def test_only_the_scanned_page_is_read_by_ocr(mixed_pdf: bytes) -> None:
    result = run("parse", mixed_pdf, "mixed.pdf", {})
    typed, scanned = result["pages"]
    assert (typed["ocr"], typed["needs_ocr"], typed["text"]) == (
        False,
        False,
        "Typed page with a text layer",
    )
    assert (scanned["ocr"], scanned["needs_ocr"], scanned["success"]) == (True, True, True)
    assert all(word.lower() in normalised(scanned["text"]) for word in WORDS)
    assert scanned["markdown"].startswith("## Quarterly Report")
    assert not result["document"]["warnings"]


def test_disable_ocr_never_runs_ocr_and_names_the_unread_pages(mixed_pdf: bytes) -> None:
    result = run("parse", mixed_pdf, "mixed.pdf", {"disable_ocr": True})
    scanned = result["pages"][1]
    assert (scanned["ocr"], scanned["needs_ocr"], scanned["text"]) == (False, True, "")
    assert scanned["success"]
    assert result["document"]["warnings"] == [
        "OCR is disabled (disable_ocr): page 2 has no text layer and was not read",
        "page 2: no text found",
    ]


def test_several_unread_pages_share_one_warning() -> None:
    data = scanned_pdf([text_image(), "typed", text_image()])
    warnings = run("parse", data, "scans.pdf", {"disable_ocr": True})["document"]["warnings"]
    assert warnings[0] == (
        "OCR is disabled (disable_ocr): pages 1, 3 have no text layer and were not read"
    )


@pytest.mark.parametrize("stem", SCANS)
def test_corpus_scans_read_as_expected(stem: str, corpus_dir: Callable[[str], Path]) -> None:
    folder = corpus_dir("docling-groundtruth/ocr")
    expected = (folder / "groundtruth" / f"{stem}.tesseract.full_page.md").read_text()
    result = run("parse", (folder / "sources" / f"{stem}.pdf").read_bytes(), f"{stem}.pdf", {})
    assert normalised(result["markdown_full"]) == normalised(expected)


@pytest.mark.slow
def test_pages_turned_each_their_own_way_all_read_upright(
    corpus_dir: Callable[[str], Path],
) -> None:
    # Four pages of one sentence, scanned at 0, 180, 90 and 270 degrees (no expected Markdown
    # upstream; it is the sentence of ocr_test).
    folder = corpus_dir("docling-groundtruth/ocr")
    expected = (folder / "groundtruth" / "ocr_test.tesseract.full_page.md").read_text()
    data = (folder / "sources" / "nemotron_multipage.pdf").read_bytes()
    pages = run("parse", data, "nemotron_multipage.pdf", {})["pages"]
    assert [normalised(page["markdown"]) for page in pages] == [normalised(expected)] * 4
