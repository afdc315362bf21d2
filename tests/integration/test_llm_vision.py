"""Page images to vision models: MULTIMODAL classify and the agentic extract tiers.

Against the fake OpenAI-compatible server: the requests carry ``image_url`` content parts with
PNG data URLs of bounded size (a page without a text layer included), the text-only tier and
FAST mode carry none, and a model that refuses images gives text only with a warning (vision
unknown) or a clear error (vision declared).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest

from llm_server import IMAGE_TOKENS, FakeLLM, Fault, fake_llm_server, fast_config
from reams.domain.errors import ProcessorError
from reams.processors.llm import DocumentSource, LlmConfig, classify_llm, extract_llm
from reams.processors.llm.vision import MAX_SIDE

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"invoice_number": {"type": "string"}, "total": {"type": "number"}},
}
RULES = [("invoice", "A bill asking for payment"), ("letter", "A personal letter")]


def config_for(llm: FakeLLM, tmp_path: Path, **changes: Any) -> LlmConfig:
    config: LlmConfig = fast_config(llm, slots_dir=str(tmp_path / "slots"), **changes)
    return config


def text_and_scan_pdf(pages: int = 2) -> bytes:
    """Page 1 has a text layer; the other pages show a picture only (scans)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.drawString(72, 760, "Invoice number: V-7")
    canvas.showPage()
    for n in range(2, pages + 1):
        image = Image.new("RGB", (850, 1200), "white")
        ImageDraw.Draw(image).text((80, 100), f"Total: {n}00.00", fill="black")
        canvas.drawImage(ImageReader(image), 0, 0, *A4)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def doc_for(pages: int = 2) -> dict[str, Any]:
    """The parse output of :func:`text_and_scan_pdf` when no OCR ran: scans have no text."""
    first = {"page_number": 1, "markdown": "Invoice number: V-7", "text": "Invoice number: V-7"}
    rest = [{"page_number": n, "markdown": "", "text": ""} for n in range(2, pages + 1)]
    return {"pages": [first, *rest]}


def png_size(url: str) -> tuple[int, int]:
    from PIL import Image

    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    with Image.open(io.BytesIO(base64.b64decode(url[len(prefix) :]))) as image:
        assert image.format == "PNG"
        return image.size


def test_agentic_extract_sends_every_page_image(llm: FakeLLM, tmp_path: Path) -> None:
    warnings: list[str] = []
    result, _, usage = extract_llm(
        doc_for(),
        SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path),
        tier="agentic",
        source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
        warnings=warnings,
    )
    assert result["invoice_number"] == "V-7" and warnings == []
    (request,) = llm.chat_requests
    assert len(request.images) == 2  # the scanned page too, though it has no text
    for url in request.images:
        width, height = png_size(url)
        assert max(width, height) <= MAX_SIDE and min(width, height) > 500
    parts = request.body["messages"][1]["content"]
    assert [p["type"] for p in parts] == ["text", "image_url", "text", "image_url"]
    assert parts[2]["text"].startswith('<page number="2">') and "no text layer" in parts[2]["text"]
    assert "image of the page" in request.body["messages"][0]["content"]
    assert usage.prompt_tokens >= 2 * IMAGE_TOKENS


@pytest.mark.parametrize("tier", [None, "cost_effective"])
def test_text_tiers_send_no_image(llm: FakeLLM, tmp_path: Path, tier: str | None) -> None:
    extract_llm(
        doc_for(),
        SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path),
        tier=tier,
        source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
    )
    (request,) = llm.chat_requests
    assert request.images == [] and isinstance(request.body["messages"][1]["content"], str)


def test_images_per_request_are_bounded(llm: FakeLLM, tmp_path: Path) -> None:
    result, _, usage = extract_llm(
        doc_for(5),
        SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path, max_images=2),
        tier="agentic_plus",
        source=DocumentSource(text_and_scan_pdf(5), "invoice.pdf"),
    )
    assert [len(r.images) for r in llm.chat_requests] == [2, 2, 1]
    assert usage.requests == 3 and result["invoice_number"] == "V-7"


def test_a_model_without_vision_falls_back_to_text(tmp_path: Path) -> None:
    warnings: list[str] = []
    with fake_llm_server(vision=False) as llm:
        result, _, usage = extract_llm(
            doc_for(),
            SCHEMA,
            system_prompt=None,
            config=config_for(llm, tmp_path),
            tier="agentic",
            source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
            warnings=warnings,
        )
        first, second = llm.chat_requests
    assert result["invoice_number"] == "V-7"
    assert len(first.images) == 2 and second.images == []
    text = second.body["messages"][1]["content"]
    assert isinstance(text, str) and '<page number="2">' not in text  # nothing to read there
    assert usage.requests == 2 and usage.failed_requests == 1
    refused, unread = warnings
    assert "agentic tier asks for page images" in refused and "refused" in refused
    assert unread == "page(s) 2 have no text and no image could be sent: not read"


def test_a_scan_only_document_and_a_model_without_vision_is_an_error(tmp_path: Path) -> None:
    doc = {"pages": [{"page_number": n, "markdown": "", "text": ""} for n in (1, 2)]}
    with fake_llm_server(vision=False) as llm:
        with pytest.raises(ProcessorError) as caught:
            extract_llm(
                doc,
                SCHEMA,
                system_prompt=None,
                config=config_for(llm, tmp_path),
                tier="agentic",
                source=DocumentSource(text_and_scan_pdf(), "scan.pdf"),
            )
        assert len(llm.chat_requests) == 1
    assert caught.value.code == "llm_vision_unsupported" and not caught.value.retryable
    assert "no text layer" in caught.value.message and "pages 1, 2" in caught.value.message


