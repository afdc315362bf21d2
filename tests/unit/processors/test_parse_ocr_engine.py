"""OCR engines on real images: rapidocr reads generated text in any orientation, and falls in
where tesseract is asked for but absent. tesseract's command line (which starts a process) is
tested in ``tests/integration/test_parse_external_tools.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr_fixtures import WORDS, image_bytes, normalised, text_image
from reams.domain.errors import ProcessorError
from reams.processors import run
from reams.processors.parse.ocr.engine import find_engine

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")


def test_rapidocr_reads_the_words_of_an_image() -> None:
    engine, warnings = find_engine("auto")
    assert engine is not None and engine.name == "rapidocr" and warnings == []
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


def test_an_unknown_ocr_engine_is_an_invalid_parameter() -> None:
    with pytest.raises(ProcessorError) as raised:
        run("parse", image_bytes(text_image(), "PNG"), "s.png", {"ocr_engine": "abbyy"})
    assert raised.value.code == "invalid_parameters"
    assert "ocr_engine" in raised.value.message
