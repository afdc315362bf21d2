"""``form_field_count`` in the parse output's ``document.metadata`` (issue 15): the fields a user
fills in, counted by the PDF, HTML and Word readers, and read by classify as a fillable form.
Real files written here (reportlab AcroForm widgets, HTML controls, Word content controls and
legacy form fields), parsed through ``processors.run``; no mocks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdfium2 as pdfium
import pytest

from reams import processors
from reams.processors.classify import structure
from reams.processors.classify.model import Rule
from reams.processors.classify.offline import classify_offline
from reams.processors.parse.pdf.metadata import form_field_count

KEY = "form_field_count"
RULES = [
    Rule("form", "A form to fill in, with labelled fields, boxes or blanks and checkboxes."),
    Rule("report", "A report or official publication: structured prose in sections."),
    Rule("letter", "A letter from one person to another, with a greeting and a signature."),
    Rule("other", "Anything else: a document that fits none of the other types."),
]


def parse(data: bytes, name: str) -> dict[str, Any]:
    return processors.run("parse", data, name, {})


def metadata(data: bytes, name: str) -> dict[str, Any]:
    found = parse(data, name)["document"].get("metadata") or {}
    assert isinstance(found, dict)
    return found


def test_the_key_is_the_one_classify_reads() -> None:
    assert structure.FORM_FIELDS_KEY == KEY


# ------------------------------------------------------------------------------------- PDF


def fillable_pdf(path: Path, *, pages: int = 1, fields_on: int = 0) -> Path:
    """A PDF whose page ``fields_on`` holds a text field, a check box and a drop-down list, with
    their printed labels; the other pages hold prose."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    for index in range(pages):
        if index == fields_on:
            form = canvas.acroForm
            canvas.drawString(72, 720, "Application for a parking permit")
            canvas.drawString(72, 690, "Full name:")
            form.textfield(name="name", x=160, y=680, width=200, height=18)
            canvas.drawString(72, 650, "Resident:")
            form.checkbox(name="resident", x=160, y=645, size=14)
            canvas.drawString(72, 610, "Zone:")
            form.choice(name="zone", options=["A", "B", "C"], value="A", x=160, y=600)
        else:
            canvas.drawString(72, 720, f"Notes on page {index + 1} about the permit scheme.")
        canvas.showPage()
    canvas.save()
    return path


def test_a_pdf_with_acroform_widgets_counts_them(tmp_path: Path) -> None:
    path = fillable_pdf(tmp_path / "permit.pdf")
    assert metadata(path.read_bytes(), path.name)[KEY] == 3


