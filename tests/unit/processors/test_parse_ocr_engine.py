"""OCR engines on real images: rapidocr reads generated text in any orientation; tesseract is
driven through its command line (a stand-in script where the real binary is absent, the real
binary where installed); engine failures fail only their page."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from ocr_fixtures import WORDS, image_bytes, normalised, scanned_pdf, text_image

from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse.ocr.engine import find_engine

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")

FAKE_TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "5\t1\t1\t1\t1\t1\t10\t10\t100\t20\t95\tStand-in\n"
    "5\t1\t1\t1\t1\t2\t120\t10\t100\t20\t95\ttesseract\n"
)


def _fake_tesseract(folder: Path, body: str) -> Path:
    """An executable called ``tesseract`` in ``folder`` running the shell ``body``."""
    script = folder / "tesseract"
    script.write_text(f"#!/bin/sh\ncat > /dev/null\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def test_rapidocr_reads_the_words_of_an_image() -> None:
    engine, warning = find_engine("auto")
    assert engine is not None and engine.name == "rapidocr" and warning is None
    read = normalised(" ".join(box.text for box in engine.recognise(text_image())))
    for word in WORDS:
        assert word.lower() in read


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_turned_scan_is_read_in_upright_order(angle: int) -> None:
    data = image_bytes(text_image().rotate(angle, expand=True), "PNG")
    page = run("parse", data, "turned.png", {})["pages"][0]
    text = normalised(page["text"])
    assert text.index("quarterly") < text.index("invoice") < text.index("march")


def test_the_heading_of_an_ocr_page_becomes_a_heading_item() -> None:
    page = run("parse", image_bytes(text_image(), "PNG"), "scan.png", {})["pages"][0]
    kinds = [item["type"] for item in page["items"]]
    assert kinds[0] == "heading" and "text" in kinds
    assert normalised(page["items"][0]["value"]) == "quarterly report"


def test_asking_for_tesseract_where_it_is_absent_falls_back_to_rapidocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("parse", image_bytes(text_image(), "PNG"), "s.png", {"ocr_engine": "tesseract"})
    assert "quarterly" in normalised(result["text_full"])
    warnings = result["document"]["warnings"]
    assert any("tesseract is not installed" in warning for warning in warnings)


def test_tesseract_runs_with_one_openmp_thread_and_its_tsv_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stand-in answers only when OMP_THREAD_LIMIT=1 reaches it, as tesseract needs.
    body = f"[ \"$OMP_THREAD_LIMIT\" = 1 ] || exit 7\nprintf '{FAKE_TSV}'"
    monkeypatch.setenv("PATH", f"{_fake_tesseract(tmp_path, body)}{os.pathsep}/usr/bin:/bin")
    page = run("parse", image_bytes(text_image(), "PNG"), "s.png", {"ocr_engine": "tesseract"})[
        "pages"
    ][0]
    assert (page["text"], page["ocr"], page["success"]) == ("Stand-in tesseract", True, True)


def test_an_ocr_failure_fails_that_page_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{_fake_tesseract(tmp_path, 'exit 3')}{os.pathsep}/usr/bin:/bin")
    data = scanned_pdf(["A page with a real text layer", text_image()])
    result = run("parse", data, "mixed.pdf", {"ocr_engine": "tesseract"})
    first, second = result["pages"]
    assert first["success"] and "real text layer" in first["text"]
    assert not second["success"]
    assert second["error"] == (
        "Page 2 could not be read by OCR: the tesseract engine failed (TesseractError)."
    )
    assert second["markdown"] == second["error"]  # replace_failed_page_mode "error_message"


def test_ocr_failures_count_against_page_error_tolerance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{_fake_tesseract(tmp_path, 'exit 3')}{os.pathsep}/usr/bin:/bin")
    data = scanned_pdf(["A page with a real text layer", text_image()])
    parameters = {"ocr_engine": "tesseract", "page_error_tolerance": 0.2}
    with pytest.raises(ProcessorError) as raised:
        run("parse", data, "mixed.pdf", parameters)
    assert raised.value.code == "corrupt_document"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed here")
def test_real_tesseract_reads_the_words_of_an_image() -> None:
    result = run("parse", image_bytes(text_image(), "PNG"), "s.png", {"ocr_engine": "tesseract"})
    assert not result["document"]["warnings"]
    text = normalised(result["text_full"])
    for word in WORDS:
        assert word.lower() in text


def test_an_unknown_ocr_engine_is_an_invalid_parameter() -> None:
    with pytest.raises(ProcessorError) as raised:
        run("parse", image_bytes(text_image(), "PNG"), "s.png", {"ocr_engine": "abbyy"})
    assert raised.value.code == "invalid_parameters"
    assert "ocr_engine" in raised.value.message
