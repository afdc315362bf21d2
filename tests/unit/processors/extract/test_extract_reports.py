"""A lab report's header table: rows of headings over rows of values ("Patient | Geb.-Datum"
over "Jonas Albrecht | 03.04.1981"), the report's number under "Befund-Nr." / "Nº de
informe", its date under "Datum des Befundes", a birth date that is not the report's, and
a result's reference range ("0.4 - 4.0") that is not a number. Written from German and
Spanish lab reports, with other names and values."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import text_field

from reams import processors
from reams.processors.extract.offline import extract_offline
from reams.processors.extract.text import field_terms

FORM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "report_id": {"type": "string", "description": "The identifier of the report."},
        "report_date": {
            "type": "string",
            "format": "date",
            "description": "The date of the report or of the service.",
        },
        "person": {
            "type": "string",
            "description": (
                "The person the report is about, or who prepared it (patient, preparer)."
            ),
        },
    },
}
LABELS = {
    "de": ("Patient", "Geb.-Datum", "Befund-Nr.", "Entnahme am", "Datum des Befundes"),
    "es": (
        "Nombre del paciente",
        "F. nacimiento",
        "Nº de informe",
        "Extracción",
        "Fecha de informe",
    ),
}


def report(lang: str) -> dict[str, Any]:
    patient, born, number, taken, dated = LABELS[lang]
    html = (
        "<html><body><h1>Labor Weiss</h1><p>Ringstraße 4 · 80331 München</p><h2>Bericht</h2>"
        f"<table><tr><td>{patient}</td><td>{born}</td></tr>"
        "<tr><td>Jonas Albrecht</td><td>03.04.1981</td></tr>"
        f"<tr><td>{number}</td><td>{taken}</td></tr><tr><td>B-55120</td><td>02.06.2025</td></tr>"
        f"<tr><td>Einsender</td><td>{dated}</td></tr>"
        "<tr><td>Dr. Eva Lorenz</td><td>04.06.2025</td></tr></table>"
        "<table><tr><td>Test</td><td>Result</td><td>Unit</td><td>Reference</td></tr>"
        "<tr><td>TSH</td><td>0.8</td><td>mU/L</td><td>0.4 - 4.0</td></tr></table></body></html>"
    )
    doc = processors.run("parse", html.encode(), "report.html", {})
    result = extract_offline(doc, FORM).result
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("lang", ["de", "es"])
def test_a_lab_reports_header_table(lang: str) -> None:
    assert report(lang) == {
        "report_id": "B-55120",
        "report_date": "2025-06-04",
        "person": "Jonas Albrecht",
    }


def test_a_parenthesised_list_in_a_description_names_labels() -> None:
    terms = field_terms("person", FORM["properties"]["person"])
    assert {"patient", "preparer"} <= set(terms.aliases)


def test_quoted_lists_stay_as_they_were() -> None:
    # guard: a parenthesis with quoted phrases (the CUAD schema's) adds only the quotes
    node = {"description": 'The date it starts ("effective as of", "commencing on").'}
    assert field_terms("start", node).aliases == ("start", "effective as of", "commencing on")


def test_a_name_cut_by_an_ocr_label_is_read_whole_from_its_cell() -> None:
    # OCR read a stray "Bscaer:" after the name: the joined text splits the name there, the
    # printed cell keeps it whole
    text = (
        "SEATTLE GENERAL HOSPITAL\nCOMPREHENSIVE MEDICAL REPORT\n"
        "Report ID:\tMEDRPT-2024-PAT-3847\tDate of Service:\tOctober 28, 2024\n"
        "Patient Name:\tJonathan Michael Harrison\tBscaer: A Phie MEolicy #BCB-44\n"
        "Date of Birth:\tMarch 15, 1978\n"
    )
    assert text_field(text, FORM, "person") == "Jonathan Michael Harrison"
