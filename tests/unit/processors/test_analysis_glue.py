"""The classify / extract processors around their engines: engine choice per worker, page
selection, the evidence switches, and the output envelope the API reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from reams import processors
from reams.domain.errors import InvalidField, InvalidRequest, ProcessorError
from reams.domain.jobconfig import resolve
from reams.processors.analysis import choose_engine
from reams.processors.llm.config import LlmConfig

LLM = LlmConfig(base_url="http://127.0.0.1:9/v1", model="m")
RULES = [{"type": "invoice", "description": "a bill with a total due"},
         {"type": "letter", "description": "a personal letter"}]  # fmt: skip
INVOICE = b"INVOICE\n\nInvoice number: 77-B\nDate: 2024-02-01\nTotal due: 12.00 EUR\n"


@pytest.mark.parametrize(
    ("requested", "llm", "multimodal", "engine", "warned"),
    [
        ("auto", None, False, "offline", False),
        ("auto", LLM, False, "llm", False),
        ("auto", None, True, "offline", True),
        ("offline", LLM, False, "offline", False),
        ("llm", LLM, True, "llm", False),
    ],
)
def test_engine_choice(
    requested: str, llm: LlmConfig | None, multimodal: bool, engine: str, warned: bool
) -> None:
    choice = choose_engine(requested, llm, wants_model=multimodal)
    assert choice.name == engine
    assert bool(choice.warnings) == warned
    assert (choice.llm is not None) == (engine == "llm")


def test_llm_asked_for_but_not_configured_is_a_clear_item_error() -> None:
    with pytest.raises(ProcessorError) as info:
        choose_engine("llm", None)
    assert info.value.code == "llm_not_configured" and not info.value.retryable
    assert "REAMS_LLM_BASE_URL" in info.value.message


def test_classify_output_envelope() -> None:
    settings = resolve({"rules": RULES, "mode": "MULTIMODAL"})
    out = processors.run("classify", INVOICE, "bill.txt", settings.parameters)
    assert out["type"] == "classify" and out["engine"] == {"name": "offline"}
    assert out["result"]["type"] == "invoice"
    assert set(out["scores"]) == {"invoice", "letter"}
    assert any("MULTIMODAL" in w for w in out["document"]["warnings"])
    assert out["document"]["parsed_pages"] == 1


def test_classify_reads_only_the_pages_asked_for(tmp_path: Path) -> None:
    import docgen

    pdf = docgen.make_pdf(
        tmp_path / "two.pdf",
        [
            "Dear Ann,\n\nA personal letter from Bo.",
            "INVOICE\n\nInvoice number 9. Total due: 5 EUR",
        ],
    )
    settings = resolve({"rules": RULES, "parsing_configuration": {"target_pages": [1]}})
    out = processors.run("classify", pdf.read_bytes(), "two.pdf", settings.parameters)
    assert out["document"]["parsed_pages"] == 1
    assert out["result"]["type"] == "invoice"


@pytest.mark.parametrize(("cite", "confidence"), [(True, True), (False, True), (True, False)])
def test_extract_evidence_switches(cite: bool, confidence: bool) -> None:
    schema = {"type": "object", "properties": {"invoice_number": {"type": "string"}}}
    switches = {"cite_sources": cite, "confidence_scores": confidence}
    config = {"data_schema": schema, "extract_config": switches}
    settings = resolve(config)
    out = processors.run("extract", INVOICE, "bill.txt", settings.parameters)
    assert out["extract_result"] == {"invoice_number": "77-B"}
    entry = out["extract_metadata"]["field_metadata"]["document_metadata"]["invoice_number"]
    assert ("citation" in entry) is cite
    assert ("confidence" in entry) is confidence


def test_extract_per_page_gives_one_object_per_page() -> None:
    schema = {"type": "object", "properties": {"total": {"type": "number"}}}
    settings = resolve({"data_schema": schema, "extract_config": {"extraction_target": "per_page"}})
    out = processors.run("extract", INVOICE, "bill.txt", settings.parameters)
    assert out["extract_result"] == [{"total": 12.0}]
    assert "page_metadata" in out["extract_metadata"]["field_metadata"]


def test_bad_schema_is_refused_before_anything_runs() -> None:
    bad = {"data_schema": {"type": "object", "properties": {"x": {"type": "decimal"}}}}
    settings = resolve(bad)
    with pytest.raises(InvalidRequest) as info:
        processors.check("extract", settings.parameters)
    assert isinstance(info.value, InvalidField) and "properties.x" in str(info.value)