def test_a_model_declared_to_see_that_refuses_images_is_an_error(tmp_path: Path) -> None:
    with fake_llm_server(vision=False) as llm:
        with pytest.raises(ProcessorError) as caught:
            extract_llm(
                doc_for(),
                SCHEMA,
                system_prompt=None,
                config=config_for(llm, tmp_path, vision=True),
                tier="agentic",
                source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
            )
        assert len(llm.chat_requests) == 1
    error = caught.value
    assert error.code == "llm_vision_unsupported" and not error.retryable
    assert "only supported by certain models" in error.message
    assert "REAMS_LLM_VISION=false" in error.message and "This item used" not in error.message


def test_a_model_declared_blind_gets_text_and_a_warning(llm: FakeLLM, tmp_path: Path) -> None:
    warnings: list[str] = []
    extract_llm(
        doc_for(),
        SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path, vision=False),
        tier="agentic",
        source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
        warnings=warnings,
    )
    assert [r.images for r in llm.chat_requests] == [[]]
    assert warnings and "takes no images" in warnings[0]


def test_a_format_without_pages_to_draw_goes_as_text(llm: FakeLLM, tmp_path: Path) -> None:
    warnings: list[str] = []
    extract_llm(
        {"pages": [{"page_number": 1, "markdown": "Invoice number: M-1", "text": ""}]},
        SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path),
        tier="agentic",
        source=DocumentSource(b"# Invoice\n\nInvoice number: M-1\n", "invoice.md"),
        warnings=warnings,
    )
    assert [r.images for r in llm.chat_requests] == [[]]
    assert warnings and "only PDF and image files have page images" in warnings[0]


def test_an_image_file_is_sent_as_its_page(llm: FakeLLM, tmp_path: Path) -> None:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (3000, 2000), "white").save(picture, format="PNG")
    result, _, _ = extract_llm(
        {"pages": [{"page_number": 1, "markdown": "", "text": ""}]},
        SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path),
        tier="agentic",
        source=DocumentSource(picture.getvalue(), "photo.png"),
    )
    (request,) = llm.chat_requests
    (url,) = request.images
    assert max(png_size(url)) <= MAX_SIDE
    assert result == {"invoice_number": None, "total": None}


def test_multimodal_classify_sends_the_first_pages_images(llm: FakeLLM, tmp_path: Path) -> None:
    result, usage = classify_llm(
        doc_for(3),
        RULES,
        threshold=0.5,
        config=config_for(llm, tmp_path, max_images=2),
        mode="MULTIMODAL",
        source=DocumentSource(text_and_scan_pdf(3), "invoice.pdf"),
    )
    assert result["type"] == "invoice" and usage.requests == 1
    (request,) = llm.chat_requests
    assert len(request.images) == 2
    texts = [p["text"] for p in request.body["messages"][1]["content"] if p["type"] == "text"]
    assert [t.split(">")[0] for t in texts] == ['<page number="1"', '<page number="2"']


def test_fast_classify_sends_text_only(llm: FakeLLM, tmp_path: Path) -> None:
    classify_llm(
        doc_for(),
        RULES,
        threshold=0.5,
        config=config_for(llm, tmp_path),
        mode="FAST",
        source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
    )
    (request,) = llm.chat_requests
    assert request.images == [] and isinstance(request.body["messages"][1]["content"], str)


def test_multimodal_classify_falls_back_to_text(tmp_path: Path) -> None:
    warnings: list[str] = []
    with fake_llm_server(vision=False) as llm:
        result, usage = classify_llm(
            doc_for(),
            RULES,
            threshold=0.5,
            config=config_for(llm, tmp_path),
            mode="MULTIMODAL",
            source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
            warnings=warnings,
        )
    assert result["type"] == "invoice" and usage.requests == 2 and usage.failed_requests == 1
    assert warnings and warnings[0].startswith("MULTIMODAL asks for page images")


READ_FROM_SCAN = {
    "data": {"invoice_number": "V-7", "total": 200},
    "evidence": [
        {"field": "invoice_number", "page": 1, "quote": "Invoice number: V-7"},
        {"field": "total", "page": 2, "quote": "Total: 200.00"},
    ],
}


@pytest.mark.parametrize(("tier", "confidence"), [("agentic", 0.6), ("cost_effective", 0.3)])
def test_a_quote_from_a_page_image_is_kept_but_not_verified(
    llm: FakeLLM, tmp_path: Path, tier: str, confidence: float
) -> None:
    llm.script(Fault.reply(READ_FROM_SCAN))
    _, metadata, _ = extract_llm(
        doc_for(),
        SCHEMA,
        system_prompt=None,
        config=config_for(llm, tmp_path),
        tier=tier,
        source=DocumentSource(text_and_scan_pdf(), "invoice.pdf"),
    )
    meta = metadata["document_metadata"]
    assert meta["invoice_number"]["confidence"] >= 0.9
    assert meta["total"]["confidence"] == confidence
    if tier == "agentic":  # the model saw page 2: its quote is what the image shows
        assert meta["total"]["citation"] == [{"page": 2, "matching_text": "Total: 200.00"}]
        assert meta["total"]["reasoning"] == "llm (read from the page image)"
    else:  # page 2 was never sent: the citation is made up
        assert meta["total"]["citation"] == []