def test_a_pdf_without_a_form_has_no_count(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "plain.pdf"
    canvas = Canvas(str(path), invariant=1)
    canvas.drawString(72, 720, "Full name: ______________________   Signature: ____________")
    canvas.showPage()
    canvas.save()
    assert KEY not in metadata(path.read_bytes(), path.name)


def test_pdf_widgets_are_counted_on_the_first_pages_only(tmp_path: Path) -> None:
    path = fillable_pdf(tmp_path / "late.pdf", pages=3, fields_on=2)
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        assert form_field_count(pdf) == 3
        assert form_field_count(pdf, max_pages=2) == 0
    finally:
        pdf.close()


def test_a_fillable_pdf_classifies_as_a_form(tmp_path: Path) -> None:
    path = fillable_pdf(tmp_path / "permit.pdf")
    outcome = classify_offline(parse(path.read_bytes(), path.name), RULES)
    assert outcome.type == "form"
    assert "fillable form" in outcome.reasoning


# ------------------------------------------------------------------------------------ HTML

HTML_FORM = """<html><head><title>Contact us</title></head><body>
<header><form role="search"><input type="text" name="q"></form>
<input type="checkbox" id="menu-toggle"></header>
<nav><select name="language"><option>en</option></select></nav>
<main><h1>Contact us</h1><p>Tell us how we can help.</p>
<form action="/send">
<label>Name <input name="name"></label>
<label>E-mail <input type="email" name="email"></label>
<label>Topic <select name="topic"><option>Billing</option><option>Other</option></select></label>
<label>Message <textarea name="message"></textarea></label>
<label><input type="checkbox" name="copy"> Send me a copy</label>
<input type="hidden" name="token" value="x"><input type="submit" value="Send">
<button type="reset">Clear</button>
</form>
<input type="search" name="site-search"></main></body></html>"""


def test_html_counts_the_controls_a_user_fills_in() -> None:
    # name, e-mail, topic, message, copy; not the hidden token, the buttons, the search box, nor
    # the controls of the site's header and navigation.
    assert metadata(HTML_FORM.encode(), "contact.html")[KEY] == 5


def test_html_controls_outside_a_form_element_count_too() -> None:
    page = "<html><body><p>Quantity</p><input type='number'><select><option>1</option></select>"
    assert metadata(f"{page}</body></html>".encode(), "order.html")[KEY] == 2


def test_an_html_page_without_controls_has_no_count() -> None:
    page = b"<html><body><h1>News</h1><p>Nothing to fill in here.</p></body></html>"
    assert KEY not in metadata(page, "news.html")


# ------------------------------------------------------------------------------------ Word

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _control(kind: str, text: str) -> str:
    """A block-level content control (``w:sdt``) of ``kind`` holding a paragraph of ``text``."""
    return (
        f"<w:sdt><w:sdtPr>{kind}</w:sdtPr><w:sdtContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )


def _legacy(kind: str, data: str) -> str:
    """A paragraph holding a legacy form field (``FORMTEXT``, ``FORMCHECKBOX``...)."""
    return (
        f'<w:p><w:r><w:t xml:space="preserve">Field: </w:t></w:r>'
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="f"/>{data}</w:ffData>'
        f'</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> {kind} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>value</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def word_form(path: Path, body_xml: str) -> Path:
    """A Word document made by python-docx whose body gets ``body_xml`` (raw WordprocessingML)
    appended, before the section properties."""
    document = docx.Document()
    document.add_paragraph("Membership application")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    xml = source.read("word/document.xml").decode("utf-8")
    if "xmlns:w14=" not in xml:
        xml = xml.replace(f'xmlns:w="{W}"', f'xmlns:w="{W}" xmlns:w14="{W14}"', 1)
    at = xml.index("<w:sectPr")
    xml = xml[:at] + body_xml + xml[at:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = xml.encode("utf-8") if item.filename == "word/document.xml" else None
            out.writestr(item, data if data is not None else source.read(item.filename))
    return path


FIELDS_XML = "".join(
    [
        _control("<w:text/>", "Your name"),
        _control("<w:date/>", "Date of birth"),
        _control('<w:dropDownList><w:listItem w:value="a"/></w:dropDownList>', "Choose"),
        _control('<w14:checkbox><w14:checked w14:val="0"/></w14:checkbox>', "☐"),
        _control("<w:showingPlcHdr/>", "Click here to enter text."),
        _legacy("FORMTEXT", "<w:textInput/>"),
        _legacy("FORMCHECKBOX", "<w:checkBox><w:sizeAuto/></w:checkBox>"),
        _legacy("FORMDROPDOWN", "<w:ddList/>"),
    ]
)
NOT_FIELDS_XML = "".join(
    [
        _control("", "A rich-text control holding filled-in prose."),
        _control('<w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj>', "1"),
        _control("<w:citation/>", "(Smith, 2020)"),
    ]
)


def test_word_counts_content_controls_and_legacy_form_fields(tmp_path: Path) -> None:
    path = word_form(tmp_path / "application.docx", FIELDS_XML + NOT_FIELDS_XML)
    found = parse(path.read_bytes(), path.name)
    assert found["document"]["metadata"][KEY] == 8
    assert "Your name" in found["text_full"]


@pytest.mark.parametrize("body", [NOT_FIELDS_XML, ""])
def test_word_without_fields_has_no_count(tmp_path: Path, body: str) -> None:
    path = word_form(tmp_path / "letter.docx", body)
    assert KEY not in metadata(path.read_bytes(), path.name)
