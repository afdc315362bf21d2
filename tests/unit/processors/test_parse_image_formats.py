"""Image files through the whole parse pipeline: every format detected from its content, read by
OCR into a page marked ``ocr``; TIFF pages become pages; ``disable_ocr`` warns instead."""

from __future__ import annotations

import pytest
from PIL import Image

from ocr_fixtures import WORDS, image_bytes, multipage_tiff, normalised, text_image
from reams.processors import run

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (rapidocr) is not installed")


def _assert_read(text: str) -> None:
    found = normalised(text)
    missing = [word for word in WORDS if word.lower() not in found]
    assert not missing, f"OCR missed {missing} in {found!r}"


@pytest.mark.parametrize(
    ("fmt", "kind", "save"),
    [
        ("PNG", "png", {}),
        ("JPEG", "jpeg", {"quality": 85}),
        ("BMP", "bmp", {}),
        ("GIF", "gif", {}),
        ("WEBP", "webp", {"quality": 90}),
        ("TIFF", "tiff", {"compression": "tiff_lzw"}),
    ],
)
def test_each_image_format_is_detected_and_read(
    fmt: str, kind: str, save: dict[str, object]
) -> None:
    # The name says nothing: the type comes from the content.
    result = run("parse", image_bytes(text_image(), fmt, **save), "upload.bin", {})
    assert result["document"]["detected_type"] == kind
    (page,) = result["pages"]
    assert (page["success"], page["ocr"], page["needs_ocr"]) == (True, True, True)
    _assert_read(page["text"])
    assert not result["document"]["warnings"]


def test_a_multipage_tiff_gives_one_page_per_frame() -> None:
    data = multipage_tiff([text_image(), text_image(["Second page about apples"], title=None)])
    result = run("parse", data, "fax.tiff", {})
    assert result["document"]["page_count"] == 2
    first, second = result["pages"]
    _assert_read(first["text"])
    assert "apples" in normalised(second["text"]) and "invoice" not in normalised(second["text"])


def test_target_pages_select_tiff_frames() -> None:
    data = multipage_tiff([text_image(), text_image(["Second page about apples"], title=None)])
    result = run("parse", data, "fax.tiff", {"target_pages": "1"})
    assert [page["page_number"] for page in result["pages"]] == [2]
    assert "apples" in normalised(result["text_full"])


def test_an_animated_gif_is_one_page() -> None:
    frames = [text_image(), text_image(["another frame"], title=None)]
    data = image_bytes(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    result = run("parse", data, "anim.gif", {"disable_ocr": True})
    assert result["document"]["page_count"] == 1


def test_text_on_a_transparent_background_is_read_as_if_printed_on_white() -> None:
    # Transparent pixels are black with alpha 0: without compositing the page is all black.
    ink = text_image(mode="L").point(lambda value: 255 - value)
    transparent = Image.new("RGBA", ink.size, (0, 0, 0, 0))
    transparent.putalpha(ink)
    page = run("parse", image_bytes(transparent, "PNG"), "logo.png", {})["pages"][0]
    _assert_read(page["text"])


def test_a_sixteen_bit_scan_is_read() -> None:
    wide = text_image(mode="L").point(lambda value: value * 200, mode="I").convert("I;16")
    page = run("parse", image_bytes(wide, "PNG"), "scan16.png", {})["pages"][0]
    _assert_read(page["text"])


def test_disable_ocr_leaves_the_page_empty_and_says_so() -> None:
    result = run("parse", image_bytes(text_image(), "PNG"), "scan.png", {"disable_ocr": True})
    (page,) = result["pages"]
    assert (page["text"], page["ocr"], page["needs_ocr"]) == ("", False, True)
    assert page["success"]
    assert result["document"]["warnings"][0] == (
        "OCR is disabled (disable_ocr): page 1 has no text layer and was not read"
    )


def test_page_size_is_in_points_at_the_stated_resolution() -> None:
    data = image_bytes(text_image(size=(800, 600)), "PNG", dpi=(144, 144))
    result = run("parse", data, "scan.png", {"disable_ocr": True})
    page = result["pages"][0]
    assert (page["width"], page["height"]) == (400.0, 300.0)
    assert result["document"]["metadata"] == {
        "image_format": "png",
        "image_width": 800,
        "image_height": 600,
    }
