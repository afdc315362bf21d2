"""A bill's summary (net, taxes, total, payments, balance) printed as label/amount rows under
its table, which the PDF reader merges column-wise into one line: "Room charges City tax VAT
10% Total Paid by card Balance | 300.00 5.24 30.52 335.76 335.76 0.00". Each amount gets its
own label back, so the total is the one labelled total, not the balance or a payment.
Written from hotel folios, with other names and amounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reams import processors
from reams.processors.extract.everyday import total
from reams.processors.extract.layout import Layout, PLine
from reams.processors.extract.offline import extract_offline
from reams.processors.extract.text import field_terms

TOTAL = field_terms("total", {"description": "The total amount to pay, taxes included."})

SUMMARIES = [
    (
        [
            ("Room charges", "300.00"),
            ("City tax", "5.24"),
            ("VAT 10%", "30.52"),
            ("Total", "335.76"),
            ("Paid by card", "335.76"),
            ("Balance", "0.00"),
        ],
        335.76,
    ),
    (
        [
            ("Logis", "400,00"),
            ("Petit-déjeuner", "60,00"),
            ("TVA 10 %", "46,00"),
            ("Total TTC", "506,00"),
            ("Acompte", "150,00"),
            ("Reste à payer", "356,00"),
        ],
        506.0,
    ),
    (
        [
            ("Zwischensumme", "600,00"),
            ("MwSt. 7 %", "42,00"),
            ("MwSt. 19 %", "19,00"),
            ("Gesamtbetrag", "661,00"),
            ("Anzahlung", "200,00"),
            ("Offener Betrag", "461,00"),
        ],
        661.0,
    ),
    (
        [
            ("Net amount", "297.86"),
            ("VAT 20%", "58.52"),
            ("Total amount", "356.38"),
            ("Amount paid", "356.38"),
            ("Amount due", "0.00"),
        ],
        356.38,
    ),
    (
        [
            ("Sous-total", "250,00"),
            ("TVA 10 %", "25,00"),
            ("Taxe de séjour", "4,68"),
            ("Total TTC", "279,68"),
        ],
        279.68,
    ),
]


@pytest.mark.parametrize(("rows", "expected"), SUMMARIES)
def test_a_merged_summary_line_labels_each_amount(
    rows: list[tuple[str, str]], expected: float
) -> None:
    merged = PLine(1, 5, (" ".join(k for k, _ in rows), " ".join(v for _, v in rows)))
    lines = [PLine(1, 0, ("HOTEL LUMEN",)), PLine(1, 1, ("Night", "150.00")), merged]
    assert total(Layout(lines), TOTAL)[0].value == expected


@pytest.mark.parametrize(("rows", "expected"), SUMMARIES)
def test_a_folio_pdf_whose_summary_the_reader_merges(
    tmp_path: Path, rows: list[tuple[str, str]], expected: float
) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "folio.pdf"
    canvas = Canvas(str(path), (595, 842), invariant=1)
    canvas.setFont("Times-Bold", 22)
    canvas.drawCentredString(297, 842 - 60, "HOTEL LUMEN")
    canvas.setFont("Times-Roman", 8.5)
    canvas.setFillGray(0.88)
    canvas.rect(40, 842 - 277, 515, 17, stroke=0, fill=1)
    canvas.setFillGray(0)
    y = 260.0
    for day, text, amount in [("Date", "Description", "Amount"), *DAYS]:
        canvas.drawString(44, 842 - y - 11.5, day)
        canvas.drawString(134, 842 - y - 11.5, text)
        canvas.drawRightString(551, 842 - y - 11.5, amount)
        y += 17
    canvas.line(40, 842 - y, 555, 842 - y)
    y += 20
    canvas.setFont("Times-Roman", 10)
    for label, value in rows:
        canvas.drawString(330, 842 - y, label)
        canvas.drawRightString(555, 842 - y, value)
        y += 15
    canvas.showPage()
    canvas.save()
    doc = processors.run("parse", path.read_bytes(), path.name, {})
    schema: dict[str, Any] = {"type": "object", "properties": {"total": {"type": "number"}}}
    assert extract_offline(doc, schema).result == {"total": expected}


DAYS = [("01/02/2024", "Night", "150.00"), ("02/02/2024", "Night", "150.00")]


def test_a_summary_with_more_amounts_than_label_starts_keeps_its_old_reading() -> None:
    # guard: "Net VAT 20% Order total" over three amounts has only two places a label starts
    merged = PLine(1, 2, ("Net VAT 20% Order total", "100.00 20.00 120.00"))
    assert total(Layout([PLine(1, 0, ("Shop",)), merged]), TOTAL)[0].value == 120.0
