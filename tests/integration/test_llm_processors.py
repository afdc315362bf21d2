"""The classify and extract processors hand the document to the LLM engine for page images.

End to end through :func:`reams.processors.run` and the fake OpenAI-compatible server: an
``agentic`` extract and a ``MULTIMODAL`` classify of a PDF send page images, and what the engine
did instead (a model without vision) shows in the output's warnings.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from llm_server import FakeLLM, fake_llm_server, fast_config
from reams import processors
from reams.domain.analysis_config import classify_parameters, extract_parameters
from reams.processors import classify as classify_module
from reams.processors import extract as extract_module


def _wired() -> bool:
    return all(
        "DocumentSource" in inspect.getsource(module)
        for module in (classify_module, extract_module)
    )


pytestmark = pytest.mark.skipif(
    not _wired(),
    reason="processors.extract / processors.classify do not pass the document's bytes to the "
    "LLM engine yet (issue 15: the wiring change is with the lead)",
)


def scanned_invoice_pdf() -> bytes:
    """Page 1 with text, page 2 a picture only."""
    import io

    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.drawString(72, 760, "Invoice number: P-42")
    canvas.showPage()
    canvas.drawImage(ImageReader(Image.new("RGB", (600, 800), "white")), 0, 0, *A4)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


SCHEMA: dict[str, Any] = {"type": "object", "properties": {"invoice_number": {"type": "string"}}}


def extract(llm: FakeLLM, tmp_path: Path, tier: str) -> dict[str, Any]:
    params = extract_parameters(
        {"data_schema": SCHEMA, "extract_config": {"tier": tier, "engine": "llm"}}
    )
    config = fast_config(llm, slots_dir=str(tmp_path / "slots"))
    return processors.run("extract", scanned_invoice_pdf(), "invoice.pdf", params, llm=config)


def test_agentic_extract_sends_page_images(llm: FakeLLM, tmp_path: Path) -> None:
    output = extract(llm, tmp_path, "agentic")
    assert output["extract_result"] == {"invoice_number": "P-42"}
    assert [len(r.images) for r in llm.chat_requests] == [2]


def test_cost_effective_extract_sends_text(llm: FakeLLM, tmp_path: Path) -> None:
    extract(llm, tmp_path, "cost_effective")
    assert [r.images for r in llm.chat_requests] == [[]]


def test_a_model_without_vision_is_reported_in_the_warnings(tmp_path: Path) -> None:
    with fake_llm_server(vision=False) as llm:
        output = extract(llm, tmp_path, "agentic")
        assert [len(r.images) for r in llm.chat_requests] == [2, 0]
    assert output["extract_result"] == {"invoice_number": "P-42"}
    assert output["usage"]["failed_requests"] == 1
    assert any("refused" in w for w in output["document"]["warnings"])


def test_multimodal_classify_sends_page_images(llm: FakeLLM, tmp_path: Path) -> None:
    params = classify_parameters(
        {
            "rules": [{"type": "invoice", "description": "A bill"}],
            "mode": "MULTIMODAL",
            "engine": "llm",
        }
    )
    config = fast_config(llm, slots_dir=str(tmp_path / "slots"))
    output = processors.run("classify", scanned_invoice_pdf(), "a.pdf", params, llm=config)
    assert output["result"]["type"] == "invoice"
    assert [len(r.images) for r in llm.chat_requests] == [2]
