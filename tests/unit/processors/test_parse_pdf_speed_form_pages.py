"""Counting a PDF form's fields (``form_field_count``) loads the first pages, and the reader
then reads those very pages: each page of a fillable PDF is loaded (its content parsed) once,
not once for the count and again for the text, and the count is what it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from reams import processors
from reams.processors.parse.pdf import metadata
from reams.processors.parse.pdf.furniture import Furniture
from reams.processors.parse.pdf.reader import PdfSource


def fillable_pdf(path: Path, *, pages: int, fields_on: tuple[int, ...]) -> Path:
    """Pages of prose; those in ``fields_on`` also hold a text field and a check box."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    for index in range(pages):
        canvas.drawString(72, 720, f"Notes on page {index + 1} about the permit scheme.")
        if index in fields_on:
            canvas.drawString(72, 690, "Full name:")
            canvas.acroForm.textfield(name=f"name{index}", x=160, y=680, width=200, height=18)
            canvas.drawString(72, 650, "Resident:")
            canvas.acroForm.checkbox(name=f"resident{index}", x=160, y=645, size=14)
        canvas.showPage()
    canvas.save()
    return path


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The page indices PDFium is asked to load, in order."""
    import pypdfium2.raw as pdfium_c

    seen: list[int] = []
    load = pdfium_c.FPDF_LoadPage

    def counted(document: Any, index: int) -> Any:
        seen.append(int(index))
        return load(document, index)

    monkeypatch.setattr(pdfium_c, "FPDF_LoadPage", counted)
    return seen


def test_each_page_of_a_form_is_loaded_once(tmp_path: Path, loads: list[int]) -> None:
    path = fillable_pdf(tmp_path / "permit.pdf", pages=4, fields_on=(0, 2))
    result = processors.run("parse", path.read_bytes(), path.name, {})
    assert result["document"]["metadata"]["form_field_count"] == 4
    assert sorted(loads) == [0, 1, 2, 3]
    assert "Full name:" in result["pages"][2]["markdown"]


def test_the_count_is_the_same_from_the_readers_pages(tmp_path: Path) -> None:
    path = fillable_pdf(tmp_path / "permit.pdf", pages=3, fields_on=(1, 2))
    pdf = pdfium.PdfDocument(path.read_bytes())
    kept: dict[int, Any] = {}

    def load_page(index: int) -> Any:
        kept[index] = pdf[index]
        return kept[index].raw

    try:
        own = metadata.form_field_count(pdf)
        given = metadata.form_field_count(pdf, load_page=load_page)
        assert own == given == 4
        assert sorted(kept) == [0, 1, 2]  # the pages stay with the caller, open
        assert metadata.form_field_count(pdf, max_pages=1, load_page=lambda _: None) == 0
    finally:
        for page in kept.values():
            page.close()
        pdf.close()


def test_pages_loaded_for_the_count_and_never_read_are_closed(
    tmp_path: Path, loads: list[int]
) -> None:
    path = fillable_pdf(tmp_path / "permit.pdf", pages=3, fields_on=(0,))
    # Furniture given: no sample of pages is read ahead, only the page asked for is read.
    source = PdfSource(path.read_bytes(), furniture=Furniture())
    assert source.metadata["form_field_count"] == 2
    assert sorted(loads) == [0, 1, 2]
    assert "Notes on page 2" in source.page(1).markdown  # read from the page already loaded
    assert sorted(loads) == [0, 1, 2]
    unread = list(source._loaded.values())
    assert len(unread) == 2
    source.close()
    assert not source._loaded
    assert all(page.raw is None for page in unread)


def test_a_pdf_without_a_form_loads_no_page_ahead(tmp_path: Path, loads: list[int]) -> None:
    path = fillable_pdf(tmp_path / "plain.pdf", pages=2, fields_on=())
    source = PdfSource(path.read_bytes())
    try:
        assert "form_field_count" not in source.metadata
        assert loads == []
    finally:
        source.close()
