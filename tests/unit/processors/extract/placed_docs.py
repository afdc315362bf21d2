"""Documents for the extract tests written from how real ones look: text parsed as a ``.txt``
file, or strings placed on a PDF page (reportlab), then one field extracted offline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reams import processors
from reams.processors.extract.offline import extract_offline

# The invoice fields most tests ask for, described as a user would.
INVOICE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The number of the invoice."},
        "invoice_date": {
            "type": "string",
            "format": "date",
            "description": "The date the invoice was issued.",
        },
        "total": {"type": "number", "description": "The total amount to pay, taxes included."},
        "vendor": {"type": "string", "description": "The company that issued the invoice."},
    },
}
# A payslip's and a delivery note's fields, described as a user would.
PAYSLIP: dict[str, Any] = {
    "type": "object",
    "properties": {
        "employer": {
            "type": "string",
            "description": "The company that employs the person and issued the payslip.",
        },
        "employee": {"type": "string", "description": "The name of the employee who is paid."},
        "pay_date": {
            "type": "string",
            "format": "date",
            "description": "The date the salary is paid.",
        },
        "net_pay": {
            "type": "number",
            "description": "The net amount paid to the employee, after deductions.",
        },
    },
}
DELIVERY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "delivery_number": {"type": "string", "description": "The number of the delivery note."},
        "supplier": {"type": "string", "description": "The company that sends the goods."},
        "recipient": {
            "type": "string",
            "description": "The company or person the goods are delivered to.",
        },
    },
}

# A place on the page: x and y from the top-left corner in points, the text, its type size.
Placed = tuple[float, float, str, float]


def text_field(text: str, schema: dict[str, Any], name: str) -> Any:
    return _field(processors.run("parse", text.encode(), "doc.txt", {}), schema, name)


def pdf_field(tmp_path: Path, placed: Sequence[Placed], schema: dict[str, Any], name: str) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "doc.pdf"
    canvas = Canvas(str(path), (595, 842), invariant=1)
    for x, y, text, size in placed:
        canvas.setFont("Helvetica-Bold" if size > 11 else "Helvetica", size)
        canvas.drawString(x, 842 - y, text)
    canvas.showPage()
    canvas.save()
    return _field(processors.run("parse", path.read_bytes(), path.name, {}), schema, name)


def _field(doc: dict[str, Any], schema: dict[str, Any], name: str) -> Any:
    result = extract_offline(doc, schema).result
    assert isinstance(result, dict)
    return result.get(name)
