"""Payslips: the employee is the person paid, not the employer whose word shares its stem
("employer" / "employee"), and a German pay day ("Zahltag") is the pay date. Written from
German and French payslips, with other names."""

from __future__ import annotations

from placed_docs import PAYSLIP, text_field

TEXT = (
    "Brandt Malerbetrieb GmbH\tGehaltsabrechnung\nHauptstraße 178\n"
    "10115 Berlin\tZeitraum\t01.11.2023 - 28.11.2023\nDE290155927\tZahltag\t25.11.2023\n"
    "Mitarbeiter:\tJonas Weber\nGehalt\t2.340,00\n"
)


def test_the_employee_is_not_the_employer() -> None:
    assert text_field(TEXT, PAYSLIP, "employer") == "Brandt Malerbetrieb GmbH"
    assert text_field(TEXT, PAYSLIP, "employee") == "Jonas Weber"


def test_a_pay_day_is_the_pay_date() -> None:
    assert text_field(TEXT, PAYSLIP, "pay_date") == "2023-11-25"
