"""Forms: the person a form is about, named by a first-name and a last-name label in several
languages or by a full-name label, a blank left to fill in that is no value, and a form's own
number (registration, application, file) as the identifier a field asks of a report. Written
from how registration forms look, with invented names."""

from __future__ import annotations

from typing import Any

import pytest
from placed_docs import text_field

FORM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "report_id": {"type": "string", "description": "The identifier of the report."},
        "person": {
            "type": "string",
            "description": (
                "The person the report is about, or who prepared it (patient, preparer)."
            ),
        },
    },
}


@pytest.mark.parametrize(
    ("text", "person", "number"),
    [
        (
            "CITY SPORTS CLUB\nMEMBERSHIP REGISTRATION FORM\nRegistration No.: REG-20931\n"
            "Date: 12/03/2024\nFirst name: Anna\nLast name: Weber\nDate of birth: 01/05/1990\n",
            "Anna Weber",
            "REG-20931",
        ),
        (
            "STADTBIBLIOTHEK MÜNCHEN\nANMELDUNG\nAntragsnummer: A-20931\nDatum: 12.03.2024\n"
            "Vorname: Anna\nNachname: Weber\nGeburtsdatum: 01.05.1990\n",
            "Anna Weber",
            "A-20931",
        ),
        (
            "ÉCOLE DE MUSIQUE\nFORMULAIRE D'INSCRIPTION\nDossier n° 20931\nDate : 12/03/2024\n"
            "Nom : Weber\nPrénom : Anna\n",
            "Anna Weber",
            "20931",
        ),
        (
            "Academia Sol\nFORMULARIO DE INSCRIPCIÓN\nNº de expediente: 20931\n"
            "Fecha: 12/03/2024\nNombre: Ana\nApellidos: García López\n",
            "Ana García López",
            "20931",
        ),
        (
            "Health Clinic\nAPPLICATION FORM\nApplication number: APP-20931\n"
            "Date of application: 12/03/2024\nApplicant: Anna Weber\n",
            "Anna Weber",
            "APP-20931",
        ),
        (
            "Gemeente Utrecht\nAANMELDFORMULIER\nFormuliernummer: F-20931\nDatum: 12-03-2024\n"
            "Voornaam: Anna\nAchternaam: Weber\n",
            "Anna Weber",
            "F-20931",
        ),
    ],
)
def test_a_forms_person_and_number(text: str, person: str, number: str) -> None:
    assert text_field(text, FORM, "person") == person
    assert text_field(text, FORM, "report_id") == number


def test_a_blank_to_fill_in_is_no_value() -> None:
    text = (
        "City Hall\nREGISTRATION FORM\nReference: REF-20931\nDate: 12/03/2024\n"
        "Full name: Anna Weber\nSignature of preparer: ______\n"
    )
    assert text_field(text, FORM, "person") == "Anna Weber"
