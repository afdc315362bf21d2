"""The rapidocr engine's own steps: the page's orientation voted on a sample of its lines, and
detection with reams' normalisation finding the boxes rapidocr's own call finds."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from ocr_fixtures import printed_image

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")

from reams.processors.parse.ocr import rapid
from reams.processors.parse.ocr.engine import _loaded_rapidocr

DENSE = tuple(f"Item {number} costs {number * 3} EUR" for number in range(1, 41))


def _engine() -> Any:
    return _loaded_rapidocr()


def _numbers(texts: list[str]) -> list[int]:
    return [int(found) for text in texts for found in re.findall(r"Item (\d+)", text)]


@pytest.mark.parametrize("angle", [0, 180])
def test_a_dense_page_is_oriented_by_a_sample_of_its_lines(
    angle: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _engine()
    asked: list[int] = []
    classify = engine._ocr.text_cls

    def counting(crops: list[Any]) -> Any:
        asked.append(len(crops))
        return classify(crops)

    monkeypatch.setattr(engine._ocr, "text_cls", counting)
    image = printed_image(DENSE, size=10, dpi=150).rotate(angle, expand=True)
    boxes = sorted(engine.recognise(image), key=lambda box: box.top)
    assert asked and max(asked) <= rapid._VOTERS < len(DENSE)
    numbers = _numbers([box.text for box in boxes])
    assert len(numbers) >= len(DENSE) - 2
    assert numbers == sorted(numbers)  # upright order, also when scanned upside down


def test_detection_finds_the_boxes_rapidocrs_own_call_finds() -> None:
    engine = _engine()
    pixels = np.ascontiguousarray(np.asarray(printed_image(DENSE[:8]))[:, :, ::-1])
    ours = engine._boxes(pixels)
    theirs, _ = engine._ocr.text_det(pixels)
    assert len(ours) == len(theirs) > 0
    assert float(np.abs(np.asarray(ours) - np.asarray(theirs)).max()) <= 1.0
