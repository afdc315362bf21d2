"""PDF pages give their line boxes: items carry ``bbox`` and extraction's lines know their
type size and place."""

from __future__ import annotations

from pathlib import Path

from reams.processors import run
from reams.processors.extract.layout import physical_lines


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), (420, 620), invariant=1)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(40, 580, "Lindqvist Woodworks")
    canvas.setFont("Helvetica", 9)
    canvas.drawString(40, 500, "Rechnungsnr.")
    canvas.drawString(140, 500, "30064443")
    canvas.drawString(40, 488, "Datum")
    canvas.drawString(140, 488, "07.05.2014")
    canvas.save()
    return path


def test_pdf_items_carry_line_boxes_and_lines_know_their_size(tmp_path: Path) -> None:
    result = run("parse", _pdf(tmp_path / "a.pdf").read_bytes(), "a.pdf", {})
    page = result["pages"][0]
    boxed = [item for item in page["items"] if item.get("bbox")]
    assert boxed, page["items"]
    lines = physical_lines(result)
    head = next(line for line in lines if line.text == "Lindqvist Woodworks")
    assert head.box is not None and round(head.box.size) == 18 and head.box.y < 50
    assert all("h" in box for item in boxed for box in item["bbox"])
