"""A document that is one form filled in again on each page (a batch of repair estimates or
orders): a field asking for one total means the first form's, as its number and customer
are read, not the largest of the pages' totals. Written from a car-repair estimate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reams import processors
from reams.processors.extract.offline import extract_offline

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "customer": {"type": "string", "description": "The name of the customer."},
        "total": {"type": "number", "description": "The total amount of the order."},
    },
}


def pages_pdf(path: Path, forms: list[tuple[str, str]], *, letterhead: bool) -> dict[str, Any]:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), (595, 842), invariant=1)
    for number, (customer, total) in enumerate(forms):
        y = 60
        if letterhead or number == 0:
            for text, size in [
                ("NORTHGATE MOTOR WORKS", 20),
                ("Accident Repair Specialists", 12),
                ("48 Canal Street, Salem, OR 97301", 12),
            ]:
                canvas.setFont("Helvetica", size)
                canvas.drawString(60, 842 - y, text)
                y += 22
        canvas.setFont("Helvetica", 10)
        for label, value in [
            ("Customer name:", customer),
            ("Parts", "1,250"),
            ("Labor", "600"),
            ("GRAND TOTAL", total),
        ]:
            y += 18
            canvas.drawString(60, 842 - y, label)
            canvas.drawRightString(400, 842 - y, value)
        canvas.showPage()
    canvas.save()
    doc = processors.run("parse", path.read_bytes(), path.name, {})
    result = extract_offline(doc, SCHEMA).result
    assert isinstance(result, dict)
    return result


def test_the_first_forms_total(tmp_path: Path) -> None:
    forms = [("Alma Reyes", "2,410"), ("Victor Hale", "98,320")]
    result = pages_pdf(tmp_path / "estimates.pdf", forms, letterhead=True)
    assert result == {"customer": "Alma Reyes", "total": 2410.0}


def test_pages_of_one_document_still_give_the_larger_total(tmp_path: Path) -> None:
    # guard: without the letterhead repeated, the pages are one document (ties: the larger)
    forms = [("Alma Reyes", "2,410"), ("Alma Reyes", "4,820")]
    result = pages_pdf(tmp_path / "invoice.pdf", forms, letterhead=False)
    assert result["total"] == 4820.0
